package dev.tuner.engine;

/**
 * Every number the engine decides by, in one place, each with the reason it has its value. The user's
 * own numbers (the target, the dead band, the thread budget) are in {@link Settings}; these are the
 * engine's. Each one has a test just below and just above it (in the test of the class that uses it).
 *
 * <h2>Evidence</h2>
 * A real JVM's one-second readings move more than the effects the engine judges: process CPU swings by
 * 5-30 points at flat throughput (GC, JIT, the scheduler, a neighbour), throughput by 1-2% (bench/noise
 * measures both). So every decision rests on a window of intervals at unchanged settings, judged
 * against the noise measured while the settings were unchanged ({@link NoiseMeter}), with the
 * confidence {@link #CONFIDENCE_Z}.
 */
public final class Thresholds {
    private Thresholds() {
    }

    // ------------------------------------------------------------------ evidence

    /**
     * Standard errors between a window's mean and a threshold before the mean counts as on one side of
     * it: 2 is a one-sided 97.7% confidence. The engine tests a few hypotheses every interval for as long
     * as a job runs (shifts, re-examinations), so a false alarm in 40 tests is already one a minute; what
     * keeps that rare is the effect size each test also asks for (a shift of {@code shiftThreshold}, a
     * gain worth its threads), not a larger z, which would slow every decision.
     */
    public static final double CONFIDENCE_Z = 2.0;
    /** Fewest intervals a window needs before anything is judged on it: one interval is never evidence. */
    public static final int MIN_WINDOW = 2;
    /**
     * Most intervals a window grows to while its test is undecided; at this length the point estimate
     * decides. With the one-second noise bench/noise measured (utilization 0.02-0.05 of the cores),
     * ten intervals take the standard error of a window mean to 0.006-0.016: well under the 0.05 band.
     */
    public static final int MAX_WINDOW = 10;
    /**
     * Most intervals a window grows to while a test that would leave a ceiling on utilization alone is
     * undecided (an experiment that paid but may overshoot, a step down for overshooting), and the longest
     * window a converged run is watched over. Such a verdict lasts, and it costs the gain that was verified
     * or the throughput of a worker, so it waits for the evidence; on a noisy JVM (one-second spread 0.05 of
     * the cores, correlation 0.5) ten intervals leave +-0.05 of doubt, thirty +-0.03.
     */
    public static final int LONG_WINDOW = 30;
    /**
     * Fewest intervals a lasting verdict rests on: a rollback and a step down for overshooting both leave a
     * ceiling, so their window must show a steady state; from this length its older and newer halves are
     * compared, and a window whose halves differ significantly is still settling (code warming up after a
     * change, a burst ending) and loses its older half.
     */
    public static final int SETTLED_WINDOW = 4;
    /** Intervals of the recent windows the shift test compares with the converged baseline. */
    static final int[] SHIFT_WINDOWS = {MIN_WINDOW, SETTLED_WINDOW, MAX_WINDOW, LONG_WINDOW};
    /** Differences at unchanged settings the noise is measured over, of each kind (the latest ones). */
    static final int NOISE_PAIRS = 40;
    /** Pairs from which the measured noise is trusted alone; until then it is at least the prior below. */
    static final int MIN_NOISE_PAIRS = 8;
    /**
     * One interval's utilization noise (a share of the cores) assumed until {@link #MIN_NOISE_PAIRS} pairs
     * are measured: the largest bench/noise saw on this project's apps (the seed: 0.047), rounded up.
     */
    static final double PRIOR_UTILIZATION_NOISE = 0.05;
    /** One interval's relative throughput noise assumed until measured: bench/noise saw 0.3-1.2%, x2. */
    static final double PRIOR_THROUGHPUT_NOISE = 0.02;
    /**
     * Correlation of a reading's deviation with the next interval's, assumed until measured: bench/noise
     * saw 0.36-0.72 for utilization (GC and JIT bursts last seconds); the middle.
     */
    static final double PRIOR_CORRELATION = 0.5;
    /** Intervals of the blocks whose adjacent means measure the utilization's wander ({@code NoiseMeter#wander}). */
    static final int WANDER_BLOCK = 5;
    /** Utilization readings at unchanged settings the wander is measured over (the latest ones). */
    static final int WANDER_READINGS = 90;
    /**
     * Pairs of adjacent blocks (sliding by one interval) from which the measured wander is trusted alone:
     * a run of 19 unchanged intervals, enough that the median is not the few pairs around one step.
     */
    static final int MIN_WANDER_PAIRS = 10;
    /**
     * Most wander assumed until measured (a share of the cores; below it, one interval's noise): the
     * project's apps at fixed settings showed 0.004-0.014, about their one-interval noise (bench/rounds'
     * converged stretches; the contract fixture the least, the seed the most).
     */
    static final double PRIOR_WANDER = 0.01;
    /** Most correlation the noise is taken to have: a drift measured as correlation stays finite. */
    static final double MAX_CORRELATION = 0.9;
    /**
     * The resolution of a reading: the noise is never taken as less (a simulator without noise, or a
     * count that did not change, would otherwise make any difference significant).
     */
    static final double NOISE_FLOOR = 0.002;

    // ------------------------------------------------------------------ verification

    /**
     * A raise is kept when throughput rose by at least this share of the gain the model expected (and,
     * with {@link #KEEP_FLOOR} and {@link #KEEP_CAP}, never less than 1% nor more than 5% is asked). Less
     * than that, the workers it added cost memory and wake-ups for a gain the model did not explain.
     */
    public static final double KEEP_SHARE = 0.4;
    /** Least gain that keeps a raise; inside the band (the CPU budget spent) it is all a raise needs. */
    public static final double KEEP_FLOOR = 0.01;
    /** Most gain a raise is asked for, however much the model expected. */
    public static final double KEEP_CAP = 0.05;
    /**
     * Intervals a ceiling waits, converged and with utilization significantly under the target the whole
     * time, before it is tried again (a ceiling is a hypothesis, not a law): two minutes, long against the
     * seconds a tuning takes, short against a job's hours. The wait doubles each time the same ceiling is
     * confirmed, so a true one costs a few decisions an hour at most.
     */
    public static final int REEXAMINE_AFTER = 120;

    // ------------------------------------------------------------------ the model

    /** Spare workers on top of Little's law: cheap for an I/O-bound stage, and absorbs bursts. */
    public static final double HEADROOM = 1.25;
    /** Share of the dead band above the target that the pacer aims at. */
    public static final double AIM = 0.5;
    /** Least throughput gain, as a share, worth a decision. */
    public static final double MIN_GAIN = 0.03;
    /**
     * Least gain worth a decision once utilization has reached the target: there a step of one worker in 30
     * buys 3%, and costs a round and a verification window that runs long (a few percent is hard to tell
     * from a JVM's noise) for throughput the band already has.
     */
    public static final double MIN_GAIN_REACHED = 0.035;
    /** Stages whose {@code workers / d} is within this factor of the lowest bind the pipeline together. */
    public static final double BINDS_TOGETHER = 1.02;
    /** How far under the target utilization still counts as having reached it. */
    public static final double REACHED = 0.01;
    /**
     * Throughput factor a verified raise must have bought before the CPU it cost measures the workers' idle
     * cost: over a factor of 1.3 the CPU ratio's noise (a few percent) is small against the change.
     */
    public static final double IDLE_COST_GAIN = 1.3;
    /**
     * Most of the CPU that scales taken as idle cost: even with every wake-up gone, CPU grows with the work.
     * The JMX fixture from 1 fetch worker to 20 took 13x the CPU for 20x the items: 3% idle by the line.
     */
    public static final double MAX_IDLE_SHARE = 0.3;
    /** Lock share from which a ceiling's limit names the lock, though the stage is not lock-bound. */
    public static final double NOTABLE_LOCK = 0.05;

    // ------------------------------------------------------------------ diagnosis

    /** Busy share of worker time from which a stage is saturated (cpu-, io- or lock-bound). */
    public static final double SATURATED = 0.7;
    /** Share of a saturated stage's processing blocked or parked on locks that makes it lock-bound. */
    public static final double LOCK_BOUND = 0.3;
    /** Share of a saturated stage's processing on CPU that makes it cpu-bound rather than io-bound. */
    public static final double CPU_BOUND = 0.5;
    /** Process CPU, as a share of the cores, from which workers may wait for a core. */
    public static final double CONTENDED = 0.8;
    /** Machine-wide CPU share from which workers may wait for a core whatever this process uses. */
    public static final double MACHINE_BUSY = 0.9;
    /** Share of process CPU spent compiling under which per-item costs are taken as warmed up. */
    public static final double JIT_SETTLED = 0.25;
    /**
     * Fall of the CPU per item from one start-up interval to the next beyond which the app's code is taken
     * as still warming up (interpreted, then C1, then C2 code: the compiler's own threads may already be
     * quiet). Measured on the seed at launch, four starts: its parser took 16.1-22.9 ms of CPU an item in the
     * first second and 9.0-10.8 ms in the second (a fall of 44-56%), and a plan on both aimed at a 1.8x CPU
     * budget that was really 5x. At steady settings its consecutive intervals differed by 1-3%
     * (7.37-7.58 ms): a fifth is far outside that.
     */
    public static final double COST_WARMING = 0.2;

    // ------------------------------------------------------------------ buffers

    /** Output wait of a producer from which its buffer may be too small. */
    public static final double PRODUCER_WAITS = 0.05;
    /** Share of samples a buffer was found empty from which its consumer ran dry. */
    public static final double RAN_DRY = 0.2;
    /** Share of samples a buffer was found full from which it filled up. */
    public static final double SEEN_FULL = 0.1;
    /** Share of samples found full from which a buffer only holds items that wait. */
    public static final double SITS_FULL = 0.9;
    /** Factor a buffer grows by in one step. */
    public static final int GROWTH = 4;
}
