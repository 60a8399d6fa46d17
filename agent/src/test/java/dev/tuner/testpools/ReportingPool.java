package dev.tuner.testpools;

import dev.tuner.agent.pools.boot.PoolRegistry;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * An app's pool for the agent's unit tests (outside the agent's packages, so it is not taken for the
 * agent's own): its workers tell the registry when they wait for work, as the getTask advice makes them.
 * Leaving a task is entering the wait; starting the next is leaving it.
 */
public final class ReportingPool extends ThreadPoolExecutor {
    private final ThreadLocal<PoolRegistry.Worker> slot = new ThreadLocal<>();

    public ReportingPool(int core, int max) {
        super(core, max, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), Executors.defaultThreadFactory());
    }

    @Override
    protected void beforeExecute(Thread t, Runnable r) {
        PoolRegistry.waitEnds(slot.get(), false);
    }

    @Override
    protected void afterExecute(Runnable r, Throwable t) {
        slot.set(PoolRegistry.waitBegins(this));
    }

    /** Daemon threads {@code prefix-1}, {@code prefix-2}, ... (a factory of the app's, not the agent's). */
    public static ThreadFactory named(String prefix) {
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger(1);
        return r -> {
            Thread t = new Thread(r, prefix + "-" + next.getAndIncrement());
            t.setDaemon(true);
            return t;
        };
    }

    /** The same for a scheduled pool. */
    public static final class Scheduled extends ScheduledThreadPoolExecutor {
        private final ThreadLocal<PoolRegistry.Worker> slot = new ThreadLocal<>();

        public Scheduled(int core, ThreadFactory threads) {
            super(core, threads);
        }

        @Override
        protected void beforeExecute(Thread t, Runnable r) {
            PoolRegistry.waitEnds(slot.get(), false);
        }

        @Override
        protected void afterExecute(Runnable r, Throwable t) {
            slot.set(PoolRegistry.waitBegins(this));
        }
    }
}
