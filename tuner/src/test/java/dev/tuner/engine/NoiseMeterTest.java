package dev.tuner.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The noise of one interval, from differences at unchanged settings, and the error of a window's mean. */
class NoiseMeterTest {
    private static final double K = 1.4826 / Math.sqrt(2); // median |d| to one reading's standard deviation

    /** A meter fed {@code utilization} readings of 2 cores in one run at unchanged settings, 100 items each. */
    private static NoiseMeter fed(double... utilization) {
        double[] busy = new double[utilization.length];
        long[] items = new long[utilization.length];
        for (int i = 0; i < busy.length; i++) {
            busy[i] = utilization[i] * 2;
            items[i] = 100;
        }
        NoiseMeter meter = new NoiseMeter();
        List<Observation> intervals = Snap.intervals(Snap.series(busy, items), 2);
        for (int i = 0; i < intervals.size(); i++) {
            meter.next(intervals.get(i), i > 0);
        }
        return meter;
    }

    private static double[] alternating(int n, double a, double b) {
        double[] u = new double[n];
        for (int i = 0; i < n; i++) {
            u[i] = i % 2 == 0 ? a : b;
        }
        return u;
    }

    @Test
    void oneReadingsNoiseIsTheRobustSpreadOfItsDifferences() {
        // 0.50, 0.52, 0.50, ... (11 readings): ten differences one apart, +-0.02 (median 0, so |d| = 0.02),
        // nine two apart, all 0: no sign of correlation (rho = max(0, (0 / s1)^2 - 1) = 0), so
        // sigma = 1.4826 x 0.02 / sqrt 2.
        NoiseMeter meter = fed(alternating(11, 0.50, 0.52));
        assertEquals(K * 0.02, meter.utilization(), 1e-9);
        assertEquals(0.0, meter.utilizationCorrelation(), 1e-12);
        // Independent readings: the mean of 4 has a quarter of the variance; with too few readings to measure
        // the level's wander (2 pairs of adjacent 5-blocks), it is taken as PRIOR_WANDER (under sigma here).
        assertEquals(Thresholds.PRIOR_WANDER, meter.wander(), 1e-12);
        assertEquals(Math.hypot(K * 0.02 / 2, Thresholds.PRIOR_WANDER), meter.utilizationError(4), 1e-9);
    }

    @Test
    void untilEnoughPairsAreMeasuredTheNoiseIsAtLeastThePrior() {
        // Constant readings measure no noise at all. With MIN_NOISE_PAIRS - 1 pairs the prior holds...
        double[] flat = new double[Thresholds.MIN_NOISE_PAIRS];
        java.util.Arrays.fill(flat, 0.6);
        assertEquals(Thresholds.PRIOR_UTILIZATION_NOISE, fed(flat).utilization(), 1e-12);
        assertEquals(Thresholds.PRIOR_CORRELATION, fed(flat).utilizationCorrelation(), 1e-12);
        // ...with MIN_NOISE_PAIRS it is measured, and never less than the floor.
        double[] more = new double[Thresholds.MIN_NOISE_PAIRS + 1];
        java.util.Arrays.fill(more, 0.6);
        assertEquals(Thresholds.NOISE_FLOOR, fed(more).utilization(), 1e-12);
    }

    @Test
    void aSteadyTrendIsNotNoise() {
        // Code warming up: utilization falls 0.01 every interval. Every difference is -0.01, so their
        // spread about their own median is 0: the trend stays visible to the tests that look for it.
        double[] falling = new double[12];
        for (int i = 0; i < falling.length; i++) {
            falling[i] = 0.9 - 0.01 * i;
        }
        assertEquals(Thresholds.NOISE_FLOOR, fed(falling).utilization(), 1e-12);
    }

    @Test
    void noiseThatLastsIsMeasuredAsCorrelationAndWidensTheErrorOfAMean() {
        // A wave slower than the interval (0.50, 0.52, 0.54, 0.52, 0.50, 0.48, 0.46, 0.48, ... 13 readings):
        // differences one apart are +-0.02 (s1 = K x 0.02), two apart 0 or +-0.04 with median |d| 0.04 (s2 =
        // K x 0.04). (s2 / s1)^2 - 1 = 3, more than it is ever taken to be: rho = MAX_CORRELATION, and sigma =
        // s1 / sqrt(1 - rho).
        double[] wave = {0.50, 0.52, 0.54, 0.52, 0.50, 0.48, 0.46, 0.48, 0.50, 0.52, 0.54, 0.52, 0.50};
        NoiseMeter meter = fed(wave);
        double rho = Thresholds.MAX_CORRELATION;
        assertEquals(rho, meter.utilizationCorrelation(), 1e-12);
        double sigma = K * 0.02 / Math.sqrt(1 - rho);
        assertEquals(sigma, meter.utilization(), 1e-9);
        assertEquals(Math.hypot(sigma * Math.sqrt(NoiseMeter.meanVarianceFactor(rho, 5) / 5), Thresholds.PRIOR_WANDER),
                meter.utilizationError(5), 1e-9);
    }

    @Test
    void aLevelThatWandersIsMeasuredFromAdjacentBlockMeansAndNoWindowAveragesItAway() {
        // 0.5 five times, 0.6 five times, twice (20 readings): the differences one and two intervals apart are
        // 0 but at the steps, so the short-term noise is the floor. The eleven pairs of adjacent 5-blocks
        // differ by 0.1, 0.06, 0.02, -0.02, -0.06, -0.1, -0.06, -0.02, 0.02, 0.06, 0.1: median 0.02, median
        // distance from it 0.04, so a block mean moves by K x 0.04 (less the floor's share of a 5-block).
        double[] wave = new double[20];
        for (int i = 0; i < wave.length; i++) {
            wave[i] = (i / 5) % 2 == 0 ? 0.5 : 0.6;
        }
        NoiseMeter meter = fed(wave);
        assertEquals(Thresholds.NOISE_FLOOR, meter.utilization(), 1e-12);
        double wander = Math.sqrt(Math.pow(K * 0.04, 2) - Math.pow(Thresholds.NOISE_FLOOR, 2) / 5);
        assertEquals(wander, meter.wander(), 1e-9);
        // The short-term model alone would give a 10-interval mean +-0.0006.
        assertEquals(Math.hypot(Thresholds.NOISE_FLOOR / Math.sqrt(10), wander), meter.utilizationError(10), 1e-9);
    }

    @Test
    void aChangeDoesNotForgetTheWanderMeasuredBeforeIt() {
        // WANDER_READINGS readings of the square wave, then a change and a new run of 2: the new run has no
        // pair of blocks yet, but the old one keeps nearly all of its pairs, so the wander stays measured.
        double[] wave = new double[Thresholds.WANDER_READINGS];
        for (int i = 0; i < wave.length; i++) {
            wave[i] = (i / 5) % 2 == 0 ? 0.5 : 0.6;
        }
        NoiseMeter meter = fed(wave);
        double before = meter.wander();
        List<Observation> after = Snap.intervals(Snap.series(new double[] {1.4, 1.4, 1.4}, new long[] {100, 100, 100}), 2);
        meter.next(after.get(0), false);
        meter.next(after.get(1), true);
        assertTrue(meter.wander() > 0.04, "still measured: " + meter.wander());
        assertEquals(before, meter.wander(), 0.01);
    }

    @Test
    void oneStepIsAShiftToFindNotWander() {
        // 15 readings at 0.5, then 15 at 0.6: 9 of the 21 block pairs straddle the step, the median does not.
        double[] step = new double[30];
        for (int i = 0; i < step.length; i++) {
            step[i] = i < 15 ? 0.5 : 0.6;
        }
        assertEquals(0.0, fed(step).wander(), 1e-12);
    }

    @Test
    void theMeanOfCorrelatedReadingsIsWorthFewerIndependentOnes() {
        // 1 + 2 sum_{k<n} (1 - k/n) rho^k: rho = 0.5, n = 2: 1 + 2 x 0.5 x 0.5 = 1.5; n = 3: 1 + 2 x (2/3 x 0.5
        // + 1/3 x 0.25) = 1.8333; independent readings: 1.
        assertEquals(1.5, NoiseMeter.meanVarianceFactor(0.5, 2), 1e-12);
        assertEquals(1 + 2 * (2.0 / 3 * 0.5 + 1.0 / 3 * 0.25), NoiseMeter.meanVarianceFactor(0.5, 3), 1e-12);
        assertEquals(1.0, NoiseMeter.meanVarianceFactor(0, 10), 1e-12);
    }

    @Test
    void throughputNoiseIsRelative() {
        // 1000 and 1020 items by turns: every difference is ln(1020/1000) either way.
        double[] busy = new double[11];
        long[] items = new long[11];
        for (int i = 0; i < 11; i++) {
            busy[i] = 1.0;
            items[i] = i % 2 == 0 ? 1000 : 1020;
        }
        NoiseMeter meter = new NoiseMeter();
        List<Observation> intervals = Snap.intervals(Snap.series(busy, items), 2);
        for (int i = 0; i < intervals.size(); i++) {
            meter.next(intervals.get(i), i > 0);
        }
        assertEquals(K * Math.log(1020.0 / 1000), meter.throughput("p"), 1e-9);
    }

    @Test
    void noPairIsTakenAcrossAChange() {
        // Two runs of 0.5 and 0.9 readings: the jump between them is a change, not noise.
        NoiseMeter meter = new NoiseMeter();
        double[] busy = new double[20];
        long[] items = new long[20];
        for (int i = 0; i < 20; i++) {
            busy[i] = i < 10 ? 1.0 : 1.8;
            items[i] = 100;
        }
        List<Observation> intervals = Snap.intervals(Snap.series(busy, items), 2);
        for (int i = 0; i < intervals.size(); i++) {
            meter.next(intervals.get(i), i != 0 && i != 10);
        }
        assertEquals(18, meter.pairs());
        assertEquals(Thresholds.NOISE_FLOOR, meter.utilization(), 1e-12);
    }
}
