package dev.tuner.agent.profiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tuner.engine.LockSite;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AttributionTest {
    private static final Map<String, String> STAGES = Map.of("lb-work-1", "lb/work", "lb-work-2", "lb/work",
            "lb-sink-1", "lb/sink");

    @Test
    void lockSitesAreSplitByStageAndRankedByWait() {
        List<Stack> stacks = List.of(
                new Stack("lb-work-1", List.of("java.lang.Thread.run", "app.Work.apply", "app.Ledger.post", "app.Ledger"), 600),
                new Stack("lb-work-2", List.of("java.lang.Thread.run", "app.Work.apply", "app.Ledger.post", "app.Ledger"), 300),
                new Stack("lb-work-2", List.of("java.lang.Thread.run", "app.Work.apply",
                        "java.util.concurrent.locks.ReentrantLock.lock",
                        "java.util.concurrent.locks.AbstractQueuedSynchronizer.acquire",
                        "java.util.concurrent.locks.LockSupport.park", "jdk.internal.misc.Unsafe.park",
                        "java.util.concurrent.locks.ReentrantLock$NonfairSync"), 100),
                new Stack("lb-sink-1", List.of("app.Sink.take", "app.Books"), 50),
                new Stack("main", List.of("app.Main.main", "app.Ledger"), 1000));
        Map<String, List<LockSite>> sites = Attribution.lockSites(stacks, STAGES::get, 3);

        assertEquals(List.of("lb/work", "lb/sink"), List.copyOf(sites.keySet()), "main is in no stage");
        List<LockSite> work = sites.get("lb/work");
        assertEquals(new LockSite("app.Ledger", "app.Ledger.post", 900, 0.9, LockSite.FoundBy.PROFILER), work.get(0));
        assertEquals(new LockSite("java.util.concurrent.locks.ReentrantLock", "app.Work.apply", 100, 0.1,
                LockSite.FoundBy.PROFILER), work.get(1));
        assertEquals("app.Ledger (monitor) at app.Ledger.post", work.get(0).describe());
        assertEquals("java.util.concurrent.locks.ReentrantLock (lock) at app.Work.apply", work.get(1).describe());
        assertEquals("app.Ledger (monitor) at app.Ledger.post [async-profiler: 90% of the lock wait]",
                work.get(0).describeWithEvidence());
        assertEquals(1.0, sites.get("lb/sink").get(0).share(), 1e-9);
    }

    @Test
    void aLockWithNoAppFrameHasNoFrame() {
        assertNull(Attribution.acquiringFrame(List.of("jdk.internal.misc.Unsafe.park", "app.Lock")));
    }

    @Test
    void hotFramesCountSelfSamplesPerStage() {
        List<Stack> stacks = List.of(
                new Stack("lb-work-1", List.of("java.lang.Thread.run", "app.Work.apply", "app.Hash.mix"), 30),
                new Stack("lb-work-2", List.of("java.lang.Thread.run", "app.Work.apply"), 10),
                new Stack("lb-work-2", List.of("java.lang.Thread.run", "app.Work.apply", "app.Hash.mix", "[unknown_Java]"), 10),
                new Stack("lb-sink-1", List.of("[unknown_Java]"), 5));
        Map<String, List<Attribution.HotFrame>> hot = Attribution.hotFrames(stacks, STAGES::get, 1);
        assertEquals(Map.of("lb/work", List.of(new Attribution.HotFrame("app.Hash.mix", 40, 0.8))), hot);
    }
}
