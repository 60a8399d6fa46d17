package dev.tuner.engine;

import static dev.tuner.engine.Snap.stage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PrefetchPolicyTest {
    private final PrefetchPolicy policy = new PrefetchPolicy();
    private final Settings settings = Settings.builder().cores(2).build();

    @Test
    void aBufferSeenBothFullAndEmptyGrowsFourfold() {
        // The producer waited for room 20% of the time, and 5 of 10 samples found the buffer empty.
        Observation obs = Snap.observe(2, 1.0,
                stage("p/batch").prefetch(2).did(40, 0.6, 0.2, 0.2, 0.6, 0).buffer(1, 10, 3, 5));
        PrefetchPolicy.Result result = policy.plan(obs, settings);
        assertEquals(1, result.proposals().size());
        Proposal p = result.proposals().get(0);
        assertEquals(Knob.PREFETCH, p.knob());
        assertEquals(2, p.from());
        assertEquals(8, p.to());
    }

    @Test
    void outputWaitWithoutAFullBufferIsNotABurst() {
        // Waiting for room while the buffer is never seen full: contention on the buffer, not its size.
        Observation obs = Snap.observe(2, 1.0,
                stage("p/parse").prefetch(16).did(40, 0.6, 0.2, 0.2, 0.6, 0).buffer(0, 10, 0, 10));
        assertTrue(policy.plan(obs, settings).proposals().isEmpty());
    }

    @Test
    void aBufferThatNeverRanDryStaysAsItIs() {
        Observation obs = Snap.observe(2, 1.0,
                stage("p/batch").prefetch(2).did(40, 0.6, 0, 0.4, 0.6, 0).buffer(2, 10, 8, 0));
        assertTrue(policy.plan(obs, settings).proposals().isEmpty());
    }

    @Test
    void aBufferThatSitsFullIsLeftAloneWhileMemoryIsNotShort() {
        Observation obs = Snap.observe(2, 1.0,
                stage("p/read").prefetch(64).did(40, 0.2, 0, 0.8, 0.2, 0).buffer(64, 10, 10, 0));
        assertTrue(policy.plan(obs, settings).proposals().isEmpty());
    }

    @Test
    void overTheMemoryBudgetTheBiggestFullBufferFallsToWhatFits() {
        // Live heap 64 MiB over 64 buffered items: 1 MiB an item; budget 16 MiB: 48 items too many.
        Settings budget = Settings.builder().cores(2).prefetchMemoryBytes(16L << 20).build();
        Snap snap = new Snap();
        Snap.Stage s = stage("p/read").prefetch(64).did(40, 0.2, 0, 0.8, 0.2, 0).buffer(64, 10, 10, 0);
        ProcessSnapshot before = snap.start(s);
        ProcessSnapshot after = snap.after(1.0, 1.0, s);
        ProcessSnapshot withHeap = new ProcessSnapshot(after.nanoTime(), after.processCpuNanos(), 0, 64L << 20, -1,
                after.threadStates(), after.stages());
        PrefetchPolicy.Result result = policy.plan(Observation.between(before, withHeap, 2), budget);
        assertEquals(16, result.proposals().get(0).to());
    }

    @Test
    void theMemoryBudgetCapsGrowthAndIsNamed() {
        // Live heap 10 MiB over 10 buffered items: at most 1 MiB an item. Budget 4 MiB, 2 committed: room for 4.
        Settings budget = Settings.builder().cores(2).prefetchMemoryBytes(4L << 20).build();
        Snap snap = new Snap();
        Snap.Stage s = stage("p/batch").prefetch(2).did(40, 0.6, 0.2, 0.2, 0.6, 0).buffer(10, 10, 3, 5);
        ProcessSnapshot before = snap.start(s);
        ProcessSnapshot after = snap.after(1.0, 1.0, s);
        ProcessSnapshot withHeap = new ProcessSnapshot(after.nanoTime(), after.processCpuNanos(), 0, 10L << 20, -1,
                after.threadStates(), after.stages());
        PrefetchPolicy.Result result = policy.plan(Observation.between(before, withHeap, 2), budget);
        assertEquals(4, result.proposals().get(0).to());
        assertEquals(Limit.Kind.MEMORY, result.limit().kind());
        assertEquals(4, result.limit().figure(Limit.Figure.ITEMS), 1e-9);
        assertEquals(4L << 20, result.limit().figure(Limit.Figure.MEMORY_BYTES), 1e-9);
        assertEquals(1L << 20, result.limit().figure(Limit.Figure.ITEM_BYTES), 1e-9);
    }
}
