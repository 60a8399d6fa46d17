package dev.tuner.agent.pools.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The registry as the advice drives it, called directly (any object stands for a pool here). */
class PoolRegistryTest {

    private static PoolRegistry.Pool poolOf(Object executor) {
        return PoolRegistry.pools().stream().filter(p -> p.executor.get() == executor).findFirst()
                .orElseThrow(() -> new AssertionError("not registered"));
    }

    private static void inThread(Runnable body) throws InterruptedException {
        Thread t = new Thread(body, "registry-test-worker-1");
        t.start();
        t.join();
    }

    @Test
    void aWorkerIsRegisteredTheFirstTimeItWaitsAndItsTimeOutlivesIt() throws Exception {
        Object executor = new Object();
        inThread(() -> {
            PoolRegistry.Worker first = PoolRegistry.waitBegins(executor);
            assertNotNull(first);
            sleep();
            PoolRegistry.waitEnds(first, false);
            sleep();
            PoolRegistry.Worker again = PoolRegistry.waitBegins(executor);
            assertSame(first, again, "one worker record per thread");
            PoolRegistry.waitEnds(again, true); // no task: the worker leaves the pool
        });
        PoolRegistry.Pool pool = poolOf(executor);
        assertNull(pool.creator, "seen through a worker only: it predates the agent");
        assertEquals(List.of(), pool.workers(System.nanoTime()), "a worker that left is not kept");
        long[] retired = new long[2];
        pool.retired(retired);
        assertTrue(retired[0] > 0 && retired[1] > retired[0], "waited " + retired[0] + " of " + retired[1] + " alive");
        assertEquals(0, PoolRegistry.failures());
    }

    @Test
    void aWorkerWaitingNowCountsItsWaitSoFar() throws Exception {
        Object executor = new Object();
        PoolRegistry.Worker[] w = new PoolRegistry.Worker[1];
        inThread(() -> w[0] = PoolRegistry.waitBegins(executor));
        long[] t = new long[3];
        w[0].read(System.nanoTime() + 1_000_000, t);
        assertTrue(t[0] > 0 && t[0] <= t[1], "waited " + t[0] + " of " + t[1]);
    }

    @Test
    void aPoolCreatedByTheAgentsOwnCodeIsIgnoredAtOnceAndAnIgnoredPoolsWorkersSkipTheTiming() throws Exception {
        Object executor = new Object();
        PoolRegistry.created(executor); // the creator is this test, in the agent's package
        PoolRegistry.Pool pool = poolOf(executor);
        assertEquals(PoolRegistryTest.class.getName(), pool.creator);
        assertTrue(pool.ignored);
        inThread(() -> assertNull(PoolRegistry.waitBegins(executor)));
        assertEquals(List.of(), pool.workers(System.nanoTime()));

        Object later = new Object();
        inThread(() -> PoolRegistry.waitEnds(PoolRegistry.waitBegins(later), false));
        poolOf(later).ignore();
        assertEquals(List.of(), poolOf(later).workers(System.nanoTime()));
        inThread(() -> assertNull(PoolRegistry.waitBegins(later)));
    }

    @Test
    void nullFromAnIgnoredPoolIsHarmlessOnTheWayOut() {
        PoolRegistry.waitEnds(null, true);
        assertEquals(0, PoolRegistry.failures());
    }

    private static void sleep() {
        try {
            Thread.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
