package dev.tuner.it.cli;

import dev.tuner.it.support.Artifacts;
import dev.tuner.it.support.Jvm;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar tuner.jar ...} run as a user runs it: a fresh JVM (the test's JDK, or another),
 * optionally as another OS user through {@code runuser}. A run that outlives its generous timeout is
 * killed and fails the test; the timeout is a safety net, not a measurement.
 */
public final class TunerCli {
    static final long TIMEOUT_SECONDS = 60;

    /** What one run printed and its exit status. */
    public record Result(int status, List<String> out, List<String> err, List<String> command) {
        public String stdout() {
            return String.join("\n", out);
        }

        /** The first stderr line starting with {@code tuner: }, the one that says what went wrong. */
        public String why() {
            return err.stream().filter(l -> l.startsWith("tuner: ")).findFirst().orElse("");
        }

        @Override
        public String toString() {
            return "command: " + String.join(" ", command) + "\nstatus " + status + "\n--- stdout ---\n" + stdout()
                    + "\n--- stderr ---\n" + String.join("\n", err);
        }
    }

    private TunerCli() {
    }

    public static Result run(String... args) throws Exception {
        return run(Jvm.defaultJavaHome(), null, args);
    }

    public static Result runOn(Path javaHome, String... args) throws Exception {
        return run(javaHome, null, args);
    }

    /** Runs it as {@code user} (through {@code runuser -u user --}) when not null. */
    static Result run(Path javaHome, String user, String... args) throws Exception {
        Path dir = Files.createTempDirectory("tuner-cli-");
        Started started = start(dir, javaHome, user, args);
        try (started) {
            return started.await();
        } finally {
            Files.deleteIfExists(started.out());
            Files.deleteIfExists(started.err());
            Files.deleteIfExists(dir);
        }
    }

    /** Starts it and returns at once (for {@code log --follow}); its output goes to files in {@code dir}. */
    static Started startIn(Path dir, String... args) throws IOException {
        return start(dir, Jvm.defaultJavaHome(), null, args);
    }

    private static Started start(Path dir, Path javaHome, String user, String... args) throws IOException {
        List<String> command = command(javaHome, user, args);
        Path out = Files.createTempFile(dir, "cli-out-", ".txt");
        Path err = Files.createTempFile(dir, "cli-err-", ".txt");
        Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        return new Started(process, out, err, command);
    }

    /** A run still going. */
    record Started(Process process, Path out, Path err, List<String> command) implements AutoCloseable {
        /** Waits for it to end by itself. */
        Result await() throws Exception {
            // the output goes to files, so a long log never fills a pipe and blocks the command
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("tuner did not end within " + TIMEOUT_SECONDS + " s: " + command
                        + "\n" + Files.readString(out));
            }
            return new Result(process.exitValue(), Files.readAllLines(out), Files.readAllLines(err), command);
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    private static List<String> command(Path javaHome, String user, String... args) {
        List<String> command = new ArrayList<>();
        if (user != null) {
            command.addAll(List.of("runuser", "-u", user, "--"));
        }
        command.add(javaHome.resolve("bin").resolve("java").toString());
        command.add("-jar");
        command.add(Artifacts.agentJar().toString());
        command.addAll(List.of(args));
        return command;
    }
}
