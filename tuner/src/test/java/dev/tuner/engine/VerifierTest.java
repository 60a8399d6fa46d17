package dev.tuner.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A round's raises judged on windows: kept when the gain showed up, rolled back when it surely did not. */
class VerifierTest {
    private final Verifier verifier = new Verifier();
    private final Band band = Band.of(Settings.builder().cores(2).build());
    private final NoiseMeter quiet = Snap.quietMeter();
    private final NoiseMeter unmeasured = new NoiseMeter();

    /** A raise of p/work from 4 to 8 workers planned on 2 intervals of 1000 items at 1.0 of 2 cores. */
    private static Round raise(double expectedFactor, boolean exploratory) {
        Decision d = new Decision(1, "p/work", Knob.PARALLELISM, 4, 8, "test", 1000 * expectedFactor);
        return new Round(List.of(d), Snap.steadyWindow(2, 1.0, 1000), Map.of("p", expectedFactor), exploratory);
    }

    private List<Verifier.Check> judge(Round round, Window after, NoiseMeter noise, boolean fitForCeiling) {
        return verifier.judge(round, after, noise, band, () -> fitForCeiling);
    }

    @Test
    void aGainThatShowedUpIsKeptAfterTheShortestWindow() {
        List<Verifier.Check> checks = judge(raise(2.0, false), Snap.steadyWindow(Thresholds.MIN_WINDOW, 1.8, 2000), quiet, false);
        assertEquals(1, checks.size());
        assertTrue(checks.get(0).kept());
        assertEquals(1.0, checks.get(0).gain().value(), 1e-9);
        // One interval is never evidence.
        assertNull(judge(raise(2.0, false), Snap.steadyWindow(Thresholds.MIN_WINDOW - 1, 1.8, 2000), quiet, false));
    }

    @Test
    void aGainThatDidNotShowUpIsRolledBackOnlyOnAWindowFitForACeiling() {
        Window flat = Snap.steadyWindow(4, 1.0, 1000);
        assertNull(judge(raise(2.0, false), flat, quiet, false), "the window is not fit for a ceiling yet: wait");
        List<Verifier.Check> checks = judge(raise(2.0, false), flat, quiet, true);
        assertEquals(RollbackCause.NO_GAIN, checks.get(0).cause());
    }

    @Test
    void aRaiseMustBuyAShareOfWhatTheModelExpected() {
        // Expected +5%: needed = 0.4 x 5% = 2% (between the floor of 1% and the cap of 5%). The quiet meter
        // leaves a standard error of about 0.3%, so +1.5% surely falls short and +2.5% surely pays.
        Verifier.Check under = judge(raise(1.05, false), Snap.steadyWindow(4, 1.0, 1015), quiet, true).get(0);
        assertEquals(0.02, under.needed(), 1e-12);
        assertEquals(RollbackCause.NO_GAIN, under.cause());
        assertTrue(judge(raise(1.05, false), Snap.steadyWindow(4, 1.0, 1025), quiet, true).get(0).kept());
    }

    @Test
    void whatARaiseMustBuyIsBetweenTheFloorAndTheCap() {
        // +1% expected asks 0.4% -> the floor, 1%; +50% asks 20% -> the cap, 5% (utilization out of the band).
        assertEquals(Thresholds.KEEP_FLOOR, judge(raise(1.01, false), Snap.steadyWindow(4, 1.0, 1100), quiet, true)
                .get(0).needed(), 1e-12);
        assertEquals(Thresholds.KEEP_CAP, judge(raise(1.5, false), Snap.steadyWindow(4, 1.0, 1100), quiet, true)
                .get(0).needed(), 1e-12);
    }

    @Test
    void insideTheBandThroughputAloneDecides() {
        // Expected +50%, got +3% at 0.92 of the cores (inside the band): the CPU is spent either way, so a
        // verified gain of the floor's 1% keeps it. Out of the band (0.80) it would have had to buy 5%.
        Verifier.Check inBand = judge(raise(1.5, false), Snap.steadyWindow(4, 1.84, 1030), quiet, true).get(0);
        assertEquals(Thresholds.KEEP_FLOOR, inBand.needed(), 1e-12);
        assertTrue(inBand.kept());
        Verifier.Check outside = judge(raise(1.5, false), Snap.steadyWindow(4, 1.6, 1030), quiet, true).get(0);
        assertEquals(RollbackCause.NO_GAIN, outside.cause());
    }

    @Test
    void anUndecidedGainWaitsForTheWindowToGrowThenItsValueDecides() {
        // Unmeasured noise (2% an interval, rho 0.5): +3% against the 2% needed is undecided on 4 intervals...
        assertNull(judge(raise(1.05, false), Snap.steadyWindow(4, 1.0, 1030), unmeasured, true));
        // ...and on a full window the value decides.
        assertTrue(judge(raise(1.05, false), Snap.steadyWindow(Thresholds.MAX_WINDOW, 1.0, 1030), unmeasured, true)
                .get(0).kept());
    }

    @Test
    void anExperimentThatPaidButTookUtilizationOverTheBandIsRolledBack() {
        Verifier.Check check = judge(raise(1.2, true), Snap.steadyWindow(4, 1.98, 1200), quiet, true).get(0);
        assertEquals(RollbackCause.OVERSHOT, check.cause());
        assertEquals(0.99, check.utilization().value(), 1e-9);
    }

    @Test
    void anExperimentThatMayHaveOvershotWaitsForAFullWindowThenItsValueDecides() {
        // 0.96 with unmeasured noise: its gain is verified, its overshoot is not on 4 intervals. On a full
        // window the point estimate decides: longer would not narrow the level's wander.
        assertNull(judge(raise(1.2, true), Snap.steadyWindow(Thresholds.SETTLED_WINDOW, 1.92, 1200), unmeasured, true));
        assertEquals(RollbackCause.OVERSHOT, judge(raise(1.2, true),
                Snap.steadyWindow(Thresholds.MAX_WINDOW, 1.92, 1200), unmeasured, true).get(0).cause());
        // 0.948 is kept there.
        assertTrue(judge(raise(1.2, true), Snap.steadyWindow(Thresholds.MAX_WINDOW, 1.896, 1200), unmeasured, true)
                .get(0).kept());
    }

    @Test
    void aPipelineTheRoundDidNotRaiseIsNotChecked() {
        Decision down = new Decision(1, "p/work", Knob.PARALLELISM, 8, 4, "test", 500);
        Round round = new Round(List.of(down), Snap.steadyWindow(2, 1.0, 1000), Map.of("p", 0.5), false);
        assertEquals(List.of(), judge(round, Snap.steadyWindow(2, 0.5, 500), quiet, true));
    }
}
