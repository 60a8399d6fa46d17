package dev.tuner.it.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Where the packaged jars are: the tests use what a user runs, not the modules' classes. */
public final class Artifacts {
    private static final Pattern SCHEMA_ROW = Pattern.compile("\\| `([a-z_]+)` \\| (.*) \\|");
    private static final Pattern INHERITS = Pattern.compile("\\s*the fields of `([a-z_]+)`");
    private static final Pattern FIELD = Pattern.compile("`([a-z_]+)`");

    private Artifacts() {
    }

    public static Path agentJar() {
        return existing(Paths.get(System.getProperty("tuner.agent.jar", "../agent/target/tuner.jar")));
    }

    public static Path examplesDir() {
        return Paths.get(System.getProperty("tuner.examples.dir", "../examples/target")).toAbsolutePath().normalize();
    }

    public static Path seedJar() {
        return examplesJar("seed-pipeline.jar");
    }

    /** The examples module's jar {@code name} (e.g. {@code lock-bound.jar}); fails the test if it is not built. */
    public static Path examplesJar(String name) {
        return existing(examplesDir().resolve(name));
    }

    /** The integration tests' own classes (the JMX-contract fixture runs from here, alone on its classpath). */
    public static Path fixtureClasses() {
        return existing(Paths.get(System.getProperty("tuner.fixture.classes", "target/test-classes")));
    }

    /** The project's design, {@code docs/DESIGN.md}. */
    public static Path design() {
        return existing(Paths.get(System.getProperty("tuner.design", "../docs/DESIGN.md")));
    }

    /**
     * The required fields of each tuning-log event, from the table in the design's section "The tuning
     * log": rows {@code | `event` | `field`, `field` (what it means), ... |}. A row whose fields begin
     * "the fields of `other`" takes those too. Only the backquoted words outside parentheses are fields.
     */
    public static Map<String, List<String>> logSchema() {
        List<String> lines;
        try {
            lines = Files.readAllLines(design());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, List<String>> schema = new LinkedHashMap<>();
        int section = lines.indexOf("## The tuning log");
        assertTrue(section >= 0, "the design has a section '## The tuning log'");
        for (int i = section + 1; i < lines.size() && !lines.get(i).startsWith("## "); i++) {
            Matcher row = SCHEMA_ROW.matcher(lines.get(i));
            if (!row.matches()) {
                continue;
            }
            String fieldsText = row.group(2).replaceAll("\\([^)]*\\)", "");
            List<String> fields = new ArrayList<>();
            Matcher inherits = INHERITS.matcher(fieldsText);
            if (inherits.lookingAt()) {
                fields.addAll(schema.getOrDefault(inherits.group(1), List.of()));
                fieldsText = fieldsText.substring(inherits.end());
            }
            Matcher field = FIELD.matcher(fieldsText);
            while (field.find()) {
                fields.add(field.group(1));
            }
            schema.put(row.group(1), List.copyOf(fields));
        }
        assertTrue(schema.size() >= 10, "the design's log table was read: " + schema);
        return Map.copyOf(schema);
    }

    private static Path existing(Path path) {
        Path abs = path.toAbsolutePath().normalize();
        assertTrue(Files.exists(abs), abs + " is missing: build with mvn package first");
        return abs;
    }
}
