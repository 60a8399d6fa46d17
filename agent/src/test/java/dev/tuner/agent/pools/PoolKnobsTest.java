package dev.tuner.agent.pools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PoolKnobsTest {
    private final List<Recording> pools = new ArrayList<>();

    /** A real pool that records the size changes asked of it, in order. */
    static final class Recording extends ThreadPoolExecutor {
        final List<String> calls = new ArrayList<>();

        Recording(int core, int max) {
            super(core, max, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        }

        @Override
        public void setCorePoolSize(int core) {
            calls.add("core=" + core);
            super.setCorePoolSize(core); // the JDK throws if core > max: an order bug fails here
        }

        @Override
        public void setMaximumPoolSize(int max) {
            calls.add("max=" + max);
            super.setMaximumPoolSize(max);
        }
    }

    private Recording pool(int core, int max) {
        Recording pool = new Recording(core, max);
        pools.add(pool);
        return pool;
    }

    @AfterEach
    void shutDown() {
        pools.forEach(ThreadPoolExecutor::shutdownNow);
    }

    @Test
    void aRaiseSetsTheMaximumBeforeTheCore() {
        Recording fixed = pool(1, 1);
        PoolKnobs.setParallelism(fixed, 8, 1);
        assertEquals(List.of("max=8", "core=8"), fixed.calls);
        assertEquals(8, fixed.getCorePoolSize());
        assertEquals(8, fixed.getMaximumPoolSize());
    }

    @Test
    void aCutSetsTheCoreBeforeTheMaximum() {
        Recording fixed = pool(8, 8);
        PoolKnobs.setParallelism(fixed, 3, 8);
        assertEquals(List.of("max=8", "core=3"), fixed.calls, "the found maximum stays: a cut touches the core only");

        Recording raised = pool(8, 8);
        PoolKnobs.setParallelism(raised, 3, 1);
        assertEquals(List.of("core=3", "max=3"), raised.calls, "a pool found fixed at 1 stays fixed");
        assertEquals(3, raised.getMaximumPoolSize());
    }

    @Test
    void aPoolThatCouldGrowBeyondItsCoreStillCan() {
        Recording elastic = pool(2, 10);
        PoolKnobs.setParallelism(elastic, 4, 10);
        assertEquals(4, elastic.getCorePoolSize());
        assertEquals(10, elastic.getMaximumPoolSize());
        PoolKnobs.setParallelism(elastic, 16, 10);
        assertEquals(16, elastic.getCorePoolSize());
        assertEquals(16, elastic.getMaximumPoolSize());
    }

    @Test
    void restoringPutsBothSizesBackExactlyWhicheverWayTheyMoved() {
        Recording up = pool(2, 10);
        PoolKnobs.setParallelism(up, 16, 10);
        up.calls.clear();
        PoolKnobs.setSizes(up, 2, 10);
        assertEquals(List.of("core=2", "max=10"), up.calls);
        assertEquals(2, up.getCorePoolSize());
        assertEquals(10, up.getMaximumPoolSize());

        Recording down = pool(6, 6);
        PoolKnobs.setParallelism(down, 2, 6);
        PoolKnobs.setSizes(down, 6, 6);
        assertEquals(6, down.getCorePoolSize());
        assertEquals(6, down.getMaximumPoolSize());
    }

    @Test
    void sizesThatAreNoPoolSizesAreRefusedBeforeAnythingChanges() {
        Recording pool = pool(2, 2);
        assertThrows(IllegalArgumentException.class, () -> PoolKnobs.setSizes(pool, 3, 2));
        assertThrows(IllegalArgumentException.class, () -> PoolKnobs.setSizes(pool, 0, 0));
        assertEquals(List.of(), pool.calls);
    }
}
