package dev.tuner.stage;

/**
 * A stage's knobs and their bounds. Immutable; build with {@link #parallelism(int)} and the
 * {@code with*} methods.
 *
 * <p>Defaults: parallelism 1 within [1, 256]; output buffer (prefetch) of 16 items within [1, 4096].
 * The bounds are what a tuner may use; pin a knob by making min = max.
 */
public final class StageConfig {
    public static final int DEFAULT_MAX_PARALLELISM = 256;
    public static final int DEFAULT_PREFETCH = 16;
    public static final int DEFAULT_MAX_PREFETCH = 4096;

    private final int parallelism;
    private final int minParallelism;
    private final int maxParallelism;
    private final int prefetch;
    private final int minPrefetch;
    private final int maxPrefetch;
    private final boolean daemon;

    private StageConfig(int parallelism, int minParallelism, int maxParallelism,
                        int prefetch, int minPrefetch, int maxPrefetch, boolean daemon) {
        check("parallelism", parallelism, minParallelism, maxParallelism, 1);
        check("prefetch", prefetch, minPrefetch, maxPrefetch, 1);
        this.parallelism = parallelism;
        this.minParallelism = minParallelism;
        this.maxParallelism = maxParallelism;
        this.prefetch = prefetch;
        this.minPrefetch = minPrefetch;
        this.maxPrefetch = maxPrefetch;
        this.daemon = daemon;
    }

    private static void check(String knob, int value, int min, int max, int floor) {
        if (min < floor || max < min || value < min || value > max) {
            throw new IllegalArgumentException(knob + " must satisfy " + floor + " <= min <= value <= max, got min="
                    + min + " value=" + value + " max=" + max);
        }
    }

    /** The default configuration with the given initial parallelism (bounds stretch to include it). */
    public static StageConfig parallelism(int parallelism) {
        return new StageConfig(parallelism, 1, Math.max(DEFAULT_MAX_PARALLELISM, parallelism),
                DEFAULT_PREFETCH, 1, DEFAULT_MAX_PREFETCH, true);
    }

    /** A stage that must run on exactly one thread (stateful, or order-keeping). */
    public static StageConfig single() {
        return new StageConfig(1, 1, 1, DEFAULT_PREFETCH, 1, DEFAULT_MAX_PREFETCH, true);
    }

    public StageConfig withParallelismBounds(int min, int max) {
        return new StageConfig(parallelism, min, max, prefetch, minPrefetch, maxPrefetch, daemon);
    }

    /** The initial capacity of the stage's output buffer, in items. */
    public StageConfig withPrefetch(int prefetch) {
        return new StageConfig(parallelism, minParallelism, maxParallelism, prefetch,
                Math.min(minPrefetch, prefetch), Math.max(maxPrefetch, prefetch), daemon);
    }

    public StageConfig withPrefetchBounds(int min, int max) {
        return new StageConfig(parallelism, minParallelism, maxParallelism, prefetch, min, max, daemon);
    }

    /** Whether worker threads are daemons (default true: a pipeline does not keep the JVM alive). */
    public StageConfig withDaemonWorkers(boolean daemon) {
        return new StageConfig(parallelism, minParallelism, maxParallelism, prefetch, minPrefetch, maxPrefetch, daemon);
    }

    public int parallelism() {
        return parallelism;
    }

    public int minParallelism() {
        return minParallelism;
    }

    public int maxParallelism() {
        return maxParallelism;
    }

    public int prefetch() {
        return prefetch;
    }

    public int minPrefetch() {
        return minPrefetch;
    }

    public int maxPrefetch() {
        return maxPrefetch;
    }

    public boolean daemon() {
        return daemon;
    }
}
