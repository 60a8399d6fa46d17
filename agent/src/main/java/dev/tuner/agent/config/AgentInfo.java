package dev.tuner.agent.config;

/**
 * What the agent says about itself to the JVM it runs in and to the command line outside it: its version
 * and the system properties it sets. The command line reads those properties over the attach API, before
 * any JMX connection, to tell a JVM with a tuner from one without.
 */
public final class AgentInfo {
    /**
     * System property the agent sets in its JVM once started: its version. {@link #LOG_PROPERTY} holds the
     * tuning log's path, {@link #STATE_PROPERTY} {@code tuning} or {@code stopped}.
     */
    public static final String PROPERTY = "dev.tuner.agent";
    public static final String LOG_PROPERTY = PROPERTY + ".log";
    public static final String STATE_PROPERTY = PROPERTY + ".state";

    private AgentInfo() {
    }

    /** The agent's version, from tuner.jar's manifest ({@code dev} when run from classes). */
    public static String version() {
        String v = AgentInfo.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
