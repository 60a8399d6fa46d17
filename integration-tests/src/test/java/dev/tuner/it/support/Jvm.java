package dev.tuner.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real JVM started for a test: its command line, its working directory, and what it printed (stdout
 * and stderr go to files, read at any time). Closing it kills it if it still runs.
 */
public final class Jvm implements AutoCloseable {
    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final List<String> command;

    private Jvm(Process process, Path stdout, Path stderr, List<String> command) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
        this.command = command;
    }

    /** The JDK the tests run on (17 here). */
    public static Path defaultJavaHome() {
        return Paths.get(System.getProperty("java.home"));
    }

    /** The second JDK (Temurin 25), or {@code null} when it is not installed here. */
    public static Path java25Home() {
        String home = System.getProperty("tuner.java25.home", "/usr/lib/jvm/temurin-25-jdk-amd64");
        Path java = Paths.get(home, "bin", "java");
        return Files.isExecutable(java) ? Paths.get(home) : null;
    }

    /** Starts {@code javaHome/bin/java args...} in {@code dir}. */
    public static Jvm start(Path javaHome, Path dir, List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(javaHome.resolve("bin").resolve("java").toString());
        command.addAll(args);
        Files.createDirectories(dir);
        Path out = Files.createTempFile(dir, "stdout-", ".txt");
        Path err = Files.createTempFile(dir, "stderr-", ".txt");
        Process process = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        return new Jvm(process, out, err, command);
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the JVM to exit; returns its exit status. Fails the test if it runs past {@code timeout}. */
    public int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("JVM did not exit within " + timeout + ": " + command + "\n" + describe());
        }
        return process.exitValue();
    }

    /** Waits until stdout or stderr has a line matching {@code condition}; false on timeout or exit. */
    public boolean awaitOutput(Predicate<String> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (stdoutLines().stream().anyMatch(condition) || stderrLines().stream().anyMatch(condition)) {
                return true;
            }
            if (!process.isAlive()) {
                return stdoutLines().stream().anyMatch(condition) || stderrLines().stream().anyMatch(condition);
            }
            Thread.sleep(100);
        }
        return false;
    }

    public List<String> stdoutLines() {
        return lines(stdout);
    }

    public List<String> stderrLines() {
        return lines(stderr);
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The command and everything it printed, for failure messages. */
    public String describe() {
        return "command: " + String.join(" ", command) + "\n--- stdout ---\n" + String.join("\n", stdoutLines())
                + "\n--- stderr ---\n" + String.join("\n", stderrLines());
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
