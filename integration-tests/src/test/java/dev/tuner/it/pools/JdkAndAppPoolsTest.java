package dev.tuner.it.pools;

import static dev.tuner.it.support.LiveLog.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuner.it.cli.TunerCli;
import dev.tuner.it.support.Artifacts;
import dev.tuner.it.support.Jvm;
import dev.tuner.it.support.LiveLog;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.bytebuddy.ByteBuddy;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whose pools are listed: the JDK's own (HttpClient's, CompletableFuture's delayer, the common pool, and
 * the RMI/JMX connector pools an attach brings) never are, at launch or when the agent arrives later;
 * the app's are, including a ForkJoinPool (observed on 17, its parallelism a knob on 25). An app with its
 * own, unrelocated Byte Buddy runs as it would without the agent.
 */
class JdkAndAppPoolsTest {
    private static final Set<String> APP_POOLS = Set.of("app-work", "ForkJoinPool-1");

    @TempDir
    Path dir;

    private Jvm start(Path javaHome, List<String> jvmArgs, List<String> classpath, String mainClass, String seconds)
            throws Exception {
        List<String> args = new ArrayList<>(jvmArgs);
        args.addAll(List.of("-cp", String.join(File.pathSeparator, classpath), mainClass, seconds));
        Jvm app = Jvm.start(javaHome, dir, args);
        assertTrue(app.awaitOutput(l -> l.contains("items/s="), PoolRun.STARTUP), app::describe);
        return app;
    }

    /** Waits until both app pools are listed and two more samples went by (time for any other to show). */
    private static JsonNode awaitBothAndTwoSamples(Path log, Jvm app) throws Exception {
        await(log, e -> LiveLog.event("discover").test(e) && "ForkJoinPool-1".equals(e.path("stage").asText()),
                PoolRun.DECISION, "the app's ForkJoinPool listed", app);
        await(log, e -> LiveLog.event("discover").test(e) && "app-work".equals(e.path("stage").asText()),
                PoolRun.DECISION, "the app's pool listed", app);
        PoolRun.awaitSamples(log, 2, Duration.ofSeconds(30), app);
        return LiveLog.events(log, "discover").stream()
                .filter(e -> "ForkJoinPool-1".equals(e.path("stage").asText())).findFirst().orElseThrow();
    }

    @Test
    void atLaunchOnlyTheAppsPoolsAreListed() throws Exception {
        Path log = dir.resolve("launch.jsonl");
        try (Jvm app = start(Jvm.defaultJavaHome(), List.of("-javaagent:" + Artifacts.agentJar() + "=log=" + log),
                List.of(Artifacts.fixtureClasses().toString()), JdkPoolsApp.class.getName(), "300")) {
            JsonNode forkJoin = awaitBothAndTwoSamples(log, app);
            assertEquals(APP_POOLS, PoolRun.discovered(log), "HttpClient, delayer and common pools are the JDK's");
            assertEquals(forkJoin.get("min_parallelism").asInt(), forkJoin.get("max_parallelism").asInt(),
                    "a ForkJoinPool is observed on 17: " + forkJoin);
        }
    }

    @Test
    void attachedLaterOnlyTheAppsPoolsAreListedToo() throws Exception {
        Path log = dir.resolve("attach.jsonl");
        try (Jvm app = start(Jvm.defaultJavaHome(), List.of(), List.of(Artifacts.fixtureClasses().toString()),
                JdkPoolsApp.class.getName(), "300")) {
            TunerCli.Result attach = TunerCli.run("attach", String.valueOf(app.pid()), "log=" + log);
            assertEquals(0, attach.status(), attach::toString);
            awaitBothAndTwoSamples(log, app);
            TunerCli.Result status = TunerCli.run("status", String.valueOf(app.pid()));
            assertEquals(0, status.status(), status::toString);
            PoolRun.awaitSamples(log, 2, Duration.ofSeconds(30), app);
            assertEquals(APP_POOLS, PoolRun.discovered(log),
                    "pools that predate the agent are told by their classes; the JMX connector's are the JDK's");
        }
    }

    @Test
    void onAJava25TargetAForkJoinPoolsParallelismIsAKnob() throws Exception {
        Path java25 = Jvm.java25Home();
        Assumptions.assumeTrue(java25 != null, "Temurin 25 is not installed here: the Java 25 target is skipped");
        Path log = dir.resolve("j25.jsonl");
        try (Jvm app = start(java25, List.of("-javaagent:" + Artifacts.agentJar() + "=log=" + log),
                List.of(Artifacts.fixtureClasses().toString()), JdkPoolsApp.class.getName(), "300")) {
            JsonNode forkJoin = awaitBothAndTwoSamples(log, app);
            assertEquals(APP_POOLS, PoolRun.discovered(log));
            PoolRun.assertNothingPrintedForTheAgentsHelper(app);
            assertEquals(1, forkJoin.get("min_parallelism").asInt(), forkJoin::toString);
            assertTrue(forkJoin.get("max_parallelism").asInt() > forkJoin.get("parallelism").asInt(),
                    "setParallelism exists on 25: " + forkJoin);
        }
    }

    @Test
    void anAppWithItsOwnByteBuddyRunsAsWithoutTheAgent() throws Exception {
        Path log = dir.resolve("bb.jsonl");
        String byteBuddy = Path.of(ByteBuddy.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        try (Jvm app = start(Jvm.defaultJavaHome(), List.of("-javaagent:" + Artifacts.agentJar() + "=log=" + log),
                List.of(Artifacts.fixtureClasses().toString(), byteBuddy), OwnByteBuddyApp.class.getName(), "6")) {
            assertEquals(0, app.waitFor(Duration.ofSeconds(60)), app::describe);
            assertTrue(app.stdoutLines().contains(OwnByteBuddyApp.MADE), app::describe);
            assertTrue(app.stdoutLines().stream().anyMatch(l -> l.startsWith("RESULT items_per_s=")), app::describe);
            assertTrue(PoolRun.discovered(log).contains("bb-app"), "and the agent found its pool alongside");
        }
    }
}
