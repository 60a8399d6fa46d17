package dev.tuner.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Judges a round of raises on windows: the mean over the intervals after its warm-up against the mean
 * over the window it was planned on, per pipeline it raised.
 *
 * <p><b>The gain.</b> {@code g} is the pipeline's throughput gain between the two windows with its
 * standard error (see {@link Window#gain}). The round must buy {@code needed}: {@value Thresholds#KEEP_SHARE}
 * of the gain the model expected, at least {@value Thresholds#KEEP_FLOOR} and at most
 * {@value Thresholds#KEEP_CAP}; inside the band (utilization after it at or over the target, not over the
 * top) only {@value Thresholds#KEEP_FLOOR}, since there the CPU is spent either way and throughput alone
 * decides (busier consumers often cost less CPU per item: fewer wake-ups). The gain has <em>paid</em>
 * when its lower confidence bound is over 0 and its value reaches {@code needed}; it has <em>not
 * paid</em> when its upper bound is under {@code needed}.
 *
 * <p><b>Utilization</b>, for an experiment only (a step the model predicted to overshoot): it stays in the
 * band when the upper bound of the window's mean is at most the top, and overshot when the lower bound
 * is over it; at {@value Thresholds#MAX_WINDOW} intervals its point estimate decides. Waiting longer buys
 * little: the utilization level wanders by about a point from one stretch of seconds to the next
 * ({@code NoiseMeter#wander}), which no longer window averages away, so an experiment that lands at the
 * top stays undecided for good (the seed's seventh reader, +16% at 94.9%, waited 30 s).
 *
 * <p><b>When.</b> Each test waits while it is undecided, one interval more at a time from
 * {@value Thresholds#MIN_WINDOW}: the window grows with the noise, until the standard error is small
 * enough for the effect. At {@value Thresholds#MAX_WINDOW} intervals the point estimates decide. A
 * rollback leaves a ceiling, so it also waits until the window is fit for one (at least
 * {@value Thresholds#SETTLED_WINDOW} intervals, its halves agreeing: the caller's test, which may drop a
 * still-settling older half). A gain that cannot be measured (nothing comparable flowed) is no reason to
 * roll back.
 */
final class Verifier {

    /**
     * The verdict on one pipeline's raises and the evidence it rests on.
     *
     * @param gain        the throughput gain between the windows (value NaN when not measurable)
     * @param expected    the gain the model expected
     * @param needed      the gain the round had to buy
     * @param utilization utilization over the window after
     * @param cause       why it is rolled back; {@code null} when it stays
     */
    record Check(String pipeline, Estimate gain, double expected, double needed, Estimate utilization,
                 RollbackCause cause) {
        boolean kept() {
            return cause == null;
        }
    }

    /**
     * The checks of every pipeline the round raised, or {@code null} while the windows cannot tell yet.
     * Pipelines the round did not raise (buffers only, or lowered) are not checked: they stay.
     */
    List<Check> judge(Round round, Window after, NoiseMeter noise, Band band, BooleanSupplier fitForCeiling) {
        if (after.size() < Thresholds.MIN_WINDOW) {
            return null;
        }
        Estimate utilization = after.utilization(noise);
        List<Check> checks = new ArrayList<>();
        for (Map.Entry<String, Double> e : round.multipliers().entrySet()) {
            String pipeline = e.getKey();
            double expected = e.getValue() - 1;
            if (expected <= 0 || !round.raises(pipeline)) {
                continue;
            }
            Estimate gain = Window.gain(round.before(), after, pipeline, noise);
            boolean inBand = utilization.value() >= band.reached() && utilization.value() <= band.top();
            double needed = inBand ? Thresholds.KEEP_FLOOR
                    : Math.min(Thresholds.KEEP_CAP, Math.max(Thresholds.KEEP_FLOOR, Thresholds.KEEP_SHARE * expected));
            RollbackCause cause;
            if (Double.isNaN(gain.value())) {
                cause = null;
            } else {
                Estimate.Side paid = paid(gain, needed, after.full());
                if (paid == Estimate.Side.UNSURE) {
                    return null;
                }
                cause = paid == Estimate.Side.BELOW ? RollbackCause.NO_GAIN : null;
            }
            if (cause == null && round.exploratory()) {
                Estimate.Side side = utilization.settled(band.top(), after.full());
                if (side == Estimate.Side.UNSURE) {
                    return null;
                }
                cause = side == Estimate.Side.ABOVE ? RollbackCause.OVERSHOT : null;
            }
            checks.add(new Check(pipeline, gain, expected, needed, utilization, cause));
        }
        if (checks.stream().anyMatch(c -> !c.kept()) && !fitForCeiling.getAsBoolean()) {
            return null;
        }
        return checks;
    }

    /** ABOVE: paid; BELOW: did not; UNSURE: the window must grow. */
    static Estimate.Side paid(Estimate gain, double needed, boolean windowFull) {
        if (gain.lower() > 0 && gain.value() >= needed) {
            return Estimate.Side.ABOVE;
        }
        if (gain.upper() < needed) {
            return Estimate.Side.BELOW;
        }
        if (!windowFull) {
            return Estimate.Side.UNSURE;
        }
        return gain.value() >= needed ? Estimate.Side.ABOVE : Estimate.Side.BELOW;
    }
}
