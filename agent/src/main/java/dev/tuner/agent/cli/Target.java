package dev.tuner.agent.cli;

import com.sun.tools.attach.VirtualMachine;
import dev.tuner.agent.config.AgentInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Properties;

/**
 * A live JVM reached through the attach API: its system properties, loading the agent into it, and
 * its local JMX connector. {@link #attach} checks the pid first ({@link Failures#precheck}), so a
 * process that is not a JVM is never sent the attach signal.
 *
 * <p>Nothing here opens a network port: the JMX connector the attach API starts is the JDK's local one.
 */
final class Target implements AutoCloseable {
    private final long pid;
    private final VirtualMachine vm;
    private Properties properties;

    private Target(long pid, VirtualMachine vm) {
        this.pid = pid;
        this.vm = vm;
    }

    /**
     * Attaches to {@code pid}.
     *
     * @param command the command words, for advice in messages (e.g. {@code status 123})
     */
    static Target attach(long pid, String command) throws CliException {
        if (pid == ProcessHandle.current().pid()) {
            throw CliException.usage("pid " + pid + " is this command itself: give the pid of another JVM ("
                    + Failures.LIST + ")");
        }
        CliException refused = Failures.precheck(ProcessFacts.of(pid), System.getProperty("user.name"), command);
        if (refused != null) {
            throw refused;
        }
        try {
            return new Target(pid, VirtualMachine.attach(String.valueOf(pid)));
        } catch (Exception e) {
            throw Failures.ofAttach(pid, e, command);
        }
    }

    long pid() {
        return pid;
    }

    /** The target's system properties, read once (again after {@link #refresh}). */
    Properties properties() throws CliException {
        if (properties == null) {
            try {
                properties = vm.getSystemProperties();
            } catch (IOException e) {
                throw CliException.failure("reading the system properties of pid " + pid + " failed ("
                        + Failures.describe(e) + "): it may be exiting; try again", e);
            }
        }
        return properties;
    }

    void refresh() {
        properties = null;
    }

    String javaVersion() throws CliException {
        return properties().getProperty("java.version", "?");
    }

    /** The target's Java feature release (17, 25...), 0 if unknown. */
    int javaFeature() throws CliException {
        return feature(properties().getProperty("java.specification.version", ""));
    }

    /** The version of the tuner running in it, or {@code null} if none runs. */
    String tunerVersion() throws CliException {
        return properties().getProperty(AgentInfo.PROPERTY);
    }

    /** tuning or stopped, or {@code null} if no tuner runs. */
    String tunerState() throws CliException {
        return properties().getProperty(AgentInfo.STATE_PROPERTY);
    }

    /** Where its tuner writes the tuning log, or {@code null}. */
    String tunerLog() throws CliException {
        return properties().getProperty(AgentInfo.LOG_PROPERTY);
    }

    /** The main class or jar and its arguments, as the JVM was launched. */
    String command() throws CliException {
        return properties().getProperty("sun.java.command", "?");
    }

    /** Loads {@code jar} as an agent with {@code options}; agentmain has returned when this returns. */
    void loadAgent(Path jar, String options) throws CliException {
        try {
            vm.loadAgent(jar.toString(), options);
        } catch (Exception e) {
            throw Failures.ofLoad(pid, e, jar.toString());
        } finally {
            refresh();
        }
    }

    /** Connects to the tuner's MBean over the target's local JMX connector (started if need be). */
    TunerConnection tuner() throws CliException {
        if (tunerVersion() == null) {
            throw Failures.noTuner(pid);
        }
        return TunerConnection.open(pid, localJmxAddress(), tunerLog());
    }

    /** The address of the target's local JMX connector, started if need be. */
    String localJmxAddress() throws CliException {
        try {
            return vm.startLocalManagementAgent();
        } catch (Exception e) {
            throw Failures.ofJmx(pid, e, tunerLog());
        }
    }

    @Override
    public void close() {
        try {
            vm.detach();
        } catch (IOException ignored) {
            // the target went away; nothing to release
        }
    }

    static int feature(String specificationVersion) {
        String v = specificationVersion.startsWith("1.") ? specificationVersion.substring(2) : specificationVersion;
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
