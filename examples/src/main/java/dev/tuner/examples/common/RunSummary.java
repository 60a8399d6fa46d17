package dev.tuner.examples.common;

import java.util.List;
import java.util.Locale;

/**
 * The figures of a finished run, and the one {@code RESULT} line that scripts and integration tests
 * parse: {@code RESULT records_per_s=N last10s_records_per_s=M cpu_cores=C}.
 *
 * @param recordsPerSecond average over the whole run
 * @param recentRecordsPerSecond average over the last {@code window} seconds (the whole run if shorter)
 * @param recentCoresBusy average cores busy over that same window
 */
public record RunSummary(double recordsPerSecond, double recentRecordsPerSecond, double recentCoresBusy) {

    /** The window of the "recent" figures: long enough to smooth noise, short enough to show a tuned state. */
    public static final double RECENT_SECONDS = 10;
    /** Ticks run a few milliseconds late; a sample 9.99 s before the end still opens the 10 s window. */
    private static final double WINDOW_SLACK_SECONDS = 0.05;

    /**
     * Summarises samples taken in time order; the first is the start of the run, the last its end.
     *
     * @throws IllegalArgumentException with fewer than two samples
     */
    public static RunSummary of(List<RateSample> samples) {
        if (samples.size() < 2) {
            throw new IllegalArgumentException("need at least a start and an end sample, got " + samples.size());
        }
        RateSample first = samples.get(0);
        RateSample last = samples.get(samples.size() - 1);
        // The window starts at the latest sample at least RECENT_SECONDS before the end (or the first one).
        RateSample windowStart = first;
        for (RateSample sample : samples) {
            if (last.secondsSince(sample) >= RECENT_SECONDS - WINDOW_SLACK_SECONDS) {
                windowStart = sample;
            }
        }
        return new RunSummary(last.itemsPerSecondSince(first), last.itemsPerSecondSince(windowStart),
                last.coresBusySince(windowStart));
    }

    /** {@code RESULT records_per_s=N last10s_records_per_s=M cpu_cores=C}, rates rounded to integers. */
    public String resultLine() {
        return resultLine("records");
    }

    /** {@code RESULT <unit>_per_s=N last10s_<unit>_per_s=M cpu_cores=C}, e.g. with unit {@code items}. */
    public String resultLine(String unit) {
        return String.format(Locale.ROOT, "RESULT %s_per_s=%d last10s_%s_per_s=%d cpu_cores=%.2f",
                unit, Math.round(recordsPerSecond), unit, Math.round(recentRecordsPerSecond), recentCoresBusy);
    }
}
