package dev.tuner.engine;

/**
 * How one decision fared once its warm-up had passed and the windows could tell.
 *
 * @param decision the decision checked
 * @param before   the stage's throughput over the window the round was planned on, items/s
 * @param expected what the model expected, items/s
 * @param measured the stage's throughput over the window after the warm-up, items/s
 * @param evidence the windows, the noise and the gain the verdict rests on
 * @param cause    for a rollback, why; {@code null} when kept
 * @param why      for a rollback, the reason in a sentence (rendered from the cause and the evidence);
 *                 {@code null} when kept
 */
public record Verification(Decision decision, double before, double expected, double measured, Evidence evidence,
                           RollbackCause cause, String why) {

    /**
     * What the verdict on the decision's pipeline rested on.
     *
     * @param beforeIntervals intervals of the window the round was planned on
     * @param afterIntervals  intervals after the warm-up it was judged on
     * @param noise           one interval's throughput noise of the pipeline, relative, as measured
     * @param gain            the pipeline's throughput gain between the windows, relative; NaN if unknown
     * @param gainError       its standard error
     * @param needed          the gain the round had to buy; NaN where none was asked (nothing raised)
     * @param utilization     utilization over the window after, a share of the cores
     */
    public record Evidence(int beforeIntervals, int afterIntervals, double noise, double gain, double gainError,
                           double needed, double utilization) {
    }

    /** True if the change stays; false if it was rolled back. */
    public boolean kept() {
        return cause == null;
    }
}
