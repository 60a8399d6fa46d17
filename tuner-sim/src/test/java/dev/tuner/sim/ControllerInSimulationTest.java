package dev.tuner.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuner.engine.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The controller against the deterministic simulator, where what happens over a minute is exactly
 * repeatable: the incident on 30 cores, a shift of per-item costs, a source that goes idle, a source
 * whose rate changes, and a JVM whose readings are as noisy as a real one's (bursts correlated over
 * seconds, wake-ups, warm-up). No wall clock: the simulated clock drives the controller.
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

    private static MachineSpec noisy(double cores) {
        return MachineSpec.builder(cores).jvmNoise(JvmNoise.calibrated()).build();
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
    void onANoisyJvmTheIncidentStillReachesTwentySevenCoresInAtMostThreeDecisions() {
        SimulatedProcess sim = new SimulatedProcess(noisy(30), RandomPipelines.incident(30), SEED);
        ControllerTuner tuner = controller(30, sim);
        Simulation.Result run = Simulation.run(sim, tuner, 60);
        int rounds = run.roundsToReach(Simulation.Interval::coresBusy, 27, 3);
        assertTrue(rounds >= 1 && rounds <= 3, "rounds to 27 cores: " + rounds + " " + tuner.recorder().events());
        assertTrue(run.meanCoresBusy(20) >= 27 && run.meanCoresBusy(20) <= 28.5, "steady: " + run.meanCoresBusy(20));
    }

    @Test
    void onANoisyJvmASteadyLoadGetsNoDecisionAfterTheFirstVerdict() {
        SimulatedProcess sim = new SimulatedProcess(noisy(8), twoStages(SourceSpec.unlimited()), SEED);
        ControllerTuner tuner = controller(8, sim);
        Simulation.run(sim, tuner, 90);
        Recorder r = tuner.recorder();
        assertTrue(!r.converged().isEmpty(), "converged: " + r.events());
        double first = r.events().stream().filter(e -> e.kind().equals("converged")).findFirst().orElseThrow().time();
        assertTrue(first < 30, "converged early: " + first);
        long later = r.decisions().stream().filter(d -> d.time() > first).count();
        assertEquals(0, later, "no spurious re-tune on a steady load: " + r.events());
    }

    @Test
    void whenPerItemCostsDoubleItTunesAgainWithinTenSecondsAndComesBackToTheBand() {
        // The CPU-bound worker's cost doubles at 40 s: throughput halves at the same CPU, so the shift is
        // re-tuned (the plan then finds the CPU budget spent: nothing to move).
        PipelineSpec spec = twoStages(SourceSpec.unlimited()).toBuilder().shift(40, "work", 2.0, 1.0).build();
        SimulatedProcess sim = new SimulatedProcess(MachineSpec.of(8), spec, SEED);
        ControllerTuner tuner = controller(8, sim);
        Simulation.Result run = Simulation.run(sim, tuner, 80);
        assertTrue(tuner.recorder().events().stream().anyMatch(e -> e.kind().equals("retune") && e.time() > 40
                && e.time() <= 50), "re-tuned within 10 s of the shift: " + tuner.recorder().events());
        double util = run.meanUtilization(10);
        assertTrue(util >= 0.85 && util <= 0.95, "back in the band: " + util);
    }

    @Test
    void whenAnIoStageSlowsDownTheNewDecisionComesWithinTenSeconds() {
        // The reader's wait doubles at 40 s: it now holds the pipeline and leaves the cores idle.
        PipelineSpec spec = twoStages(SourceSpec.unlimited()).toBuilder().shift(40, "read", 1.0, 2.0).build();
        SimulatedProcess sim = new SimulatedProcess(noisy(8), spec, SEED);
        ControllerTuner tuner = controller(8, sim);
        Simulation.Result run = Simulation.run(sim, tuner, 80);
        assertTrue(tuner.recorder().decisions().stream().anyMatch(d -> d.time() > 40 && d.time() <= 50),
                "a decision within 10 s of the shift: " + tuner.recorder().events());
        double util = run.meanUtilization(15);
        assertTrue(util >= 0.85 && util <= 0.96, "back in the band: " + util + " " + tuner.recorder().events());
    }

    @Test
    void aNeighbourThatTakesTheCoresForAWhileLeavesNoSettingChanged() {
        // Another process keeps 4 of the 8 cores busy from 40 s to 50 s.
        MachineSpec machine = noisy(8).toBuilder().neighbour(40, 50, 4).build();
        SimulatedProcess sim = new SimulatedProcess(machine, twoStages(SourceSpec.unlimited()), SEED);
        ControllerTuner tuner = controller(8, sim);
        Map<String, Integer>[] before = new Map[1];
        Simulation.run(sim, tuner, 80, 1.0, (snapshot, time) -> {
            if (Math.abs(time - 39) < 1e-6) {
                before[0] = Map.of("p/read", sim.parallelism("p/read"), "p/work", sim.parallelism("p/work"));
            }
        });
        assertEquals(before[0], Map.of("p/read", sim.parallelism("p/read"), "p/work", sim.parallelism("p/work")),
                "the settings before the neighbour, after it: " + tuner.recorder().events());
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
