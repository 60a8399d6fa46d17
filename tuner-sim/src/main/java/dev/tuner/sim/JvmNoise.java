package dev.tuner.sim;

/**
 * What a real JVM adds to the simulator's per-item noise, which on its own averages away within an
 * interval (independent items): environment noise correlated over seconds, costs that depend on load,
 * and warm-up. Three mechanisms:
 * <ol>
 *   <li><b>CPU bursts</b> (GC, JIT, the scheduler): the process burns an extra {@code b(t)} times its
 *   pipelines' CPU, {@code b(t) = max(0, burstMean + burstSd x y(t))}, with {@code y} a standard normal
 *   Ornstein-Uhlenbeck process whose correlation over one second is {@code burstCorrelation}. The burst's
 *   threads compete with the workers for the cores (on a saturated machine throughput dips as CPU rises,
 *   the negative correlation bench/noise sees) and it is not reported as overhead: the agent counts JIT
 *   compilation and its own CPU as overhead, not GC.</li>
 *   <li><b>Wake-ups</b>: a worker that waited for input parks and is unparked for its next item (a futex
 *   each way), so an item costs {@code wakeCpu} more CPU times the share of the stage's worker time spent
 *   waiting for input: busier consumers cost less CPU per item.</li>
 *   <li><b>Warm-up</b>: per-item CPU is {@code 1 + startExtra x exp(-t / warmupSeconds)} times its
 *   value from the start (interpreted code), while compiler threads burn as much again, reported as
 *   overhead (a JVM reports its compile time); and {@code 1 + changeExtra x exp(-(t - t_c) / warmupSeconds)}
 *   after a stage is resized at {@code t_c} (new threads, cold caches, code paths compiled anew).</li>
 * </ol>
 *
 * <p><b>Calibration</b> ({@link #calibrated()}): bench/noise runs the seed, the JMX-contract fixture and
 * plain-executors at fixed settings under {@code mode=advise} on a 2-core machine and measures the
 * one-second utilization: robust spread 0.047, 0.019, 0.025 of the cores at utilization 0.65, 0.93, 0.73
 * (7%, 2% and 3.4% of what they used; the fixture is pressed against the cores' top), interval-to-interval
 * spread 0.038, 0.009, 0.013, lag-1 autocorrelation 0.36-0.72; throughput spread 0.3-1.2%. A burst of
 * mean 4% and spread 5% of the pipelines' CPU with a one-second correlation of 0.5 gives the middle of
 * those; {@link #scaled} widens or narrows the bursts, so a benchmark covers the quieter apps and GC-heavy
 * ones (a 1-s process CPU of 70-99% at flat throughput was seen on a Camel route: spread ~0.1).
 * Wake-up and warm-up figures are typical of Linux futexes (~10-20 us a park/unpark pair, with the cache
 * misses that follow) and of the seed's first seconds (parse ran 13-16 ms an item, not 10, in its first
 * verification window).
 *
 * @param burstMean        mean extra CPU, as a share of the pipelines' CPU
 * @param burstSd          spread of that share
 * @param burstCorrelation correlation of the burst process one second apart, in [0, 1)
 * @param wakeCpu          CPU seconds an item costs more when its worker waited for it
 * @param startExtra       extra share of per-item CPU at the start, decaying
 * @param changeExtra      extra share of per-item CPU of a stage just resized, decaying
 * @param warmupSeconds    time constant of both decays
 */
public record JvmNoise(double burstMean, double burstSd, double burstCorrelation, double wakeCpu,
                       double startExtra, double changeExtra, double warmupSeconds) {

    /** No environment noise: the simulator's per-item noise only. */
    public static final JvmNoise NONE = new JvmNoise(0, 0, 0, 0, 0, 0, 1);

    public JvmNoise {
        if (!(burstMean >= 0) || !(burstSd >= 0) || !(burstCorrelation >= 0 && burstCorrelation < 1)
                || !(wakeCpu >= 0) || !(startExtra >= 0) || !(changeExtra >= 0) || !(warmupSeconds > 0)) {
            throw new IllegalArgumentException("JVM noise needs non-negative figures, a correlation in [0, 1)"
                    + " and a warm-up time > 0");
        }
    }

    /** The noise fitted to bench/noise's readings of real JVMs (see the class javadoc). */
    public static JvmNoise calibrated() {
        return new JvmNoise(0.04, 0.05, 0.5, 15e-6, 0.5, 0.2, 1.5);
    }

    /** The same noise with bursts {@code factor} times as wide. */
    public JvmNoise scaled(double factor) {
        return new JvmNoise(burstMean, burstSd * factor, burstCorrelation, wakeCpu, startExtra, changeExtra,
                warmupSeconds);
    }

    public boolean none() {
        return burstMean == 0 && burstSd == 0 && wakeCpu == 0 && startExtra == 0 && changeExtra == 0;
    }
}
