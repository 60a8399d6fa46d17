package dev.tuner.agent.pools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuner.agent.config.AgentOptions;
import dev.tuner.agent.pools.boot.PoolRegistry;
import dev.tuner.agent.stages.SourceKind;
import dev.tuner.agent.stages.StageReading;
import dev.tuner.agent.stages.StageSource;
import dev.tuner.engine.Knob;
import dev.tuner.testpools.ReportingPool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The executor source over pools whose workers report to the registry the way the advice makes them:
 * here a pool's own hooks play the advice ({@link ReportingPool}), so no instrumentation is needed. Real instrumented JVMs are the integration tests' part.
 */
class ExecutorStageSourceTest {
    private final List<ThreadPoolExecutor> pools = new ArrayList<>();
    private final List<String> events = new ArrayList<>();
    private final ExecutorPools executorPools = new ExecutorPools(null);

    private final StageSource.StageEvents recorder = new StageSource.StageEvents() {
        @Override
        public void discovered(StageReading stage) {
            events.add("discover " + stage.id() + " " + stage.source().wireName() + " " + stage.pipeline() + " p="
                    + stage.parallelism() + " [" + stage.minParallelism() + "," + stage.maxParallelism() + "] prefetch="
                    + stage.prefetch());
        }

        @Override
        public void lost(String stageId, SourceKind source, String why) {
            events.add("lost " + stageId + ": " + why);
        }

        @Override
        public void dropped(String stageId, SourceKind source, String why) {
            events.add("dropped " + stageId + ": " + why);
        }
    };

    @AfterEach
    void shutDown() {
        pools.forEach(ThreadPoolExecutor::shutdownNow);
    }

    private <T extends ThreadPoolExecutor> T track(T pool) {
        pools.add(pool);
        return pool;
    }

    private static void runTasks(ThreadPoolExecutor pool, int n) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            pool.execute(() -> {
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                done.countDown();
            });
        }
        assertTrue(done.await(60, TimeUnit.SECONDS));
        while (pool.getActiveCount() > 0) {
            Thread.sleep(1); // a task is counted complete when its worker lets go of it, after the latch
        }
    }

    private ExecutorStageSource source(String options) throws Exception {
        return executorPools.source(recorder, events::add, AgentOptions.parse(options));
    }

    private static StageReading stage(List<StageReading> readings, String id) {
        return readings.stream().filter(r -> r.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError(id + " not in " + readings));
    }

    /** The name the source gave {@code pool}: its default threads are pool-N-thread-M. */
    private static String nameOf(ThreadPoolExecutor pool, List<StageReading> readings) throws Exception {
        String thread = pool.submit(() -> Thread.currentThread().getName()).get();
        String name = PoolNames.fromThread(thread);
        stage(readings, name);
        return name;
    }

    @Test
    void aPoolIsAStageOnceAWorkerWasSeenWithItsCountersAndKnobs() throws Exception {
        ReportingPool pool = track(new ReportingPool(2, 2));
        ExecutorStageSource source = source("");
        runTasks(pool, 20);
        List<StageReading> readings = source.read();
        String name = nameOf(pool, readings);
        StageReading r = stage(source.read(), name);
        assertEquals(SourceKind.EXECUTOR, r.source());
        assertEquals(ExecutorStageSource.PIPELINE, r.pipeline());
        assertEquals(2, r.parallelism());
        assertEquals(1, r.minParallelism());
        assertEquals(256, r.maxParallelism());
        assertEquals(-1, r.prefetch());
        assertTrue(r.itemsProcessed() >= 20, r.toString());
        assertTrue(r.busyNanos() > 0 && r.inputWaitNanos() > 0, r.toString());
        assertEquals(2, r.threadIds().length);
        assertEquals(List.of("discover " + name + " executor executors p=2 [1,256] prefetch=-1"), events);
    }

    @Test
    void parallelismMovesTheCoreSizeAndAStopRestoresBothSizesExactly() throws Exception {
        ReportingPool pool = track(new ReportingPool(2, 2));
        ExecutorStageSource source = source("max-threads=64");
        runTasks(pool, 4);
        String name = nameOf(pool, source.read());
        assertEquals(64, stage(source.read(), name).maxParallelism());

        assertTrue(source.apply(name, Knob.PARALLELISM, 6));
        assertEquals(6, pool.getCorePoolSize());
        assertEquals(6, pool.getMaximumPoolSize());
        assertTrue(source.apply(name, Knob.PARALLELISM, 3));
        assertEquals(3, pool.getCorePoolSize());
        assertEquals(3, pool.getMaximumPoolSize());
        assertFalse(source.apply(name, Knob.PREFETCH, 8), "a JDK queue has no prefetch knob");

        assertTrue(source.restore());
        assertEquals(2, pool.getCorePoolSize());
        assertEquals(2, pool.getMaximumPoolSize());
    }

    @Test
    void aScheduledPoolIsObservedNotResized() throws Exception {
        ScheduledThreadPoolExecutor scheduled = track(new ReportingPool.Scheduled(1, ReportingPool.named("ticker")));
        ExecutorStageSource source = source("");
        scheduled.submit(() -> { }).get();
        scheduled.submit(() -> { }).get();
        StageReading r = stage(source.read(), "ticker");
        assertEquals(1, r.parallelism());
        assertEquals(1, r.minParallelism());
        assertEquals(1, r.maxParallelism());
        assertEquals("ticker", r.pipeline(), "a pool that cannot be tuned is its own pipeline");
        assertFalse(source.apply("ticker", Knob.PARALLELISM, 4));
        assertEquals(1, scheduled.getCorePoolSize());
    }

    @Test
    void poolsLeftOutByThePoolsOptionAreNotListedAndAShutDownPoolIsLost() throws Exception {
        ReportingPool kept = track(new ReportingPool(1, 1));
        ReportingPool excluded = track(new ReportingPool(1, 1));
        runTasks(kept, 2);
        runTasks(excluded, 2);
        ExecutorStageSource all = source("");
        List<StageReading> readings = all.read();
        String keptName = nameOf(kept, readings);
        String excludedName = nameOf(excluded, readings);

        ExecutorStageSource filtered = source("pools=!" + excludedName);
        events.clear();
        List<String> listed = filtered.read().stream().map(StageReading::id).toList();
        assertTrue(listed.contains(keptName), listed.toString());
        assertFalse(listed.contains(excludedName), listed.toString());
        assertFalse(filtered.apply(excludedName, Knob.PARALLELISM, 3));
        assertEquals(1, excluded.getCorePoolSize());

        all.configure(AgentOptions.parse("pools=!" + excludedName)); // a second attach changes pools=
        events.clear();
        all.read();
        assertEquals(List.of("lost " + excludedName + ": pools=!" + excludedName + " leaves it out"), events);

        kept.shutdown();
        assertTrue(kept.awaitTermination(30, TimeUnit.SECONDS));
        events.clear();
        filtered.read();
        assertEquals(List.of("lost " + keptName + ": the pool was shut down"), events);
    }

    @Test
    void theAgentsOwnPoolsAreNeverListed() throws Exception {
        // Created here, in the agent's package: its creator marks it as the agent's.
        ReportingPool own = track(new ReportingPool(1, 1));
        PoolRegistry.created(own);
        runTasks(own, 2);
        ExecutorStageSource source = source("");
        List<StageReading> readings = source.read();
        String thread = own.submit(() -> Thread.currentThread().getName()).get();
        assertFalse(readings.stream().anyMatch(r -> r.id().equals(PoolNames.fromThread(thread))), readings.toString());
    }
}
