package dev.tuner.engine;

import java.util.Map;
import java.util.Objects;

/**
 * A stage's knobs and cumulative counters read at one instant, as the JMX contract publishes them,
 * joined with what the sampler measured of its worker threads.
 *
 * <p>Counters are monotonic totals since the stage started (nanoseconds, items); the engine works with
 * deltas between two snapshots. {@code cpuNanos}, {@code offCpuNanos} and {@code lockNanos} are
 * accumulated by the sampler over the stage's worker threads; -1 means "not measured" (no thread ids,
 * or CPU time unsupported). {@code offCpuNanos} is time spent inside processing off the CPU by the
 * worker's own doing (sleeping, blocked, waiting on I/O or a lock), as opposed to waiting for a core:
 * with it the engine tells an I/O-bound stage from a CPU-bound one starved of cores.
 *
 * @param id            {@code pipeline/name} for JMX stages, the pool's name for discovered pools
 * @param pipeline      the pipeline it belongs to (the JDK pools the agent may resize share one,
 *                      {@code executors}: they feed each other through queues; a pool it can only
 *                      observe is its own pipeline)
 * @param prefetch      output buffer capacity; -1 where the stage has none (then min/max are -1 too)
 * @param threadStates  its worker threads now, by {@link Thread.State} name
 * @param occupancy     how often its output buffer was seen full or empty (cumulative samples)
 * @param lockSite      the lock its workers were most often seen waiting for (from a lock profile when one
 *                      ran, else from thread dumps); {@code null} if none
 */
public record StageSnapshot(
        String id,
        String pipeline,
        int parallelism, int minParallelism, int maxParallelism,
        int prefetch, int minPrefetch, int maxPrefetch,
        long itemsProcessed,
        long busyNanos,
        long inputWaitNanos,
        long outputWaitNanos,
        int buffered,
        long cpuNanos,
        long offCpuNanos,
        long lockNanos,
        Map<String, Integer> threadStates,
        Occupancy occupancy,
        LockSite lockSite) {

    public StageSnapshot {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(pipeline, "pipeline");
        threadStates = threadStates == null ? Map.of() : Map.copyOf(threadStates);
        occupancy = occupancy == null ? Occupancy.NONE : occupancy;
    }

    /**
     * Cumulative counts of samples of a stage's output buffer: how many were taken, how many found it
     * full (at or over capacity) and how many found it empty. A buffer seen both full and empty within
     * an interval is one whose producer and consumer take turns.
     */
    public record Occupancy(long samples, long full, long empty) {
        public static final Occupancy NONE = new Occupancy(0, 0, 0);
    }

    public boolean hasPrefetch() {
        return prefetch >= 0 && maxPrefetch >= 1;
    }
}
