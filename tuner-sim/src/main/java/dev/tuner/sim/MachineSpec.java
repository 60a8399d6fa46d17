package dev.tuner.sim;

/**
 * The simulated machine and JVM: cores, what oversubscription costs, the CPU and threads that are not
 * pipelines', and the simulator's time resolution. Immutable; build with {@link #builder(double)}.
 *
 * <p>Defaults: oversubscription loss 0.05 (each extra runnable thread per core costs 5% of the CPU's
 * useful work), 0.05 cores of baseline CPU (GC, timers) on 10 JVM threads, no JIT burst, 64 MiB of
 * heap besides buffered items, a 5 ms step, the agent's 10 samples per 1 s interval (every 100 ms), no
 * JVM noise ({@link JvmNoise#NONE}) and no neighbour process.
 */
public final class MachineSpec {
    private final double cores;
    private final double oversubscriptionLoss;
    private final double baselineCores;
    private final int baselineThreads;
    private final double jitCores;
    private final double jitSeconds;
    private final long heapBaseBytes;
    private final double step;
    private final double tick;
    private final JvmNoise noise;
    private final Neighbour neighbour;

    /**
     * Another process on the machine keeping {@code cores} busy from {@code from} to {@code until} (seconds):
     * its threads compete with the JVM's for the cores.
     */
    public record Neighbour(double from, double until, double cores) {
        public static final Neighbour NONE = new Neighbour(0, 0, 0);

        public Neighbour {
            if (!(cores >= 0) || !(until >= from)) {
                throw new IllegalArgumentException("a neighbour needs cores >= 0 and until >= from");
            }
        }

        double coresAt(double time) {
            return time >= from && time < until ? cores : 0;
        }
    }

    private MachineSpec(Builder b) {
        this.cores = b.cores;
        this.oversubscriptionLoss = b.oversubscriptionLoss;
        this.baselineCores = b.baselineCores;
        this.baselineThreads = b.baselineThreads;
        this.jitCores = b.jitCores;
        this.jitSeconds = b.jitSeconds;
        this.heapBaseBytes = b.heapBaseBytes;
        this.step = b.step;
        this.tick = b.tick;
        this.noise = b.noise;
        this.neighbour = b.neighbour;
    }

    public static Builder builder(double cores) {
        return new Builder(cores);
    }

    public static MachineSpec of(double cores) {
        return builder(cores).build();
    }

    public Builder toBuilder() {
        Builder b = new Builder(cores);
        b.oversubscriptionLoss = oversubscriptionLoss;
        b.baselineCores = baselineCores;
        b.baselineThreads = baselineThreads;
        b.jitCores = jitCores;
        b.jitSeconds = jitSeconds;
        b.heapBaseBytes = heapBaseBytes;
        b.step = step;
        b.tick = tick;
        b.noise = noise;
        b.neighbour = neighbour;
        return b;
    }

    public double cores() {
        return cores;
    }

    /**
     * Useful work lost to oversubscription: with {@code R} runnable threads on {@code C} cores, a core
     * does {@code 1 / (1 + loss x max(0, R / C - 1))} of the work it would otherwise (context switches,
     * cold caches); the CPU time is still burnt and charged to the threads.
     */
    public double oversubscriptionLoss() {
        return oversubscriptionLoss;
    }

    /** CPU the process burns whatever the pipelines do (GC, timers), in cores. */
    public double baselineCores() {
        return baselineCores;
    }

    public int baselineThreads() {
        return baselineThreads;
    }

    /** Extra CPU, in cores, burnt during the first {@link #jitSeconds()} and reported as overhead. */
    public double jitCores() {
        return jitCores;
    }

    public double jitSeconds() {
        return jitSeconds;
    }

    public long heapBaseBytes() {
        return heapBaseBytes;
    }

    /** The simulator's time step, seconds. */
    public double step() {
        return step;
    }

    /** How often thread states and buffers are sampled (the agent's tick: interval / 10). */
    public double tick() {
        return tick;
    }

    /** What a real JVM adds to the per-item noise: CPU bursts, wake-ups, warm-up. */
    public JvmNoise noise() {
        return noise;
    }

    /** Another process on the machine, or {@link Neighbour#NONE}. */
    public Neighbour neighbour() {
        return neighbour;
    }

    public static final class Builder {
        private final double cores;
        private double oversubscriptionLoss = 0.05;
        private double baselineCores = 0.05;
        private int baselineThreads = 10;
        private double jitCores;
        private double jitSeconds;
        private long heapBaseBytes = 64L << 20;
        private double step = 0.005;
        private double tick = 0.1;
        private JvmNoise noise = JvmNoise.NONE;
        private Neighbour neighbour = Neighbour.NONE;

        private Builder(double cores) {
            if (!(cores > 0)) {
                throw new IllegalArgumentException("cores must be > 0, got " + cores);
            }
            this.cores = cores;
        }

        public Builder oversubscriptionLoss(double loss) {
            if (!(loss >= 0)) {
                throw new IllegalArgumentException("oversubscription loss must be >= 0");
            }
            this.oversubscriptionLoss = loss;
            return this;
        }

        public Builder baseline(double cores, int threads) {
            if (!(cores >= 0) || threads < 0) {
                throw new IllegalArgumentException("baseline needs cores >= 0 and threads >= 0");
            }
            this.baselineCores = cores;
            this.baselineThreads = threads;
            return this;
        }

        /** A JIT-like burst: {@code cores} of overhead CPU for the first {@code seconds}. */
        public Builder jitBurst(double cores, double seconds) {
            if (!(cores >= 0) || !(seconds >= 0)) {
                throw new IllegalArgumentException("JIT burst needs cores >= 0 and seconds >= 0");
            }
            this.jitCores = cores;
            this.jitSeconds = seconds;
            return this;
        }

        public Builder jvmNoise(JvmNoise noise) {
            this.noise = java.util.Objects.requireNonNull(noise, "noise");
            return this;
        }

        /** A process beside the JVM keeping {@code cores} busy from {@code from} to {@code until} seconds. */
        public Builder neighbour(double from, double until, double cores) {
            this.neighbour = new Neighbour(from, until, cores);
            return this;
        }

        public Builder heapBase(long bytes) {
            this.heapBaseBytes = bytes;
            return this;
        }

        public Builder step(double seconds) {
            if (!(seconds > 0 && seconds <= 0.1)) {
                throw new IllegalArgumentException("step must be in (0, 0.1] s, got " + seconds);
            }
            this.step = seconds;
            return this;
        }

        public Builder tick(double seconds) {
            if (!(seconds > 0)) {
                throw new IllegalArgumentException("tick must be > 0");
            }
            this.tick = seconds;
            return this;
        }

        public MachineSpec build() {
            if (tick < step) {
                throw new IllegalArgumentException("the sampling tick must not be shorter than the step");
            }
            return new MachineSpec(this);
        }
    }
}
