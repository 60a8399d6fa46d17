package dev.tuner.agent;

import dev.tuner.agent.config.AgentOptions;
import dev.tuner.agent.config.OptionsException;
import dev.tuner.agent.jmx.DiagnosticsBean;
import java.lang.instrument.Instrumentation;

/**
 * The JVM's way in: {@code -javaagent:tuner.jar[=options]} calls {@link #premain}, an attach calls
 * {@link #agentmain}. Both parse the options and start (or update) the one {@link Agent}; nothing here
 * ever throws into the host: a bad option is one line on stderr and the app runs untouched.
 *
 * <p>At launch, {@code premain} checks the options and returns: the agent starts on its own daemon
 * thread ({@code tuner-start}), because its log (Jackson), JMX and the pools' instrumentation (Byte Buddy,
 * about a thousand classes) take a second or more that the app's start should not wait for. An attach
 * starts it before returning: the command line reports the outcome.
 *
 * <p>The argument {@value #DIAGNOSE_ONLY} (what {@code java -jar tuner.jar diagnose} loads the jar with
 * when no tuner runs) starts no tuner: it only publishes {@code dev.tuner:type=Diagnostics}.
 */
public final class AgentEntry {
    /** The agent argument that publishes the diagnostics bean and nothing else. */
    public static final String DIAGNOSE_ONLY = "diagnose";

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
            if (args != null && args.trim().equals(DIAGNOSE_ONLY)) {
                DiagnosticsBean.registerIfAbsent(null);
                return;
            }
            LoggingSetup.configure();
            AgentOptions options;
            try {
                options = AgentOptions.parse(args);
            } catch (OptionsException e) {
                System.err.println("tuner: bad agent option: " + e.getMessage()
                        + "; the agent is not started and the app runs untouched");
                return;
            }
            if (attached) {
                Agent.startOrUpdate(options, inst, true);
            } else {
                Thread start = new Thread(() -> Agent.startOrUpdate(options, inst, false), "tuner-start");
                start.setDaemon(true);
                start.start();
            }
        } catch (Throwable t) {
            System.err.println("tuner: the agent failed to start (" + t + "); the app runs untouched");
        }
    }
}
