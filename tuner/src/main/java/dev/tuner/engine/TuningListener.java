package dev.tuner.engine;

/**
 * What the controller reports, in the order it happens. The agent writes these to the tuning log;
 * tests and the simulator record them. Called on the controller's thread; must not throw.
 */
public interface TuningListener {
    /** Every interval: the observation and its diagnosis. */
    default void onSample(Observation observation, Diagnosis diagnosis) {
    }

    /** A decision, and whether it was applied (false in advise mode or when the actuator failed). */
    default void onDecision(Decision decision, boolean applied) {
    }

    /** A decision checked after its warm-up; {@code kept == false} means it was rolled back. */
    default void onVerification(Verification verification) {
    }

    /** A converged run tunes again: what moved, in a sentence. */
    default void onRetune(String reason) {
    }

    /** The tuner can do no better for now. */
    default void onConverged(Converged converged) {
    }

    /** Something a person should know that is not a decision. */
    default void onWarning(String message) {
    }
}
