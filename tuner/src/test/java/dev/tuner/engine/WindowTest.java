package dev.tuner.engine;

import static dev.tuner.engine.Snap.stage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A window of intervals is their exact mean; it is settled when its halves agree. */
class WindowTest {
    private final NoiseMeter unmeasured = new NoiseMeter(); // the priors: 0.05 of the cores, 2%, rho 0.5

    private static Window window(double[] busy, long[] items, double[] cpuPerItem) {
        return Snap.window(busy, items, cpuPerItem);
    }

    private static double[] same(int n, double v) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    private static long[] same(int n, long v) {
        long[] a = new long[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    @Test
    void theWindowAsAWholeIsTheMeanOfItsIntervals() {
        Window w = window(new double[] {1.0, 1.2, 1.4}, new long[] {100, 200, 300}, same(3, 1e-3));
        assertEquals(3, w.size());
        assertEquals(0.6, w.observation().utilization(), 1e-9);
        assertEquals(200.0, w.observation().stage("p/work").throughput(), 1e-9);
        Window last2 = w.last(2);
        assertEquals(0.65, last2.observation().utilization(), 1e-9);
        assertEquals(250.0, last2.observation().stage("p/work").throughput(), 1e-9);
    }

    @Test
    void itKeepsTheLatestLongWindowOfIntervals() {
        int n = Thresholds.LONG_WINDOW + 5;
        double[] busy = new double[n];
        for (int i = 0; i < n; i++) {
            busy[i] = i < 5 ? 0.2 : 1.0;
        }
        Window w = window(busy, same(n, 100L), same(n, 1e-3));
        assertEquals(Thresholds.LONG_WINDOW, w.size());
        assertEquals(0.5, w.observation().utilization(), 1e-9, "the five slow ones left first");
        assertTrue(w.fullForCeiling());
        assertTrue(w.last(Thresholds.MAX_WINDOW).full());
        assertFalse(w.last(Thresholds.MAX_WINDOW - 1).full());
    }

    @Test
    void theGainBetweenWindowsHasTheErrorOfBothMeans() {
        Window before = window(same(2, 1.0), same(2, 100L), same(2, 1e-3));
        Window after = window(same(3, 1.1), same(3, 110L), same(3, 1e-3));
        Estimate gain = Window.gain(before, after, "p", unmeasured);
        assertEquals(0.10, gain.value(), 1e-9);
        // and half an item of resolution at each end of each window: 200 items before, 330 after
        double se = Math.hypot(Math.hypot(unmeasured.throughputError("p", 2), unmeasured.throughputError("p", 3)),
                Math.hypot(0.5 / 200, 0.5 / 330));
        assertEquals(se, gain.standardError(), 1e-12);
        assertEquals(3, gain.intervals());
    }

    @Test
    void aCountOfAFewItemsCannotShowAChangeOfOne() {
        // A scheduled pool that runs once a second: 2 runs in 2 intervals, then 3 in 2. Its intervals repeat
        // exactly (the meter measures no noise), but +50% is one run that fell into the next interval.
        Estimate gain = Window.gain(window(same(2, 1.0), same(2, 1L), same(2, 1e-3)),
                window(new double[] {1.0, 1.0}, new long[] {1, 2}, same(2, 1e-3)), "p", Snap.quietMeter());
        assertEquals(0.5, gain.value(), 1e-9);
        assertEquals(Estimate.Side.UNSURE, gain.against(0.3));
    }

    @Test
    void aWindowWhoseCostsStillFallIsNotSettled() {
        // Code warming up: CPU per item 1.4, 1.3 ms, then 1.0 ms. Utilization is pinned at the cores' top
        // (2.0 busy) and throughput barely moves, so only the cost shows it: -26%, against a standard
        // error of about 2.3% with the priors.
        Window warming = window(same(4, 2.0), new long[] {1000, 1000, 1010, 1010}, new double[] {1.4e-3, 1.3e-3, 1e-3, 1e-3});
        assertFalse(warming.settled(unmeasured));
        Window steady = window(same(4, 2.0), new long[] {1000, 1000, 1010, 1010}, same(4, 1e-3));
        assertTrue(steady.settled(unmeasured));
        assertEquals(2, warming.newerHalf().size());
    }

    @Test
    void aWindowTooShortToCompareItsHalvesIsNotSettled() {
        assertFalse(window(same(Thresholds.SETTLED_WINDOW - 1, 1.0), same(Thresholds.SETTLED_WINDOW - 1, 100L),
                same(Thresholds.SETTLED_WINDOW - 1, 1e-3)).settled(unmeasured));
        assertTrue(window(same(Thresholds.SETTLED_WINDOW, 1.0), same(Thresholds.SETTLED_WINDOW, 100L),
                same(Thresholds.SETTLED_WINDOW, 1e-3)).settled(unmeasured));
    }

    @Test
    void aWindowCoversOnlyTheStagesItsFirstSnapshotHas() {
        Snap snap = new Snap();
        Snap.Stage a = stage("p/a").did(10, 1, 0, 0, 0.01, 0);
        Snap.Stage b = stage("p/b").did(10, 1, 0, 0, 0.01, 0);
        ProcessSnapshot start = snap.start(a);
        Window w = Window.startingAt(start, 2);
        ProcessSnapshot one = snap.after(1.0, 0.5, a, b);
        ProcessSnapshot two = snap.after(1.0, 0.5, a, b);
        Observation interval = Observation.between(one, two, 2);
        assertFalse(w.covers(interval), "p/b came after the window began");
        assertTrue(Window.startingAt(one, 2).covers(interval));
        assertTrue(w.coversSomeFlowing(interval), "p/a flowed and the window has it");
        assertFalse(Window.startingAt(snap.start(), 2).coversSomeFlowing(interval), "a window with no stage");
        assertEquals(List.of("p/a"), Observation.between(start, two, 2).stages().stream().map(StageObservation::id).toList());
    }
}
