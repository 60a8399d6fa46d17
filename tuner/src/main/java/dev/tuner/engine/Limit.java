package dev.tuner.engine;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * What holds throughput where it is, once the tuner can do no better: its kind, the stage it sits in, the
 * numbers it rests on ({@link Figure}) and the sentence that says it, written once from those numbers
 * where the limit is found.
 *
 * @param kind    the kind of limit
 * @param stage   the stage it sits in, or {@code null} for the whole process
 * @param figures the numbers behind it, by name; only those the kind has (a lock limit its lock share, a
 *                ceiling its worker count...); unmodifiable
 * @param message a sentence a person understands, naming the stage and the evidence
 */
public record Limit(Kind kind, String stage, Map<Figure, Double> figures, String message) {

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

    /** A number a limit rests on; shares and utilizations are fractions (0.9 = 90%). */
    public enum Figure {
        /** The process's utilization of its cores when the limit was found. */
        UTILIZATION("utilization"),
        /** The utilization one worker more than the stage's ceiling was measured to bring (window mean), over the band. */
        OVERSHOOT("overshoot"),
        /** The target utilization. */
        TARGET("target"),
        /** The cores the process may use. */
        CORES("cores"),
        /** The whole machine's CPU load, this process and the others. */
        MACHINE_LOAD("machine_load"),
        /** The share of the stage's processing time spent blocked or parked on a lock. */
        LOCK_SHARE("lock_share"),
        /** The stage's worker count the limit is about: its maximum, its pinned count, or its ceiling. */
        WORKERS("workers"),
        /** The total thread budget ({@code max-threads}). */
        MAX_THREADS("max_threads"),
        /** The items the stage's buffer may hold within the memory budget. */
        ITEMS("items"),
        /** The prefetch memory budget, bytes. */
        MEMORY_BYTES("memory_bytes"),
        /** The largest an item was measured to be, bytes. */
        ITEM_BYTES("item_bytes");

        private final String wireName;

        Figure(String wireName) {
            this.wireName = wireName;
        }

        /** The key the log, {@code status} and the diagnose report write it under. */
        public String wireName() {
            return wireName;
        }
    }

    public Limit {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
        EnumMap<Figure, Double> copy = new EnumMap<>(Figure.class);
        if (figures != null) {
            copy.putAll(figures);
        }
        figures = Collections.unmodifiableMap(copy);
    }

    /** A limit with no figures yet; add them with {@link #with}. */
    public Limit(Kind kind, String stage, String message) {
        this(kind, stage, Map.of(), message);
    }

    /** This limit with one more figure (or that figure replaced). */
    public Limit with(Figure figure, double value) {
        EnumMap<Figure, Double> more = new EnumMap<>(Figure.class);
        more.putAll(figures);
        more.put(Objects.requireNonNull(figure, "figure"), value);
        return new Limit(kind, stage, more, message);
    }

    /** The figure's value, or NaN when this limit does not rest on it. */
    public double figure(Figure figure) {
        Double v = figures.get(figure);
        return v == null ? Double.NaN : v;
    }

    @Override
    public String toString() {
        return kind.wireName() + ": " + message;
    }
}
