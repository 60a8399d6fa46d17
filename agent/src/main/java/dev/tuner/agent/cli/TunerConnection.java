package dev.tuner.agent.cli;

import dev.tuner.agent.jmx.TunerBean;
import dev.tuner.agent.jmx.TunerMXBean;
import java.io.IOException;
import javax.management.JMX;
import javax.management.MBeanServerConnection;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;

/** {@code dev.tuner:type=Tuner} in a target JVM, over its local JMX connector. */
final class TunerConnection implements AutoCloseable {
    private final long pid;
    private final String logFile;
    private final JMXConnector connector;
    private final TunerMXBean tuner;

    private TunerConnection(long pid, String logFile, JMXConnector connector, TunerMXBean tuner) {
        this.pid = pid;
        this.logFile = logFile;
        this.connector = connector;
        this.tuner = tuner;
    }

    static TunerConnection open(long pid, String address, String logFile) throws CliException {
        JMXConnector connector = LocalJmx.connect(pid, address, logFile);
        try {
            MBeanServerConnection server = connector.getMBeanServerConnection();
            ObjectName name = new ObjectName(TunerBean.NAME);
            if (!server.isRegistered(name)) {
                throw CliException.failure("the tuner in pid " + pid + " has not published " + TunerBean.NAME
                        + " (its reason is on that JVM's stderr)"
                        + (logFile == null ? "" : "; read its log: java -jar tuner.jar log " + logFile));
            }
            return new TunerConnection(pid, logFile, connector, JMX.newMXBeanProxy(server, name, TunerMXBean.class));
        } catch (IOException | MalformedObjectNameException | RuntimeException e) {
            LocalJmx.closeQuietly(connector);
            throw Failures.ofJmx(pid, e, logFile);
        } catch (CliException e) {
            LocalJmx.closeQuietly(connector);
            throw e;
        }
    }

    String statusJson() throws CliException {
        return call(() -> tuner.getStatusJson());
    }

    String lastStopJson() throws CliException {
        return call(() -> tuner.getLastStopJson());
    }

    void stop(boolean keep) throws CliException {
        call(() -> {
            tuner.stop(keep);
            return null;
        });
    }

    private interface Call<T> {
        T call();
    }

    private <T> T call(Call<T> call) throws CliException {
        try {
            return call.call();
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw Failures.ofJmx(pid, cause, logFile);
        }
    }

    @Override
    public void close() {
        LocalJmx.closeQuietly(connector);
    }
}
