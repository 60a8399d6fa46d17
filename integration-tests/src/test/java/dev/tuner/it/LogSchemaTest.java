package dev.tuner.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuner.agent.log.LogListener;
import dev.tuner.agent.log.TuningLog;
import dev.tuner.agent.profiler.LockWatch;
import dev.tuner.agent.stages.SourceKind;
import dev.tuner.agent.stages.StageReading;
import dev.tuner.engine.Bottleneck;
import dev.tuner.engine.Converged;
import dev.tuner.engine.Decision;
import dev.tuner.engine.Diagnosis;
import dev.tuner.engine.Knob;
import dev.tuner.engine.Label;
import dev.tuner.engine.Limit;
import dev.tuner.engine.LockSite;
import dev.tuner.engine.Observation;
import dev.tuner.engine.ProcessSnapshot;
import dev.tuner.engine.RollbackCause;
import dev.tuner.engine.StageSnapshot;
import dev.tuner.engine.Verification;
import dev.tuner.it.support.TuningLogFile;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log's schema per event, as docs/DESIGN.md states it: every kind of event the log listener writes is
 * written once here, from typed facts, and read back against the design's table ({@link TuningLogFile}
 * fails on a field the table requires and the line lacks, and on an event the table does not name). The
 * events the agent's lifecycle writes ({@code start}, {@code update}, {@code stop}) come from real JVMs in
 * the other tests, which read their logs the same way.
 */
class LogSchemaTest {
    private static final Set<String> LIFECYCLE = Set.of("start", "update", "stop");

    @TempDir
    Path dir;

    private static StageSnapshot stage(long items, long busyNanos) {
        return new StageSnapshot("p/read", "p", 4, 1, 64, 16, 1, 4096, items, busyNanos, 0, 0, 2, -1, -1, -1,
                Map.of(), null, null);
    }

    @Test
    void everyEventTheListenerWritesCarriesTheFieldsTheDesignRequires() throws Exception {
        Path file = dir.resolve("schema.jsonl");
        try (TuningLog log = TuningLog.open(file, 7)) {
            LogListener events = new LogListener(log);
            StageReading reading = new StageReading("p/read", "p", SourceKind.JMX, 4, 1, 64, 16, 1, 4096, 0, 0, 0, 0, 2,
                    new long[0], null);
            events.discovered(reading);
            Observation obs = Observation.between(new ProcessSnapshot(0, 0, 0, 0, -1, Map.of(), List.of(stage(0, 0))),
                    new ProcessSnapshot(1_000_000_000L, 1_200_000_000L, 0, 0, 0.7, Map.of("RUNNABLE", 3),
                            List.of(stage(400, 3_600_000_000L))), 2);
            Diagnosis diagnosis = new Diagnosis(Map.of("p/read", Label.IO_BOUND), Map.of("p", Bottleneck.stage("p/read")));
            events.onSample(obs, diagnosis);
            Decision raise = new Decision(1, "p/read", Knob.PARALLELISM, 4, 8, "p/read paces the pipeline", 800);
            events.onDecision(raise, true);
            Verification.Evidence evidence = new Verification.Evidence(2, 4, 0.01, 0.9, 0.02, 0.05, 0.8);
            events.onVerification(new Verification(raise, 400, 800, 760, evidence, null, null));
            events.onVerification(new Verification(raise, 400, 800, 404, evidence, RollbackCause.NO_GAIN,
                    "throughput did not follow"));
            events.onConverged(new Converged(0.8, Map.of("p/read", 760.0),
                    new Limit(Limit.Kind.TARGET, "p/read", "utilization 80% has reached the target")
                            .with(Limit.Figure.UTILIZATION, 0.8).with(Limit.Figure.TARGET, 0.8),
                    Map.of("p/read", Map.of("parallelism", 8, "prefetch", 16)), 1, 4));
            events.onRetune("utilization moved");
            events.locks(new LockWatch.LockReport("p/read", 1500, 4,
                    List.of(new LockSite("app.Ledger", "app.Ledger.post", 300_000_000L, 0.75, LockSite.FoundBy.PROFILER)),
                    0.4));
            events.lost("p/read", SourceKind.JMX, "its MBean was unregistered");
            events.dropped("p/gone", SourceKind.EXECUTOR, "its setter threw");
            events.warning("a warning");
            events.error("an error");
        }

        TuningLogFile read = TuningLogFile.read(file);
        Set<String> written = new LinkedHashSet<>();
        read.all().forEach(e -> written.add(e.get("event").asText()));
        Set<String> documented = new LinkedHashSet<>(TuningLogFile.REQUIRED.keySet());
        documented.removeAll(LIFECYCLE);
        assertEquals(documented, written, "the listener writes each event the design names, and no other");

        JsonNode rollback = read.all().stream().filter(e -> e.get("event").asText().equals("rollback")).findFirst()
                .orElseThrow();
        assertEquals("no-gain", rollback.get("cause").asText());
        assertTrue(rollback.get("reason").asText().startsWith("throughput did not follow; p/read parallelism goes"
                + " back to 4"), rollback::toString);
        JsonNode limit = read.all().stream().filter(e -> e.get("event").asText().equals("converged")).findFirst()
                .orElseThrow().get("limit");
        assertEquals("target", limit.get("kind").asText());
        assertEquals(0.8, limit.get("figures").get("utilization").asDouble(), 1e-9, limit::toString);
        assertEquals(2, limit.get("figures").size(), "only the figures the limit has: " + limit);
        JsonNode sample = read.all().stream().filter(e -> e.get("event").asText().equals("sample")).findFirst()
                .orElseThrow();
        assertEquals("p/read", sample.get("bottlenecks").get("p").asText());
        assertEquals(0.6, sample.get("cpu").asDouble(), 1e-9);
        assertEquals(0.7, sample.get("machine").asDouble(), 1e-9);
    }

    @Test
    void theDesignsTableIsReadAsTheSchema() {
        Map<String, List<String>> schema = TuningLogFile.REQUIRED;
        assertTrue(schema.keySet().containsAll(LIFECYCLE), schema::toString);
        assertEquals(List.of("cpu", "throughput", "limit", "recommended", "rounds", "intervals"),
                schema.get("converged"), "words in parentheses explain a field; they are not fields");
        assertTrue(schema.get("rollback").containsAll(schema.get("verify")), "a rollback has every field of a verify");
        assertTrue(schema.get("rollback").containsAll(List.of("cause", "reason")), schema.get("rollback")::toString);
    }
}
