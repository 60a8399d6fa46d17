package dev.tuner.agent.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tuner.engine.LockSite;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real threads put into each kind of wait, classified from their thread infos as the sampler sees them
 * (16 frames). Each test waits for the thread to reach its state, however long the machine takes.
 */
class WorkerActivityTest {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private final List<ExecutorService> pools = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean done;

    @AfterEach
    void cleanUp() throws InterruptedException {
        done = true;
        pools.forEach(ExecutorService::shutdownNow);
        for (Thread t : threads) {
            t.interrupt();
            t.join(10_000);
        }
    }

    private ThreadPoolExecutor pool() {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        pools.add(pool);
        return pool;
    }

    /** The pool's one worker thread, once it runs. */
    private static Thread workerOf(ThreadPoolExecutor pool) throws Exception {
        AtomicReference<Thread> worker = new AtomicReference<>();
        pool.submit(() -> worker.set(Thread.currentThread())).get();
        return worker.get();
    }

    private Thread start(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
        return t;
    }

    /** The thread's info once its top frames satisfy {@code ready}. */
    private static ThreadInfo await(Thread t, Predicate<ThreadInfo> ready) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        ThreadInfo info = null;
        while (System.nanoTime() < deadline) {
            info = THREADS.getThreadInfo(t.getId(), 16);
            if (info != null && ready.test(info)) {
                return info;
            }
            Thread.sleep(5);
        }
        fail("thread " + t.getName() + " never got there: " + info);
        return null;
    }

    private static Predicate<ThreadInfo> in(Thread.State state) {
        return info -> info.getThreadState() == state;
    }

    private static Predicate<ThreadInfo> parked() {
        return info -> info.getThreadState() == Thread.State.WAITING || info.getThreadState() == Thread.State.TIMED_WAITING;
    }

    @Test
    void aTaskParkedOnAnEmptyQueueIsStarved() throws Exception {
        ThreadPoolExecutor pool = pool();
        Thread worker = workerOf(pool);
        BlockingQueue<Object> empty = new ArrayBlockingQueue<>(4);
        pool.execute(() -> {
            try {
                empty.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        ThreadInfo info = await(worker, parked().and(i -> frames(i).contains("ArrayBlockingQueue.take")));
        assertEquals(WorkerActivity.STARVED, WorkerActivity.of(info), frames(info));
    }

    @Test
    void aTaskParkedOnAFullQueueIsBackpressured() throws Exception {
        ThreadPoolExecutor pool = pool();
        Thread worker = workerOf(pool);
        BlockingQueue<Object> full = new ArrayBlockingQueue<>(1);
        full.add("x");
        pool.execute(() -> {
            try {
                full.put("y");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        ThreadInfo info = await(worker, parked().and(i -> frames(i).contains("ArrayBlockingQueue.put")));
        assertEquals(WorkerActivity.BACKPRESSURED, WorkerActivity.of(info), frames(info));
    }

    @Test
    void aSynchronousHandOffCountsByItsEndToo() throws Exception {
        SynchronousQueue<Object> handOff = new SynchronousQueue<>();
        Thread giver = start("giver", () -> {
            try {
                handOff.put("x");
            } catch (InterruptedException ignored) {
                // end of test
            }
        });
        ThreadInfo info = await(giver, parked());
        assertEquals(WorkerActivity.BACKPRESSURED, WorkerActivity.of(info), frames(info));
    }

    @Test
    void aWorkerWaitingForItsPoolsNextTaskIsIdle() throws Exception {
        ThreadPoolExecutor pool = pool();
        Thread worker = workerOf(pool);
        ThreadInfo info = await(worker, parked().and(i -> frames(i).contains("getTask")));
        assertEquals(WorkerActivity.IDLE, WorkerActivity.of(info), frames(info));
    }

    @Test
    void anIdleForkJoinWorkerIsIdle() throws Exception {
        ForkJoinPool pool = new ForkJoinPool(1);
        pools.add(pool);
        AtomicReference<Thread> worker = new AtomicReference<>();
        pool.submit(() -> worker.set(Thread.currentThread())).get();
        assertTrue(worker.get() instanceof ForkJoinWorkerThread);
        ThreadInfo info = await(worker.get(), parked().and(i -> frames(i).contains("awaitWork")));
        assertEquals(WorkerActivity.IDLE, WorkerActivity.of(info), frames(info));
    }

    @Test
    void blockedOnAMonitorIsALockWait() throws Exception {
        Object monitor = new Object();
        CountDownLatch entered = new CountDownLatch(1);
        synchronized (monitor) {
            Thread t = start("blocked", () -> {
                synchronized (monitor) {
                    entered.countDown();
                }
            });
            ThreadInfo info = await(t, in(Thread.State.BLOCKED));
            assertEquals(WorkerActivity.LOCK, WorkerActivity.of(info), frames(info));
            ThreadSample sample = ThreadSample.of(info);
            assertEquals(new LockSite("java.lang.Object", sample.lock().frame(), 0, 1, LockSite.FoundBy.THREAD_DUMPS),
                    sample.lock());
            assertTrue(sample.lock().frame().startsWith(WorkerActivityTest.class.getName() + ".lambda$")
                    && sample.lock().frame().contains("(WorkerActivityTest.java:"), sample.lock()::toString);
            assertFalse(sample.onCpu() || sample.nativeWait());
        }
        assertTrue(entered.await(30, TimeUnit.SECONDS));
    }

    @Test
    void parkedOnALockAnotherThreadHoldsIsALockWait() throws Exception {
        ReentrantLock lock = new ReentrantLock();
        lock.lock();
        try {
            Thread t = start("parked-on-lock", () -> {
                lock.lock();
                lock.unlock();
            });
            ThreadInfo info = await(t, parked());
            assertEquals(WorkerActivity.LOCK, WorkerActivity.of(info), frames(info));
            LockSite site = ThreadSample.of(info).lock();
            assertEquals("java.util.concurrent.locks.ReentrantLock", site.lockClass(), "without its inner sync class");
            assertEquals("lock", site.kind());
            assertTrue(site.frame().startsWith(WorkerActivityTest.class.getName() + ".lambda$"),
                    "the first frame outside the lock machinery: " + site);
        } finally {
            lock.unlock();
        }
    }

    @Test
    void sleepingIsAnIoLikeWait() throws Exception {
        Thread t = start("sleeper", () -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException ignored) {
                // end of test
            }
        });
        ThreadInfo info = await(t, in(Thread.State.TIMED_WAITING));
        assertEquals(WorkerActivity.IO, WorkerActivity.of(info), frames(info));
    }

    @Test
    void waitingOnAMonitorIsSomeOtherWait() throws Exception {
        Object monitor = new Object();
        Thread t = start("waiter", () -> {
            synchronized (monitor) {
                try {
                    monitor.wait();
                } catch (InterruptedException ignored) {
                    // end of test
                }
            }
        });
        ThreadInfo info = await(t, in(Thread.State.WAITING));
        assertEquals(WorkerActivity.OTHER, WorkerActivity.of(info), frames(info));
    }

    @Test
    void computingIsRunning() throws Exception {
        Thread t = start("spinner", () -> {
            long x = 0;
            while (!done) {
                x += System.nanoTime() % 7;
            }
            if (x == 42) {
                System.out.print("");
            }
        });
        ThreadInfo info = await(t, in(Thread.State.RUNNABLE));
        assertEquals(WorkerActivity.RUNNING, WorkerActivity.of(info), frames(info));
    }

    @Test
    void onlyRunningIsDemandForACoreAndOnlyInWorkWaitsAreOffCpuTime() {
        assertTrue(WorkerActivity.LOCK.offCpuInWork() && WorkerActivity.IO.offCpuInWork()
                && WorkerActivity.OTHER.offCpuInWork());
        for (WorkerActivity queue : List.of(WorkerActivity.IDLE, WorkerActivity.STARVED, WorkerActivity.BACKPRESSURED)) {
            assertTrue(queue.inQueue() && !queue.offCpuInWork(), queue.toString());
        }
        assertTrue(!WorkerActivity.RUNNING.offCpuInWork() && !WorkerActivity.RUNNING.inQueue());
    }

    @Test
    void theSamplersCapKeepsMovedWaitsWithinBusyLessCpu() {
        assertEquals(new ThreadSampler.QueueWaits(300, 100), ThreadSampler.capped(300, 100, 1000));
        assertEquals(new ThreadSampler.QueueWaits(675, 225), ThreadSampler.capped(1000, 333, 900));
        assertEquals(new ThreadSampler.QueueWaits(0, 0), ThreadSampler.capped(500, 500, -20));
    }

    private static String frames(ThreadInfo info) {
        StringBuilder sb = new StringBuilder(info.getThreadState().toString());
        for (StackTraceElement e : info.getStackTrace()) {
            sb.append(" | ").append(e.getClassName().substring(e.getClassName().lastIndexOf('.') + 1)).append('.')
                    .append(e.getMethodName());
        }
        return sb.toString();
    }
}
