package dev.tuner.engine;

import java.util.List;
import java.util.Map;

/**
 * A round of applied decisions waiting to be verified.
 *
 * @param decisions   what was applied
 * @param before      the window the round was planned on, at the settings before it
 * @param multipliers per pipeline, the throughput factor the model expects from the round
 * @param exploratory the round is an experiment: it stays only if it pays and keeps utilization in the band
 */
record Round(List<Decision> decisions, Window before, Map<String, Double> multipliers, boolean exploratory) {
    Round {
        decisions = List.copyOf(decisions);
        multipliers = Map.copyOf(multipliers);
    }

    /** True when the round raised the parallelism of a stage of {@code pipeline}. */
    boolean raises(String pipeline) {
        Observation planned = before.observation();
        return decisions.stream().anyMatch(d -> d.knob() == Knob.PARALLELISM && d.raises()
                && planned.stage(d.stage()) != null && planned.stage(d.stage()).pipeline().equals(pipeline));
    }
}
