package dev.tuner.engine;

/**
 * The engine's configuration. Immutable; build with {@link #builder()}.
 *
 * <p>Defaults: target 0.9 of the cores, dead band +-0.05 around it, at most 256 worker threads over
 * all stages, no prefetch memory budget, tune (not advise), one warm-up interval after every change
 * before it is verified, two observations before the first decision (and up to three more while the JIT
 * dominates), and a converged run re-tuned when a pipeline's throughput or the utilization moved by more
 * than 30% with confidence (over windows of 2 to 30 intervals: {@link ShiftDetector}). The engine's own
 * numbers (windows, confidence, gains) are in {@link Thresholds}.
 */
public final class Settings {
    /** Default target: this share of the cores busy. */
    public static final double DEFAULT_TARGET = 0.9;
    /** Default budget of worker threads over all tuned stages. */
    public static final int DEFAULT_MAX_THREADS = 256;

    private final double target;
    private final double cores;
    private final double deadBand;
    private final int maxThreads;
    private final long prefetchMemoryBytes;
    private final boolean advise;
    private final int warmupIntervals;
    private final int startupObservations;
    private final int maxJitWaitIntervals;
    private final double shiftThreshold;

    private Settings(Builder b) {
        this.target = b.target;
        this.cores = b.cores;
        this.deadBand = b.deadBand;
        this.maxThreads = b.maxThreads;
        this.prefetchMemoryBytes = b.prefetchMemoryBytes;
        this.advise = b.advise;
        this.warmupIntervals = b.warmupIntervals;
        this.startupObservations = b.startupObservations;
        this.maxJitWaitIntervals = b.maxJitWaitIntervals;
        this.shiftThreshold = b.shiftThreshold;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Target utilization, a share of {@link #cores()} in (0, 1]. */
    public double target() {
        return target;
    }

    /** Cores the tuner may use. */
    public double cores() {
        return cores;
    }

    /** Half-width of the band around the target, as a share of the cores, inside which nothing changes. */
    public double deadBand() {
        return deadBand;
    }

    public int maxThreads() {
        return maxThreads;
    }

    /** Budget for items held in output buffers, bytes; -1 for none. */
    public long prefetchMemoryBytes() {
        return prefetchMemoryBytes;
    }

    /** Decide and report, but apply nothing. */
    public boolean advise() {
        return advise;
    }

    public int warmupIntervals() {
        return warmupIntervals;
    }

    public int startupObservations() {
        return startupObservations;
    }

    /**
     * Intervals at most that the first decision waits, after the startup observations, while the JIT takes
     * a large share of the CPU (per-item costs are then those of code not compiled yet). 0 where the app
     * was running before the tuner came (an attach): its code is compiled, and what the JIT compiles then
     * is the agent's own.
     */
    public int maxJitWaitIntervals() {
        return maxJitWaitIntervals;
    }

    public double shiftThreshold() {
        return shiftThreshold;
    }
    public Builder toBuilder() {
        Builder b = new Builder();
        b.target = target;
        b.cores = cores;
        b.deadBand = deadBand;
        b.maxThreads = maxThreads;
        b.prefetchMemoryBytes = prefetchMemoryBytes;
        b.advise = advise;
        b.warmupIntervals = warmupIntervals;
        b.startupObservations = startupObservations;
        b.maxJitWaitIntervals = maxJitWaitIntervals;
        b.shiftThreshold = shiftThreshold;
        return b;
    }

    public static final class Builder {
        private double target = DEFAULT_TARGET;
        private double cores = Runtime.getRuntime().availableProcessors();
        private double deadBand = 0.05;
        private int maxThreads = DEFAULT_MAX_THREADS;
        private long prefetchMemoryBytes = -1;
        private boolean advise;
        private int warmupIntervals = 1;
        private int startupObservations = 2;
        private int maxJitWaitIntervals = 3;
        private double shiftThreshold = 0.3;

        private Builder() {
        }

        public Builder target(double target) {
            if (!(target > 0 && target <= 1)) {
                throw new IllegalArgumentException("target must be in (0, 1], got " + target);
            }
            this.target = target;
            return this;
        }

        public Builder cores(double cores) {
            if (!(cores > 0)) {
                throw new IllegalArgumentException("cores must be > 0, got " + cores);
            }
            this.cores = cores;
            return this;
        }

        public Builder deadBand(double deadBand) {
            if (!(deadBand >= 0 && deadBand < 0.5)) {
                throw new IllegalArgumentException("dead band must be in [0, 0.5), got " + deadBand);
            }
            this.deadBand = deadBand;
            return this;
        }

        public Builder maxThreads(int maxThreads) {
            if (maxThreads < 1) {
                throw new IllegalArgumentException("max threads must be >= 1, got " + maxThreads);
            }
            this.maxThreads = maxThreads;
            return this;
        }

        public Builder prefetchMemoryBytes(long bytes) {
            if (bytes < -1 || bytes == 0) {
                throw new IllegalArgumentException("prefetch memory must be > 0 bytes (or -1 for none), got " + bytes);
            }
            this.prefetchMemoryBytes = bytes;
            return this;
        }

        public Builder advise(boolean advise) {
            this.advise = advise;
            return this;
        }

        public Builder warmupIntervals(int intervals) {
            if (intervals < 0) {
                throw new IllegalArgumentException("warm-up intervals must be >= 0, got " + intervals);
            }
            this.warmupIntervals = intervals;
            return this;
        }

        public Builder startupObservations(int observations) {
            if (observations < 1) {
                throw new IllegalArgumentException("startup observations must be >= 1, got " + observations);
            }
            this.startupObservations = observations;
            return this;
        }

        public Builder maxJitWaitIntervals(int intervals) {
            if (intervals < 0) {
                throw new IllegalArgumentException("JIT wait intervals must be >= 0, got " + intervals);
            }
            this.maxJitWaitIntervals = intervals;
            return this;
        }

        /** The relative move of throughput or utilization that counts as a shift of the load. */
        public Builder shiftThreshold(double threshold) {
            if (!(threshold > 0)) {
                throw new IllegalArgumentException("a shift threshold must be > 0, got " + threshold);
            }
            this.shiftThreshold = threshold;
            return this;
        }

        public Settings build() {
            return new Settings(this);
        }
    }
}
