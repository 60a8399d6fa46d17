package dev.tuner.engine;

import java.util.Objects;

/**
 * One knob of one stage moved from {@code from} to {@code to}, and why, in a sentence a person
 * understands.
 *
 * @param round    the decision round it belongs to (one round moves every stage that needs it)
 * @param expected the stage's throughput the model expects after the round, items/s
 */
public record Decision(int round, String stage, Knob knob, int from, int to, String reason, double expected) {
    public Decision {
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(knob, "knob");
        Objects.requireNonNull(reason, "reason");
    }

    public boolean raises() {
        return to > from;
    }

    /** The same change undone. */
    public Decision reversed(String why) {
        return new Decision(round, stage, knob, to, from, why, Double.NaN);
    }
}
