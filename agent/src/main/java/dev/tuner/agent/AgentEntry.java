package dev.tuner.agent;

import java.lang.instrument.Instrumentation;

/**
 * The JVM's way in: {@code -javaagent:tuner.jar[=options]} calls {@link #premain}, an attach calls
 * {@link #agentmain}. Both parse the options and start (or update) the one {@link Agent}; nothing here
 * ever throws into the host: a bad option is one line on stderr and the app runs untouched.
 */
public final class AgentEntry {
    private AgentEntry() {
    }

    public static void premain(String args, Instrumentation inst) {
        enter(args, inst, false);
    }

    public static void agentmain(String args, Instrumentation inst) {
        enter(args, inst, true);
    }

    private static void enter(String args, Instrumentation inst, boolean attached) {
        try {
            LoggingSetup.configure();
            AgentOptions options;
            try {
                options = AgentOptions.parse(args);
            } catch (OptionsException e) {
                System.err.println("tuner: bad agent option: " + e.getMessage()
                        + "; the agent is not started and the app runs untouched");
                return;
            }
            Agent.startOrUpdate(options, inst, attached);
        } catch (Throwable t) {
            System.err.println("tuner: the agent failed to start (" + t + "); the app runs untouched");
        }
    }
}
