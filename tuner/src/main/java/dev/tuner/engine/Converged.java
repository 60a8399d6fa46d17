package dev.tuner.engine;

import java.util.Map;

/**
 * The verdict once the tuner can do no better: where it stands, what holds it, and the settings to
 * put in the launch config.
 *
 * @param utilization  process CPU as a share of the cores
 * @param throughput   items/s per stage
 * @param limit        what holds throughput now
 * @param recommended  per stage, knob name to value (the static settings)
 * @param rounds       decision rounds it took
 * @param intervals    intervals of the window the verdict rests on (utilization and throughput are its means)
 */
public record Converged(double utilization, Map<String, Double> throughput, Limit limit,
                        Map<String, Map<String, Integer>> recommended, int rounds, int intervals) {
    public Converged {
        throughput = Map.copyOf(throughput);
        recommended = Map.copyOf(recommended);
    }
}
