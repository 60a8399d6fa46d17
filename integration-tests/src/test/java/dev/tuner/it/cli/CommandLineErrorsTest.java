package dev.tuner.it.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuner.it.support.Artifacts;
import dev.tuner.it.support.Jvm;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way {@code status}, {@code stop} and {@code attach} can fail against a real process gets one
 * line that names the pid and says what to do, and the exit status 1 (2 for a wrong command line). None
 * of them harms the target: it runs on, and no signal reaches a process that is not a JVM.
 */
class CommandLineErrorsTest {
    @TempDir
    Path dir;

    /** {@link IdleTarget} on {@code javaHome} with {@code jvmArgs}, up and running. */
    private Jvm idle(Path javaHome, String... jvmArgs) throws Exception {
        List<String> args = new ArrayList<>(List.of(jvmArgs));
        args.addAll(List.of("-cp", Artifacts.fixtureClasses().toString(), IdleTarget.class.getName()));
        Jvm jvm = Jvm.start(javaHome, dir, args);
        assertTrue(jvm.awaitOutput("ready"::equals, Duration.ofSeconds(60)), jvm::describe);
        return jvm;
    }

    private static void failsWith(TunerCli.Result run, long pid, String... parts) {
        assertEquals(1, run.status(), run::toString);
        String why = run.why();
        assertEquals(1, run.err().size(), "one line: " + run);
        assertTrue(why.contains(String.valueOf(pid)), "names the pid: " + run);
        for (String part : parts) {
            assertTrue(why.contains(part), "'" + part + "' in: " + why);
        }
    }

    @Test
    void aPidWithNoProcess() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        assertTrue(gone.waitFor(30, TimeUnit.SECONDS));
        long pid = gone.pid();
        TunerCli.Result run = TunerCli.run("status", String.valueOf(pid));
        failsWith(run, pid, "no process has pid " + pid, "java -jar tuner.jar list shows the JVMs you can attach to");
    }

    @Test
    void aProcessThatIsNotAJvmIsRefusedAndNeverSignalled() throws Exception {
        Process sleep = new ProcessBuilder("sleep", "120").start();
        try {
            for (String command : List.of("status", "attach", "stop")) {
                TunerCli.Result run = TunerCli.run(command, String.valueOf(sleep.pid()));
                failsWith(run, sleep.pid(), "(sleep) is not a Java process", "java -jar tuner.jar list");
            }
            assertTrue(sleep.isAlive(), "the attach signal (SIGQUIT) would have killed it");
        } finally {
            sleep.destroyForcibly();
        }
    }

    @Test
    void aJvmOfAnotherUserSaysToRunAsThatUser() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "the tests do not run as root: cannot start a JVM as one user and the command line as another");
        Path runuser = List.of(Paths.get("/usr/sbin/runuser"), Paths.get("/sbin/runuser"), Paths.get("/usr/bin/runuser"))
                .stream().filter(Files::isExecutable).findFirst().orElse(null);
        Assumptions.assumeTrue(runuser != null, "runuser is not installed: the other-user case is skipped");
        Process probe = new ProcessBuilder("runuser", "-u", "nobody", "--", "test", "-r", Artifacts.agentJar().toString())
                .redirectErrorStream(true).start();
        Assumptions.assumeTrue(probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0,
                "user nobody does not exist or cannot read " + Artifacts.agentJar() + ": the other-user case is skipped");

        try (Jvm rootJvm = idle(Jvm.defaultJavaHome())) {
            long pid = rootJvm.pid();
            for (String command : List.of("status", "attach")) {
                TunerCli.Result run = TunerCli.run(Jvm.defaultJavaHome(), "nobody", command, String.valueOf(pid));
                failsWith(run, pid, "is a process of user 'root' and this command runs as 'nobody'",
                        "sudo -u root java -jar tuner.jar " + command + " " + pid);
            }
            assertTrue(rootJvm.isAlive());
            assertFalse(rootJvm.stdoutLines().stream().anyMatch(l -> l.contains("Full thread dump")),
                    "no attach signal reached it: " + rootJvm.describe());
        }

        // The reverse is allowed: root reaches a JVM of nobody (and finds no tuner in it).
        List<String> command = List.of("runuser", "-u", "nobody", "--",
                Jvm.defaultJavaHome().resolve("bin/java").toString(), "-cp", Artifacts.fixtureClasses().toString(),
                IdleTarget.class.getName());
        Path out = Files.createTempFile(dir, "nobody-", ".txt");
        Process nobody = new ProcessBuilder(command).directory(new File("/tmp")).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(out).contains("ready") && System.nanoTime() < deadline && nobody.isAlive()) {
                Thread.sleep(100);
            }
            assertTrue(Files.readString(out).contains("ready"), Files.readString(out));
            long pid = nobody.descendants().filter(p -> p.info().command().orElse("").endsWith("/java"))
                    .mapToLong(ProcessHandle::pid).findFirst().orElse(nobody.pid());
            TunerCli.Result run = TunerCli.run("status", String.valueOf(pid));
            failsWith(run, pid, "no tuner runs in pid " + pid);
        } finally {
            nobody.descendants().forEach(ProcessHandle::destroyForcibly);
            nobody.destroyForcibly();
        }
    }

    @Test
    void aJvmWithAttachDisabledSaysToRestartIt() throws Exception {
        try (Jvm jvm = idle(Jvm.defaultJavaHome(), "-XX:+DisableAttachMechanism")) {
            for (String command : List.of("status", "attach", "stop")) {
                failsWith(TunerCli.run(command, String.valueOf(jvm.pid())), jvm.pid(), "-XX:+DisableAttachMechanism",
                        "restart it without that flag");
            }
            assertFalse(jvm.stdoutLines().stream().anyMatch(l -> l.contains("Full thread dump")),
                    "it was never sent the attach signal (it would print a thread dump): " + jvm.describe());
        }
    }

    /** A runtime of {@code modules} made with jlink in the test's directory, or a skip if jlink cannot. */
    private Path jlink(String modules) throws Exception {
        Path jlink = Jvm.defaultJavaHome().resolve("bin/jlink");
        Assumptions.assumeTrue(Files.isExecutable(jlink), "no jlink in " + Jvm.defaultJavaHome() + ": skipped");
        Path image = dir.resolve("jre-" + modules.replace(',', '-'));
        Process p = new ProcessBuilder(jlink.toString(), "--add-modules", modules, "--output", image.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        Assumptions.assumeTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0,
                "jlink could not build a runtime (" + output.strip() + "): skipped");
        return image;
    }

    @Test
    void aRuntimeWithoutJavaInstrumentSaysNoAgentCanBeLoaded() throws Exception {
        Path runtime = jlink("java.base,java.management");
        try (Jvm jvm = idle(runtime)) {
            failsWith(TunerCli.run("attach", String.valueOf(jvm.pid())), jvm.pid(),
                    "runs without the java.instrument module", "--add-modules java.instrument");
            assertTrue(jvm.isAlive(), jvm::describe);
            failsWith(TunerCli.run("status", String.valueOf(jvm.pid())), jvm.pid(), "no tuner runs in pid");
        }
    }

    @Test
    void aRuntimeWithoutTheManagementAgentSaysStatusCannotReachTheTuner() throws Exception {
        Path runtime = jlink("java.base,java.management,java.instrument,jdk.management");
        try (Jvm jvm = idle(runtime)) {
            long pid = jvm.pid();
            TunerCli.Result attach = TunerCli.run("attach", String.valueOf(pid));
            assertEquals(0, attach.status(), attach + "\n" + jvm.describe());
            for (String command : List.of("status", "stop")) {
                failsWith(TunerCli.run(command, String.valueOf(pid)), pid, "without the jdk.management.agent module",
                        "java -jar tuner.jar log " + dir.resolve("tuner-" + pid + ".jsonl"));
            }
        }
    }

    @Test
    void aJava25TargetThatRefusesDynamicAgentsSaysToUseJavaagent() throws Exception {
        Path java25 = Jvm.java25Home();
        Assumptions.assumeTrue(java25 != null, "Temurin 25 is not installed here: skipped");
        try (Jvm jvm = idle(java25, "-XX:-EnableDynamicAgentLoading")) {
            failsWith(TunerCli.run("attach", String.valueOf(jvm.pid())), jvm.pid(),
                    "-XX:-EnableDynamicAgentLoading", "restart it with -javaagent:tuner.jar");
        }
    }

    @Test
    void statusAndStopOnAJvmWithNoTunerSayHowToStartOne() throws Exception {
        try (Jvm jvm = idle(Jvm.defaultJavaHome())) {
            long pid = jvm.pid();
            for (String command : List.of("status", "stop")) {
                failsWith(TunerCli.run(command, String.valueOf(pid)), pid,
                        "no tuner runs in pid " + pid + ": start one with java -jar tuner.jar attach " + pid);
            }
            TunerCli.Result list = TunerCli.run("list");
            assertEquals(0, list.status(), list::toString);
            assertEquals("-", AttachToLiveSeedTest.listRow(list, pid)[2], list::toString);
        }
    }

    @Test
    void aWrongCommandLineIsExit2WithTheUsageAndLeavesTheTargetAlone() throws Exception {
        TunerCli.Result unknown = TunerCli.run("frob");
        assertEquals(2, unknown.status(), unknown::toString);
        assertEquals("tuner: unknown command 'frob'", unknown.err().get(0));
        assertTrue(unknown.err().get(1).startsWith("usage: java -jar tuner.jar"), unknown::toString);

        try (Jvm jvm = idle(Jvm.defaultJavaHome())) {
            String pid = String.valueOf(jvm.pid());
            TunerCli.Result option = TunerCli.run("status", pid, "--xml");
            assertEquals(2, option.status(), option::toString);
            assertTrue(option.why().startsWith("tuner: unknown option '--xml' for status"), option::toString);

            TunerCli.Result bad = TunerCli.run("attach", pid, "target=2");
            assertEquals(2, bad.status(), bad::toString);
            assertTrue(bad.why().contains("target=2 is out of range") && bad.why().contains("pid " + pid
                    + " was not touched"), bad::toString);
            assertTrue(bad.err().get(1).startsWith("usage: java -jar tuner.jar"), bad::toString);
            failsWith(TunerCli.run("status", pid), jvm.pid(), "no tuner runs in pid " + pid);
        }
    }
}
