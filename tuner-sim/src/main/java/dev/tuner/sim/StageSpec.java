package dev.tuner.sim;

import java.util.Objects;

/**
 * One simulated stage: what an item costs it, how many items it emits per item, its knobs and bounds.
 * Immutable; build with {@link #builder(String)}. Times are in seconds.
 *
 * <p>Per item a worker spends {@code cpu} on a core (of which {@code serialFraction} under the
 * stage's one global lock), {@code wait} off the CPU by its own doing (I/O, a sleep), and, when
 * {@code externalCpu > 0}, waits while {@code externalThreads} threads that are not stage workers burn
 * {@code externalCpu} of CPU for it (a trainer handing a batch to its compute pool). Each cost is
 * multiplied by a noise factor of mean 1 with coefficient of variation {@code noiseCv} per item.
 *
 * <p>{@code fanOut} items leave per item taken: 3 for a stage that splits records, 1/2000 for one that
 * batches 2000 records into one. {@code prefetch} is the capacity of the output buffer; -1 makes the
 * stage a sink (no buffer; what it emits leaves the pipeline).
 */
public final class StageSpec {
    private final String name;
    private final double cpu;
    private final double wait;
    private final double noiseCv;
    private final double fanOut;
    private final double serialFraction;
    private final int parallelism;
    private final int minParallelism;
    private final int maxParallelism;
    private final int prefetch;
    private final int minPrefetch;
    private final int maxPrefetch;
    private final long bytesPerItem;
    private final double externalCpu;
    private final int externalThreads;
    private final String ioThreadState;

    private StageSpec(Builder b) {
        this.name = b.name;
        this.cpu = b.cpu;
        this.wait = b.wait;
        this.noiseCv = b.noiseCv;
        this.fanOut = b.fanOut;
        this.serialFraction = b.serialFraction;
        this.parallelism = b.parallelism;
        this.minParallelism = b.minParallelism;
        this.maxParallelism = b.maxParallelism;
        this.prefetch = b.prefetch;
        this.minPrefetch = b.minPrefetch;
        this.maxPrefetch = b.maxPrefetch;
        this.bytesPerItem = b.bytesPerItem;
        this.externalCpu = b.externalCpu;
        this.externalThreads = b.externalThreads;
        this.ioThreadState = b.ioThreadState;
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    public Builder toBuilder() {
        Builder b = new Builder(name);
        b.cpu = cpu;
        b.wait = wait;
        b.noiseCv = noiseCv;
        b.fanOut = fanOut;
        b.serialFraction = serialFraction;
        b.parallelism = parallelism;
        b.minParallelism = minParallelism;
        b.maxParallelism = maxParallelism;
        b.prefetch = prefetch;
        b.minPrefetch = minPrefetch;
        b.maxPrefetch = maxPrefetch;
        b.bytesPerItem = bytesPerItem;
        b.externalCpu = externalCpu;
        b.externalThreads = externalThreads;
        b.ioThreadState = ioThreadState;
        return b;
    }

    public String name() {
        return name;
    }

    /** CPU seconds per item on a worker (before noise, with a core to itself). */
    public double cpu() {
        return cpu;
    }

    /** Off-CPU seconds per item inside processing (I/O, sleeps). */
    public double waitTime() {
        return wait;
    }

    public double noiseCv() {
        return noiseCv;
    }

    /** Items emitted per item taken; below 1 for batching. */
    public double fanOut() {
        return fanOut;
    }

    /** Share of {@link #cpu()} done under the stage's one global lock, in [0, 1]. */
    public double serialFraction() {
        return serialFraction;
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

    /** Output buffer capacity; -1 for a sink. */
    public int prefetch() {
        return prefetch;
    }

    public int minPrefetch() {
        return minPrefetch;
    }

    public int maxPrefetch() {
        return maxPrefetch;
    }

    public boolean isSink() {
        return prefetch < 0;
    }

    /** Heap an item of its output holds while buffered. */
    public long bytesPerItem() {
        return bytesPerItem;
    }

    /** CPU seconds per item burnt by threads that are not stage workers (a compute pool). */
    public double externalCpu() {
        return externalCpu;
    }

    /** Width of the pool that burns {@link #externalCpu()}. */
    public int externalThreads() {
        return externalThreads;
    }

    /** The Java thread state a worker shows while in its own off-CPU wait: RUNNABLE (a native socket read) or TIMED_WAITING (a sleep). */
    public String ioThreadState() {
        return ioThreadState;
    }

    /** Uncontended processing time per item: CPU + own wait + the pool's wall time for the external CPU. */
    public double serviceTime() {
        return cpu + wait + (externalCpu > 0 ? externalCpu / externalThreads : 0);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(name).append("{cpu=").append(Units.duration(cpu))
                .append(" wait=").append(Units.duration(wait));
        if (serialFraction > 0) {
            s.append(" serial=").append(String.format("%.2f", serialFraction));
        }
        if (externalCpu > 0) {
            s.append(" ext=").append(Units.duration(externalCpu)).append("/").append(externalThreads).append("t");
        }
        if (fanOut != 1) {
            s.append(" fanOut=").append(fanOut < 1 ? "1/" + Math.round(1 / fanOut) : String.format("%.2f", fanOut));
        }
        s.append(" cv=").append(String.format("%.2f", noiseCv))
                .append(" p=").append(parallelism).append("[").append(minParallelism).append(",").append(maxParallelism).append("]");
        if (prefetch >= 0) {
            s.append(" prefetch=").append(prefetch).append("[").append(minPrefetch).append(",").append(maxPrefetch).append("]");
        } else {
            s.append(" sink");
        }
        return s.append("}").toString();
    }

    public static final class Builder {
        private final String name;
        private double cpu;
        private double wait;
        private double noiseCv = 0.2;
        private double fanOut = 1;
        private double serialFraction;
        private int parallelism = 1;
        private int minParallelism = 1;
        private int maxParallelism = 256;
        private int prefetch = 16;
        private int minPrefetch = 1;
        private int maxPrefetch = 4096;
        private long bytesPerItem = 1024;
        private double externalCpu;
        private int externalThreads = 1;
        private String ioThreadState = "RUNNABLE";

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
            if (!name.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("stage name must match [A-Za-z0-9._-]+, got " + name);
            }
        }

        /** CPU seconds per item. */
        public Builder cpu(double seconds) {
            this.cpu = nonNegative("cpu", seconds);
            return this;
        }

        /** Off-CPU (I/O) seconds per item. */
        public Builder waitTime(double seconds) {
            this.wait = nonNegative("wait", seconds);
            return this;
        }

        public Builder noise(double cv) {
            this.noiseCv = nonNegative("noise cv", cv);
            return this;
        }

        public Builder fanOut(double itemsOutPerItemIn) {
            if (!(itemsOutPerItemIn > 0)) {
                throw new IllegalArgumentException("fan-out must be > 0, got " + itemsOutPerItemIn);
            }
            this.fanOut = itemsOutPerItemIn;
            return this;
        }

        /** Share of the CPU work of an item done under the stage's one global lock. */
        public Builder serial(double fraction) {
            if (!(fraction >= 0 && fraction <= 1)) {
                throw new IllegalArgumentException("serial fraction must be in [0, 1], got " + fraction);
            }
            this.serialFraction = fraction;
            return this;
        }

        public Builder parallelism(int initial, int min, int max) {
            if (min < 1 || max < min || initial < min || initial > max) {
                throw new IllegalArgumentException("parallelism needs 1 <= min <= initial <= max, got "
                        + initial + " in [" + min + ", " + max + "]");
            }
            this.parallelism = initial;
            this.minParallelism = min;
            this.maxParallelism = max;
            return this;
        }

        public Builder parallelism(int initial) {
            return parallelism(initial, Math.min(minParallelism, initial), Math.max(maxParallelism, initial));
        }

        public Builder prefetch(int initial, int min, int max) {
            if (min < 1 || max < min || initial < min || initial > max) {
                throw new IllegalArgumentException("prefetch needs 1 <= min <= initial <= max, got "
                        + initial + " in [" + min + ", " + max + "]");
            }
            this.prefetch = initial;
            this.minPrefetch = min;
            this.maxPrefetch = max;
            return this;
        }

        public Builder prefetch(int initial) {
            return prefetch(initial, Math.min(minPrefetch, initial), Math.max(maxPrefetch, initial));
        }

        /** No output buffer: what it emits leaves the pipeline. */
        public Builder sink() {
            this.prefetch = -1;
            this.minPrefetch = -1;
            this.maxPrefetch = -1;
            return this;
        }

        public Builder bytesPerItem(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("bytes per item must be >= 0, got " + bytes);
            }
            this.bytesPerItem = bytes;
            return this;
        }

        /** CPU seconds per item burnt by a pool of {@code threads} non-worker threads while the worker waits. */
        public Builder externalCpu(double seconds, int threads) {
            nonNegative("external cpu", seconds);
            if (threads < 1) {
                throw new IllegalArgumentException("external threads must be >= 1, got " + threads);
            }
            this.externalCpu = seconds;
            this.externalThreads = threads;
            return this;
        }

        public Builder ioThreadState(String state) {
            if (!state.equals("RUNNABLE") && !state.equals("TIMED_WAITING") && !state.equals("WAITING")) {
                throw new IllegalArgumentException("I/O thread state must be RUNNABLE, WAITING or TIMED_WAITING");
            }
            this.ioThreadState = state;
            return this;
        }

        public StageSpec build() {
            if (!(cpu + wait + externalCpu > 0)) {
                throw new IllegalArgumentException("stage " + name + " must cost something per item");
            }
            return new StageSpec(this);
        }

        private static double nonNegative(String what, double v) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException(what + " must be a finite value >= 0, got " + v);
            }
            return v;
        }
    }
}
