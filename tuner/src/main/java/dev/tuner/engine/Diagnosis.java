package dev.tuner.engine;

import java.util.Map;

/**
 * The labels of one observation and, per pipeline, what holds its throughput.
 *
 * @param labels      label of every observed stage, by stage id
 * @param bottlenecks per pipeline: the stage with the least spare capacity for its demand (highest busy
 *                    fraction), or, when no stage is saturated, {@link Bottleneck#SOURCE} if the stages
 *                    mostly wait for input and {@link Bottleneck#CONSUMER} if they mostly wait for room
 *                    downstream; {@link Bottleneck#IDLE} when nothing flowed
 */
public record Diagnosis(Map<String, Label> labels, Map<String, Bottleneck> bottlenecks) {
    public Diagnosis {
        labels = Map.copyOf(labels);
        bottlenecks = Map.copyOf(bottlenecks);
    }

    public Label label(String stageId) {
        return labels.get(stageId);
    }

    /** What holds {@code pipeline}, or {@code null} if it was not observed. */
    public Bottleneck bottleneck(String pipeline) {
        return bottlenecks.get(pipeline);
    }

    /** The id of the stage that holds {@code pipeline}, or {@code null} when none does (or it was not observed). */
    public String stageHolding(String pipeline) {
        Bottleneck b = bottlenecks.get(pipeline);
        return b == null ? null : b.stageId();
    }
}
