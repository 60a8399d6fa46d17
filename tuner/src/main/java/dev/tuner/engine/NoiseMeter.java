package dev.tuner.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * How much one interval's reading moves with nothing changed, and how much of that carries into the next
 * interval, measured for utilization and for each pipeline's throughput; from both, the standard error of
 * a window's mean.
 *
 * <p><b>What it is fed.</b> Every interval, whether it follows the last one at unchanged settings (not
 * across a change or its warm-up). From runs of such intervals it keeps the latest
 * {@value Thresholds#NOISE_PAIRS} differences one interval apart and two intervals apart: for utilization
 * {@code u_t - u_{t-k}} (a share of the cores), for a pipeline the median over its stages of
 * {@code ln(x_t / x_{t-k})} (relative: the stages of one pipeline carry one flow, in their own units), and
 * likewise of their CPU per item (which falls while code warms up).
 *
 * <p><b>The model.</b> A JVM's noise is not independent from one second to the next (a GC cycle, a JIT
 * burst or a neighbour lasts a few seconds), so a reading is taken as a level {@code sigma} wide whose
 * deviations carry over with correlation {@code rho} one interval later (a first-order autoregression).
 * Then the spreads of the two kinds of differences are {@code s1 = sigma sqrt(1 - rho)} and
 * {@code s2 = sigma sqrt(1 - rho^2)} (each divided by {@code sqrt 2}, what a difference of two readings
 * carries), so {@code rho = (s2 / s1)^2 - 1} and {@code sigma = s1 / sqrt(1 - rho)}; and the mean of
 * {@code n} readings has variance {@code sigma^2 / n x [1 + 2 sum_{k<n} (1 - k/n) rho^k]}: with
 * {@code rho = 0.5}, ten intervals are worth fewer than four independent ones. Each spread is robust,
 * {@code 1.4826 x median|d| / sqrt 2} (the median absolute difference scaled to a standard deviation for
 * normal noise), so one GC pause does not inflate it; taken about the differences' own median, and of
 * differences rather than of deviations from a mean, so a drift (code warming up, a load creeping) is not
 * taken for noise: it stays visible to the tests that look for it.
 *
 * <p><b>Before it is measured.</b> Until {@value Thresholds#MIN_NOISE_PAIRS} pairs of each kind are in,
 * {@code sigma} is at least the prior ({@link Thresholds#PRIOR_UTILIZATION_NOISE},
 * {@link Thresholds#PRIOR_THROUGHPUT_NOISE}) and {@code rho} is {@value Thresholds#PRIOR_CORRELATION};
 * {@code rho} is never taken over {@value Thresholds#MAX_CORRELATION}, {@code sigma} never under
 * {@value Thresholds#NOISE_FLOOR}. Not thread-safe: the controller's thread only.
 */
final class NoiseMeter {
    private static final double MAD_TO_SD = 1.4826;

    private final Differences utilization = new Differences(Thresholds.PRIOR_UTILIZATION_NOISE);
    private final Map<String, Differences> throughput = new HashMap<>();
    private final Map<String, Differences> cost = new HashMap<>();
    /** Utilization readings of the latest runs at unchanged settings, oldest run first (see {@link #wander}). */
    private final Deque<List<Double>> runs = new ArrayDeque<>();
    /** {@link #wander} as of the last reading (NaN: not worked out since); every window's error asks for it. */
    private double wander = Double.NaN;
    /** The last two intervals of the current run at unchanged settings, the latest last (null when none). */
    private Observation earlier;
    private Observation last;

    /**
     * The next interval at unchanged settings, past the warm-up; {@code continues} when it follows the last
     * one fed directly (no change, no warm-up between). An interval in which nothing flowed ends the run.
     */
    void next(Observation interval, boolean continues) {
        wander = Double.NaN;
        if (!continues || !flowing(interval)) {
            breakRun();
        }
        if (!flowing(interval)) {
            return;
        }
        if (last == null) {
            startRun();
        }
        runs.getLast().add(interval.utilization());
        trimRuns();
        if (last != null) {
            pair(last, interval, Differences::lag1);
        }
        if (earlier != null) {
            pair(earlier, interval, Differences::lag2);
        }
        earlier = last;
        last = interval;
    }

    /** A change, or an interval that is not evidence (its warm-up): the next one starts a new run. */
    void breakRun() {
        earlier = null;
        last = null;
    }

    private interface Sink {
        void add(Differences d, double value);
    }

    private void pair(Observation then, Observation now, Sink sink) {
        sink.add(utilization, now.utilization() - then.utilization());
        for (Map.Entry<String, List<StageObservation>> p : now.byPipeline().entrySet()) {
            double d = logChange(then, p.getValue(), StageObservation::throughput);
            if (!Double.isNaN(d)) {
                sink.add(throughput.computeIfAbsent(p.getKey(), k -> new Differences(Thresholds.PRIOR_THROUGHPUT_NOISE)), d);
            }
            double c = logChange(then, p.getValue(), StageObservation::cpuPerItem);
            if (!Double.isNaN(c)) {
                sink.add(cost.computeIfAbsent(p.getKey(), k -> new Differences(Thresholds.PRIOR_THROUGHPUT_NOISE)), c);
            }
        }
    }

    /** Median over the stages of {@code ln(f_now / f_then)}; NaN when no stage has the figure at both. */
    static double logChange(Observation then, List<StageObservation> stages, ToDoubleFunction<StageObservation> figure) {
        List<Double> logs = new ArrayList<>();
        for (StageObservation now : stages) {
            StageObservation before = then.stage(now.id());
            if (before != null && before.hasItems() && now.hasItems()) {
                double a = figure.applyAsDouble(before);
                double b = figure.applyAsDouble(now);
                if (a > 0 && b > 0) {
                    logs.add(Math.log(b / a));
                }
            }
        }
        return logs.isEmpty() ? Double.NaN : median(logs);
    }

    /** One interval's utilization noise {@code sigma}, a share of the cores. */
    double utilization() {
        return utilization.sigma();
    }

    /**
     * Standard error of the mean utilization over {@code n} consecutive intervals: the short-term noise's,
     * averaged as its correlation allows, and the {@link #wander} of the level, which no window of these
     * lengths averages away.
     */
    double utilizationError(int n) {
        return Math.hypot(utilization.error(n), wander());
    }

    /**
     * How far the utilization level wanders from one {@value Thresholds#WANDER_BLOCK}-interval stretch to
     * the next beyond what the short-term noise explains (a standard deviation, a share of the cores). A
     * JVM's CPU moves on several time scales (a GC cycle every few seconds, compilation waves, the old
     * generation filling): the differences one and two intervals apart see only the fast ones, and their
     * robust spread leaves the bursts out. On the project's apps at fixed settings, means of 4 and 10
     * intervals moved 1.5-4x as much as that model said (seed: 0.021 against 0.005 for 4 intervals). So
     * it is measured directly: the robust spread of the differences of adjacent block means (over every
     * pair of adjacent blocks within a run, sliding by one interval), less what the short-term model gives
     * a block mean. Robust like the rest: a real shift moves the few pairs that straddle it, not the
     * median, and stays for the shift test to find. Until
     * {@value Thresholds#MIN_WANDER_PAIRS} pairs are in, one interval's noise, at most
     * {@value Thresholds#PRIOR_WANDER}.
     */
    double wander() {
        if (Double.isNaN(wander)) {
            wander = measureWander();
        }
        return wander;
    }

    private double measureWander() {
        int k = Thresholds.WANDER_BLOCK;
        Deque<Double> differences = new ArrayDeque<>();
        for (List<Double> run : runs) {
            for (int i = 0; i + 2 * k <= run.size(); i++) {
                differences.add(mean(run, i + k, k) - mean(run, i, k));
            }
        }
        if (differences.size() < Thresholds.MIN_WANDER_PAIRS) {
            // Unmeasured (a few pairs are the ones around one step), it is taken as large as one interval's
            // noise, as the apps showed, at most the prior.
            return Math.min(Thresholds.PRIOR_WANDER, utilization.sigma());
        }
        double block = Differences.spread(differences);
        return Math.sqrt(Math.max(0, block * block - Math.pow(utilization.error(k), 2)));
    }

    private static double mean(List<Double> values, int from, int n) {
        double sum = 0;
        for (int i = from; i < from + n; i++) {
            sum += values.get(i);
        }
        return sum / n;
    }

    private void startRun() {
        if (runs.isEmpty() || !runs.getLast().isEmpty()) {
            runs.addLast(new ArrayList<>());
        }
    }

    /**
     * Keeps the latest {@value Thresholds#WANDER_READINGS} readings, the oldest first to go one by one (a
     * long run measured before a change keeps its pairs while the new run grows).
     */
    private void trimRuns() {
        int total = runs.stream().mapToInt(List::size).sum();
        while (total > Thresholds.WANDER_READINGS) {
            List<Double> oldest = runs.getFirst();
            oldest.remove(0);
            total--;
            if (oldest.isEmpty()) {
                runs.removeFirst();
            }
        }
    }

    /** One interval's relative throughput noise {@code sigma} of {@code pipeline}. */
    double throughput(String pipeline) {
        return throughputOf(pipeline).sigma();
    }

    /** Standard error of the mean relative throughput of {@code pipeline} over {@code n} consecutive intervals. */
    double throughputError(String pipeline, int n) {
        return throughputOf(pipeline).error(n);
    }

    /** Standard error of the mean relative CPU per item of {@code pipeline} over {@code n} consecutive intervals. */
    double costError(String pipeline, int n) {
        Differences d = cost.get(pipeline);
        return (d != null ? d : new Differences(Thresholds.PRIOR_THROUGHPUT_NOISE)).error(n);
    }

    /** Correlation of utilization's deviations one interval apart, as measured (or the prior). */
    double utilizationCorrelation() {
        return utilization.rho();
    }

    /** Pairs one interval apart the utilization noise rests on. */
    int pairs() {
        return utilization.lag1.size();
    }

    private Differences throughputOf(String pipeline) {
        Differences d = throughput.get(pipeline);
        return d != null ? d : new Differences(Thresholds.PRIOR_THROUGHPUT_NOISE);
    }

    private static boolean flowing(Observation obs) {
        return obs.stages().stream().anyMatch(StageObservation::hasItems);
    }

    /** The differences of one quantity, one and two intervals apart. */
    private static final class Differences {
        final Deque<Double> lag1 = new ArrayDeque<>();
        final Deque<Double> lag2 = new ArrayDeque<>();
        final double prior;

        Differences(double prior) {
            this.prior = prior;
        }

        static void lag1(Differences d, double value) {
            push(d.lag1, value);
        }

        static void lag2(Differences d, double value) {
            push(d.lag2, value);
        }

        double rho() {
            if (lag1.size() < Thresholds.MIN_NOISE_PAIRS || lag2.size() < Thresholds.MIN_NOISE_PAIRS) {
                return Thresholds.PRIOR_CORRELATION;
            }
            double s1 = spread(lag1);
            double s2 = spread(lag2);
            if (s1 <= 0) {
                return s2 <= 0 ? 0 : Thresholds.MAX_CORRELATION;
            }
            double r = (s2 / s1) * (s2 / s1) - 1;
            return Math.max(0, Math.min(Thresholds.MAX_CORRELATION, r));
        }

        double sigma() {
            double s = spread(lag1) / Math.sqrt(1 - rho());
            if (lag1.size() < Thresholds.MIN_NOISE_PAIRS) {
                s = Math.max(s, prior);
            }
            return Math.max(Thresholds.NOISE_FLOOR, s);
        }

        double error(int n) {
            return sigma() * Math.sqrt(meanVarianceFactor(rho(), Math.max(1, n)) / Math.max(1, n));
        }

        /** Robust spread about the differences' own median: a steady trend (code warming up) is not noise. */
        static double spread(Deque<Double> diffs) {
            if (diffs.isEmpty()) {
                return 0;
            }
            double center = median(new ArrayList<>(diffs));
            List<Double> deviations = new ArrayList<>(diffs.size());
            diffs.forEach(d -> deviations.add(Math.abs(d - center)));
            return MAD_TO_SD * median(deviations) / Math.sqrt(2);
        }

        private static void push(Deque<Double> diffs, double d) {
            diffs.addLast(d);
            while (diffs.size() > Thresholds.NOISE_PAIRS) {
                diffs.removeFirst();
            }
        }
    }

    /** {@code 1 + 2 sum_{k=1}^{n-1} (1 - k/n) rho^k}: the variance of a mean of n AR(1) readings, in units of sigma^2 / n. */
    static double meanVarianceFactor(double rho, int n) {
        double f = 1;
        double r = 1;
        for (int k = 1; k < n; k++) {
            r *= rho;
            f += 2 * (1 - (double) k / n) * r;
        }
        return f;
    }

    static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
