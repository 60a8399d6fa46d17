package dev.tuner.agent.pools;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PoolFilterTest {

    @Test
    void noPatternsTakesEveryPool() {
        assertTrue(PoolFilter.of(List.of()).accepts("anything"));
    }

    @Test
    void inclusionsNameThePoolsTuned() {
        PoolFilter filter = PoolFilter.of(List.of("etl-*", "ledger"));
        assertTrue(filter.accepts("etl-read"));
        assertTrue(filter.accepts("ledger"));
        assertFalse(filter.accepts("ledger-2"));
        assertFalse(filter.accepts("pool-3"));
    }

    @Test
    void anExclusionWinsOverAnInclusion() {
        PoolFilter filter = PoolFilter.of(List.of("etl-*", "!etl-audit*"));
        assertTrue(filter.accepts("etl-read"));
        assertFalse(filter.accepts("etl-audit"));
        assertFalse(filter.accepts("etl-audit#2"));
    }

    @Test
    void exclusionsAloneLeaveTheRestIn() {
        PoolFilter filter = PoolFilter.of(List.of("!progress", "!pool-?"));
        assertFalse(filter.accepts("progress"));
        assertFalse(filter.accepts("pool-1"));
        assertTrue(filter.accepts("pool-12"));
        assertTrue(filter.accepts("etl-parse"));
    }

    @Test
    void globCharactersOnlyAreSpecial() {
        PoolFilter filter = PoolFilter.of(List.of("a.b"));
        assertTrue(filter.accepts("a.b"));
        assertFalse(filter.accepts("axb"));
    }
}
