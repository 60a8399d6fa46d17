package dev.tuner.sim;

import dev.tuner.engine.ProcessSnapshot;

/**
 * Whatever tunes a simulated process: the engine's {@code Controller} (through {@link ControllerTuner})
 * or a yardstick. It is handed one snapshot per interval and acts through the process's actuator.
 */
public interface Tuner {
    /** One interval: the snapshot the agent would take now. */
    void onSnapshot(ProcessSnapshot snapshot);

    /** Decision rounds so far (one round may move several knobs). */
    int rounds();

    /** A short name for tables. */
    default String name() {
        return getClass().getSimpleName();
    }

    /** A tuner that never changes anything: the untuned baseline. */
    static Tuner none() {
        return new Tuner() {
            @Override
            public void onSnapshot(ProcessSnapshot snapshot) {
            }

            @Override
            public int rounds() {
                return 0;
            }

            @Override
            public String name() {
                return "none";
            }
        };
    }
}
