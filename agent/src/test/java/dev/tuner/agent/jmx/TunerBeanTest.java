package dev.tuner.agent.jmx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuner.agent.config.AgentOptions;
import dev.tuner.agent.stages.SourceKind;
import dev.tuner.agent.stages.StageReading;
import dev.tuner.agent.status.StopReport;
import dev.tuner.agent.status.TunerStatus;
import dev.tuner.engine.Bottleneck;
import dev.tuner.engine.Controller;
import dev.tuner.engine.Converged;
import dev.tuner.engine.Decision;
import dev.tuner.engine.Diagnosis;
import dev.tuner.engine.Knob;
import dev.tuner.engine.Label;
import dev.tuner.engine.Limit;
import dev.tuner.engine.Observation;
import dev.tuner.engine.ProcessSnapshot;
import dev.tuner.engine.StageSnapshot;
import dev.tuner.engine.Taken;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bean's attributes and {@code status --json}, read off a status whose every fact the test sets. */
class TunerBeanTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A status the test fills in. */
    private static final class Facts implements TunerStatus {
        AgentOptions options;
        boolean stopped;
        Controller.State state = Controller.State.TUNING;
        Observation observation;
        Diagnosis diagnosis;
        int rounds;
        List<Taken> decisions = List.of();
        Converged converged;
        StopReport lastStop;

        @Override
        public AgentOptions options() {
            return options;
        }

        @Override
        public boolean isStopped() {
            return stopped;
        }

        @Override
        public Controller.State state() {
            return state;
        }

        @Override
        public Observation lastObservation() {
            return observation;
        }

        @Override
        public Diagnosis lastDiagnosis() {
            return diagnosis;
        }

        @Override
        public Map<String, SourceKind> stageSources() {
            return Map.of("p/read", SourceKind.JMX);
        }

        @Override
        public int rounds() {
            return rounds;
        }

        @Override
        public List<Taken> recentDecisions() {
            return decisions;
        }

        @Override
        public Converged lastConverged() {
            return converged;
        }

        @Override
        public Path logPath() {
            return Path.of("/tmp/tuner-1.jsonl");
        }

        @Override
        public int failures() {
            return 2;
        }

        @Override
        public StopReport lastStop() {
            return lastStop;
        }
    }

    private static StageSnapshot stage(long items, long busyNanos) {
        return new StageSnapshot("p/read", "p", 6, 1, 64, 16, 1, 4096, items, busyNanos, 0, 0, 3, -1, -1,
                -1, Map.of(), null, null);
    }

    private static Facts tuned() throws Exception {
        Facts facts = new Facts();
        facts.options = AgentOptions.parse("target=0.8,cores=2,mode=advise");
        facts.rounds = 2;
        facts.observation = Observation.between(
                new ProcessSnapshot(0, 0, 0, 0, -1, Map.of(), List.of(stage(0, 0))),
                new ProcessSnapshot(1_000_000_000L, 1_500_000_000L, 0, 0, -1, Map.of(),
                        List.of(stage(250, 5_700_000_000L))), 2);
        facts.diagnosis = new Diagnosis(Map.of("p/read", Label.IO_BOUND), Map.of("p", Bottleneck.stage("p/read")));
        facts.decisions = List.of(
                new Taken(new Decision(1, "p/read", Knob.PARALLELISM, 1, 6, "p/read paces the pipeline", 250), true),
                new Taken(new Decision(2, "p/read", Knob.PARALLELISM, 6, 7, "one more as an experiment", 260), false));
        facts.converged = new Converged(0.75, Map.of("p/read", 250.0),
                new Limit(Limit.Kind.TARGET, "p/read", "utilization 75% has reached the target")
                        .with(Limit.Figure.UTILIZATION, 0.75).with(Limit.Figure.TARGET, 0.8),
                Map.of("p/read", Map.of("parallelism", 6, "prefetch", 16)), 2, 4);
        return facts;
    }

    @Test
    void theStatusJsonSaysWhatTheAgentKnows() throws Exception {
        List<Boolean> stops = new ArrayList<>();
        TunerBean bean = new TunerBean(tuned(), stops::add);
        JsonNode status = JSON.readTree(bean.getStatusJson());
        assertEquals(ProcessHandle.current().pid(), status.get("pid").asLong());
        assertEquals("tuning", status.get("state").asText());
        assertEquals("advise", status.get("mode").asText());
        assertEquals(0.8, status.get("target").asDouble(), 1e-9);
        assertEquals(2.0, status.get("cores").asDouble(), 1e-9);
        assertEquals("/tmp/tuner-1.jsonl", status.get("log").asText());
        assertEquals(2, status.get("rounds").asInt());
        assertEquals(2, status.get("failures").asInt());
        assertEquals(0.75, status.get("utilization").asDouble(), 1e-9);
        assertEquals(1.5, status.get("cores_busy").asDouble(), 1e-9);

        JsonNode read = status.get("stages").get("p/read");
        assertEquals("jmx", read.get("source").asText());
        assertEquals(6, read.get("parallelism").asInt());
        assertEquals(16, read.get("prefetch").asInt());
        assertEquals(250.0, read.get("throughput").asDouble(), 1e-9);
        assertEquals("io-bound", read.get("label").asText());

        JsonNode decisions = status.get("decisions");
        assertEquals(2, decisions.size());
        assertEquals(6, decisions.get(0).get("to").asInt());
        assertTrue(decisions.get(0).get("applied").asBoolean());
        assertFalse(decisions.get(1).get("applied").asBoolean(), "a decision not applied says so");

        JsonNode verdict = status.get("converged");
        JsonNode limit = verdict.get("limit");
        assertEquals("target", limit.get("kind").asText());
        assertEquals("p/read", limit.get("stage").asText());
        assertEquals("utilization 75% has reached the target", limit.get("message").asText());
        assertEquals(0.75, limit.get("figures").get("utilization").asDouble(), 1e-9);
        assertEquals(0.8, limit.get("figures").get("target").asDouble(), 1e-9);
        assertEquals(6, verdict.get("recommended").get("p/read").get("parallelism").asInt());
        assertEquals(List.of(), stops, "reading changes nothing");
    }

    @Test
    void beforeTheFirstIntervalTheStatusHasNoUtilizationAndNoStages() throws Exception {
        Facts facts = new Facts();
        facts.options = AgentOptions.defaults();
        facts.state = Controller.State.STARTING;
        TunerBean bean = new TunerBean(facts, keep -> { });
        JsonNode status = JSON.readTree(bean.getStatusJson());
        assertEquals("starting", status.get("state").asText());
        assertNull(status.get("utilization"));
        assertNull(status.get("stages"));
        assertNull(status.get("converged"));
        assertEquals(0, status.get("decisions").size());
        assertEquals(-1, bean.getUtilization(), 1e-9);
    }

    @Test
    void aStoppedAgentSaysStoppedAndShowsWhatItsStopLeft() throws Exception {
        Facts facts = tuned();
        facts.stopped = true;
        facts.lastStop = new StopReport(Instant.parse("2026-12-07T10:00:00Z"), false, true,
                Map.of("p/read", new StageReading.KnobSettings(6, 16)),
                Map.of("p/read", new StageReading.KnobSettings(1, 16)));
        TunerBean bean = new TunerBean(facts, keep -> { });
        assertEquals("stopped", bean.getState());
        JsonNode stop = JSON.readTree(bean.getLastStopJson());
        assertEquals("2026-12-07T10:00:00Z", stop.get("at").asText());
        assertTrue(stop.get("restored").asBoolean());
        assertFalse(stop.get("kept").asBoolean());
        assertEquals(6, stop.get("before").get("p/read").get("parallelism").asInt());
        assertEquals(1, stop.get("final").get("p/read").get("parallelism").asInt());
    }

    @Test
    void stopAndRestoreGoToTheStopperWithWhetherToKeep() throws Exception {
        List<Boolean> stops = new ArrayList<>();
        TunerBean bean = new TunerBean(tuned(), stops::add);
        bean.stop(true);
        bean.restore();
        bean.stop(false);
        assertEquals(List.of(true, false, false), stops);
        assertNull(new TunerBean(new Facts(), keep -> { }).getLastStopJson(), "no stop yet: no report");
    }
}
