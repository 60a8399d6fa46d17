package dev.tuner.stage;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A set of worker threads whose size changes at runtime: the "parallelism" knob.
 *
 * <p>Each worker repeatedly runs {@link WorkerBody#step()}. Growing starts new workers at once.
 * Shrinking never interrupts a worker: a surplus worker leaves between two steps, so the item it holds
 * is always finished first (a step that waits for input returns within its poll timeout, so idle
 * workers leave promptly too).
 *
 * <p>When any step reports that the input is finished, the pool stops growing, every worker leaves
 * after its current step, and {@code onAllFinished} runs exactly once, on the last worker to leave.
 *
 * <p>Thread safety: {@link #resize}, {@link #size} and {@link #workerThreadIds} may be called from any
 * thread at any time.
 */
public final class ElasticWorkerPool {

    /** One unit of a worker's loop. */
    @FunctionalInterface
    public interface WorkerBody {
        /**
         * Does at most one item's work.
         *
         * @return false when the input is finished and the worker should leave
         */
        boolean step() throws Exception;
    }

    private final String threadNamePrefix;
    private final boolean daemon;
    private final Supplier<? extends WorkerBody> bodies;
    private final Runnable onAllFinished;
    private final Thread.UncaughtExceptionHandler failureHandler;

    private final Object resizeLock = new Object();
    private final AtomicInteger live = new AtomicInteger();
    private final Set<Thread> workers = ConcurrentHashMap.newKeySet();
    private final AtomicInteger nextWorkerNumber = new AtomicInteger();
    private final AtomicBoolean finished = new AtomicBoolean();
    private final AtomicBoolean finishReported = new AtomicBoolean();
    private volatile int target;
    private volatile boolean shutdown;

    /**
     * @param threadNamePrefix workers are named {@code <prefix>-<n>}
     * @param daemon whether workers are daemon threads
     * @param bodies makes each new worker's body (one per worker, so a body may keep per-thread state)
     * @param onAllFinished runs once when the input is finished and the last worker has left
     * @param failureHandler receives a step's unexpected exception; the worker then leaves and is replaced
     */
    public ElasticWorkerPool(String threadNamePrefix, boolean daemon, Supplier<? extends WorkerBody> bodies, Runnable onAllFinished,
                             Thread.UncaughtExceptionHandler failureHandler) {
        this.threadNamePrefix = threadNamePrefix;
        this.daemon = daemon;
        this.bodies = bodies;
        this.onAllFinished = onAllFinished;
        this.failureHandler = failureHandler;
    }

    /** Sets the number of workers; starts the missing ones now, lets the surplus ones leave between items. */
    public void resize(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("pool size must be >= 0, got " + size);
        }
        synchronized (resizeLock) {
            target = size;
            if (shutdown || finished.get()) {
                return;
            }
            // finished is re-checked for every worker: together with the last-worker check in runWorker,
            // which is made under this lock, no worker can join after onAllFinished has run.
            while (!finished.get() && live.get() < target) {
                live.incrementAndGet();
                startWorker();
            }
        }
    }

    /** The size last asked for. */
    public int size() {
        return target;
    }

    /** Workers now running (differs from {@link #size()} while surplus workers finish their item). */
    public int liveWorkers() {
        return live.get();
    }

    /** Ids of the worker threads now alive, for joining with {@code ThreadMXBean}. */
    public long[] workerThreadIds() {
        return workers.stream().mapToLong(Thread::getId).toArray();
    }

    /** Stops all workers: interrupts them and makes them leave. Does not run {@code onAllFinished}. */
    public void shutdown() {
        synchronized (resizeLock) {
            shutdown = true;
            target = 0;
        }
        workers.forEach(Thread::interrupt);
    }

    public boolean isShutdown() {
        return shutdown;
    }

    /** Waits until every worker has left; true if they did within the timeout. */
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        for (Thread worker : workers) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return workers.isEmpty();
            }
            TimeUnit.NANOSECONDS.timedJoin(worker, left);
        }
        return workers.isEmpty();
    }

    private void startWorker() {
        Thread thread = new Thread(this::runWorker, threadNamePrefix + "-" + nextWorkerNumber.incrementAndGet());
        thread.setDaemon(daemon);
        workers.add(thread);
        thread.start();
    }

    private void runWorker() {
        Thread self = Thread.currentThread();
        boolean replace = false;
        try {
            WorkerBody body = bodies.get();
            boolean retired = false;
            while (!shutdown && !finished.get() && !(retired = retireIfSurplus())) {
                if (!body.step()) {
                    finished.set(true);
                }
            }
            if (!retired) {
                live.decrementAndGet();
            }
        } catch (InterruptedException e) {
            live.decrementAndGet();
            if (!shutdown) {
                // Interrupted by someone other than shutdown(): the step may have dropped the item it held,
                // so this is a failure, reported like any other, not a quiet exit.
                replace = true;
                failureHandler.uncaughtException(self, e);
            }
        } catch (Throwable t) {
            live.decrementAndGet();
            replace = !shutdown;
            failureHandler.uncaughtException(self, t);
        } finally {
            workers.remove(self);
        }
        if (replace) {
            resize(target);
        }
        boolean last;
        synchronized (resizeLock) {
            last = finished.get() && live.get() == 0 && finishReported.compareAndSet(false, true);
        }
        if (last) {
            onAllFinished.run();
        }
    }

    /** Leaves the pool if it has more workers than asked for; the decrement is the ticket to leave. */
    private boolean retireIfSurplus() {
        while (true) {
            int now = live.get();
            if (now <= target) {
                return false;
            }
            if (live.compareAndSet(now, now - 1)) {
                return true;
            }
        }
    }
}
