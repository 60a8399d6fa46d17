package dev.tuner.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The lines the engine draws in the band, from the default target 0.9 and dead band 0.05. */
class BandTest {
    @Test
    void theBandsLinesFollowFromTheTargetAndTheDeadBand() {
        Band band = Band.of(Settings.builder().cores(2).build());
        assertEquals(0.95, band.top(), 1e-12);
        assertEquals(0.9 + Thresholds.AIM * 0.05, band.aim(), 1e-12);
        assertEquals(0.9 - Thresholds.REACHED, band.reached(), 1e-12);
        assertEquals(0.85, band.bottom(), 1e-12);
    }
}
