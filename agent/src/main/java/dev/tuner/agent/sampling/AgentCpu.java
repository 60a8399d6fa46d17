package dev.tuner.agent.sampling;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one account of the agent's own CPU: every thread the agent runs work on (the control loop, the
 * profiler's recordings, installing the pools' advice) runs it through {@link #counted}, so that its CPU
 * counts as the agent's overhead and not as the app's work, while it runs and after it ended. A thread's
 * CPU can no longer be read once it ended, so each thread adds its own total as it finishes. Thread-safe.
 */
public final class AgentCpu {
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Set<Long> running = ConcurrentHashMap.newKeySet();
    private final AtomicLong ended = new AtomicLong();

    /** {@code task}, counted: run it on the agent's thread. */
    public Runnable counted(Runnable task) {
        return () -> {
            long id = Thread.currentThread().getId();
            running.add(id);
            try {
                task.run();
            } finally {
                long cpu = Math.max(0, threads.getCurrentThreadCpuTime());
                // Leave the running set before adding the total: a reader in between misses this thread for
                // a moment (the next reading catches up) rather than counting it twice.
                running.remove(id);
                ended.addAndGet(cpu);
            }
        };
    }

    /** Cumulative CPU nanoseconds of every counted thread so far. */
    public long cpuNanos() {
        long sum = ended.get();
        for (long id : running) {
            sum += Math.max(0, threads.getThreadCpuTime(id));
        }
        return sum;
    }
}
