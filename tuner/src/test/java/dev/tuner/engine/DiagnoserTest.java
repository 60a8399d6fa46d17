package dev.tuner.engine;

import static dev.tuner.engine.Snap.stage;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DiagnoserTest {
    private final Diagnoser diagnoser = new Diagnoser();

    @Test
    void theIncidentReadsAsOneBusyReaderAndStarvedConsumers() {
        Observation obs = Snap.observe(2, 0.2,
                stage("seed/read").did(50, 1.0, 0, 0, 0.01, 0.99),
                stage("seed/parse").did(50, 0.05, 0.95, 0, 0.05, 0),
                stage("seed/train").sink().bounds(1, 1).did(50, 0.001, 0.999, 0, 0.001, 0));
        Diagnosis d = diagnoser.diagnose(obs);
        assertEquals(Label.IO_BOUND, d.label("seed/read"));
        assertEquals(Label.STARVED, d.label("seed/parse"));
        assertEquals(Label.STARVED, d.label("seed/train"));
        assertEquals(Bottleneck.stage("seed/read"), d.bottlenecks().get("seed"));
    }

    @Test
    void aStageStarvedOfCoresIsCpuBoundNotIoBound() {
        // Busy all the time, but only 30% of it on a core and no waits of its own: it waits for a core.
        Observation obs = Snap.observe(2, 2.0, stage("p/parse").p(8).did(1000, 8.0, 0, 0, 2.4, 0));
        assertEquals(Label.CPU_BOUND, diagnoser.diagnose(obs).label("p/parse"));
    }

    @Test
    void lockWaitsMakeALockBoundStage() {
        Observation obs = Snap.observe(2, 0.8, stage("p/work").p(4).did(400, 4.0, 0, 0, 1.6, 2.4).lock(2.4));
        Diagnosis d = diagnoser.diagnose(obs);
        assertEquals(Label.LOCK_BOUND, d.label("p/work"));
        assertEquals(Bottleneck.stage("p/work"), d.bottlenecks().get("p"));
    }

    @Test
    void whenNoStageIsBusyThePipelineWaitsForItsSource() {
        Observation obs = Snap.observe(2, 0.1,
                stage("p/a").did(10, 0.1, 0.9, 0, 0.1, 0),
                stage("p/b").did(10, 0.05, 0.95, 0, 0.05, 0));
        assertEquals(Bottleneck.SOURCE, diagnoser.diagnose(obs).bottlenecks().get("p"));
    }

    @Test
    void whenNoStageIsBusyAndTheyWaitForRoomTheConsumerHoldsIt() {
        Observation obs = Snap.observe(2, 0.1,
                stage("p/a").did(10, 0.1, 0, 0.9, 0.1, 0),
                stage("p/b").did(10, 0.2, 0, 0.8, 0.2, 0));
        assertEquals(Bottleneck.CONSUMER, diagnoser.diagnose(obs).bottlenecks().get("p"));
    }

    @Test
    void nothingFlowingIsIdle() {
        Observation obs = Snap.observe(2, 0.0, stage("p/a").did(0, 0, 1.0, 0, 0, 0));
        Diagnosis d = diagnoser.diagnose(obs);
        assertEquals(Label.IDLE, d.label("p/a"));
        assertEquals(Bottleneck.IDLE, d.bottlenecks().get("p"));
    }
}
