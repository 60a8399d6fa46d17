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
        ceilings.overshot("p/b", 6, "7 workers overshot");
        assertEquals(Map.of("p/a", 4, "p/b", 6), ceilings.workers());
        assertEquals(Ceilings.Cause.DID_NOT_PAY, ceilings.of("p/a").cause());
        assertEquals("7 workers overshot", ceilings.of("p/b").reason());
        assertNull(ceilings.of("p/c"));
    }

    @Test
    void ceilingsAreTriedAgainAfterUtilizationStayedUnderTheTargetLongEnough() {
        Ceilings ceilings = new Ceilings();
        ceilings.overshot("p/a", 6, "7 overshot");
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
        ceilings.overshot("p/a", 6, "7 overshot");
        assertEquals(Thresholds.REEXAMINE_AFTER, ceilings.reexaminationWait());
        for (int i = 0; i < Thresholds.REEXAMINE_AFTER; i++) {
            ceilings.reexamine(under, band);
        }
        ceilings.overshot("p/a", 6, "7 overshot again");
        ceilings.converged();
        assertEquals(2 * Thresholds.REEXAMINE_AFTER, ceilings.reexaminationWait());
        ceilings.clear();
        assertEquals(Thresholds.REEXAMINE_AFTER, ceilings.reexaminationWait());
    }

    @Test
    void aReexaminationThatFindsNoCeilingEndsTheBackOff() {
        Ceilings ceilings = new Ceilings();
        ceilings.overshot("p/a", 6, "7 overshot");
        for (int i = 0; i < Thresholds.REEXAMINE_AFTER; i++) {
            ceilings.reexamine(under, band);
        }
        ceilings.converged(); // no ceiling came back: the old one was stale
        ceilings.overshot("p/a", 8, "9 overshot");
        assertEquals(Thresholds.REEXAMINE_AFTER, ceilings.reexaminationWait());
    }

    @Test
    void withoutCeilingsThereIsNothingToReexamine() {
        Ceilings ceilings = new Ceilings();
        for (int i = 0; i < 2 * Thresholds.REEXAMINE_AFTER; i++) {
            assertFalse(ceilings.reexamine(under, band));
        }
    }
}
