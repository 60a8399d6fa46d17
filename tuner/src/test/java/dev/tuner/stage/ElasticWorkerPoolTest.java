package dev.tuner.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class ElasticWorkerPoolTest {
    private static final Thread.UncaughtExceptionHandler NO_FAILURE = (t, e) -> {
        throw new AssertionError("unexpected step failure on " + t.getName(), e);
    };

    private final List<ElasticWorkerPool> pools = new CopyOnWriteArrayList<>();
    /** Everything a step saw that it should not have (an interrupt, a failed assertion). */
    private final List<Throwable> problems = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopPools() throws InterruptedException {
        for (ElasticWorkerPool pool : pools) {
            pool.shutdown();
            assertTrue(pool.awaitTermination(Await.SAFETY_SECONDS, TimeUnit.SECONDS), "pool workers did not stop");
        }
    }

    private ElasticWorkerPool pool(String name, java.util.function.Supplier<ElasticWorkerPool.WorkerBody> bodies,
                                   Runnable onAllFinished, Thread.UncaughtExceptionHandler failures) {
        ElasticWorkerPool pool = new ElasticWorkerPool(name, true, bodies, onAllFinished, failures);
        pools.add(pool);
        return pool;
    }

    private static Set<Long> ids(ElasticWorkerPool pool) {
        return Arrays.stream(pool.workerThreadIds()).boxed().collect(Collectors.toSet());
    }

    private static Set<Long> idsOf(Set<Thread> threads) {
        return threads.stream().map(Thread::getId).collect(Collectors.toSet());
    }

    @Test
    void growsAtOnceAndWorkerThreadIdsListTheLiveWorkers() {
        Set<Thread> seen = ConcurrentHashMap.newKeySet();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch firstFour = new CountDownLatch(4);
        CountDownLatch allSix = new CountDownLatch(6);
        ElasticWorkerPool pool = pool("grow", () -> () -> {
            if (seen.add(Thread.currentThread())) {
                firstFour.countDown();
                allSix.countDown();
            }
            release.await(); // every worker holds its first step until the end of the test
            return true;
        }, () -> { }, NO_FAILURE);

        assertEquals(0, pool.liveWorkers());
        assertEquals(0, pool.workerThreadIds().length);
        pool.resize(4);
        assertEquals(4, pool.size());
        assertEquals(4, pool.liveWorkers(), "growing starts the workers at once");
        Await.latch("4 distinct workers in a step at the same time", firstFour);
        assertEquals(idsOf(seen), ids(pool));
        assertTrue(seen.stream().allMatch(t -> t.isDaemon() && t.getName().startsWith("grow-")));

        pool.resize(6);
        assertEquals(6, pool.liveWorkers());
        Await.latch("6 distinct workers in a step at the same time", allSix);
        assertEquals(6, seen.size());
        assertEquals(idsOf(seen), ids(pool));
        release.countDown();
    }

    @Test
    void shrinkingLetsSurplusWorkersLeaveOnlyBetweenSteps() throws InterruptedException {
        LinkedBlockingQueue<Integer> work = new LinkedBlockingQueue<>();
        Set<Integer> done = ConcurrentHashMap.newKeySet();
        Set<Thread> seen = ConcurrentHashMap.newKeySet();
        CountDownLatch holding = new CountDownLatch(3);
        CountDownLatch gate = new CountDownLatch(1);
        ElasticWorkerPool pool = pool("shrink", () -> () -> {
            Integer item = work.poll(5, TimeUnit.MILLISECONDS);
            if (item == null) {
                return true;
            }
            seen.add(Thread.currentThread());
            if (item < 3) {
                holding.countDown();
                try {
                    gate.await(); // mid-step: holds its item until the gate opens
                } catch (InterruptedException e) {
                    problems.add(new AssertionError("a worker was interrupted in the middle of item " + item));
                    throw e;
                }
            }
            done.add(item);
            return true;
        }, () -> { }, NO_FAILURE);

        pool.resize(3);
        work.addAll(List.of(0, 1, 2));
        Await.latch("3 workers each holding an item", holding);
        Set<Thread> holders = Set.copyOf(seen);
        assertEquals(3, holders.size());

        pool.resize(1);
        assertEquals(1, pool.size());
        // Nobody can leave while holding an item: all three are still live and listed.
        assertEquals(3, pool.liveWorkers());
        assertEquals(idsOf(holders), ids(pool));
        holders.forEach(t -> assertTrue(t.isAlive()));
        assertTrue(done.isEmpty());

        gate.countDown();
        // The worker that stays finishes its item on its own schedule: wait for that too.
        Await.until("surplus workers left", () -> pool.liveWorkers() == 1 && pool.workerThreadIds().length == 1
                        && done.size() == 3,
                () -> "live=" + pool.liveWorkers() + " ids=" + ids(pool) + " done=" + done);
        assertEquals(Set.of(0, 1, 2), done, "each surplus worker finished its item before leaving");
        assertTrue(problems.isEmpty(), problems::toString);
        for (Thread t : holders) {
            if (!ids(pool).contains(t.getId())) {
                Await.joined("retired worker " + t.getName(), t);
            }
        }
        assertEquals(1, holders.stream().filter(Thread::isAlive).count(), "exactly one of the three remains");

        // The one left keeps working.
        for (int i = 3; i < 20; i++) {
            work.add(i);
        }
        Await.until("the remaining worker processed the rest", () -> done.size() == 20);
        assertEquals(1, pool.liveWorkers());
    }

    @RepeatedTest(20)
    void onAllFinishedRunsExactlyOnceAfterTheLastWorkerLeft() throws InterruptedException {
        int n = 200;
        int last = n - 1;
        LinkedBlockingQueue<Integer> work = new LinkedBlockingQueue<>();
        for (int i = 0; i < n; i++) {
            work.add(i);
        }
        AtomicInteger processed = new AtomicInteger();
        AtomicInteger inStep = new AtomicInteger();
        AtomicInteger finishedRuns = new AtomicInteger();
        CountDownLatch sawEnd = new CountDownLatch(1);
        CountDownLatch allFinished = new CountDownLatch(1);
        AtomicReference<String> stateAtFinish = new AtomicReference<>();
        AtomicReference<ElasticWorkerPool> self = new AtomicReference<>();

        ElasticWorkerPool pool = pool("finish", () -> () -> {
            inStep.incrementAndGet();
            try {
                Integer item = work.poll();
                if (item == null) {
                    sawEnd.countDown();
                    return false; // input finished
                }
                if (item == last) {
                    // Hold the last item until another worker has already reported the end:
                    // onAllFinished must still wait for this one.
                    Await.latch("another worker reporting the end", sawEnd);
                }
                processed.incrementAndGet();
                return true;
            } finally {
                inStep.decrementAndGet();
            }
        }, () -> {
            stateAtFinish.set("runs=" + finishedRuns.incrementAndGet() + " processed=" + processed.get()
                    + " inStep=" + inStep.get() + " live=" + self.get().liveWorkers());
            allFinished.countDown();
        }, NO_FAILURE);
        self.set(pool);

        pool.resize(4);
        Await.latch("onAllFinished", allFinished);
        assertEquals("runs=1 processed=" + n + " inStep=0 live=0", stateAtFinish.get());
        assertTrue(pool.awaitTermination(Await.SAFETY_SECONDS, TimeUnit.SECONDS));
        assertEquals(0, pool.workerThreadIds().length);
        assertEquals(1, finishedRuns.get(), "exactly once");

        // A finished pool does not grow again, and does not report again.
        pool.resize(3);
        assertEquals(0, pool.liveWorkers());
        assertEquals(0, pool.workerThreadIds().length);
        assertEquals(1, finishedRuns.get());
    }

    @RepeatedTest(5)
    void noWorkerJoinsAfterTheEndWasReportedEvenWhileAResizeIsStartingWorkers() throws InterruptedException {
        // The input is finished from the start: the first worker reports the end while resize(32) is
        // still starting the others. onAllFinished must wait for every worker that was started.
        AtomicInteger bodiesMade = new AtomicInteger();
        AtomicInteger bodiesMadeAfterFinish = new AtomicInteger();
        AtomicBoolean reported = new AtomicBoolean();
        AtomicInteger finishedRuns = new AtomicInteger();
        AtomicReference<String> stateAtFinish = new AtomicReference<>();
        AtomicReference<ElasticWorkerPool> self = new AtomicReference<>();
        CountDownLatch allFinished = new CountDownLatch(1);
        ElasticWorkerPool pool = pool("late", () -> {
            bodiesMade.incrementAndGet();
            if (reported.get()) {
                bodiesMadeAfterFinish.incrementAndGet();
            }
            return () -> false;
        }, () -> {
            reported.set(true);
            stateAtFinish.set("runs=" + finishedRuns.incrementAndGet() + " live=" + self.get().liveWorkers());
            allFinished.countDown();
        }, NO_FAILURE);
        self.set(pool);
        pool.resize(32);
        Await.latch("onAllFinished", allFinished);
        assertTrue(pool.awaitTermination(Await.SAFETY_SECONDS, TimeUnit.SECONDS));
        assertEquals("runs=1 live=0", stateAtFinish.get());
        assertEquals(0, bodiesMadeAfterFinish.get(), "workers started after the end was reported (of "
                + bodiesMade.get() + ")");
        assertEquals(1, finishedRuns.get());
    }

    @Test
    void aStepThatThrowsIsReportedAndItsWorkerReplaced() {
        RuntimeException boom = new RuntimeException("boom");
        AtomicInteger steps = new AtomicInteger();
        AtomicInteger bodies = new AtomicInteger();
        AtomicReference<Thread> failedThread = new AtomicReference<>();
        AtomicReference<Throwable> reported = new AtomicReference<>();
        AtomicInteger reports = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        ElasticWorkerPool pool = pool("fail", () -> {
            bodies.incrementAndGet();
            return () -> {
                if (steps.incrementAndGet() == 1) {
                    failedThread.set(Thread.currentThread());
                    throw boom;
                }
                release.await(10, TimeUnit.MILLISECONDS);
                return true;
            };
        }, () -> problems.add(new AssertionError("onAllFinished must not run")), (thread, failure) -> {
            reports.incrementAndGet();
            if (thread != Thread.currentThread()) {
                problems.add(new AssertionError("reported for another thread"));
            }
            reported.set(failure);
        });

        pool.resize(2);
        Await.until("the failing worker was replaced", () -> bodies.get() == 3 && pool.liveWorkers() == 2
                        && pool.workerThreadIds().length == 2 && !ids(pool).contains(failedThread.get().getId()),
                () -> "bodies=" + bodies.get() + " live=" + pool.liveWorkers() + " ids=" + ids(pool));
        assertSame(boom, reported.get());
        assertEquals(1, reports.get());
        assertNotNull(failedThread.get());
        Await.joined("the failed worker", failedThread.get());
        assertEquals(2, pool.size());
        release.countDown();
        assertTrue(problems.isEmpty(), problems::toString);
    }

    @Test
    void shutdownStopsWorkersWithoutRunningOnAllFinished() throws InterruptedException {
        AtomicInteger finishedRuns = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(3);
        Set<Thread> seen = ConcurrentHashMap.newKeySet();
        ElasticWorkerPool pool = pool("stop", () -> () -> {
            if (seen.add(Thread.currentThread())) {
                started.countDown();
            }
            new CountDownLatch(1).await(); // blocks until interrupted
            return true;
        }, finishedRuns::incrementAndGet, NO_FAILURE);
        pool.resize(3);
        Await.latch("3 workers blocked in a step", started);
        pool.shutdown();
        assertTrue(pool.awaitTermination(Await.SAFETY_SECONDS, TimeUnit.SECONDS));
        seen.forEach(t -> assertFalse(t.isAlive()));
        assertEquals(0, pool.liveWorkers());
        assertEquals(0, finishedRuns.get());
        pool.resize(2);
        assertEquals(0, pool.liveWorkers(), "a shut-down pool starts no worker");
    }

    @Test
    void negativeSizeIsRejected() {
        ElasticWorkerPool pool = pool("neg", () -> () -> true, () -> { }, NO_FAILURE);
        assertThrows(IllegalArgumentException.class, () -> pool.resize(-1));
        assertEquals(0, pool.size());
        assertEquals(0, pool.liveWorkers());
    }
}
