package dev.tuner.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuner.engine.Settings;
import org.junit.jupiter.api.Test;

/** The optimum search against an exhaustive search over worker counts, and the yardstick tuners on it. */
class OptimumSearchTest {

    private static final double CAP = 0.95;

    /** The best throughput within the cap over every worker count up to {@code max}, buffers as the search sets them. */
    private static double exhaustive(MachineSpec machine, PipelineSpec spec, long seed, int max) {
        int n = spec.stages().size();
        int[] p = new int[n];
        java.util.Arrays.fill(p, 1);
        double best = 0;
        while (true) {
            PipelineSpec.Builder b = PipelineSpec.builder(spec.name()).source(spec.source());
            for (int i = 0; i < n; i++) {
                StageSpec s = spec.stages().get(i);
                StageSpec.Builder sb = s.toBuilder().parallelism(p[i], s.minParallelism(), s.maxParallelism());
                if (!s.isSink()) {
                    sb.prefetch(OptimumSearch.buffer(s), s.minPrefetch(), s.maxPrefetch());
                }
                b.stage(sb.build());
            }
            Simulation.Result r = Simulation.run(new SimulatedProcess(machine, b.build(), seed), Tuner.none(), 18);
            if (r.meanUtilization(10) <= CAP) {
                best = Math.max(best, r.meanThroughput(0, 10));
            }
            int i = 0;
            while (i < n && p[i] == max) {
                p[i++] = 1;
            }
            if (i == n) {
                return best;
            }
            p[i]++;
        }
    }

    @Test
    void matchesAnExhaustiveSearchOnSmallPipelines() {
        PipelineSpec cpuAndIo = PipelineSpec.builder("p")
                .stage(StageSpec.builder("fetch").cpu(150e-6).waitTime(2e-3).noise(0.3).parallelism(1).prefetch(4).build())
                .stage(StageSpec.builder("parse").cpu(700e-6).noise(0.3).fanOut(1).parallelism(1).sink().build())
                .build();
        PipelineSpec withLock = PipelineSpec.builder("p")
                .stage(StageSpec.builder("fetch").cpu(100e-6).waitTime(1e-3).fanOut(2).noise(0.3).parallelism(1).prefetch(4).build())
                .stage(StageSpec.builder("index").cpu(300e-6).serial(0.3).noise(0.3).parallelism(1).prefetch(4).build())
                .stage(StageSpec.builder("store").cpu(200e-6).waitTime(500e-6).noise(0.3).parallelism(1).sink().build())
                .build();
        check(MachineSpec.of(2), cpuAndIo, 8);
        check(MachineSpec.of(4), withLock, 7);
    }

    private static void check(MachineSpec machine, PipelineSpec spec, int max) {
        OptimumSearch.Result found = new OptimumSearch(machine, spec, 1, CAP, 256).search();
        double best = exhaustive(machine, spec, 1, max);
        assertTrue(found.feasible(), found.toString());
        assertTrue(found.utilization() <= CAP, found.toString());
        assertTrue(found.throughput() >= 0.97 * best, "search " + found + " vs exhaustive " + best);
    }

    @Test
    void aHardLimitIsTheOptimum() {
        PipelineSpec spec = PipelineSpec.builder("p").source(SourceSpec.rate(300))
                .stage(StageSpec.builder("a").cpu(1e-3).noise(0.2).parallelism(1).prefetch(4).build())
                .stage(StageSpec.builder("b").cpu(2e-3).waitTime(5e-3).noise(0.2).parallelism(1).sink().build())
                .build();
        OptimumSearch search = new OptimumSearch(MachineSpec.of(8), spec, 1, CAP, 256);
        assertEquals(300, search.hardBound(), 1e-9);
        OptimumSearch.Result found = search.search();
        assertEquals(300, found.throughput(), 3, found.toString());
    }

    @Test
    void theThreadBudgetBounds() {
        // 50 ms of waiting per item: 0.95 x 64 cores at 100 us CPU would take ~30k workers; the stage
        // allows 1024, the engine's budget is 256
        PipelineSpec spec = PipelineSpec.builder("p")
                .stage(StageSpec.builder("fetch").cpu(100e-6).waitTime(50e-3).noise(0.2).parallelism(1, 1, 1024).sink().build())
                .build();
        OptimumSearch search = new OptimumSearch(MachineSpec.of(64), spec, 1, CAP, 256);
        assertEquals(256 / 50.1e-3, search.threadBound(), 1);
        OptimumSearch.Result found = search.search();
        assertEquals(256 / 50.1e-3, found.throughput(), 0.03 * 256 / 50.1e-3, found.toString());
    }

    @Test
    void theTunersRunAgainstTheSimulator() {
        // Not a judgement of the engine (bench/convergence is): both tuners act, nothing breaks.
        PipelineSpec spec = RandomPipelines.incident(30);
        SimulatedProcess forController = new SimulatedProcess(MachineSpec.of(30), spec, 1);
        ControllerTuner controller = new ControllerTuner(Settings.builder().cores(30).build(), forController);
        Simulation.Result c = Simulation.run(forController, controller, 20);
        assertTrue(c.intervals().get(0).coresBusy() < 2, "the incident starts with a core or two busy");
        assertTrue(controller.rounds() >= 1 && !controller.recorder().decisions().isEmpty());
        assertEquals(20, c.intervals().size());

        SimulatedProcess forClimber = new SimulatedProcess(MachineSpec.of(30), spec, 1);
        HillClimber climber = new HillClimber(forClimber, 30, 0.9);
        Simulation.Result h = Simulation.run(forClimber, climber, 20);
        assertTrue(climber.rounds() >= 5, "one step an interval or so: " + climber.rounds());
        assertTrue(h.meanThroughput(0, 5) > 1.5 * h.intervals().get(0).throughput(0), "and it climbs");
    }
}
