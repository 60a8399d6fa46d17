package dev.tuner.it.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Where the packaged jars are: the tests use what a user runs, not the modules' classes. */
public final class Artifacts {
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

    private static Path existing(Path path) {
        Path abs = path.toAbsolutePath().normalize();
        assertTrue(Files.exists(abs), abs + " is missing: build with mvn package first");
        return abs;
    }
}
