package dev.tuner.agent.jmx;

/**
 * The agent itself, published as {@code dev.tuner:type=Tuner}. The command line reads it over the JDK's
 * local JMX connector; jconsole shows it too.
 */
public interface TunerMXBean {
    /** starting, tuning, verifying, converged or stopped. */
    String getState();

    double getTarget();

    /** tune or advise. */
    String getMode();

    double getCores();

    /** Process CPU as a share of the cores over the last interval; -1 before the first. */
    double getUtilization();

    int getRounds();

    String getLogFile();

    /** The options in effect, as {@code k=v,...}. */
    String getOptions();

    /** The last decisions, one sentence each, oldest first. */
    String[] getRecentDecisions();

    /** The whole status (target, utilization, stages with knobs and labels, decisions) as one JSON object. */
    String getStatusJson();

    /**
     * The last stop as one JSON object ({@code at}, {@code kept}, {@code restored}, and per stage the
     * knobs {@code before} the stop and {@code final}ly), or {@code null} if tuning was never stopped.
     */
    String getLastStopJson();

    /** The agent's version (tuner.jar's). */
    String getVersion();

    /** Intervals that failed inside the agent since it started. */
    int getFailures();

    /** Stops tuning; restores every knob to the value found unless {@code keep}. */
    void stop(boolean keep);

    /** Stops tuning and restores every knob to the value found. */
    void restore();
}
