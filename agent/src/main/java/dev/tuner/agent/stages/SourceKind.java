package dev.tuner.agent.stages;

/** Where a stage was found, which decides how its knobs are set and what its own counters see. */
public enum SourceKind {
    /** A bean that follows the JMX contract: the tuner's own stages, or an app's that publishes one. */
    JMX("jmx", true),
    /** A plain JDK pool found by the agent's advice on the pool classes, with no code in the app. */
    EXECUTOR("executor", false);

    private final String wireName;
    private final boolean countsAllQueueWaits;

    SourceKind(String wireName, boolean countsAllQueueWaits) {
        this.wireName = wireName;
        this.countsAllQueueWaits = countsAllQueueWaits;
    }

    /** The name the log, {@code status} and the MXBean show. */
    public String wireName() {
        return wireName;
    }

    /**
     * True when the stage's own counters include every wait for input and for room: a JMX stage counts
     * them itself. A JDK pool counts only the time its workers wait on its own task queue; a task that
     * waits on another queue inside its work is seen only by sampling its thread.
     */
    public boolean countsAllQueueWaits() {
        return countsAllQueueWaits;
    }
}
