package dev.tuner.it.pools;

import static dev.tuner.it.support.LiveLog.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuner.it.support.Artifacts;
import dev.tuner.it.support.Jvm;
import dev.tuner.it.support.LiveLog;
import dev.tuner.it.support.Progress;
import dev.tuner.it.support.TuningLogFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plain-JDK pool whose tasks do most of their work inside one {@code synchronized} block
 * ({@code lock-bound.jar}): more threads only queue on the monitor. The agent must stop it at a handful of
 * threads and name the monitor's class in its verdict, from its own thread sampling (the profiler is off
 * here, so the thread sampler's lock site is what the engine is handed).
 */
class LockBoundPoolTest {
    static final String MONITOR = "dev.tuner.examples.lockbound.Ledger";

    @TempDir
    Path dir;

    @Test
    void theLockBoundPoolStaysSmallAndTheVerdictNamesTheMonitor() throws Exception {
        Path log = dir.resolve("lock.jsonl");
        List<String> args = List.of("-javaagent:" + Artifacts.agentJar() + "=log=" + log + ",profiler=off",
                "-jar", Artifacts.examplesJar("lock-bound.jar").toString(), "--seconds", "300");
        try (Jvm app = Jvm.start(Jvm.defaultJavaHome(), dir, args)) {
            JsonNode converged = await(log, e -> LiveLog.event("converged").test(e)
                    && "lock".equals(e.path("limit").path("kind").asText()), Duration.ofSeconds(90),
                    "a verdict naming a lock", app);
            JsonNode limit = converged.get("limit");
            assertEquals("ledger", limit.get("stage").asText(), limit::toString);
            assertTrue(limit.get("message").asText().contains(MONITOR), limit::toString);
            assertTrue(limit.path("figures").path("lock_share").asDouble() >= 0.3,
                    "the limit carries the lock share it rests on: " + limit);
            assertTrue(converged.get("recommended").get("ledger").get("parallelism").asInt() <= 4, converged::toString);

            TuningLogFile file = TuningLogFile.read(log);
            assertTrue(PoolRun.discovered(log).contains("ledger"), file.names()::toString);
            for (JsonNode d : file.events("decision")) {
                assertTrue(d.get("to").asInt() <= 4, "never more than 4 threads on the ledger: " + d);
            }
            List<Integer> threads = Progress.knob(app.stdoutLines(), "threads");
            assertFalse(threads.isEmpty(), app::describe);
            assertTrue(threads.stream().allMatch(t -> t <= 4), "as the app reads its pool: " + threads);
            boolean sawLockWaits = file.events("sample").stream()
                    .map(s -> s.path("stages").path("ledger").path("worker_time").path("lock").asDouble())
                    .anyMatch(share -> share >= 0.3);
            assertTrue(sawLockWaits, "the sample events show the workers BLOCKED on the monitor");
        }
    }
}
