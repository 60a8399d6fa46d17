package dev.tuner.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The agent's packages form no circle: no package uses one that uses it back, directly or through others.
 * Read from the sources (imports, and names written out in full), so that a new circle fails the build
 * the day it is written rather than being found by the next reader.
 */
class PackageCyclesTest {
    private static final Path SOURCES = Path.of("src/main/java");
    private static final String ROOT = "dev.tuner.agent";
    /** A reference to a class of one of the agent's packages: lower-case segments, then a capitalized name. */
    private static final Pattern USE = Pattern.compile("\\b(dev\\.tuner\\.agent(?:\\.[a-z][a-z0-9]*)*)\\.[A-Z]");

    @Test
    void noPackageOfTheAgentUsesOneThatUsesItBack() {
        Map<String, Set<String>> uses = uses();
        assertTrue(uses.size() >= 10, "the sources were read: " + uses.keySet());
        List<String> circles = new ArrayList<>();
        for (String from : uses.keySet()) {
            for (String to : uses.get(from)) {
                List<String> back = path(uses, to, from);
                if (back != null) {
                    circles.add(from + " -> " + String.join(" -> ", back));
                }
            }
        }
        assertEquals(List.of(), circles);
    }

    @Test
    void theCheckFindsACircle() {
        Map<String, Set<String>> uses = new TreeMap<>(Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a")));
        assertEquals(List.of("b", "c", "a"), path(uses, "b", "a"));
        assertEquals(null, path(Map.of("a", Set.of("b"), "b", Set.of()), "b", "a"));
    }

    /** The packages {@code from} reaches, first to last, ending at {@code to}; {@code null} if it does not. */
    private static List<String> path(Map<String, Set<String>> uses, String from, String to) {
        Deque<List<String>> open = new ArrayDeque<>();
        Set<String> seen = new TreeSet<>();
        open.add(List.of(from));
        while (!open.isEmpty()) {
            List<String> p = open.removeFirst();
            String last = p.get(p.size() - 1);
            if (last.equals(to)) {
                return p;
            }
            for (String next : uses.getOrDefault(last, Set.of())) {
                if (seen.add(next)) {
                    List<String> longer = new ArrayList<>(p);
                    longer.add(next);
                    open.addLast(longer);
                }
            }
        }
        return null;
    }

    private static Map<String, Set<String>> uses() {
        Map<String, Set<String>> uses = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES.resolve(ROOT.replace('.', '/')))) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(f -> {
                String pkg = SOURCES.relativize(f.getParent()).toString().replace('/', '.');
                Set<String> used = uses.computeIfAbsent(pkg, k -> new TreeSet<>());
                Matcher m = USE.matcher(withoutComments(read(f)));
                while (m.find()) {
                    if (!m.group(1).equals(pkg)) {
                        used.add(m.group(1));
                    }
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return uses;
    }

    /** Javadoc may name any class ({@code {@link}}); only code makes a package use another. */
    private static String withoutComments(String source) {
        return source.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
