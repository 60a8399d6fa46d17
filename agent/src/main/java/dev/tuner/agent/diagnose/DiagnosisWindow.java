package dev.tuner.agent.diagnose;

import dev.tuner.agent.config.AgentOptions;
import dev.tuner.agent.profiler.Attribution;
import dev.tuner.agent.profiler.Profiler;
import dev.tuner.agent.sampling.AgentCpu;
import dev.tuner.agent.sampling.ProcessSampler;
import dev.tuner.agent.sampling.ThreadSampler;
import dev.tuner.agent.stages.JmxStageSource;
import dev.tuner.agent.stages.SourceKind;
import dev.tuner.agent.stages.StageReading;
import dev.tuner.agent.stages.StageSource;
import dev.tuner.engine.Controller;
import dev.tuner.engine.Converged;
import dev.tuner.engine.Decision;
import dev.tuner.engine.Diagnosis;
import dev.tuner.engine.LockSite;
import dev.tuner.engine.Observation;
import dev.tuner.engine.ProcessSnapshot;
import dev.tuner.engine.Settings;
import dev.tuner.engine.TuningListener;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One diagnosis: watches the process for a few seconds and changes nothing. It reads the stages the
 * app publishes (its own read-only {@link JmxStageSource}: no knob is ever set), samples every thread
 * ten times a second ({@link ThreadWatch}), records a CPU profile with async-profiler, switching to a
 * lock profile half way when threads were seen waiting on locks, and at the end hands the window to the
 * engine in advise mode (a {@link Controller} with no actuator that could act) for the labels, the
 * bottleneck and the settings it would choose. The result is a {@link Report}.
 *
 * <p>What it leaves behind: nothing it changed. Thread CPU time measurement, if it had to switch it on,
 * is switched back off; async-profiler, once loaded, stays loaded (a native library cannot be unloaded)
 * but is stopped. Runs on the calling thread; several windows may run at once (only one records a
 * profile, the others fall back to thread dumps).
 */
public final class DiagnosisWindow {
    static final long TICK_MILLIS = 100;
    static final int TOP = 3;
    private static final StageSource.StageEvents QUIET = new StageSource.StageEvents() {
        @Override
        public void discovered(StageReading stage) {
        }

        @Override
        public void lost(String stageId, SourceKind source, String why) {
        }

        @Override
        public void dropped(String stageId, SourceKind source, String why) {
        }
    };

    private final AgentOptions options;
    private final boolean profilerAllowed;
    private final String tuner;
    private final Profiler profiler;
    private final AgentCpu ownCpu;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final com.sun.management.OperatingSystemMXBean os;

    /**
     * @param options         the running tuner's options (target, cores, budgets), or the defaults
     * @param profilerAllowed false under {@code profiler=off}
     * @param tuner           the running tuner's mode or state ({@code tune}, {@code advise}, {@code stopped}),
     *                        or {@code null} when none runs
     * @param ownCpu          the window's own CPU: the thread that runs it runs through {@link AgentCpu#counted}
     */
    public DiagnosisWindow(AgentOptions options, boolean profilerAllowed, String tuner, Profiler profiler,
                           AgentCpu ownCpu) {
        this.ownCpu = ownCpu;
        this.options = options;
        this.profilerAllowed = profilerAllowed;
        this.tuner = tuner;
        this.profiler = profiler;
        this.os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    }

    /** Watches for {@code seconds} and returns the report. */
    public Report run(int seconds) throws InterruptedException {
        JmxStageSource source = new JmxStageSource(ManagementFactory.getPlatformMBeanServer(), QUIET);
        ThreadSampler sampler = new ThreadSampler();
        ThreadWatch watch = new ThreadWatch(threads);
        Recorder recorder = new Recorder();
        try {
            ProcessSampler process = new ProcessSampler(sampler, System::nanoTime, ownCpu::cpuNanos);
            List<StageReading> first = track(source.read(), sampler, watch);
            long start = System.nanoTime();
            long cpuStart = os.getProcessCpuTime();
            long jitStart = jitMillis();
            ProcessSnapshot before = withoutJit(process.snapshot(first));
            watch.tick();
            recorder.start(Profiler.Mode.CPU);
            long end = start + TimeUnit.SECONDS.toNanos(seconds);
            long half = start + (end - start) / 2;
            int ticks = 0;
            while (System.nanoTime() < end) {
                Thread.sleep(Math.max(1, Math.min(TICK_MILLIS, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
                sampler.tick();
                source.tick();
                watch.tick();
                if (++ticks % 10 == 0) {
                    track(source.read(), sampler, watch);
                }
                if (System.nanoTime() >= half && watch.sawLockWaits()) {
                    recorder.switchTo(Profiler.Mode.LOCK);
                } else {
                    recorder.retry();
                }
            }
            List<StageReading> last = source.read();
            ProcessSnapshot after = withoutJit(process.snapshot(last));
            double elapsed = (System.nanoTime() - start) / 1e9;
            double coresBusy = Math.max(0, os.getProcessCpuTime() - cpuStart) / 1e9 / elapsed;
            double jitShare = coresBusy <= 0 ? 0 : Math.min(1, (jitMillis() - jitStart) / 1e3 / elapsed / coresBusy);
            recorder.finish();
            return report(elapsed, coresBusy, jitShare, first, last, before, after, watch, recorder);
        } finally {
            recorder.close();
            sampler.close();
        }
    }

    /**
     * The snapshot with only this window's own CPU as overhead. The engine holds its first decision while
     * the JIT compiles (per-item costs are not warmed up yet); a diagnosis has one window and must answer,
     * so it counts JIT time as the app's and says when it was large instead.
     */
    private ProcessSnapshot withoutJit(ProcessSnapshot s) {
        return new ProcessSnapshot(s.nanoTime(), s.processCpuNanos(), ownCpu.cpuNanos(),
                s.liveHeapBytes(), s.machineLoad(), s.threadStates(), s.stages());
    }

    private static long jitMillis() {
        var jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }

    private static List<StageReading> track(List<StageReading> readings, ThreadSampler sampler, ThreadWatch watch) {
        sampler.track(readings);
        Map<Long, String> stageOf = new HashMap<>();
        for (StageReading r : readings) {
            for (long id : r.threadIds()) {
                stageOf.put(id, r.id());
            }
        }
        watch.stages(stageOf);
        return readings;
    }

    private Report report(double seconds, double coresBusy, double jitShare, List<StageReading> first, List<StageReading> last,
                          ProcessSnapshot before, ProcessSnapshot after, ThreadWatch watch, Recorder recorder) {
        Settings settings = Settings.builder()
                .target(options.target())
                .cores(options.cores())
                .maxThreads(options.maxThreads())
                .prefetchMemoryBytes(options.prefetchMemoryBytes())
                .advise(true)
                .startupObservations(1)
                .build();
        List<Decision> decisions = new ArrayList<>();
        Converged[] converged = new Converged[1];
        Controller engine = new Controller(settings, (stage, knob, value) -> false, new TuningListener() {
            @Override
            public void onDecision(Decision decision, boolean applied) {
                decisions.add(decision);
            }

            @Override
            public void onConverged(Converged c) {
                converged[0] = c;
            }
        });
        engine.onSnapshot(before);
        engine.onSnapshot(after);
        Observation obs = engine.lastObservation();
        Diagnosis diagnosis = engine.lastDiagnosis();

        Map<String, String> groupOf = new HashMap<>();
        for (ThreadWatch.Seen t : watch.threads()) {
            groupOf.merge(t.name, t.group, (a, b) -> a.equals(b) ? a : "");
        }
        groupOf.values().removeIf(String::isEmpty);
        long tickNanos = TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS);

        groupOf.values().removeIf(DiagnosisWindow::ours);
        Map<String, List<Attribution.HotFrame>> hot = watch.hotFrames(TOP);
        String hotSource = "thread dumps every " + TICK_MILLIS + " ms (RUNNABLE threads' top frames)";
        Profiler.Recording cpu = recorder.cpu;
        if (cpu != null && !cpu.stacks().isEmpty()) {
            hot = Attribution.hotFrames(cpu.stacks(), groupOf::get, TOP);
            hotSource = "async-profiler " + cpu.event() + " over " + Math.round(cpu.millis() / 100.0) / 10.0 + " s";
        }
        hot.keySet().removeIf(DiagnosisWindow::ours);
        Map<String, List<LockSite>> locks = watch.lockSites(TOP, tickNanos);
        locks.keySet().removeIf(DiagnosisWindow::ours);
        String lockSource = "thread dumps every " + TICK_MILLIS + " ms (BLOCKED or parked on an owned lock)";
        double lockSeconds = seconds;
        Profiler.Recording lock = recorder.lock;
        if (lock != null) {
            Map<String, List<LockSite>> profiled = Attribution.lockSites(lock.stacks(), groupOf::get, TOP);
            profiled.keySet().removeIf(DiagnosisWindow::ours);
            if (!profiled.isEmpty()) {
                locks = profiled;
                lockSeconds = Math.max(1e-3, lock.millis() / 1e3);
                lockSource = "async-profiler lock over " + Math.round(lock.millis() / 100.0) / 10.0 + " s";
            }
        }
        Map<String, Double> lockWait = lockWait(locks, watch.threads(), lockSeconds);
        locks = mostFirst(locks, sites -> sites.get(0).share() > 0 ? sites.get(0).waitNanos() / sites.get(0).share() : 0);
        hot = mostFirst(hot, frames -> frames.get(0).share() > 0 ? frames.get(0).samples() / frames.get(0).share() : 0);
        CpuQuota quota = CpuQuota.ofThisProcess();
        // the sampler read the machine's load at both snapshots: the second reading covers the window (another
        // reading now would cover the few milliseconds since, with this thread busy building the report)
        double machineLoad = after.machineLoad();
        Observation seen = obs != null ? obs : Observation.between(before, after, settings.cores());
        Diagnosis labels = diagnosis != null ? diagnosis : new dev.tuner.engine.Diagnoser().diagnose(seen);
        Verdict.Facts facts = new Verdict.Facts(seconds, coresBusy, settings.cores(), quota, machineLoad, seen, labels,
                watch.threads(), locks, lockWait, decisions, converged[0], jitShare);
        Report.Profiling profiling = new Report.Profiling(profilerAllowed, recorder.note, profiler.unavailableReason(),
                cpu == null ? null : cpu.event(), lock != null, hotSource, lockSource);
        Report.Cpu machine = new Report.Cpu(coresBusy, settings.cores(), Runtime.getRuntime().availableProcessors(),
                CpuQuota.onlineCpus(Path.of("/")), quota, machineLoad,
                Math.max(0, coresBusy - watch.javaCpuNanos() / 1e9 / seconds));
        return new Report(seconds, tuner, machine, watch.threads(), first, last, seen, labels, hot, locks, lockWait,
                profiling,
                decisions, converged[0], Verdict.sentences(facts),
                AppFlags.match(System.getProperty("sun.java.command"), Report.changes(decisions)),
                System.getProperty("sun.java.command"));
    }

    /**
     * Per group, its lock wait over its threads' time while locks were watched: all its sites' wait (the
     * top site's over its share) over threads x seconds.
     */
    static Map<String, Double> lockWait(Map<String, List<LockSite>> locks, List<ThreadWatch.Seen> threads,
                                        double seconds) {
        Map<String, Integer> members = new HashMap<>();
        threads.forEach(t -> members.merge(t.group, 1, Integer::sum));
        Map<String, Double> waits = new HashMap<>();
        locks.forEach((group, sites) -> {
            if (!sites.isEmpty() && sites.get(0).share() > 0) {
                double total = sites.get(0).waitNanos() / sites.get(0).share() / 1e9;
                waits.put(group, Math.min(1, total / (Math.max(1, members.getOrDefault(group, 1)) * seconds)));
            }
        });
        return waits;
    }

    /** The groups ordered by {@code weight} of their (non-empty) lists, heaviest first. */
    static <T> Map<String, List<T>> mostFirst(Map<String, List<T>> byGroup,
                                              java.util.function.ToDoubleFunction<List<T>> weight) {
        Map<String, List<T>> sorted = new java.util.LinkedHashMap<>();
        byGroup.entrySet().stream().filter(e -> !e.getValue().isEmpty())
                .sorted(java.util.Comparator.comparingDouble(
                        (Map.Entry<String, List<T>> e) -> -weight.applyAsDouble(e.getValue())))
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    /** The diagnosis's own threads and the JMX connection that asked for it: not the app's frames or locks. */
    private static boolean ours(String group) {
        return group.equals(ThreadGroups.TUNER) || group.equals(ThreadGroups.JMX);
    }

    /** The window's profiler recordings: CPU first, then perhaps lock; one session at a time. */
    private final class Recorder implements AutoCloseable {
        private Profiler.Mode mode;
        private Profiler.Session session;
        private boolean gaveUp = !profilerAllowed;
        Profiler.Recording cpu;
        Profiler.Recording lock;
        String note = profilerAllowed ? null : "profiler=off: frames and locks come from thread dumps";

        void start(Profiler.Mode wanted) {
            mode = wanted;
            retry();
        }

        /** Starts the wanted recording if it does not run yet (the profiler may have been busy). */
        void retry() {
            if (gaveUp || session != null || mode == null || (mode == Profiler.Mode.CPU ? cpu : lock) != null) {
                return;
            }
            try {
                session = profiler.start(mode);
            } catch (Profiler.Failure e) {
                gaveUp = true;
                note = e.getMessage() + "; frames and locks come from thread dumps";
            }
        }

        void switchTo(Profiler.Mode next) {
            if (mode == next) {
                retry();
                return;
            }
            stop();
            mode = next;
            retry();
        }

        void finish() {
            stop();
            mode = null;
        }

        private void stop() {
            if (session == null) {
                return;
            }
            Profiler.Session s = session;
            session = null;
            try {
                Profiler.Recording r = s.stop();
                if (r.mode() == Profiler.Mode.CPU) {
                    cpu = r;
                } else {
                    lock = r;
                }
            } catch (Profiler.Failure e) {
                note = e.getMessage();
            }
        }

        @Override
        public void close() {
            if (session != null) {
                session.close();
                session = null;
            }
        }
    }
}
