package dev.tuner.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuner.engine.Knob;
import dev.tuner.engine.Observation;
import dev.tuner.engine.ProcessSnapshot;
import dev.tuner.engine.Settings;
import dev.tuner.engine.StageObservation;
import dev.tuner.engine.StageSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The simulator against what its model says. It is deterministic, so the tolerances are about the
 * model's noise and its approximations, not about the machine running the test.
 */
class SimulatedProcessTest {

    /** A machine without the costs that would blur textbook figures: no oversubscription loss, no baseline. */
    private static MachineSpec bare(double cores) {
        return MachineSpec.builder(cores).oversubscriptionLoss(0).baseline(0, 0).build();
    }

    private static PipelineSpec single(StageSpec stage) {
        return PipelineSpec.builder("p").stage(stage).build();
    }

    /** Throughput (items/s) and cores busy over [from, to] of a run with no tuner. */
    private static double[] measure(SimulatedProcess sim, double from, double to) {
        sim.advanceTo(from);
        double items = sim.sourceItemsDone("p");
        double cpu = sim.processCpuSeconds();
        sim.advanceTo(to);
        double seconds = to - from;
        return new double[] {(sim.sourceItemsDone("p") - items) / seconds, (sim.processCpuSeconds() - cpu) / seconds};
    }

    private static void assertNear(double expected, double actual, double relative, String what) {
        assertTrue(Math.abs(actual - expected) <= relative * Math.abs(expected),
                what + ": expected " + expected + " +-" + (relative * 100) + "%, got " + actual);
    }

    private static PipelineSpec incidentLike() {
        return RandomPipelines.incident(30);
    }

    @Test
    void sameSeedGivesIdenticalSnapshots() {
        List<ProcessSnapshot> first = trace(42);
        List<ProcessSnapshot> second = trace(42);
        assertEquals(first, second);
        assertNotEquals(first, trace(43), "another seed draws other noise");
    }

    private static List<ProcessSnapshot> trace(long seed) {
        SimulatedProcess sim = new SimulatedProcess(MachineSpec.of(30), incidentLike(), seed);
        List<ProcessSnapshot> snapshots = new ArrayList<>();
        ControllerTuner controller = new ControllerTuner(Settings.builder().cores(30).build(), sim);
        Simulation.run(sim, controller, 20, 1.0, (snapshot, t) -> snapshots.add(snapshot));
        return snapshots;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 8})
    void cpuBoundStageCarriesMinOfWorkersAndCoresOverItsCpu(int workers) {
        double cpu = 1e-3;
        SimulatedProcess sim = new SimulatedProcess(bare(4),
                single(StageSpec.builder("work").cpu(cpu).noise(0.3).parallelism(workers).sink().build()), 1);
        double[] m = measure(sim, 2, 12);
        double busy = Math.min(workers, 4);
        assertNear(busy / cpu, m[0], 0.02, "throughput");
        assertNear(busy, m[1], 0.01, "cores busy");
    }

    @Test
    void oversubscriptionCostsUsefulWorkButNotCpu() {
        double cpu = 1e-3;
        MachineSpec machine = MachineSpec.builder(4).oversubscriptionLoss(0.05).baseline(0, 0).build();
        SimulatedProcess sim = new SimulatedProcess(machine,
                single(StageSpec.builder("work").cpu(cpu).noise(0.3).parallelism(12).sink().build()), 1);
        double[] m = measure(sim, 2, 12);
        assertNear(4, m[1], 0.01, "all cores busy");
        assertNear(4 / cpu / (1 + 0.05 * (12.0 / 4 - 1)), m[0], 0.02, "throughput at 3x oversubscription");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4, 16, 64})
    void ioBoundStageCarriesWorkersOverItsWait(int workers) {
        double cpu = 50e-6;
        double wait = 10e-3;
        SimulatedProcess sim = new SimulatedProcess(bare(2),
                single(StageSpec.builder("fetch").cpu(cpu).waitTime(wait).noise(0.3).parallelism(workers).sink().build()), 1);
        double[] m = measure(sim, 2, 22);
        assertNear(workers / (cpu + wait), m[0], 0.03, "throughput");
        assertNear(m[0] * cpu, m[1], 0.03, "cores busy = throughput x cpu");
    }

    @Test
    void littlesLawHoldsOnTheCounters() {
        PipelineSpec spec = PipelineSpec.builder("p")
                .stage(StageSpec.builder("read").cpu(100e-6).waitTime(5e-3).noise(0.3).parallelism(8).prefetch(64).build())
                .stage(StageSpec.builder("parse").cpu(400e-6).noise(0.3).fanOut(2).parallelism(3).prefetch(64).build())
                .stage(StageSpec.builder("write").cpu(50e-6).waitTime(1e-3).noise(0.3).parallelism(4).sink().build())
                .build();
        SimulatedProcess sim = new SimulatedProcess(bare(8), spec, 3);
        sim.advanceTo(3);
        ProcessSnapshot before = sim.snapshot();
        sim.advanceTo(13);
        Observation obs = Observation.between(before, sim.snapshot(), 8);
        for (int i = 0; i < spec.stages().size(); i++) {
            StageSpec s = spec.stages().get(i);
            StageObservation o = obs.stages().get(i);
            double service = s.cpu() + s.waitTime();
            assertNear(service, o.busyPerItem(), 0.03, s.name() + " busy per item");
            assertNear(o.throughput() * service, o.busyWorkers(), 0.03, s.name() + " busy workers = X x S");
            assertNear(s.cpu(), o.cpuPerItem(), 0.03, s.name() + " cpu per item");
            assertNear(1, o.busyFraction() + o.inputWaitFraction() + o.outputWaitFraction(), 1e-9, "fractions");
            double workerTime = (o.busyFraction() > 0 ? o.busyWorkers() / o.busyFraction() : 0);
            assertNear(s.parallelism(), workerTime, 0.01, s.name() + " worker time = workers x interval");
        }
        // read: 8 / 5.1 ms = 1569/s, the slowest: everything flows at its pace
        assertNear(8 / 5.1e-3, obs.stages().get(0).throughput(), 0.03, "read throughput");
        assertNear(2 * 8 / 5.1e-3, obs.stages().get(2).throughput(), 0.03, "write takes parse's two outputs per item");
    }

    @Test
    void aFullDownstreamBufferShowsAsOutputWait() {
        PipelineSpec spec = PipelineSpec.builder("p")
                .stage(StageSpec.builder("fast").cpu(100e-6).noise(0.2).parallelism(4).prefetch(16).build())
                .stage(StageSpec.builder("slow").cpu(1e-3).noise(0.2).parallelism(1).sink().build())
                .build();
        SimulatedProcess sim = new SimulatedProcess(bare(8), spec, 5);
        sim.advanceTo(2);
        ProcessSnapshot before = sim.snapshot();
        sim.advanceTo(12);
        Observation obs = Observation.between(before, sim.snapshot(), 8);
        StageObservation fast = obs.stage("p/fast");
        StageObservation slow = obs.stage("p/slow");
        assertTrue(fast.outputWaitFraction() > 0.9, "producer waits for room: " + fast.outputWaitFraction());
        assertTrue(fast.fullShare() > 0.9, "its buffer is seen full: " + fast.fullShare());
        assertEquals(0, fast.emptyShare(), 1e-9);
        assertTrue(slow.busyFraction() > 0.99, "consumer never waits: " + slow.busyFraction());
        assertNear(1000, slow.throughput(), 0.02, "the slow stage sets the pace");
        assertNear(1000, fast.throughput(), 0.02, "the fast stage follows it");
        assertEquals(16, sim.snapshot().stage("p/fast").buffered());
    }

    @Test
    void aSmallBufferBetweenFastStagesCostsLittle() {
        // 9 producers carry 25k/s, 19 consumers 21.8k/s: two slots between them are enough
        PipelineSpec spec = PipelineSpec.builder("p")
                .stage(StageSpec.builder("make").cpu(330e-6).waitTime(27e-6).noise(0.25).parallelism(9).prefetch(2).build())
                .stage(StageSpec.builder("use").cpu(793e-6).waitTime(78e-6).noise(0.12).parallelism(19).sink().build())
                .build();
        SimulatedProcess sim = new SimulatedProcess(bare(32), spec, 7);
        sim.advanceTo(2);
        ProcessSnapshot before = sim.snapshot();
        sim.advanceTo(12);
        Observation obs = Observation.between(before, sim.snapshot(), 32);
        assertNear(19 / 871e-6, obs.stage("p/use").throughput(), 0.02, "the consumer's capacity");
        assertTrue(obs.stage("p/use").busyFraction() > 0.97, "the consumer hardly waits");
        assertTrue(obs.stage("p/make").outputWaitFraction() > 0.05, "the producer waits for room");
    }

    @Test
    void largeFanOutArrivesInLumpsThatASmallBufferMakesTheProducerWaitFor() {
        // a 30 ms read of a block of 500 records into a buffer of 16, parsed at 12.5 us a record
        PipelineSpec small = PipelineSpec.builder("p")
                .stage(StageSpec.builder("read").cpu(300e-6).waitTime(30e-3).fanOut(500).noise(0.2).parallelism(1).prefetch(16).build())
                .stage(StageSpec.builder("parse").cpu(12.5e-6).noise(0.2).parallelism(1).sink().build())
                .build();
        SimulatedProcess sim = new SimulatedProcess(bare(8), small, 3);
        sim.advanceTo(2);
        ProcessSnapshot before = sim.snapshot();
        sim.advanceTo(12);
        StageObservation read = Observation.between(before, sim.snapshot(), 8).stage("p/read");
        // each block waits for 484 records to be parsed (6.05 ms) before the next read starts: 6.05 / 36.4
        assertNear(6.05 / 36.4, read.outputWaitFraction(), 0.15, "read waits for room");
        assertTrue(read.fullShare() > 0.05 && read.emptyShare() > 0.3, "its buffer is seen full and empty: "
                + read.fullShare() + " / " + read.emptyShare());
        assertTrue(read.throughput() < 0.9 / 30.3e-3, "so it reads slower than one block per 30 ms: " + read.throughput());

        sim.apply("p/read", Knob.PREFETCH, 1024);
        sim.advanceTo(14);
        before = sim.snapshot();
        sim.advanceTo(24);
        read = Observation.between(before, sim.snapshot(), 8).stage("p/read");
        assertEquals(0, read.outputWaitFraction(), 0.01, "a buffer that holds two blocks lets them overlap");
        assertNear(1 / 30.3e-3, read.throughput(), 0.05, "one block per read time");
    }

    @Test
    void aStarvedConsumerShowsAsInputWaitAndAnEmptyBuffer() {
        PipelineSpec spec = PipelineSpec.builder("p")
                .stage(StageSpec.builder("slow").cpu(50e-6).waitTime(2e-3).noise(0.2).parallelism(1).prefetch(16).build())
                .stage(StageSpec.builder("fast").cpu(100e-6).noise(0.2).parallelism(4).sink().build())
                .build();
        SimulatedProcess sim = new SimulatedProcess(bare(8), spec, 5);
        sim.advanceTo(2);
        ProcessSnapshot before = sim.snapshot();
        sim.advanceTo(12);
        Observation obs = Observation.between(before, sim.snapshot(), 8);
        StageObservation slow = obs.stage("p/slow");
        StageObservation fast = obs.stage("p/fast");
        assertTrue(fast.inputWaitFraction() > 0.9, "consumer starves: " + fast.inputWaitFraction());
        assertTrue(slow.emptyShare() > 0.9, "the buffer between is empty: " + slow.emptyShare());
        assertTrue(slow.cpuShare() < 0.05, "the slow stage is off CPU: " + slow.cpuShare());
        assertNear(2e-3 + 50e-6, slow.servicePerItem(), 0.05, "uncontended service time from CPU + sampled off-CPU");
    }

    @Test
    void aLockBoundStageDoesNotScalePastOneOverItsLockWork() {
        double cpu = 1e-3;
        double serial = 0.25;
        double bound = 1 / (serial * cpu);
        double previous = 0;
        for (int workers : new int[] {1, 2, 4, 8, 16, 64}) {
            SimulatedProcess sim = new SimulatedProcess(bare(64), single(StageSpec.builder("locked").cpu(cpu)
                    .serial(serial).noise(0.3).parallelism(workers).sink().build()), 2);
            sim.advanceTo(2);
            ProcessSnapshot before = sim.snapshot();
            sim.advanceTo(12);
            StageObservation o = Observation.between(before, sim.snapshot(), 64).stages().get(0);
            assertTrue(o.throughput() <= bound * 1.01, workers + " workers: " + o.throughput() + " > 1/lock work " + bound);
            assertTrue(o.throughput() >= previous * 0.99, "more workers never carry less");
            previous = o.throughput();
            if (workers == 1) {
                assertNear(1 / cpu, o.throughput(), 0.02, "one worker never waits for the lock");
                assertEquals(0, o.lockShare(), 1e-9);
            }
            if (workers >= 16) {
                assertTrue(o.throughput() >= bound * 0.95, "saturates at the lock's rate: " + o.throughput());
                assertTrue(o.lockShare() > 0.5, "most time is spent waiting on the lock: " + o.lockShare());
                assertTrue(o.cpuCores() < 1.05 / serial, "the CPU it can use is bounded too: " + o.cpuCores());
            }
        }
    }

    @Test
    void aSharedExternalPoolBoundsTheStageAndItsCpuShowsOnlyInTheProcess() {
        // 20 ms of pool CPU per item on a 4-thread pool: at most 4 / 20 ms = 200 items/s however many workers
        StageSpec trainer = StageSpec.builder("train").cpu(100e-6).externalCpu(20e-3, 4).noise(0.1).parallelism(32).sink().build();
        SimulatedProcess sim = new SimulatedProcess(bare(16), single(trainer), 4);
        sim.advanceTo(2);
        ProcessSnapshot before = sim.snapshot();
        sim.advanceTo(12);
        Observation obs = Observation.between(before, sim.snapshot(), 16);
        StageObservation o = obs.stages().get(0);
        assertNear(200, o.throughput(), 0.03, "the pool's capacity");
        assertNear(200 * 100e-6, o.cpuCores(), 0.05, "workers' own CPU");
        assertNear(200 * (20e-3 + 100e-6), obs.coresBusy(), 0.03, "process CPU includes the pool's");
        assertTrue(o.cpuShare() < 0.01, "the workers wait off CPU for the pool");
        assertEquals(0, o.lockShare(), 1e-9, "waiting for a pool is not lock time");
    }

    @Test
    void knobChangesNeverLoseItems() {
        PipelineSpec spec = PipelineSpec.builder("p")
                .stage(StageSpec.builder("split").cpu(200e-6).waitTime(1e-3).fanOut(3).noise(0.4).parallelism(2).prefetch(8).build())
                .stage(StageSpec.builder("batch").cpu(20e-6).fanOut(0.25).noise(0.4).parallelism(1).prefetch(2).build())
                .stage(StageSpec.builder("expand").cpu(300e-6).serial(0.2).fanOut(2.5).noise(0.4).parallelism(2).prefetch(4).build())
                .stage(StageSpec.builder("sink").cpu(100e-6).waitTime(2e-3).noise(0.4).parallelism(2).sink().build())
                .build();
        SimulatedProcess sim = new SimulatedProcess(MachineSpec.of(4), spec, 9);
        SplittableRandom rng = new SplittableRandom(11);
        List<String> ids = sim.stageIds();
        for (int k = 0; k < 120; k++) {
            String id = ids.get(rng.nextInt(ids.size()));
            if (rng.nextBoolean() || id.endsWith("/sink")) {
                assertTrue(sim.apply(id, Knob.PARALLELISM, 1 + rng.nextInt(12)));
            } else {
                assertTrue(sim.apply(id, Knob.PREFETCH, 1 + rng.nextInt(40)));
            }
            sim.advance(0.25 * rng.nextDouble());
            assertConserved(sim, spec);
        }
    }

    private static void assertConserved(SimulatedProcess sim, PipelineSpec spec) {
        assertEquals(sim.sourceItemsTaken("p"), sim.itemsTaken("p/split"), 1e-6, "stage 0 takes what the source gave");
        for (int i = 0; i < spec.stages().size(); i++) {
            StageSpec s = spec.stages().get(i);
            String id = "p/" + s.name();
            double taken = sim.itemsTaken(id);
            double emitted = sim.itemsEmitted(id);
            assertEquals(Math.floor(s.fanOut() * Math.floor(taken + 1e-9) + 1e-9), emitted, 1e-6,
                    id + " emits fanOut per whole item taken");
            if (s.isSink()) {
                assertEquals(emitted, sim.itemsOut("p"), 1e-6 * Math.max(1, emitted), "the sink's output leaves");
            } else {
                String next = "p/" + spec.stages().get(i + 1).name();
                double held = sim.buffered(id) + sim.pending(id) + sim.itemsTaken(next);
                assertEquals(emitted, held, 1e-6 * Math.max(1, emitted),
                        id + ": emitted = buffered + held by blocked workers + taken downstream");
                assertTrue(sim.buffered(id) >= 0 && sim.pending(id) >= 0);
            }
        }
    }

    @Test
    void growingAddsWorkersAtOnceAndShrinkingLetsThemFinishTheirItem() {
        SimulatedProcess sim = new SimulatedProcess(bare(64),
                single(StageSpec.builder("fetch").cpu(100e-6).waitTime(40e-3).noise(0.1).parallelism(4).sink().build()), 1);
        sim.advanceTo(1);
        assertTrue(sim.apply("p/fetch", Knob.PARALLELISM, 16));
        assertEquals(16, sim.liveWorkers("p/fetch"));
        sim.advanceTo(2);
        assertTrue(sim.apply("p/fetch", Knob.PARALLELISM, 2));
        assertEquals(2, sim.parallelism("p/fetch"), "the knob reads the new value at once");
        assertEquals(16, sim.liveWorkers("p/fetch"), "busy workers finish their item first");
        sim.advance(0.03);
        assertEquals(2, sim.liveWorkers("p/fetch"), "and leave within about half an item");
        assertNear(2 / 40.1e-3, measure(sim, 3, 8)[0], 0.03, "throughput follows");
    }

    @Test
    void outOfBoundsOrMissingKnobsAreRefused() {
        SimulatedProcess sim = new SimulatedProcess(bare(4), PipelineSpec.builder("p")
                .stage(StageSpec.builder("a").cpu(1e-4).parallelism(2, 1, 4).prefetch(8, 2, 32).build())
                .stage(StageSpec.builder("b").cpu(1e-4).sink().build()).build(), 1);
        assertFalse(sim.apply("p/a", Knob.PARALLELISM, 5));
        assertFalse(sim.apply("p/a", Knob.PARALLELISM, 0));
        assertFalse(sim.apply("p/a", Knob.PREFETCH, 1));
        assertFalse(sim.apply("p/b", Knob.PREFETCH, 4), "a sink has no buffer");
        assertFalse(sim.apply("p/nope", Knob.PARALLELISM, 1));
        assertTrue(sim.apply("p/a", Knob.PREFETCH, 32));
        StageSnapshot a = sim.snapshot().stage("p/a");
        assertEquals(32, a.prefetch());
        assertEquals(2, a.parallelism());
        assertEquals(-1, sim.snapshot().stage("p/b").prefetch());
    }

    @Test
    void aRateLimitedSourceGoesIdleAndIsExhausted() {
        PipelineSpec spec = PipelineSpec.builder("p")
                .source(SourceSpec.rate(500).idleAt(10).rateAt(15, 800).exhaustedAt(20))
                .stage(StageSpec.builder("a").cpu(100e-6).waitTime(1e-3).parallelism(4).prefetch(16).build())
                .stage(StageSpec.builder("b").cpu(200e-6).parallelism(2).sink().build())
                .build();
        SimulatedProcess sim = new SimulatedProcess(bare(4), spec, 1);
        assertNear(500, measure(sim, 2, 10)[0], 0.01, "the source's rate");
        assertEquals(0, measure(sim, 11, 15)[0], 1e-9, "idle");
        assertNear(800, measure(sim, 16, 20)[0], 0.01, "the new rate");
        assertEquals(0, measure(sim, 21, 25)[0], 1e-9, "exhausted");
        ProcessSnapshot snap = sim.snapshot();
        assertEquals(0, sim.liveWorkers("p/a"));
        assertTrue(snap.stage("p/b").threadStates().isEmpty(), "the workers left");
    }

    @Test
    void aCostShiftShowsInTheMeasuredCosts() {
        PipelineSpec spec = PipelineSpec.builder("p")
                .stage(StageSpec.builder("work").cpu(200e-6).waitTime(1e-3).noise(0.2).parallelism(2).sink().build())
                .shift(10, "work", 3, 0.5)
                .build();
        SimulatedProcess sim = new SimulatedProcess(bare(8), spec, 1);
        sim.advanceTo(2);
        ProcessSnapshot a = sim.snapshot();
        sim.advanceTo(9);
        StageObservation before = Observation.between(a, sim.snapshot(), 8).stages().get(0);
        sim.advanceTo(12);
        ProcessSnapshot b = sim.snapshot();
        sim.advanceTo(19);
        StageObservation after = Observation.between(b, sim.snapshot(), 8).stages().get(0);
        assertNear(200e-6, before.cpuPerItem(), 0.03, "cpu before");
        assertNear(600e-6, after.cpuPerItem(), 0.03, "cpu after");
        assertNear(1.1e-3, after.servicePerItem(), 0.05, "service after");
    }

    @Test
    void snapshotsKeepTheContract() {
        MachineSpec machine = MachineSpec.builder(4).jitBurst(1, 3).build();
        SimulatedProcess sim = new SimulatedProcess(machine, RandomPipelines.generate(1, 3, 4), 1);
        ProcessSnapshot previous = sim.snapshot();
        for (int t = 1; t <= 15; t++) {
            sim.advanceTo(t);
            if (t == 5) {
                for (String id : sim.stageIds()) {
                    sim.apply(id, Knob.PARALLELISM, 8);
                }
            }
            ProcessSnapshot now = sim.snapshot();
            assertEquals(t * 1_000_000_000L, now.nanoTime());
            long cpu = now.processCpuNanos() - previous.processCpuNanos();
            assertTrue(cpu <= 4 * 1_000_000_000L + 1000, "process CPU within the cores: " + cpu);
            long overhead = now.overheadCpuNanos() - previous.overheadCpuNanos();
            if (t <= 3) {
                // one core of JIT for 3 s, sharing the cores with the rest when they are oversubscribed
                assertTrue(overhead > 0.5e9 && overhead <= 1e9 + 1000, "the JIT burst is overhead: " + overhead);
            } else {
                assertEquals(0, overhead, "and then it is over");
            }
            long stageCpu = 0;
            for (StageSnapshot s : now.stages()) {
                StageSnapshot p = previous.stage(s.id());
                assertTrue(s.itemsProcessed() >= p.itemsProcessed());
                assertTrue(s.busyNanos() >= p.busyNanos() && s.inputWaitNanos() >= p.inputWaitNanos()
                        && s.outputWaitNanos() >= p.outputWaitNanos() && s.cpuNanos() >= p.cpuNanos()
                        && s.offCpuNanos() >= p.offCpuNanos() && s.lockNanos() >= p.lockNanos());
                assertTrue(s.lockNanos() <= s.offCpuNanos(), "lock time is off-CPU time");
                long workerTime = (s.busyNanos() - p.busyNanos()) + (s.inputWaitNanos() - p.inputWaitNanos())
                        + (s.outputWaitNanos() - p.outputWaitNanos());
                assertTrue(workerTime <= 8 * 1_000_000_000L + 1000, "worker time within workers x interval");
                int threads = s.threadStates().values().stream().mapToInt(Integer::intValue).sum();
                assertEquals(sim.liveWorkers(s.id()), threads, "thread states cover the live workers");
                stageCpu += s.cpuNanos() - p.cpuNanos();
            }
            assertTrue(stageCpu <= cpu + 1000, "stage CPU is part of process CPU");
            assertTrue(now.liveHeapBytes() >= machine.heapBaseBytes());
            previous = now;
        }
    }

    // ------------------------------------------------------------------ JVM noise

    private static JvmNoise burstsOnly(double mean, double sd) {
        return new JvmNoise(mean, sd, 0.5, 0, 0, 0, 1);
    }

    @Test
    void cpuBurstsAddTheirShareOfThePipelinesCpuAndAreNotOverhead() {
        // One CPU-bound worker on 4 cores (1 core busy): bursts of mean 10% and no spread add 0.1 cores.
        StageSpec work = StageSpec.builder("work").cpu(1e-3).noise(0).parallelism(1).sink().build();
        MachineSpec machine = bare(4).toBuilder().jvmNoise(burstsOnly(0.1, 0)).build();
        SimulatedProcess sim = new SimulatedProcess(machine, single(work), 1);
        double[] m = measure(sim, 2, 12);
        assertNear(1.1, m[1], 0.01, "cores busy");
        assertNear(1000, m[0], 0.01, "throughput: on spare cores a burst takes nothing from the worker");
        assertEquals(0, sim.snapshot().overheadCpuNanos(), "GC is not reported as overhead");
    }

    @Test
    void burstsCorrelatedOverSecondsMakeOneSecondReadingsNoisy() {
        // Bursts with a spread of 10% of the pipelines' CPU: one-second utilization moves by several
        // points, far more than independent per-item noise would (it averages away within the second).
        StageSpec work = StageSpec.builder("work").cpu(1e-3).noise(0).parallelism(2).sink().build();
        MachineSpec machine = bare(4).toBuilder().jvmNoise(burstsOnly(0.05, 0.1)).build();
        SimulatedProcess sim = new SimulatedProcess(machine, single(work), 3);
        sim.advanceTo(5);
        List<Double> seconds = new ArrayList<>();
        double cpu = sim.processCpuSeconds();
        for (int t = 6; t <= 45; t++) {
            sim.advanceTo(t);
            seconds.add(sim.processCpuSeconds() - cpu);
            cpu = sim.processCpuSeconds();
        }
        double mean = seconds.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double sd = Math.sqrt(seconds.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum() / (seconds.size() - 1));
        assertTrue(sd > 0.05 && sd < 0.3, "one-second spread of cores busy: " + sd);
        double lag1 = 0;
        for (int i = 1; i < seconds.size(); i++) {
            lag1 += (seconds.get(i) - mean) * (seconds.get(i - 1) - mean);
        }
        lag1 /= sd * sd * (seconds.size() - 1);
        assertTrue(lag1 > 0.1, "a burst carries into the next second: lag-1 autocorrelation " + lag1);
    }

    @Test
    void aStarvedWorkerPaysForItsWakeUps() {
        // A consumer of 0.1 ms CPU fed 5000 items/s (by 10 readers at 2 ms) is busy b = 5000 x (0.1 ms + 40 us
        // x (1 - b)): each item costs 40 us more times the share of time it waits for input. b = 0.7 / 1.2, so
        // it waits 5/12 of the time and an item costs 0.1 + 0.04 x 5/12 = 0.1167 ms.
        StageSpec read = StageSpec.builder("read").cpu(0).waitTime(2e-3).noise(0).parallelism(10).prefetch(64).build();
        StageSpec work = StageSpec.builder("work").cpu(0.1e-3).noise(0).parallelism(1).sink().build();
        PipelineSpec spec = PipelineSpec.builder("p").stage(read).stage(work).build();
        MachineSpec machine = bare(4).toBuilder().jvmNoise(new JvmNoise(0, 0, 0, 40e-6, 0, 0, 1)).build();
        SimulatedProcess sim = new SimulatedProcess(machine, spec, 1);
        sim.advanceTo(2);
        ProcessSnapshot a = sim.snapshot();
        sim.advanceTo(12);
        ProcessSnapshot b = sim.snapshot();
        StageObservation w = Observation.between(a, b, 4).stage("p/work");
        assertNear(5.0 / 12, w.inputWaitFraction(), 0.03, "input wait");
        assertNear(0.1e-3 + 40e-6 * w.inputWaitFraction(), w.cpuPerItem(), 0.03, "CPU per item");
    }

    @Test
    void codeWarmsUpFromTheStartWhileTheJitReportsItsCpuAsOverhead() {
        StageSpec work = StageSpec.builder("work").cpu(1e-3).noise(0).parallelism(1).sink().build();
        MachineSpec machine = bare(4).toBuilder().jvmNoise(new JvmNoise(0, 0, 0, 0, 0.5, 0, 1.5)).build();
        SimulatedProcess sim = new SimulatedProcess(machine, single(work), 1);
        double[] first = measure(sim, 0, 1);
        double[] later = measure(sim, 10, 11);
        assertTrue(first[0] < 0.85 * later[0], "interpreted code is slower: " + first[0] + " vs " + later[0]);
        assertNear(1000, later[0], 0.01, "warmed up");
        assertTrue(sim.snapshot().overheadCpuNanos() > 0.1e9, "compile time reported: " + sim.snapshot().overheadCpuNanos());
    }

    @Test
    void aResizedStageWarmsUpAgain() {
        StageSpec work = StageSpec.builder("work").cpu(1e-3).noise(0).parallelism(1).sink().build();
        MachineSpec machine = bare(8).toBuilder().jvmNoise(new JvmNoise(0, 0, 0, 0, 0, 0.3, 1.0)).build();
        SimulatedProcess sim = new SimulatedProcess(machine, single(work), 1);
        measure(sim, 0, 10);
        sim.apply("p/work", Knob.PARALLELISM, 2);
        double[] right = measure(sim, 10, 10.5);
        double[] settled = measure(sim, 15, 20);
        assertTrue(right[0] < 0.9 * settled[0], "just after the change: " + right[0] + " vs " + settled[0]);
        assertNear(2000, settled[0], 0.01, "settled");
    }

    @Test
    void aNeighbourTakesCoresAndShowsInTheMachineLoad() {
        // 2 cores, a CPU-bound stage with 2 workers, and a neighbour keeping 2 cores busy from 10 s to 20 s:
        // processor sharing halves the JVM's CPU, and the machine is full.
        StageSpec work = StageSpec.builder("work").cpu(1e-3).noise(0).parallelism(2).sink().build();
        MachineSpec machine = bare(2).toBuilder().neighbour(10, 20, 2).build();
        SimulatedProcess sim = new SimulatedProcess(machine, single(work), 1);
        double[] alone = measure(sim, 2, 10);
        sim.snapshot();
        double[] shared = measure(sim, 10, 20);
        double load = sim.snapshot().machineLoad();
        assertNear(2000, alone[0], 0.01, "alone");
        assertNear(1000, shared[0], 0.02, "sharing the cores");
        assertNear(1.0, load, 0.01, "machine load with the neighbour");
    }
}
