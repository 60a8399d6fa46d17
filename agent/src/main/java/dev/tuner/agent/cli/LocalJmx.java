package dev.tuner.agent.cli;

import java.io.IOException;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/** The target JVM's local JMX connector (its address read over the attach API): connecting and letting go. */
final class LocalJmx {
    private LocalJmx() {
    }

    /**
     * @param logFile the tuner's log in the target, named in the failure's advice; {@code null} if none
     * @throws CliException one line saying why the target could not be reached
     */
    static JMXConnector connect(long pid, String address, String logFile) throws CliException {
        try {
            return JMXConnectorFactory.connect(new JMXServiceURL(address));
        } catch (IOException | RuntimeException e) {
            throw Failures.ofJmx(pid, e, logFile);
        }
    }

    /** Closes {@code connector} if there is one; a target that went away meanwhile is fine. */
    static void closeQuietly(JMXConnector connector) {
        if (connector != null) {
            try {
                connector.close();
            } catch (IOException ignored) {
                // the target went away
            }
        }
    }
}
