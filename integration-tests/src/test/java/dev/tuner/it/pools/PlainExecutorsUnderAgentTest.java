package dev.tuner.it.pools;

import static dev.tuner.it.pools.PoolRun.raise;
import static dev.tuner.it.support.LiveLog.await;
import static dev.tuner.it.support.LiveLog.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuner.it.cli.TunerCli;
import dev.tuner.it.support.Artifacts;
import dev.tuner.it.support.Jvm;
import dev.tuner.it.support.TuningLogFile;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An app that has never heard of tuner ({@code plain-executors.jar}: fixed JDK pools joined by bounded
 * queues, one reader against a 20 ms store, one parser) tuned without a line of its code: at launch and
 * attached later, on 17 and on a 25 target. Checked through the tuning log and the pool sizes the app
 * itself prints once a second.
 */
class PlainExecutorsUnderAgentTest {
    @TempDir
    Path dir;

    private Jvm startApp(Path javaHome, List<String> agent, int seconds) throws Exception {
        List<String> args = new java.util.ArrayList<>(agent);
        args.addAll(List.of("-jar", Artifacts.examplesJar("plain-executors.jar").toString(), "--seconds",
                String.valueOf(seconds)));
        Jvm app = Jvm.start(javaHome, dir, args);
        assertTrue(app.awaitOutput(l -> l.contains("items/s="), PoolRun.STARTUP), app::describe);
        return app;
    }

    @Test
    void atLaunchThePoolsAreStagesTheStarvedReaderIsRaisedAndPoolsLeavesOneOut() throws Exception {
        Path log = dir.resolve("launch.jsonl");
        try (Jvm app = startApp(Jvm.defaultJavaHome(),
                List.of("-javaagent:" + Artifacts.agentJar() + "=log=" + log + ",pools=!progress"), 300)) {
            JsonNode decision = await(log, raise("etl-read"), PoolRun.DECISION, "a decision raising etl-read", app);
            assertTrue(decision.get("applied").asBoolean(), decision::toString);
            assertEquals(1, decision.get("from").asInt(), decision::toString);
            int to = decision.get("to").asInt();
            assertTrue(app.awaitOutput(l -> l.contains("read=" + to + " "), Duration.ofSeconds(30)),
                    "the app sees its own pool resized to " + to + ": " + app.describe());

            TuningLogFile file = TuningLogFile.read(log);
            assertEquals(Set.of("etl-read", "etl-parse"), PoolRun.discovered(log),
                    "the app's two pools, not progress (pools=!progress), not a JDK pool: " + file.names());
            for (JsonNode d : file.events("discover")) {
                assertEquals("executor", d.get("source").asText(), d::toString);
                assertEquals(1, d.get("parallelism").asInt(), d::toString);
                assertEquals(-1, d.get("prefetch").asInt(), "a JDK queue is no prefetch knob: " + d);
            }
            assertFalse(file.events("decision").stream().anyMatch(d -> d.get("stage").asText().equals("progress")));
            assertEquals(List.of(), file.events("error"), "no error: " + file.names());
            PoolRun.assertNothingPrintedForTheAgentsHelper(app);
            assertFalse(file.events("warning").stream().anyMatch(w -> w.get("message").asText().contains("pool")),
                    "the pool instrumentation never failed: " + file.events("warning"));

            // What the workers were seen doing before the first decision: the parser waits inside its tasks,
            // on the fetched queue's take (starved) or, when the sink thread lags on a busy machine, on the
            // parsed queue's put (backpressured); the reader in Thread.sleep (the store's latency). How long the
            // parser waits depends on how fast this machine runs its 5 ms of CPU (a loaded CI machine kept it
            // runnable 60% of the time), so the test asks that the waits be a large share and be counted as
            // input and output wait, the same time by both measures, not as busy.
            Instant first = Instant.parse(decision.get("ts").asText());
            List<JsonNode> before = file.events("sample").stream()
                    .filter(s -> Instant.parse(s.get("ts").asText()).isBefore(first)
                            && s.get("stages").has("etl-parse") && s.get("stages").get("etl-parse").has("worker_time"))
                    .toList();
            assertFalse(before.isEmpty(), "samples before the first decision: " + file.names());
            JsonNode last = before.get(before.size() - 1).get("stages");
            JsonNode parse = last.get("etl-parse");
            double waited = parse.get("worker_time").path("starved").asDouble()
                    + parse.get("worker_time").path("backpressured").asDouble();
            assertTrue(waited >= 0.25, last::toString);
            assertTrue(Set.of("starved", "backpressured").contains(parse.get("label").asText()), last::toString);
            assertEquals(waited, parse.get("input_wait").asDouble() + parse.get("output_wait").asDouble(), 0.1,
                    "the parser's waits in take() and put() are input and output wait, not busy: " + last);
            assertTrue(last.get("etl-read").get("worker_time").path("io").asDouble() >= 0.5, last::toString);
        }
    }

    @Test
    void attachedLaterItFindsThePoolsCreatedBeforeItAndStopRestoresCoreAndMaxExactly() throws Exception {
        attachTuneStop(Jvm.defaultJavaHome(), dir.resolve("attach.jsonl"));
    }

    @Test
    void aJava25TargetIsTunedByAttachToo() throws Exception {
        Path java25 = Jvm.java25Home();
        Assumptions.assumeTrue(java25 != null, "Temurin 25 is not installed here: the Java 25 target is skipped");
        attachTuneStop(java25, dir.resolve("attach25.jsonl"));
    }

    private void attachTuneStop(Path javaHome, Path log) throws Exception {
        try (Jvm app = startApp(javaHome, List.of(), 300)) {
            assertTrue(app.awaitOutput(l -> l.contains("read=1 parse=1 (max 1/1)"), Duration.ofSeconds(10)),
                    app::describe);
            TunerCli.Result attach = TunerCli.runOn(Jvm.defaultJavaHome(), "attach", String.valueOf(app.pid()),
                    "log=" + log);
            assertEquals(0, attach.status(), attach::toString);

            JsonNode decision = await(log, raise("etl-read"), PoolRun.DECISION, "a decision raising etl-read", app);
            int to = decision.get("to").asInt();
            assertTrue(app.awaitOutput(l -> l.contains("read=" + to + " "), Duration.ofSeconds(30)), app::describe);

            TunerCli.Result status = TunerCli.runOn(Jvm.defaultJavaHome(), "status", String.valueOf(app.pid()));
            assertEquals(0, status.status(), status::toString);
            assertTrue(status.out().stream().anyMatch(l -> l.matches("etl-read\\s+executor\\s+.*")), status::toString);

            TunerCli.Result stop = TunerCli.runOn(Jvm.defaultJavaHome(), "stop", String.valueOf(app.pid()));
            assertEquals(0, stop.status(), stop::toString);
            JsonNode stopEvent = await(log, event("stop"), Duration.ofSeconds(10), "the stop event", app);
            assertTrue(stopEvent.get("restored").asBoolean(), stopEvent::toString);
            assertEquals(1, stopEvent.get("final").get("etl-read").get("parallelism").asInt(), stopEvent::toString);
            assertEquals(1, stopEvent.get("final").get("etl-parse").get("parallelism").asInt(), stopEvent::toString);
            // Core and maximum sizes both back, as the app reads them from its own pools.
            int linesAtStop = app.stdoutLines().size();
            assertTrue(app.awaitOutput(l -> l.contains("read=1 parse=1 (max 1/1)")
                    && app.stdoutLines().indexOf(l) >= linesAtStop, Duration.ofSeconds(10)), app::describe);

            TuningLogFile file = TuningLogFile.read(log);
            assertEquals(Set.of("etl-read", "etl-parse", "progress"), PoolRun.discovered(log),
                    "pools created before the agent came, and none of the JDK's (the attach started RMI and JMX"
                            + " connector pools in the app): " + file.events("discover"));
            assertEquals(List.of(), file.events("error"), file.names()::toString);
            assertTrue(app.isAlive(), app::describe);
        }
    }
}
