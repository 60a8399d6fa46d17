package dev.tuner.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LimitTest {
    @Test
    void figuresAreAddedWithoutChangingTheLimitTheyAreAddedTo() {
        Limit bare = new Limit(Limit.Kind.LOCK, "p/work", "p/work is lock-bound");
        Limit withShare = bare.with(Limit.Figure.LOCK_SHARE, 0.6).with(Limit.Figure.WORKERS, 4);
        assertTrue(bare.figures().isEmpty(), "with() returns a new limit");
        assertEquals(0.6, withShare.figure(Limit.Figure.LOCK_SHARE), 1e-12);
        assertEquals(4, withShare.figure(Limit.Figure.WORKERS), 1e-12);
        assertTrue(Double.isNaN(withShare.figure(Limit.Figure.UTILIZATION)), "a figure the limit lacks is NaN");
        assertEquals(0.7, withShare.with(Limit.Figure.LOCK_SHARE, 0.7).figure(Limit.Figure.LOCK_SHARE), 1e-12);
    }

    @Test
    void theFiguresCannotBeChangedFromOutside() {
        Limit limit = new Limit(Limit.Kind.TARGET, null, Map.of(Limit.Figure.UTILIZATION, 0.9), "reached");
        assertThrows(UnsupportedOperationException.class, () -> limit.figures().put(Limit.Figure.TARGET, 0.9));
    }

    @Test
    void everyFigureHasItsOwnWireName() {
        assertEquals(Limit.Figure.values().length, java.util.Arrays.stream(Limit.Figure.values())
                .map(Limit.Figure::wireName).distinct().count());
        assertEquals("lock_share", Limit.Figure.LOCK_SHARE.wireName());
    }
}
