package dev.tuner.engine;

/**
 * A quantity estimated over a window of intervals: its value and standard error, and how many intervals
 * it rests on. Compared with a threshold it is on one side only when the whole confidence interval
 * ({@code value +- }{@value Thresholds#CONFIDENCE_Z}{@code  x standardError}) is.
 *
 * @param value         the estimate (a mean over the window, or a gain between two windows)
 * @param standardError its standard error, from the noise measured at unchanged settings
 * @param intervals     intervals it rests on (for a gain, those after the change)
 */
public record Estimate(double value, double standardError, int intervals) {

    /** Where an estimate stands against a threshold, with the engine's confidence. */
    public enum Side { ABOVE, BELOW, UNSURE }

    public double lower() {
        return value - Thresholds.CONFIDENCE_Z * standardError;
    }

    public double upper() {
        return value + Thresholds.CONFIDENCE_Z * standardError;
    }

    /** {@code ABOVE} when even the lower bound is over {@code threshold}, {@code BELOW} when even the upper is under. */
    public Side against(double threshold) {
        if (lower() > threshold) {
            return Side.ABOVE;
        }
        if (upper() < threshold) {
            return Side.BELOW;
        }
        return Side.UNSURE;
    }

    /**
     * The side a test settles on: the confident side, or, once the window can grow no more
     * ({@link Thresholds#MAX_WINDOW} intervals), the side of the value itself; {@code UNSURE} otherwise.
     */
    public Side settled(double threshold, boolean windowFull) {
        Side side = against(threshold);
        if (side != Side.UNSURE || !windowFull) {
            return side;
        }
        return value > threshold ? Side.ABOVE : Side.BELOW;
    }
}
