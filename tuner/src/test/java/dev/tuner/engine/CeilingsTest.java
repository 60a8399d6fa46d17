package dev.tuner.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Ceilings are remembered with their cause, and tried again when utilization stays under the target. */
class CeilingsTest {
    private final Band band = Band.of(Settings.builder().cores(2).build());
    private final Estimate under = new Estimate(0.70, 0.01, 30); // surely under the target
    private final Estimate atTarget = new Estimate(0.89, 0.01, 30); // not surely under it

    @Test
    void aCeilingRemembersItsWorkersAndWhy() {
        Ceilings ceilings = new Ceilings();
        ceilings.didNotPay("p/a", 4);
        ceilings.overshot("p/b", 6, "7 workers overshot", new Estimate(0.97, 0.01, 10));
        assertEquals(Map.of("p/a", 4, "p/b", 6), ceilings.workers());
        assertEquals(Ceilings.Cause.DID_NOT_PAY, ceilings.of("p/a").cause());
        assertEquals("7 workers overshot", ceilings.of("p/b").reason());
        assertNull(ceilings.of("p/c"));
    }

    @Test
    void ceilingsAreTriedAgainAfterUtilizationStayedUnderTheTargetLongEnough() {
        Ceilings ceilings = new Ceilings();
        ceilings.overshot("p/a", 6, "7 overshot", new Estimate(0.97, 0.01, 10));
        for (int i = 1; i < Thresholds.REEXAMINE_AFTER; i++) {
            assertFalse(ceilings.reexamine(under, band), "interval " + i);
        }
        assertTrue(ceilings.reexamine(under, band), "at the wait's end");
        assertTrue(ceilings.isEmpty());
    }

    @Test
    void anIntervalNotSurelyUnderTheTargetStartsTheWaitOver() {
        Ceilings ceilings = new Ceilings();
        ceilings.didNotPay("p/a", 4);
        for (int i = 1; i < Thresholds.REEXAMINE_AFTER; i++) {
            ceilings.reexamine(under, band);
        }
        assertFalse(ceilings.reexamine(atTarget, band));
        for (int i = 1; i < Thresholds.REEXAMINE_AFTER; i++) {
            assertFalse(ceilings.reexamine(under, band));
        }
        assertTrue(ceilings.reexamine(under, band));
    }

    @Test
    void aCeilingFoundAgainDoublesTheNextWaitAndAShiftResetsIt() {
        Ceilings ceilings = new Ceilings();
        ceilings.overshot("p/a", 6, "7 overshot", new Estimate(0.97, 0.01, 10));
        assertEquals(Thresholds.REEXAMINE_AFTER, ceilings.reexaminationWait());
        for (int i = 0; i < Thresholds.REEXAMINE_AFTER; i++) {
            ceilings.reexamine(under, band);
        }
        ceilings.overshot("p/a", 6, "7 overshot again", new Estimate(0.97, 0.01, 10));
        ceilings.converged();
        assertEquals(2 * Thresholds.REEXAMINE_AFTER, ceilings.reexaminationWait());
        ceilings.clear();
        assertEquals(Thresholds.REEXAMINE_AFTER, ceilings.reexaminationWait());
    }

    @Test
    void aReexaminationThatFindsNoCeilingEndsTheBackOff() {
        Ceilings ceilings = new Ceilings();
        ceilings.overshot("p/a", 6, "7 overshot", new Estimate(0.97, 0.01, 10));
        for (int i = 0; i < Thresholds.REEXAMINE_AFTER; i++) {
            ceilings.reexamine(under, band);
        }
        ceilings.converged(); // no ceiling came back: the old one was stale
        ceilings.overshot("p/a", 8, "9 overshot", new Estimate(0.97, 0.01, 10));
        assertEquals(Thresholds.REEXAMINE_AFTER, ceilings.reexaminationWait());
    }

    @Test
    void withoutCeilingsThereIsNothingToReexamine() {
        Ceilings ceilings = new Ceilings();
        for (int i = 0; i < 2 * Thresholds.REEXAMINE_AFTER; i++) {
            assertFalse(ceilings.reexamine(under, band));
        }
    }

    @Test
    void anOvershootCeilingIsLiftedWhenTheCostFellEnoughForItsCountToFit() {
        Ceilings ceilings = new Ceilings();
        ceilings.overshot("p/a", 5, "6 overshot", new Estimate(0.98, 0.01, 10));
        ceilings.didNotPay("p/b", 4);
        // 0.98 x 0.92 = 0.902 +- 2 x hypot(0.0092, 0.98 x 0.005) = +-0.021: under the 95% top.
        java.util.List<Ceilings.Lifted> lifted = ceilings.liftFitting(stage -> new Estimate(0.92, 0.005, 12), band, false);
        assertEquals(1, lifted.size());
        assertEquals("p/a", lifted.get(0).stage());
        assertEquals(0.98 * 0.92, lifted.get(0).predicted().value(), 1e-12);
        assertEquals(Math.hypot(0.01 * 0.92, 0.98 * 0.005), lifted.get(0).predicted().standardError(), 1e-12);
        assertEquals(Map.of("p/b", 4), ceilings.workers(), "a ceiling that did not pay is no cost question");
    }

    @Test
    void anOvershootCeilingStaysWhileItsCountMightStillOvershoot() {
        Ceilings ceilings = new Ceilings();
        ceilings.overshot("p/a", 5, "6 overshot", new Estimate(0.98, 0.01, 10));
        // 0.902, but +-0.057: its upper bound is over the top, and a short window's point estimate does not decide.
        assertTrue(ceilings.liftFitting(stage -> new Estimate(0.92, 0.028, 12), band, false).isEmpty());
        // The same on a long window: the point estimate, 0.902, is under the 93% aim.
        assertEquals(1, ceilings.liftFitting(stage -> new Estimate(0.92, 0.028, 30), band, true).size());
        ceilings.overshot("p/a", 5, "6 overshot", new Estimate(0.98, 0.01, 10));
        // 0.98 x 0.96 = 0.941: under the top, over the aim; not sure enough either way.
        assertTrue(ceilings.liftFitting(stage -> new Estimate(0.96, 0.028, 30), band, true).isEmpty());
        assertTrue(ceilings.liftFitting(stage -> null, band, true).isEmpty(), "an unknown cost lifts nothing");
        assertEquals(Map.of("p/a", 5), ceilings.workers());
    }
}
