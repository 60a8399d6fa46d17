package dev.tuner.engine;

/**
 * Watches a converged run for a change of its load: a pipeline's throughput or the process's utilization
 * that moved for real, not one interval that did.
 *
 * <p>The baseline is the window the verdict was reached on. Every interval the recent windows (the latest
 * {@link Thresholds#SHIFT_WINDOWS} intervals since the verdict: a short one finds a large shift within
 * seconds, a long one a smaller shift through more noise) are compared with it. A window has shifted when,
 * with the engine's confidence:
 * <ul>
 *   <li>a pipeline's throughput moved by more than {@code shiftThreshold} (its input rate or a cost that
 *   holds it changed): the whole confidence interval of the gain is beyond it;</li>
 *   <li>utilization moved by more than {@code shiftThreshold} of the baseline's (costs changed under a pacer
 *   that held throughput);</li>
 *   <li>utilization is over the band's top (when the baseline's mean was a point under it), or under its bottom while the
 *   target was the limit, on a window of at least {@value Thresholds#SETTLED_WINDOW} intervals (the band's
 *   edges are a few points away, and a burst lasts seconds: short windows test only for the large moves
 *   above).</li>
 * </ul>
 * Per-stage times per item are not compared: a stage waiting on a pool or a core measures +-30% from one
 * second to the next with nothing changed, and a cost that matters shows in throughput or utilization.
 * A window in which nothing flowed is never a shift (an idle source is not a change to tune for).
 */
final class ShiftDetector {

    /** What moved. */
    enum Kind {
        THROUGHPUT, UTILIZATION, OVER_BAND, UNDER_BAND
    }

    /**
     * A shift found.
     *
     * @param pipeline  for a throughput shift, the pipeline; {@code null} otherwise
     * @param change    the estimate that moved: the throughput gain or utilization difference against the
     *                  baseline (for the band tests, the window's utilization)
     * @param intervals the intervals of the recent window that showed it (the window to re-tune on)
     */
    record Shift(Kind kind, String pipeline, Estimate change, int intervals) {
    }

    private Window baseline;
    private Limit limit;

    /** The verdict was reached on {@code window} with {@code limit}: what later windows are compared with. */
    void baseline(Window window, Limit limit) {
        this.baseline = window.last(window.size());
        this.limit = limit;
    }

    /** The window the baseline holds (a copy), or {@code null} before the first verdict. */
    Window baselineWindow() {
        return baseline == null ? null : baseline.last(baseline.size());
    }

    /** The limit of the verdict the baseline belongs to. */
    Limit limit() {
        return limit;
    }

    /**
     * The first shift the latest intervals of {@code recent} show against the baseline, shortest window
     * first; {@code null} if none does.
     */
    Shift check(Window recent, NoiseMeter noise, Settings settings) {
        if (baseline == null || baseline.size() == 0) {
            return null;
        }
        for (int n : Thresholds.SHIFT_WINDOWS) {
            if (n > recent.size()) {
                break;
            }
            Shift shift = compare(recent.last(n), noise, settings);
            if (shift != null) {
                return shift;
            }
        }
        return null;
    }

    private Shift compare(Window w, NoiseMeter noise, Settings settings) {
        Observation obs = w.observation();
        if (obs.stages().stream().noneMatch(StageObservation::hasItems)) {
            return null;
        }
        double threshold = settings.shiftThreshold();
        for (String pipeline : obs.byPipeline().keySet()) {
            boolean flows = obs.byPipeline().get(pipeline).stream().anyMatch(StageObservation::hasItems);
            Estimate gain = Window.gain(baseline, w, pipeline, noise);
            if (flows && !Double.isNaN(gain.value()) && (gain.lower() > threshold || gain.upper() < -threshold)) {
                return new Shift(Kind.THROUGHPUT, pipeline, gain, w.size());
            }
        }
        Estimate now = w.utilization(noise);
        Estimate then = baseline.utilization(noise);
        Estimate moved = new Estimate(now.value() - then.value(),
                Math.hypot(now.standardError(), then.standardError()), w.size());
        double by = threshold * then.value();
        if (then.value() > 0 && (moved.lower() > by || moved.upper() < -by)) {
            return new Shift(Kind.UTILIZATION, null, moved, w.size());
        }
        if (w.size() < Thresholds.SETTLED_WINDOW) {
            return null; // the band's edges are a few points away: a short window is only for large moves
        }
        Band band = Band.of(settings);
        // A verdict reached with its mean within a point of the top already knew it was there (nothing could
        // pace lower): over the band again is no news, and a load that changed shows in the moves above. The
        // baseline's mean, not its confidence bound: with the level's wander in its error, a verdict at 93%
        // would never have been clearly under 95%.
        if (now.against(band.top()) == Estimate.Side.ABOVE && then.value() < band.top() - Thresholds.REACHED) {
            return new Shift(Kind.OVER_BAND, null, now, w.size());
        }
        if (limit != null && limit.kind() == Limit.Kind.TARGET && now.against(band.bottom()) == Estimate.Side.BELOW) {
            return new Shift(Kind.UNDER_BAND, null, now, w.size());
        }
        return null;
    }
}
