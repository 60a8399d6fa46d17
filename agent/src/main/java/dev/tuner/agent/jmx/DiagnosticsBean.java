package dev.tuner.agent.jmx;

import dev.tuner.agent.config.AgentInfo;
import dev.tuner.agent.config.AgentOptions;
import dev.tuner.agent.diagnose.DiagnosisWindow;
import dev.tuner.agent.profiler.Profiler;
import dev.tuner.agent.sampling.AgentCpu;
import dev.tuner.agent.status.TunerStatus;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * {@code dev.tuner:type=Diagnostics}. A diagnosis uses the running tuner's options when one runs (its
 * target, cores and {@code profiler=} setting) and the defaults otherwise; it runs on a thread of its own,
 * {@code tuner-diagnose}, while the JMX caller waits.
 */
public final class DiagnosticsBean implements DiagnosticsMXBean {
    public static final String NAME = "dev.tuner:type=Diagnostics";
    /** The longest window a diagnosis watches; the command line refuses more before it reaches the target. */
    public static final int MAX_SECONDS = 600;

    /** The tuner running in this JVM, or {@code null}: set by the agent when it starts. */
    private static volatile TunerStatus tuner;

    private DiagnosticsBean() {
    }

    /**
     * Publishes the bean unless one is already there (tuner.jar loaded twice, or a {@code diagnose} before
     * the tuner came); a failure goes to stderr.
     *
     * @param running the tuner that now runs here, whose options a diagnosis uses; {@code null} for none
     *                (the jar was loaded for {@code diagnose} only), which leaves a tuner already known as it is
     */
    public static void registerIfAbsent(TunerStatus running) {
        if (running != null) {
            tuner = running;
        }
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            ObjectName name = new ObjectName(NAME);
            if (!server.isRegistered(name)) {
                server.registerMBean(new DiagnosticsBean(), name);
            }
        } catch (InstanceAlreadyExistsException e) {
            // registered meanwhile: the same bean
        } catch (JMException e) {
            System.err.println("tuner: cannot publish " + NAME + " (" + e + "); diagnose will not reach this JVM");
        }
    }

    @Override
    public String diagnose(int seconds) {
        if (seconds < 1 || seconds > MAX_SECONDS) {
            throw new IllegalArgumentException("seconds must be from 1 to " + MAX_SECONDS + ", not " + seconds);
        }
        TunerStatus agent = tuner;
        AgentOptions options = agent == null ? AgentOptions.defaults() : agent.options();
        String state = agent == null ? null
                : agent.isStopped() ? "stopped" : options.mode().name().toLowerCase(Locale.ROOT);
        AgentCpu cpu = new AgentCpu();
        DiagnosisWindow window = new DiagnosisWindow(options, options.profiler() == AgentOptions.Profiler.AUTO, state,
                Profiler.shared(), cpu);
        AtomicReference<String> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(cpu.counted(() -> {
            try {
                result.set(window.run(seconds).toJson());
            } catch (Throwable t) {
                failure.set(t);
            }
        }), "tuner-diagnose");
        thread.setDaemon(true);
        thread.start();
        try {
            thread.join();
        } catch (InterruptedException e) {
            thread.interrupt();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the diagnosis was interrupted");
        }
        if (failure.get() != null) {
            Throwable t = failure.get();
            throw new IllegalStateException("the diagnosis failed inside the target (" + t + ")");
        }
        return result.get();
    }

    @Override
    public String getVersion() {
        return AgentInfo.version();
    }
}
