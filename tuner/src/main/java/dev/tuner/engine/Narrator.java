package dev.tuner.engine;

/**
 * The engine's evidence as sentences a person reads: an estimate with its confidence, why a round was
 * rolled back, why a converged run tunes again. The facts stay typed ({@link Estimate},
 * {@link Verifier.Check}, {@link ShiftDetector.Shift}); this is the one place they become prose.
 *
 * <p>A {@code +-} is the half-width of the engine's confidence interval ({@value Thresholds#CONFIDENCE_Z}
 * standard errors), the margin a test asks of the estimate.
 */
final class Narrator {
    private Narrator() {
    }

    /** A utilization over a window: {@code 97% +-2% over 5 intervals}. */
    static String estimate(Estimate utilization) {
        return Fmt.percent(utilization.value()) + " +-" + Fmt.smallPercent(margin(utilization)) + " over "
                + intervals(utilization.intervals());
    }

    /** Why a pipeline's raises are rolled back. */
    static String rollback(Verifier.Check check, int before, int after, Band band) {
        if (check.cause() == RollbackCause.OVERSHOT) {
            return "the experiment overshot: " + overshoot(check, after, band);
        }
        Estimate gain = check.gain();
        return "throughput did not follow: it moved " + Fmt.change(gain.value()) + " +-" + Fmt.smallPercent(margin(gain))
                + " (" + intervals(after) + " against the " + before + " before)"
                + " where the model expected " + Fmt.change(check.expected()) + " and the round had to buy "
                + Fmt.change(check.needed());
    }

    /** An experiment that paid but overshot: what it bought and where utilization went. */
    static String overshoot(Verifier.Check check, int after, Band band) {
        return "throughput rose " + Fmt.change(check.gain().value()) + " but utilization reached "
                + estimate(check.utilization()) + ", over the " + Fmt.percent(band.top()) + " band";
    }

    /** Why a converged run tunes again. */
    static String shift(ShiftDetector.Shift shift, Settings settings) {
        Band band = Band.of(settings);
        Estimate c = shift.change();
        String over = " over the last " + intervals(shift.intervals());
        return switch (shift.kind()) {
            case THROUGHPUT -> "the throughput of pipeline " + shift.pipeline() + " moved " + Fmt.change(c.value())
                    + " +-" + Fmt.smallPercent(margin(c)) + over + ", beyond the " + Fmt.percent(settings.shiftThreshold())
                    + " that counts as a shift";
            case UTILIZATION -> "utilization moved " + Fmt.change(c.value()) + " of the cores +-"
                    + Fmt.smallPercent(margin(c)) + over + " at the same settings: per-item costs changed";
            case OVER_BAND -> "utilization is " + estimate(c) + ", over the " + Fmt.percent(band.top()) + " band";
            case UNDER_BAND -> "utilization is " + estimate(c) + ", under the band's "
                    + Fmt.percent(band.bottom()) + " while the target was the limit";
        };
    }

    /** Why overshoot ceilings were lifted: the CPU per item fell, so the counts that overshot would fit now. */
    static String lifted(java.util.List<Ceilings.Lifted> lifted, int intervals) {
        StringBuilder why = new StringBuilder();
        for (Ceilings.Lifted l : lifted) {
            why.append(why.length() == 0 ? "" : "; ").append(l.ceiling().workers() + 1).append(" workers on ")
                    .append(l.stage()).append(" overshot at ").append(estimate(l.ceiling().overshoot()))
                    .append(", but the CPU per item moved ").append(Fmt.change(l.costRatio().value() - 1))
                    .append(" +-").append(Fmt.smallPercent(margin(l.costRatio()))).append(" since (")
                    .append(intervals(intervals)).append("), so they would bring about ")
                    .append(Fmt.percent(l.predicted().value()));
        }
        return why.append(": tried again").toString();
    }

    private static double margin(Estimate e) {
        return Thresholds.CONFIDENCE_Z * e.standardError();
    }

    private static String intervals(int n) {
        return n + (n == 1 ? " interval" : " intervals");
    }
}
