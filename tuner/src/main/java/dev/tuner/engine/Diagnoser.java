package dev.tuner.engine;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Labels each stage from how its workers spent the interval and names each pipeline's bottleneck.
 *
 * <p>Rules, in order: nothing flowed and workers idle: {@code idle}; busy at least
 * {@value Thresholds#SATURATED} of worker time and at least {@value Thresholds#LOCK_BOUND} of that blocked or parked on
 * locks: {@code lock-bound}; busy at least {@value Thresholds#SATURATED}: {@code cpu-bound} when at least half of
 * processing is on CPU, else {@code io-bound}; otherwise {@code starved} or {@code backpressured} by
 * the larger wait. The bottleneck is the stage with the highest busy fraction (capacity
 * {@code parallelism / S} lowest relative to its demand {@code throughput}); when no stage is
 * saturated, the pipeline waits for its source (stages mostly starved) or for whatever consumes its
 * output (stages mostly backpressured).
 */
public final class Diagnoser {

    public Diagnosis diagnose(Observation observation) {
        Map<String, Label> labels = new HashMap<>();
        for (StageObservation stage : observation.stages()) {
            labels.put(stage.id(), label(stage));
        }
        Map<String, Bottleneck> bottlenecks = new HashMap<>();
        observation.byPipeline().forEach((pipeline, stages) -> bottlenecks.put(pipeline, bottleneck(stages, labels)));
        return new Diagnosis(labels, bottlenecks);
    }

    static Label label(StageObservation stage) {
        if (stage.items() == 0 && stage.busyFraction() < 0.05) {
            return Label.IDLE;
        }
        if (stage.busyFraction() >= Thresholds.SATURATED) {
            if (stage.lockShare() >= Thresholds.LOCK_BOUND) {
                return Label.LOCK_BOUND;
            }
            return stage.cpuShareOrAll() >= Thresholds.CPU_BOUND ? Label.CPU_BOUND : Label.IO_BOUND;
        }
        return stage.inputWaitFraction() >= stage.outputWaitFraction() ? Label.STARVED : Label.BACKPRESSURED;
    }

    private static Bottleneck bottleneck(List<StageObservation> stages, Map<String, Label> labels) {
        StageObservation busiest = null;
        boolean flowed = false;
        double inputWait = 0;
        double outputWait = 0;
        for (StageObservation stage : stages) {
            flowed |= stage.items() > 0;
            inputWait += stage.inputWaitFraction();
            outputWait += stage.outputWaitFraction();
            if (busiest == null || stage.busyFraction() > busiest.busyFraction()) {
                busiest = stage;
            }
        }
        if (!flowed || busiest == null) {
            return Bottleneck.IDLE;
        }
        if (!labels.get(busiest.id()).saturated()) {
            return inputWait >= outputWait ? Bottleneck.SOURCE : Bottleneck.CONSUMER;
        }
        return Bottleneck.stage(busiest.id());
    }
}
