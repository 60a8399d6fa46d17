package dev.tuner.engine;

import java.util.Objects;

/**
 * What holds throughput where it is, once the tuner can do no better.
 *
 * @param kind    the kind of limit
 * @param stage   the stage it sits in, or {@code null} for the whole process
 * @param message a sentence a person understands, naming the stage and the evidence
 */
public record Limit(Kind kind, String stage, String message) {

    public enum Kind {
        /** Utilization reached the target: the CPU budget is spent. */
        TARGET("target"),
        /** A stage whose workers wait on a lock: more threads would only queue. */
        LOCK("lock"),
        /** The pipeline waits for its input. */
        SOURCE("source"),
        /** The pipeline waits for whatever consumes its output. */
        CONSUMER("consumer"),
        /** A knob is at the bound the app allows. */
        BOUNDS("bounds"),
        /** The total thread budget ({@code max-threads}) is spent. */
        MAX_THREADS("max-threads"),
        /** More threads were tried on a stage and did not pay. */
        CEILING("ceiling"),
        /** One more worker on the pacing stage would overshoot the target. */
        GRANULARITY("granularity"),
        /** Other processes hold the cores: more threads here would compete for the same cores. */
        MACHINE("machine"),
        /** Buffers may not grow within the prefetch memory budget. */
        MEMORY("memory"),
        /** Nothing flows. */
        IDLE("idle");

        private final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        /** Whether more threads could not lift it (a lock, the source, memory...) as opposed to the target being met. */
        public boolean beyondThreads() {
            return this != TARGET;
        }
    }

    public Limit {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return kind.wireName() + ": " + message;
    }
}
