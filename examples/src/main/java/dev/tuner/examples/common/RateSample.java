package dev.tuner.examples.common;

/**
 * Cumulative counters read at one instant: wall clock, items done so far, process CPU used so far.
 * Rates are differences between two samples.
 *
 * @param nanos {@link System#nanoTime()} when read
 * @param items items finished since the run started (monotonic)
 * @param cpuNanos process CPU time (monotonic)
 */
public record RateSample(long nanos, long items, long cpuNanos) {

    /** Seconds of wall time from {@code earlier} to this sample. */
    public double secondsSince(RateSample earlier) {
        return (nanos - earlier.nanos) / 1e9;
    }

    /** Items per second from {@code earlier} to this sample; 0 over an empty interval. */
    public double itemsPerSecondSince(RateSample earlier) {
        double seconds = secondsSince(earlier);
        return seconds <= 0 ? 0 : (items - earlier.items) / seconds;
    }

    /** Average number of cores busy from {@code earlier} to this sample; 0 over an empty interval. */
    public double coresBusySince(RateSample earlier) {
        long wall = nanos - earlier.nanos;
        return wall <= 0 ? 0 : (double) (cpuNanos - earlier.cpuNanos) / wall;
    }
}
