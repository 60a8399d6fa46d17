package dev.tuner.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** A converged run tunes again when a window's mean moved with confidence, never for one interval. */
class ShiftDetectorTest {
    private final Settings settings = Settings.builder().cores(2).build(); // shift threshold 30%
    private final NoiseMeter quiet = Snap.quietMeter();
    private final Limit target = new Limit(Limit.Kind.TARGET, null, "target");

    /** A detector whose baseline is 5 intervals of 1000 items at {@code busy} of 2 cores. */
    private ShiftDetector baseline(double busy, Limit limit) {
        ShiftDetector d = new ShiftDetector();
        d.baseline(Snap.steadyWindow(5, busy, 1000), limit);
        return d;
    }

    private static Window recent(double[] busy, long[] items) {
        double[] cpu = new double[busy.length];
        java.util.Arrays.fill(cpu, 1e-3);
        return Snap.window(busy, items, cpu);
    }

    @Test
    void aThroughputThatMovedBeyondTheThresholdIsAShiftOnTheShortestWindow() {
        ShiftDetector d = baseline(1.8, target);
        ShiftDetector.Shift shift = d.check(recent(new double[] {1.8, 1.8}, new long[] {600, 600}), quiet, settings);
        assertEquals(ShiftDetector.Kind.THROUGHPUT, shift.kind());
        assertEquals("p", shift.pipeline());
        assertEquals(-0.4, shift.change().value(), 1e-9);
        assertEquals(Thresholds.MIN_WINDOW, shift.intervals());
    }

    @Test
    void oneIntervalIsNeverAShift() {
        ShiftDetector d = baseline(1.8, target);
        assertNull(d.check(recent(new double[] {0.2}, new long[] {100}), quiet, settings));
        // nor a move just inside the threshold (-29%)
        assertNull(d.check(recent(new double[] {1.8, 1.8}, new long[] {710, 710}), quiet, settings));
    }

    @Test
    void utilizationOverTheBandIsAShiftOnlyWithConfidenceOnASettledWindow() {
        ShiftDetector d = baseline(1.8, target);
        double[] over = {1.98, 1.98, 1.98, 1.98};
        long[] same = {1000, 1000, 1000, 1000};
        ShiftDetector.Shift shift = d.check(recent(over, same), quiet, settings);
        assertEquals(ShiftDetector.Kind.OVER_BAND, shift.kind());
        assertEquals(Thresholds.SETTLED_WINDOW, shift.intervals());
        // Fewer intervals test only for large moves: the band's edge is a few points away and a burst lasts seconds.
        assertNull(d.check(recent(new double[] {1.98, 1.98, 1.98}, new long[] {1000, 1000, 1000}), quiet, settings));
        // With the noise unmeasured (0.05 of the cores, rho 0.5) four intervals prove nothing.
        assertNull(d.check(recent(over, same), new NoiseMeter(), settings));
    }

    @Test
    void overTheBandIsNoNewsToAVerdictReachedAtItsTop() {
        // The verdict came at 95% (every stage at its minimum, nothing to pace lower): 97-99% later, at the
        // same throughput and within the 30% move, is where it already was, not a shift to re-tune for.
        Limit bounds = new Limit(Limit.Kind.BOUNDS, null, "no stage can pace the pipeline lower");
        long[] same = {1000, 1000, 1000, 1000};
        assertNull(baseline(1.9, bounds).check(recent(new double[] {1.96, 1.98, 1.94, 1.98}, same), quiet, settings));
        // From 90% the same window is over the band with confidence.
        assertEquals(ShiftDetector.Kind.OVER_BAND,
                baseline(1.8, bounds).check(recent(new double[] {1.96, 1.98, 1.94, 1.98}, same), quiet, settings).kind());
    }

    @Test
    void utilizationUnderTheBandIsAShiftOnlyWhereTheTargetWasTheLimit() {
        Window under = recent(new double[] {1.6, 1.6, 1.6, 1.6}, new long[] {1000, 1000, 1000, 1000});
        assertEquals(ShiftDetector.Kind.UNDER_BAND, baseline(1.8, target).check(under, quiet, settings).kind());
        // Held by a ceiling instead, 80% is where it was meant to stay (and the move is under 30%).
        assertNull(baseline(1.8, new Limit(Limit.Kind.CEILING, "p/work", "ceiling")).check(under, quiet, settings));
    }

    @Test
    void utilizationThatMovedAtTheSameThroughputIsAShift() {
        // Costs doubled under a pacer that held throughput: 0.45 -> 0.9 of the cores.
        ShiftDetector d = baseline(0.9, new Limit(Limit.Kind.SOURCE, null, "source"));
        ShiftDetector.Shift shift = d.check(recent(new double[] {1.8, 1.8}, new long[] {1000, 1000}), quiet, settings);
        assertEquals(ShiftDetector.Kind.UTILIZATION, shift.kind());
        assertEquals(0.45, shift.change().value(), 1e-9);
    }

    @Test
    void aScheduledPoolRunningOnceASecondIsNoShiftWhenARunSlips() {
        // 1 run a second, then 2 and 1 and 2...: +50% by the count, one run by the clock.
        ShiftDetector d = new ShiftDetector();
        d.baseline(Snap.steadyWindow(5, 1.8, 1), target);
        assertNull(d.check(recent(new double[] {1.8, 1.8}, new long[] {2, 1}), quiet, settings));
    }

    @Test
    void anIdleWindowIsNeverAShift() {
        ShiftDetector d = baseline(1.8, target);
        assertNull(d.check(recent(new double[] {0.01, 0.01, 0.01}, new long[] {0, 0, 0}), quiet, settings));
    }
}
