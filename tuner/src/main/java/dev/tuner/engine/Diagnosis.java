package dev.tuner.engine;

import java.util.Map;

/**
 * The labels of one observation and, per pipeline, what holds its throughput.
 *
 * @param labels      label of every observed stage, by stage id
 * @param bottlenecks per pipeline: the id of the stage with the least spare capacity for its demand
 *                    (highest busy fraction), or, when no stage is saturated, {@link #SOURCE} if the
 *                    stages mostly wait for input and {@link #CONSUMER} if they mostly wait for room
 *                    downstream; {@link #NONE} when nothing flowed
 */
public record Diagnosis(Map<String, Label> labels, Map<String, String> bottlenecks) {
    /** The pipeline is held by its input, not by any stage. */
    public static final String SOURCE = "(source)";
    /** The pipeline is held by whatever takes its output, outside any stage. */
    public static final String CONSUMER = "(consumer)";
    /** Nothing flowed through the pipeline. */
    public static final String NONE = "(idle)";

    public Diagnosis {
        labels = Map.copyOf(labels);
        bottlenecks = Map.copyOf(bottlenecks);
    }

    public Label label(String stageId) {
        return labels.get(stageId);
    }
}
