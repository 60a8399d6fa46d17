package dev.tuner.it.diagnose;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuner.it.support.Artifacts;
import dev.tuner.it.support.Jvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The apps the diagnose tests watch, started and read the way a person would. */
final class Targets {
    /** The seed's generated table, shared with the other seed tests of this module. */
    static final Path DATA = Path.of("target", "seed-data").toAbsolutePath();
    /** A seed progress line's knobs; a line still being written does not match yet. */
    static final Pattern SEED_KNOBS = Pattern.compile(
            "read=\\d+ parse=\\d+ prefetch=\\d+ \\(read\\.prefetch=\\d+ parse\\.prefetch=\\d+\\)");
    /** The lock-bound app's pool size on its progress lines. */
    static final Pattern THREADS = Pattern.compile("items/s=\\d+ .*threads=(\\d+)");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Targets() {
    }

    /** The seed pipeline, untuned (the incident's defaults), running when this returns. */
    static Jvm seed(Path javaHome, Path dir, List<String> jvmArgs, int seconds) throws Exception {
        List<String> args = new ArrayList<>(jvmArgs);
        args.addAll(List.of("-jar", Artifacts.seedJar().toString(), "--seconds", String.valueOf(seconds), "--data-dir",
                DATA.toString()));
        Jvm seed = Jvm.start(javaHome, dir, args);
        assertTrue(seed.awaitOutput(l -> SEED_KNOBS.matcher(l).find(), Duration.ofSeconds(90)), seed::describe);
        return seed;
    }

    /**
     * examples/lock-bound (a plain JDK pool, {@code ledger-1..N}, whose tasks queue on one {@code Ledger}
     * monitor) with {@code threads} pool threads, running (it printed a progress line) when this returns.
     */
    static Jvm lockBound(Path dir, List<String> jvmArgs, int seconds, int threads) throws Exception {
        Path jar = Artifacts.examplesDir().resolve("lock-bound.jar");
        assertTrue(Files.exists(jar), jar + " is missing: build with mvn package first");
        List<String> args = new ArrayList<>(jvmArgs);
        args.addAll(List.of("-jar", jar.toString(), "--seconds", String.valueOf(seconds), "--threads",
                String.valueOf(threads)));
        Jvm app = Jvm.start(Jvm.defaultJavaHome(), dir, args);
        assertTrue(app.awaitOutput(l -> THREADS.matcher(l).find(), Duration.ofSeconds(60)), app::describe);
        return app;
    }

    /** Every match of {@code pattern}'s whole text on {@code lines}. */
    static List<String> matches(List<String> lines, Pattern pattern) {
        List<String> found = new ArrayList<>();
        for (String line : lines) {
            Matcher m = pattern.matcher(line);
            if (m.find()) {
                found.add(m.group());
            }
        }
        return found;
    }

    static JsonNode json(String text) throws IOException {
        return MAPPER.readTree(text);
    }

    /** The tuning log's events so far; a last line still being written is left out. */
    static List<JsonNode> events(Path log) throws IOException {
        List<JsonNode> events = new ArrayList<>();
        if (!Files.exists(log)) {
            return events;
        }
        for (String line : Files.readAllLines(log)) {
            try {
                events.add(MAPPER.readTree(line));
            } catch (IOException partial) {
                break;
            }
        }
        return events;
    }

    /** The first event matching {@code wanted}; fails if none comes within {@code timeout} (a safety net). */
    static JsonNode await(Path log, Predicate<JsonNode> wanted, Duration timeout, String what) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (JsonNode e : events(log)) {
                if (wanted.test(e)) {
                    return e;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " in " + log + " within " + timeout + "; events: "
                        + events(log).stream().map(e -> e.path("event").asText()).toList());
            }
            Thread.sleep(100);
        }
    }

    static Predicate<JsonNode> event(String name) {
        return e -> name.equals(e.path("event").asText());
    }
}
