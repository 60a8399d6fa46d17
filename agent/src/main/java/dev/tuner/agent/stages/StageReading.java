package dev.tuner.agent.stages;

import dev.tuner.engine.StageSnapshot;

/**
 * A stage's knobs and counters as read from where it lives (a JMX bean, a discovered pool), before the
 * sampler joins its threads' CPU and lock time.
 *
 * @param id       {@code pipeline/name}, or a discovered pool's name
 * @param source   where it was found
 * @param threadIds its worker threads now
 * @param occupancy how often its output buffer was sampled full or empty, cumulative
 */
public record StageReading(
        String id,
        String pipeline,
        SourceKind source,
        int parallelism, int minParallelism, int maxParallelism,
        int prefetch, int minPrefetch, int maxPrefetch,
        long itemsProcessed,
        long busyNanos,
        long inputWaitNanos,
        long outputWaitNanos,
        int buffered,
        long[] threadIds,
        StageSnapshot.Occupancy occupancy) {

    /** The knob values a stop restores, and the bounds, as the log's discover/stop events show them. */
    public KnobSettings knobs() {
        return new KnobSettings(parallelism, prefetch);
    }

    /** A stage's two knobs; prefetch -1 where it has none. */
    public record KnobSettings(int parallelism, int prefetch) {
    }
}
