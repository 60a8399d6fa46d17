package dev.tuner.agent;

import dev.tuner.agent.jmx.DiagnosticsBean;
import dev.tuner.agent.jmx.TunerBean;
import dev.tuner.agent.log.LogListener;
import dev.tuner.agent.log.TuningLog;
import dev.tuner.agent.pools.ExecutorPools;
import dev.tuner.agent.pools.ExecutorStageSource;
import dev.tuner.agent.profiler.LockWatch;
import dev.tuner.agent.profiler.Profiler;
import dev.tuner.agent.sampling.HelperThreadCpu;
import dev.tuner.agent.sampling.ProcessSampler;
import dev.tuner.agent.sampling.ThreadSampler;
import dev.tuner.agent.stages.FoundSettings;
import dev.tuner.agent.stages.JmxStageSource;
import dev.tuner.agent.stages.StageReading;
import dev.tuner.agent.stages.StageSource;
import dev.tuner.engine.Controller;
import dev.tuner.engine.Knob;
import dev.tuner.engine.Settings;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One agent per JVM: its options, log, stage sources, controller and loop. {@link #startOrUpdate} is the
 * only way in: the first call starts the agent, later ones (a second attach) update its options, and a
 * call after {@link #stop} starts tuning again with the merged options.
 *
 * <p>Thread safety: lifecycle methods are synchronized on the class; the loop runs on its own thread.
 */
public final class Agent {
    /**
     * System property the agent sets in its JVM: its version; {@code .log} is the tuning log's path,
     * {@code .state} {@code tuning} or {@code stopped}.
     */
    public static final String PROPERTY = "dev.tuner.agent";
    private static Agent instance;

    private final long pid = ProcessHandle.current().pid();
    private final Instrumentation instrumentation;
    /** Volatile: the lock watch reads {@code profiler=} on the loop's thread, which stop joins holding the lock. */
    private volatile AgentOptions options;
    private TuningLog log;
    private LogListener events;
    private List<StageSource> sources;
    private ThreadSampler threadSampler;
    private Controller controller;
    private TuningLoop loop;
    /** One per agent: what it found, and a profiler library that does not load, outlive a stop. */
    private LockWatch lockWatch;
    private boolean stopped;
    /** Loaded into a running JVM (agentmain), not at its launch. */
    private boolean attached;
    private StopReport lastStop;
    /** The JDK's pools, instrumented once per agent; {@code null} until tried, or if that failed. */
    private volatile ExecutorPools pools;
    private boolean poolsTried;
    private volatile ExecutorStageSource executorSource;
    /** CPU of the agent's short-lived threads (installing the pools' advice): the agent's overhead, not the app's. */
    private final HelperThreadCpu helperCpu = new HelperThreadCpu();
    /** The knobs as the agent first found them, kept across stop and resume: what a stop restores. */
    private final FoundSettings found = new FoundSettings();

    private Agent(AgentOptions options, Instrumentation instrumentation) {
        this.options = options;
        this.instrumentation = instrumentation;
    }

    /** Starts the agent, or updates the running one's options. Never throws. */
    static synchronized void startOrUpdate(AgentOptions options, Instrumentation instrumentation, boolean attached) {
        if (instance == null) {
            Agent agent = new Agent(options, instrumentation);
            if (agent.start(attached)) {
                instance = agent; // only a started agent: a failed start leaves the next attach a clean slate
            }
        } else {
            instance.update(options);
        }
    }

    /** The running agent, or {@code null}. */
    public static synchronized Agent current() {
        return instance;
    }

    /** @return true if the agent runs; false after one line on stderr saying why it does not */
    private boolean start(boolean attached) {
        this.attached = attached;
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
            beginTuning();
        } catch (RuntimeException | LinkageError e) {
            events.error("the agent could not start tuning: " + e);
            log.close();
            System.err.println("tuner: the agent could not start tuning (" + e + "); the app runs untouched");
            return false;
        }
        TunerBean.register(this);
        DiagnosticsBean.registerIfAbsent();
        Runtime.getRuntime().addShutdownHook(new Thread(this::onJvmExit, "tuner-shutdown"));
        // Last, so only a started agent is seen: `tuner list` and `attach` read them over the attach API.
        System.setProperty(PROPERTY + ".log", log.path().toAbsolutePath().toString());
        System.setProperty(PROPERTY, version());
        System.err.println("tuner: tuning to " + Math.round(options.target() * 100) + "% of "
                + trim(options.cores()) + " cores (" + options.mode().name().toLowerCase() + " mode); log: "
                + log.path().toAbsolutePath());
        return true;
    }

    private void beginTuning() {
        sources = new CopyOnWriteArrayList<>();
        sources.add(new JmxStageSource(ManagementFactory.getPlatformMBeanServer(), events, found));
        threadSampler = new ThreadSampler();
        events.workerTimeFrom(threadSampler::activityShares);
        controller = new Controller(settings(options, attached), this::apply, events);
        if (lockWatch == null) {
            lockWatch = new LockWatch(Profiler.shared(), () -> options.profiler() == AgentOptions.Profiler.AUTO, events);
        }
        LockWatch watch = lockWatch;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        TuningLoop[] self = new TuningLoop[1];
        ProcessSampler sampler = new ProcessSampler(threadSampler, System::nanoTime, () -> {
            long id = self[0] == null ? -1 : self[0].threadId();
            return (id < 0 ? 0 : Math.max(0, threads.getThreadCpuTime(id))) + watch.cpuNanos() + helperCpu.cpuNanos();
        }, watch::lockSite);
        loop = new TuningLoop(sources, threadSampler, sampler, controller, events, watch, options.intervalMillis(),
                () -> new Thread(() -> stop(false), "tuner-stop").start());
        self[0] = loop;
        stopped = false;
        loop.start();
        System.setProperty(PROPERTY + ".state", "tuning");
        // Last: if anything above throws, the start fails and the JDK's pools must not be instrumented.
        addExecutorSource();
    }

    /**
     * Adds the source over the app's plain JDK pools to this session's sources; the loop reads them live,
     * so it tunes the JMX stages meanwhile. The first time, the pools are instrumented: at launch right
     * here, on {@code tuner-start} (no one waits for it, and pools the app creates next see the
     * constructor advice); when attached, on a thread of its own ({@code tuner-pools}), since an attach
     * waits for agentmain and Byte Buddy takes about a second. Either way its CPU counts as the agent's.
     * Where they cannot be instrumented: one warning, JMX stages only.
     */
    private void addExecutorSource() {
        if (pools != null) {
            addPoolSource();
            return;
        }
        if (poolsTried) {
            return; // failed before, or still being installed: that thread adds the source when done
        }
        poolsTried = true;
        Runnable install = helperCpu.counted(this::installPools);
        if (!attached) {
            install.run();
            return;
        }
        Thread thread = new Thread(install, "tuner-pools");
        thread.setDaemon(true);
        // Whatever escapes (an Error) is the agent's to report in its log, never a stack trace in the app's stderr.
        thread.setUncaughtExceptionHandler((t, e) -> events.warning("plain JDK pools will not be found ("
                + e + "); stages published over JMX are tuned as usual"));
        thread.start();
    }

    private void installPools() {
        ExecutorPools installed;
        try {
            installed = ExecutorPools.install(instrumentation);
        } catch (Exception | LinkageError e) {
            events.warning("plain JDK pools will not be found (" + e + "); stages published over JMX are"
                    + " tuned as usual");
            return;
        }
        synchronized (this) {
            pools = installed;
            if (!stopped) {
                addPoolSource();
            }
        }
    }

    private void addPoolSource() {
        executorSource = pools.source(events, events::warning, options);
        sources.add(executorSource);
    }

    /** @param attached the app ran before the agent came: no waiting for its JIT, which compiles the agent's code */
    static Settings settings(AgentOptions options, boolean attached) {
        Settings.Builder settings = Settings.builder()
                .target(options.target())
                .cores(options.cores())
                .maxThreads(options.maxThreads())
                .prefetchMemoryBytes(options.prefetchMemoryBytes())
                .advise(options.mode() == AgentOptions.Mode.ADVISE);
        if (attached) {
            settings.maxJitWaitIntervals(0);
        }
        return settings.build();
    }

    private boolean apply(String stage, Knob knob, int value) {
        for (StageSource source : sources) {
            if (source.apply(stage, knob, value)) {
                return true;
            }
        }
        return false;
    }

    private synchronized void update(AgentOptions update) {
        AgentOptions merged = options.merge(update);
        options = merged;
        log.write("update", line -> {
            var changed = line.putObject("options");
            update.given().forEach(changed::put);
            line.put("effective", merged.toString());
        });
        ExecutorStageSource executors = executorSource;
        if (executors != null) {
            executors.configure(merged);
        }
        if (stopped) {
            beginTuning();
        } else {
            loop.setIntervalMillis(merged.intervalMillis());
            controller.updateSettings(settings(merged, attached));
        }
    }

    /** Stops tuning; restores every knob to the value it found unless {@code keep}. Idempotent. */
    public synchronized void stop(boolean keep) {
        if (stopped || loop == null) {
            return;
        }
        stopped = true;
        loop.stop();
        lockWatch.close();
        controller.stop();
        Map<String, StageReading.KnobSettings> before = currentSettings();
        boolean restored = false;
        if (!keep) {
            restored = true;
            for (StageSource source : sources) {
                restored &= source.restore();
            }
        }
        Map<String, StageReading.KnobSettings> now = currentSettings();
        boolean wasRestored = restored;
        log.write("stop", line -> {
            line.put("restored", wasRestored);
            line.put("kept", keep);
            line.set("final", LogListener.settings(now));
        });
        lastStop = new StopReport(Instant.now(), keep, wasRestored, before, now);
        System.setProperty(PROPERTY + ".state", "stopped");
        threadSampler.close();
    }

    /** What the last {@link #stop} found and left, or {@code null} if tuning was never stopped. */
    public synchronized StopReport lastStop() {
        return lastStop;
    }

    /**
     * One stop: the knob settings just before it and after it (the ones found, unless {@code kept}).
     *
     * @param restored whether every changed knob was set back (false when kept)
     */
    public record StopReport(Instant at, boolean kept, boolean restored,
                             Map<String, StageReading.KnobSettings> before,
                             Map<String, StageReading.KnobSettings> after) {
        public StopReport {
            before = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(before));
            after = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(after));
        }
    }

    /** The agent's version, from tuner.jar's manifest ({@code dev} when run from classes). */
    public static String version() {
        String v = Agent.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** Knob settings of every stage now; a stage gone since the last interval keeps its last known values. */
    private Map<String, StageReading.KnobSettings> currentSettings() {
        Map<String, StageReading.KnobSettings> now = new LinkedHashMap<>();
        for (StageReading r : loop.lastReadings()) {
            now.put(r.id(), r.knobs());
        }
        for (StageSource source : sources) {
            for (StageReading r : source.read()) {
                now.put(r.id(), r.knobs());
            }
        }
        return now;
    }

    private void onJvmExit() {
        try {
            synchronized (this) {
                if (stopped || loop == null) {
                    return;
                }
                stopped = true;
                loop.stop();
                lockWatch.close(); // a recording that ends now would log after the stop event
                controller.stop();
                Map<String, StageReading.KnobSettings> now = currentSettings();
                log.write("stop", line -> {
                    line.put("restored", false);
                    line.put("reason", "the JVM is exiting");
                    line.set("final", LogListener.settings(now));
                });
                log.close();
            }
        } catch (Throwable ignored) {
            // the JVM is going away; nothing to harm
        }
    }

    public synchronized AgentOptions options() {
        return options;
    }

    public synchronized boolean isStopped() {
        return stopped;
    }

    public synchronized Controller controller() {
        return controller;
    }

    public Path logPath() {
        return log.path();
    }

    public synchronized int failures() {
        return loop == null ? 0 : loop.failures();
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }
}
