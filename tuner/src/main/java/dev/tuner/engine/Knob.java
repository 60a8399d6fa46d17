package dev.tuner.engine;

/** The two things the tuner turns on a stage. */
public enum Knob {
    /** Number of worker threads. */
    PARALLELISM("parallelism"),
    /** Capacity of the stage's output buffer, in items. */
    PREFETCH("prefetch");

    private final String wireName;

    Knob(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in the tuning log and on the command line. */
    public String wireName() {
        return wireName;
    }

    @Override
    public String toString() {
        return wireName;
    }
}
