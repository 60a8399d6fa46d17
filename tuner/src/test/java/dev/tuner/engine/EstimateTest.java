package dev.tuner.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** An estimate is on one side of a threshold only when its whole confidence interval is. */
class EstimateTest {
    private static final double Z = Thresholds.CONFIDENCE_Z;

    @Test
    void itIsAboveOnlyWhenTheLowerBoundIs() {
        // 0.97 +- 2 x 0.01: the lower bound 0.95 is the threshold itself; a hair more and it is above.
        assertEquals(Estimate.Side.UNSURE, new Estimate(0.97, 0.01, 5).against(0.95 + 1e-9));
        assertEquals(Estimate.Side.ABOVE, new Estimate(0.97, 0.01, 5).against(0.95 - 1e-9));
        assertEquals(0.97 - Z * 0.01, new Estimate(0.97, 0.01, 5).lower(), 1e-12);
    }

    @Test
    void itIsBelowOnlyWhenTheUpperBoundIs() {
        assertEquals(Estimate.Side.UNSURE, new Estimate(0.85, 0.02, 5).against(0.89 - 1e-9));
        assertEquals(Estimate.Side.BELOW, new Estimate(0.85, 0.02, 5).against(0.89 + 1e-9));
    }

    @Test
    void anUndecidedTestSettlesOnItsValueOnlyOnceTheWindowIsFull() {
        Estimate e = new Estimate(0.96, 0.02, 10);
        assertEquals(Estimate.Side.UNSURE, e.settled(0.95, false));
        assertEquals(Estimate.Side.ABOVE, e.settled(0.95, true));
        assertEquals(Estimate.Side.BELOW, new Estimate(0.94, 0.02, 10).settled(0.95, true));
        // A decided test does not wait for the window.
        assertEquals(Estimate.Side.BELOW, new Estimate(0.80, 0.02, 2).settled(0.95, false));
    }
}
