package dev.tuner.agent;

import dev.tuner.agent.config.AgentInfo;
import dev.tuner.agent.config.AgentOptions;
import dev.tuner.agent.jmx.DiagnosticsBean;
import dev.tuner.agent.jmx.TunerBean;
import dev.tuner.agent.log.FactJson;
import dev.tuner.agent.log.LogListener;
import dev.tuner.agent.log.TuningLog;
import dev.tuner.agent.pools.ExecutorPools;
import dev.tuner.agent.pools.PoolsInstall;
import dev.tuner.agent.profiler.LockWatch;
import dev.tuner.agent.profiler.Profiler;
import dev.tuner.agent.sampling.AgentCpu;
import dev.tuner.agent.stages.FoundSettings;
import dev.tuner.agent.stages.SourceKind;
import dev.tuner.agent.status.StopReport;
import dev.tuner.agent.status.TunerStatus;
import dev.tuner.engine.Controller;
import dev.tuner.engine.Converged;
import dev.tuner.engine.Diagnosis;
import dev.tuner.engine.Observation;
import dev.tuner.engine.Taken;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

/**
 * One agent per JVM, and its lifecycle: {@link #startOrUpdate} is the only way in. The first call starts
 * it (its log, its MXBeans, a {@link TuningSession}), later ones (a second attach) update its options,
 * and a call after a stop begins a new session with the merged options. {@link #stop} is the one way out,
 * for the command line, the loop giving up and the JVM's exit alike. What it shows to its MXBeans is
 * {@link TunerStatus}.
 *
 * <p>Thread safety: lifecycle methods synchronize on the agent; the session's loop runs on its own thread.
 */
public final class Agent implements TunerStatus {
    private static Agent instance;

    private final long pid = ProcessHandle.current().pid();
    private final Instrumentation instrumentation;
    /** Loaded into a running JVM (agentmain), not at its launch. */
    private final boolean attached;
    /** Volatile: the lock watch reads {@code profiler=} on the loop's thread, which stop joins holding the lock. */
    private volatile AgentOptions options;
    private TuningLog log;
    private LogListener events;
    private TuningSession.Shared shared;
    private TuningSession session;
    private boolean stopped;
    private StopReport lastStop;
    /** The JDK's pools, instrumented once per agent; {@code null} until done, or if that failed. */
    private ExecutorPools pools;
    private boolean poolsTried;

    private Agent(AgentOptions options, Instrumentation instrumentation, boolean attached) {
        this.options = options;
        this.instrumentation = instrumentation;
        this.attached = attached;
    }

    /** Starts the agent, or updates the running one's options. Never throws. */
    static synchronized void startOrUpdate(AgentOptions options, Instrumentation instrumentation, boolean attached) {
        if (instance == null) {
            Agent agent = new Agent(options, instrumentation, attached);
            if (agent.start()) {
                instance = agent; // only a started agent: a failed start leaves the next attach a clean slate
            }
        } else {
            instance.update(options);
        }
    }

    /** @return true if the agent runs; false after one line on stderr saying why it does not */
    private synchronized boolean start() {
        String missing = Prerequisites.missing();
        if (missing != null) {
            System.err.println("tuner: " + missing + "; the agent is not started and the app runs untouched");
            return false;
        }
        Path wanted = options.log() != null ? Paths.get(options.log())
                : Paths.get(System.getProperty("user.dir", "."), "tuner-" + pid + ".jsonl");
        try {
            log = TuningLog.open(wanted, pid);
        } catch (IOException e) {
            System.err.println("tuner: cannot write a tuning log anywhere (" + e.getMessage()
                    + "); the agent is not started and the app runs untouched");
            return false;
        }
        if (log.fallbackReason() != null) {
            System.err.println("tuner: " + log.fallbackReason());
        }
        events = new LogListener(log);
        log.write("start", line -> {
            line.put("pid", pid);
            line.put("java", Runtime.version().toString());
            line.put("cores", options.cores());
            line.put("target", options.target());
            line.put("mode", options.mode().name().toLowerCase());
            line.put("interval_ms", options.intervalMillis());
            line.put("attached", attached);
            line.put("options", options.toString());
            line.put("log", log.path().toAbsolutePath().toString());
        });
        if (log.fallbackReason() != null) {
            events.warning(log.fallbackReason());
        }
        try {
            AgentCpu cpu = new AgentCpu();
            shared = new TuningSession.Shared(events, new LockWatch(Profiler.shared(),
                    () -> options.profiler() == AgentOptions.Profiler.AUTO, events, cpu), cpu, new FoundSettings(),
                    ManagementFactory.getPlatformMBeanServer());
            beginSession();
        } catch (RuntimeException | LinkageError e) {
            events.error("the agent could not start tuning: " + e);
            log.close();
            System.err.println("tuner: the agent could not start tuning (" + e + "); the app runs untouched");
            return false;
        }
        TunerBean.register(this, this::stop);
        DiagnosticsBean.registerIfAbsent(this);
        Runtime.getRuntime().addShutdownHook(new Thread(this::onJvmExit, "tuner-shutdown"));
        // Last, so only a started agent is seen: `tuner list` and `attach` read them over the attach API.
        System.setProperty(AgentInfo.LOG_PROPERTY, log.path().toAbsolutePath().toString());
        System.setProperty(AgentInfo.PROPERTY, AgentInfo.version());
        System.err.println("tuner: tuning to " + Math.round(options.target() * 100) + "% of "
                + trim(options.cores()) + " cores (" + options.mode().name().toLowerCase() + " mode); log: "
                + log.path().toAbsolutePath());
        return true;
    }

    private void beginSession() {
        // The loop gives up on its own thread, which a stop joins: the stop runs on a thread of its own.
        session = TuningSession.begin(options, attached, shared,
                () -> new Thread(() -> stop(false), "tuner-stop").start());
        stopped = false;
        System.setProperty(AgentInfo.STATE_PROPERTY, "tuning");
        // Last: if anything above throws, the start fails and the JDK's pools must not be instrumented.
        addPools();
    }

    /** The JDK's pools join the session: instrumented the first time (see {@link PoolsInstall}), then reused. */
    private void addPools() {
        if (pools != null) {
            session.addPools(pools, options);
        } else if (!poolsTried) {
            poolsTried = true; // failed before, or still being installed: that thread adds them when done
            PoolsInstall.start(instrumentation, attached, shared.cpu(), events::warning, this::poolsReady);
        }
    }

    private synchronized void poolsReady(ExecutorPools installed) {
        pools = installed;
        if (!stopped) {
            session.addPools(installed, options);
        }
    }

    private synchronized void update(AgentOptions update) {
        AgentOptions merged = options.merge(update);
        options = merged;
        log.write("update", line -> {
            var changed = line.putObject("options");
            update.given().forEach(changed::put);
            line.put("effective", merged.toString());
        });
        if (stopped) {
            beginSession();
        } else {
            session.update(merged);
        }
    }

    /** Stops tuning; restores every knob to the value it found unless {@code keep}. Idempotent. */
    public void stop(boolean keep) {
        end(keep ? Ending.KEEP : Ending.RESTORE);
    }

    /** Why a session ends: the command line's {@code stop} (with or without {@code --keep}), or the JVM's exit. */
    private enum Ending { RESTORE, KEEP, JVM_EXIT }

    /**
     * The one way a session ends. At the JVM's exit nothing is restored (the pools go with the JVM), the
     * log says why and closes, and nothing may throw: the JVM is going away.
     */
    private synchronized void end(Ending how) {
        if (stopped) {
            return;
        }
        stopped = true;
        StopReport report = session.stop(how != Ending.RESTORE);
        boolean exiting = how == Ending.JVM_EXIT;
        log.write("stop", line -> {
            line.put("restored", report.restored());
            if (exiting) {
                line.put("reason", "the JVM is exiting");
            } else {
                line.put("kept", report.kept());
            }
            line.set("final", FactJson.settings(report.after()));
        });
        if (exiting) {
            log.close();
        } else {
            lastStop = report;
            System.setProperty(AgentInfo.STATE_PROPERTY, "stopped");
        }
    }

    private void onJvmExit() {
        try {
            end(Ending.JVM_EXIT);
        } catch (Throwable ignored) {
            // the JVM is going away; nothing to harm
        }
    }

    @Override
    public synchronized StopReport lastStop() {
        return lastStop;
    }

    @Override
    public synchronized AgentOptions options() {
        return options;
    }

    @Override
    public synchronized boolean isStopped() {
        return stopped;
    }

    private synchronized Controller controller() {
        return session.controller();
    }

    @Override
    public Controller.State state() {
        return controller().state();
    }

    @Override
    public Observation lastObservation() {
        return controller().lastObservation();
    }

    @Override
    public Diagnosis lastDiagnosis() {
        return controller().lastDiagnosis();
    }

    @Override
    public synchronized Map<String, SourceKind> stageSources() {
        return session.stageSources();
    }

    @Override
    public int rounds() {
        return controller().rounds();
    }

    @Override
    public List<Taken> recentDecisions() {
        return controller().recentDecisions();
    }

    @Override
    public Converged lastConverged() {
        return controller().lastConverged();
    }

    @Override
    public Path logPath() {
        return log.path();
    }

    @Override
    public synchronized int failures() {
        return session.failures();
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }
}
