package dev.tuner.engine;

/**
 * What holds a pipeline's throughput: one of its stages, or something outside every stage (its input, its
 * consumer), or nothing because nothing flowed. A typed fact: the sentences about it are rendered where they
 * are shown.
 */
public sealed interface Bottleneck permits Bottleneck.Stage, Bottleneck.Outside {
    /** The pipeline is held by its input, not by any stage. */
    Bottleneck SOURCE = Outside.SOURCE;
    /** The pipeline is held by whatever takes its output, outside any stage. */
    Bottleneck CONSUMER = Outside.CONSUMER;
    /** Nothing flowed through the pipeline. */
    Bottleneck IDLE = Outside.IDLE;

    /** A stage holds the pipeline: the one with the least spare capacity for its demand. */
    static Bottleneck stage(String id) {
        return new Stage(id);
    }

    /** How the log and the reports write it: the stage's id, or {@code (source)}, {@code (consumer)}, {@code (idle)}. */
    String wireName();

    /** The id of the stage that holds the pipeline, or {@code null} when none does. */
    default String stageId() {
        return this instanceof Stage s ? s.id() : null;
    }

    /** A stage of the pipeline holds it. */
    record Stage(String id) implements Bottleneck {
        public Stage {
            java.util.Objects.requireNonNull(id, "id");
        }

        @Override
        public String wireName() {
            return id;
        }
    }

    /** Nothing inside the pipeline holds it. */
    enum Outside implements Bottleneck {
        SOURCE("(source)"), CONSUMER("(consumer)"), IDLE("(idle)");

        private final String wireName;

        Outside(String wireName) {
            this.wireName = wireName;
        }

        @Override
        public String wireName() {
            return wireName;
        }
    }
}
