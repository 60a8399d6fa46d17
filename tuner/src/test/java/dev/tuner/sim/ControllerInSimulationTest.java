package dev.tuner.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuner.engine.Settings;
import org.junit.jupiter.api.Test;

/**
 * The controller against the deterministic simulator, where what happens over a minute is exactly
 * repeatable: the incident on 30 cores, a shift of per-item costs, a source that goes idle, a source
 * whose rate changes. No wall clock: the simulated clock drives the controller.
 */
class ControllerInSimulationTest {
    private static final long SEED = 7;

    private static PipelineSpec twoStages(SourceSpec source) {
        return PipelineSpec.builder("p").source(source)
                .stage(StageSpec.builder("read").cpu(50e-6).waitTime(4e-3).noise(0.2).parallelism(1, 1, 256).prefetch(16).build())
                .stage(StageSpec.builder("work").cpu(400e-6).noise(0.2).parallelism(1, 1, 64).sink().build())
                .build();
    }

    private static ControllerTuner controller(double cores, SimulatedProcess sim) {
        return new ControllerTuner(Settings.builder().cores(cores).build(), sim);
    }

    @Test
    void theIncidentOnThirtyCoresReachesTwentySevenCoresInAtMostThreeDecisions() {
        SimulatedProcess sim = new SimulatedProcess(MachineSpec.of(30), RandomPipelines.incident(30), SEED);
        ControllerTuner tuner = controller(30, sim);
        Simulation.Result run = Simulation.run(sim, tuner, 40);
        assertTrue(run.intervals().get(1).coresBusy() < 2, "untuned it uses about 1.5 cores");
        int rounds = run.roundsToReach(Simulation.Interval::coresBusy, 27, 3);
        assertTrue(rounds >= 1 && rounds <= 3, "rounds to 27 cores: " + rounds);
        assertTrue(run.meanCoresBusy(10) >= 27 && run.meanCoresBusy(10) <= 28.5, "steady: " + run.meanCoresBusy(10));
    }

    @Test
    void whenPerItemCostsDoubleItTunesAgainAndComesBackToTheBand() {
        PipelineSpec spec = twoStages(SourceSpec.unlimited()).toBuilder().shift(40, "work", 2.0, 1.0).build();
        SimulatedProcess sim = new SimulatedProcess(MachineSpec.of(8), spec, SEED);
        ControllerTuner tuner = controller(8, sim);
        Simulation.Result run = Simulation.run(sim, tuner, 80);
        long after = tuner.recorder().decisions().stream().filter(d -> d.time() > 40).count();
        assertTrue(after > 0, "re-tuned after the shift: " + tuner.recorder().events());
        double util = run.meanUtilization(10);
        assertTrue(util >= 0.85 && util <= 0.95, "back in the band: " + util);
    }

    @Test
    void anIdleSourceTriggersNoDecision() {
        SimulatedProcess sim = new SimulatedProcess(MachineSpec.of(8), twoStages(SourceSpec.unlimited().idleAt(30)), SEED);
        ControllerTuner tuner = controller(8, sim);
        Simulation.run(sim, tuner, 70);
        long late = tuner.recorder().decisions().stream().filter(d -> d.time() > 30).count();
        assertEquals(0, late, "no reaction to an idle source: " + tuner.recorder().events());
    }

    @Test
    void aFasterSourceIsFollowed() {
        // 300 items/s at first (the source holds it), then 3000/s: the pipeline must follow.
        SimulatedProcess sim = new SimulatedProcess(MachineSpec.of(8),
                twoStages(SourceSpec.rate(300).rateAt(30, 3000)), SEED);
        ControllerTuner tuner = controller(8, sim);
        Simulation.Result run = Simulation.run(sim, tuner, 70);
        assertTrue(run.meanThroughput(0, 10) > 0.9 * 3000, "follows the source: " + run.meanThroughput(0, 10)
                + " " + tuner.recorder().events());
    }
}
