package dev.tuner.examples.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunSummaryTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void averagesTheWholeRunAndTheLastTenSeconds() {
        // 5 s at 1000 items/s and 0.5 cores, then 10 s at 4000 items/s and 2 cores.
        List<RateSample> samples = new ArrayList<>();
        long items = 0;
        long cpu = 0;
        samples.add(new RateSample(0, 0, 0));
        for (int t = 1; t <= 15; t++) {
            boolean tuned = t > 5;
            items += tuned ? 4000 : 1000;
            cpu += tuned ? 2 * SECOND : SECOND / 2;
            samples.add(new RateSample(t * SECOND + 3_000_000, items, cpu)); // ticks run a little late
        }
        RunSummary summary = RunSummary.of(samples);
        assertEquals(45_000 / 15.003, summary.recordsPerSecond(), 1e-6);
        assertEquals(4000, summary.recentRecordsPerSecond(), 1e-6);
        assertEquals(2.0, summary.recentCoresBusy(), 1e-9);
        assertEquals("RESULT records_per_s=2999 last10s_records_per_s=4000 cpu_cores=2.00", summary.resultLine());
        assertEquals("RESULT items_per_s=2999 last10s_items_per_s=4000 cpu_cores=2.00", summary.resultLine("items"));
    }

    @Test
    void aRunShorterThanTheWindowIsSummarisedWhole() {
        RunSummary summary = RunSummary.of(List.of(new RateSample(0, 0, 0), new RateSample(4 * SECOND, 800, SECOND)));
        assertEquals(200, summary.recordsPerSecond(), 1e-9);
        assertEquals(200, summary.recentRecordsPerSecond(), 1e-9);
        assertEquals(0.25, summary.recentCoresBusy(), 1e-9);
    }

    @Test
    void needsAStartAndAnEnd() {
        assertThrows(IllegalArgumentException.class, () -> RunSummary.of(List.of(new RateSample(0, 0, 0))));
    }
}
