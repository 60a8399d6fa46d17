package dev.tuner.engine;

/**
 * How one decision fared once its warm-up had passed.
 *
 * @param decision the decision checked
 * @param before   the stage's throughput before the round, items/s
 * @param expected what the model expected, items/s
 * @param measured what was measured, items/s
 * @param why      for a rollback, the reason in a sentence; {@code null} when kept
 */
public record Verification(Decision decision, double before, double expected, double measured, String why) {
    /** True if the change stays; false if it was rolled back. */
    public boolean kept() {
        return why == null;
    }
}
