package dev.tuner.agent.cli;

import dev.tuner.agent.jmx.DiagnosticsBean;
import dev.tuner.agent.jmx.DiagnosticsMXBean;
import java.io.IOException;
import javax.management.JMX;
import javax.management.MBeanServerConnection;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;

/** {@code dev.tuner:type=Diagnostics} in a target JVM, over its local JMX connector. */
final class DiagnosticsConnection implements AutoCloseable {
    private final long pid;
    private final JMXConnector connector;
    private final MBeanServerConnection server;
    private final ObjectName name;

    private DiagnosticsConnection(long pid, JMXConnector connector, MBeanServerConnection server, ObjectName name) {
        this.pid = pid;
        this.connector = connector;
        this.server = server;
        this.name = name;
    }

    static DiagnosticsConnection open(long pid, String address) throws CliException {
        JMXConnector connector = LocalJmx.connect(pid, address, null);
        try {
            return new DiagnosticsConnection(pid, connector, connector.getMBeanServerConnection(),
                    new ObjectName(DiagnosticsBean.NAME));
        } catch (IOException | MalformedObjectNameException | RuntimeException e) {
            LocalJmx.closeQuietly(connector);
            throw Failures.ofJmx(pid, e, null);
        }
    }

    /** Whether tuner.jar's diagnostics are published in the target (a tuner runs, or an earlier diagnose loaded it). */
    boolean published() throws CliException {
        try {
            return server.isRegistered(name);
        } catch (IOException | RuntimeException e) {
            throw Failures.ofJmx(pid, e, null);
        }
    }

    /** Runs a diagnosis window in the target; blocks for it. */
    String diagnose(int seconds) throws CliException {
        try {
            return JMX.newMXBeanProxy(server, name, DiagnosticsMXBean.class).diagnose(seconds);
        } catch (RuntimeException e) {
            Throwable cause = e;
            while (cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            throw CliException.failure("the diagnosis failed in pid " + pid + " (" + Failures.describe(cause)
                    + "): the app runs on untouched; its stderr may say more", e);
        }
    }

    @Override
    public void close() {
        LocalJmx.closeQuietly(connector);
    }
}
