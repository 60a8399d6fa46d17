package dev.tuner.it.diagnose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuner.it.cli.TunerCli;
import dev.tuner.it.support.Artifacts;
import dev.tuner.it.support.Jvm;
import dev.tuner.it.support.LiveLog;
import dev.tuner.it.support.TuningLogFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lock profiling while tuning, and the path where async-profiler cannot load, on examples/lock-bound
 * with four pool threads (a stage of source {@code executor}, {@code ledger}, whose tasks queue on one
 * {@code Ledger} monitor): the agent labels it lock-bound, records its locks, logs a {@code locks} event
 * naming the monitor's class and the acquiring frame, and the converged limit names it. With the native
 * library pointed at a file that does not exist, the agent says so once and tunes on from ThreadMXBean
 * data, and diagnose still answers from thread dumps.
 */
class LockProfilingTest {
    static final String LEDGER = "dev.tuner.examples.lockbound.Ledger";

    @TempDir
    Path dir;

    @Test
    void aLockBoundPoolIsProfiledAndItsLockNamedInTheLogAndTheLimit() throws Exception {
        Path log = dir.resolve("tuner.jsonl");
        // The pool joins at about 2 s; the verdict comes once the lock-bound stage's next worker is shown not to
        // pay, which takes from 4 intervals after its warm-up to 30 when its gain is near what it must buy (a
        // fifth worker on this lock buys 4-5% where it must buy 5%): 15-40 s.
        try (Jvm app = Targets.lockBound(dir, List.of("-javaagent:" + Artifacts.agentJar() + "=log=" + log), 90, 4)) {
            LiveLog.await(log, LiveLog.event("converged"), Duration.ofSeconds(75), "converged", app);
        }
        TuningLogFile file = TuningLogFile.read(log);
        JsonNode locks = file.first("locks");
        assertEquals("ledger", locks.get("stage").asText(), locks::toString);
        assertEquals(LEDGER, locks.get("lock").asText(), locks::toString);
        assertEquals(LEDGER + ".post", locks.get("frame").asText(), locks::toString);
        assertTrue(locks.get("share").asDouble() > 0.5, locks::toString);
        assertEquals(4, locks.get("threads").asInt(), locks::toString);
        assertEquals("async-profiler", locks.get("source").asText());
        assertEquals("monitor", locks.get("sites").get(0).get("kind").asText(), locks::toString);

        List<JsonNode> verdicts = file.events("converged");
        JsonNode limit = verdicts.get(verdicts.size() - 1).get("limit");
        assertEquals("ledger", limit.get("stage").asText(), limit::toString);
        assertTrue(limit.get("message").asText().contains(LEDGER + " (monitor) at " + LEDGER + ".post [async-profiler"),
                "the limit names the profiled lock: " + limit);
        assertTrue(file.events("warning").stream().noneMatch(w -> w.get("message").asText().contains("async-profiler")),
                file.events("warning")::toString);
    }

    @Test
    void withoutTheNativeLibraryTuningAndDiagnoseGoOnFromThreadMXBeanData() throws Exception {
        Path log = dir.resolve("tuner.jsonl");
        Path missing = dir.resolve("no-such-dir").resolve("libasyncProfiler.so");
        List<String> jvm = List.of("-Ddev.tuner.profiler.lib=" + missing, "-javaagent:" + Artifacts.agentJar() + "=log="
                + log);
        try (Jvm app = Targets.lockBound(dir, jvm, 60, 4)) {
            JsonNode converged = LiveLog.await(log, LiveLog.event("converged"), Duration.ofSeconds(55), "converged",
                    app);
            JsonNode limit = converged.get("limit");
            assertTrue(limit.get("message").asText().contains(LEDGER + " (monitor) at " + LEDGER + ".post(Ledger.java:"),
                    "the sampler names the lock from thread dumps: " + limit);

            TunerCli.Result run = TunerCli.run("diagnose", String.valueOf(app.pid()), "--seconds", "3", "--json");
            assertEquals(0, run.status(), run::toString);
            JsonNode r = Targets.json(run.stdout());
            assertTrue(r.get("profiler").get("unavailable").asText().contains(missing + " (set by -Ddev.tuner.profiler.lib)"
                    + " does not exist"), r.get("profiler")::toString);
            assertTrue(r.get("hot_frames_source").asText().startsWith("thread dumps"), r::toString);
            assertTrue(r.get("locks_source").asText().startsWith("thread dumps"), r::toString);
            assertEquals(LEDGER, r.get("locks").get("ledger-*").get(0).get("lock").asText(), r.get("locks")::toString);
            assertEquals("tune", r.get("tuner").asText());

            assertEquals(0, app.waitFor(Duration.ofSeconds(60)), app::describe);
            assertEquals(1, app.stderrLines().stream().filter(l -> l.contains("async-profiler")).count(),
                    "said once on stderr: " + app.describe());
        }
        TuningLogFile file = TuningLogFile.read(log);
        List<JsonNode> warnings = file.events("warning").stream()
                .filter(w -> w.get("message").asText().contains("async-profiler")).toList();
        assertEquals(1, warnings.size(), "one warning in the log: " + file.events("warning"));
        assertTrue(warnings.get(0).get("message").asText().contains("ThreadMXBean"), warnings::toString);
        assertTrue(file.events("locks").isEmpty(), "no profile, no locks event");
        assertTrue(file.events("decision").size() >= 1, "tuning went on: " + file.names());
    }
}
