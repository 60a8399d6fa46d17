package dev.tuner.engine;

import java.util.Objects;

/**
 * A decision as it was carried out: {@code applied} is false in advise mode and when the actuator could not
 * set the knob, so a reader of the status sees what the process runs, not what the engine wanted.
 */
public record Taken(Decision decision, boolean applied) {
    public Taken {
        Objects.requireNonNull(decision, "decision");
    }
}
