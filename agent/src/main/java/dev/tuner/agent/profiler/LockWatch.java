package dev.tuner.agent.profiler;

import dev.tuner.agent.sampling.AgentCpu;
import dev.tuner.agent.stages.StageReading;
import dev.tuner.engine.Diagnosis;
import dev.tuner.engine.Label;
import dev.tuner.engine.LockSite;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Names the lock of a lock-bound stage while the agent tunes. After a sample whose diagnosis labels a
 * stage lock-bound, a short lock recording ({@value #WINDOW_MILLIS} ms, {@link Profiler.Mode#LOCK}) runs
 * on the agent's {@code tuner-profiler} thread, at most once per stage every {@value #REPEAT_MINUTES}
 * minutes; the control loop only hands it the request and goes on. Its lock sites are attributed to
 * stages by their worker threads' names (a name that two stages share is left out), reported to the
 * {@link Listener} (the log's {@code locks} event), and kept: {@link #lockSite} gives the engine a
 * stage's profiled lock, which takes precedence over the one the sampler guessed from thread dumps, so a
 * lock limit names what the profiler found.
 *
 * <p>Where async-profiler cannot run ({@code profiler=off}, or its library does not load) it does
 * nothing; a library that does not load is reported once ({@link Listener#warning}; {@link Profiler}
 * says it on stderr) and never tried again. {@link #afterSample} is called by the control loop only,
 * {@link #lockSite} from any thread.
 */
public final class LockWatch implements AutoCloseable {
    static final long WINDOW_MILLIS = 1500;
    static final long REPEAT_MINUTES = 5;
    /**
     * System property: seconds between two recordings of a stage instead of {@value #REPEAT_MINUTES}
     * minutes. For bench/lock-profiling, which measures the cost with recordings far more often than this.
     */
    static final String REPEAT_PROPERTY = "dev.tuner.profiler.lock-repeat-seconds";
    /** Lock sites kept per stage in a report. */
    static final int TOP_SITES = 3;
    /** A stage that was not asked for is reported too when its workers waited this share of the window. */
    static final double ALSO_REPORTED = 0.1;
    /** Marks a thread name that two stages share: attributed to neither. */
    private static final String AMBIGUOUS = "";

    /** Where findings go: the tuning log. Called on the profiler's thread. */
    public interface Listener {
        void locks(LockReport report);

        void warning(String message);
    }

    /**
     * One stage's lock sites from one recording.
     *
     * @param sites     most wait first, at most {@value #TOP_SITES}; empty if its workers were not seen
     *                  waiting on a contended lock during the window
     * @param threads   its worker threads the window saw
     * @param waitShare recorded lock wait over the window's worker time ({@code threads x window}), in [0, 1]
     */
    public record LockReport(String stage, long windowMillis, int threads, List<LockSite> sites, double waitShare) {
        public LockReport {
            sites = List.copyOf(sites);
        }
    }

    private final Profiler profiler;
    private final BooleanSupplier enabled;
    private final Listener listener;
    private final LongSupplier clock;
    private final long windowMillis;
    private final long repeatNanos;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Map<String, Long> lastWindow = new ConcurrentHashMap<>();
    private final Map<String, LockSite> found = new ConcurrentHashMap<>();
    private volatile List<StageReading> latest = List.of();
    private volatile boolean pending;
    private volatile boolean disabled;
    private final AgentCpu agentCpu;
    private ExecutorService executor;

    /**
     * @param enabled  whether the options allow the profiler now ({@code profiler=auto}); read at each sample
     * @param agentCpu where the recordings' thread counts its CPU: the agent's, not the app's
     */
    public LockWatch(Profiler profiler, BooleanSupplier enabled, Listener listener, AgentCpu agentCpu) {
        this(profiler, enabled, listener, agentCpu, System::nanoTime, WINDOW_MILLIS);
    }

    LockWatch(Profiler profiler, BooleanSupplier enabled, Listener listener, AgentCpu agentCpu, LongSupplier clock,
              long windowMillis) {
        this.agentCpu = agentCpu;
        this.profiler = profiler;
        this.enabled = enabled;
        this.listener = listener;
        this.clock = clock;
        this.windowMillis = windowMillis;
        this.repeatNanos = TimeUnit.SECONDS.toNanos(Math.max(1, Long.getLong(REPEAT_PROPERTY,
                TimeUnit.MINUTES.toSeconds(REPEAT_MINUTES))));
    }

    /** After each sample, on the control loop's thread: asks for a recording if a lock-bound stage is due. */
    public void afterSample(Diagnosis diagnosis, List<StageReading> readings) {
        latest = List.copyOf(readings);
        if (diagnosis == null || disabled || pending || !enabled.getAsBoolean()) {
            return;
        }
        long now = clock.getAsLong();
        Set<String> due = new LinkedHashSet<>();
        for (StageReading r : readings) {
            Long last = lastWindow.get(r.id());
            if (diagnosis.label(r.id()) == Label.LOCK_BOUND && r.threadIds().length > 0
                    && (last == null || now - last >= repeatNanos)) {
                due.add(r.id());
            }
        }
        if (due.isEmpty()) {
            return;
        }
        due.forEach(id -> lastWindow.put(id, now));
        pending = true;
        try {
            executor().execute(() -> record(due));
        } catch (RejectedExecutionException e) {
            pending = false; // closed meanwhile
        }
    }

    /** The lock the profiler found for {@code stageId}, or {@code null}. */
    public LockSite lockSite(String stageId) {
        return found.get(stageId);
    }

    /**
     * Waits until every recording asked for so far has ended (its report or warning given): tests assert
     * after this, not after a sleep that a slow machine outlasts. Returns at once if none was ever asked for.
     */
    void awaitIdle(long timeout, TimeUnit unit) throws Exception {
        ExecutorService running;
        synchronized (this) {
            running = executor;
        }
        if (running != null) {
            running.submit(() -> { }).get(timeout, unit); // one thread: it runs after the recordings queued
        }
    }

    private synchronized ExecutorService executor() {
        if (executor == null) {
            executor = Executors.newSingleThreadExecutor(task -> {
                Thread t = new Thread(agentCpu.counted(task), "tuner-profiler");
                t.setDaemon(true);
                return t;
            });
        }
        return executor;
    }

    private void record(Set<String> stages) {
        try {
            Profiler.Session session;
            try {
                session = profiler.start(Profiler.Mode.LOCK);
            } catch (Profiler.Failure e) {
                if (!profiler.available()) {
                    disabled = true;
                    String message = e.getMessage() + "; lock sites come from thread dumps (ThreadMXBean) only and"
                            + " tuning goes on";
                    listener.warning(message);
                } else {
                    listener.warning("lock profiling skipped: " + e.getMessage());
                }
                return;
            }
            if (session == null) {
                stages.forEach(lastWindow::remove); // busy (a diagnose records): try again at the next sample
                return;
            }
            Map<String, String> names = names(latest);
            Profiler.Recording recording;
            try (session) {
                Thread.sleep(windowMillis);
                recording = session.stop();
            } catch (InterruptedException e) {
                return; // the agent stops: the session is closed above
            } catch (Profiler.Failure e) {
                listener.warning("lock profiling failed: " + e.getMessage());
                return;
            }
            names.putAll(names(latest)); // workers that joined during the window
            names.values().removeIf(AMBIGUOUS::equals);
            report(stages, recording, names);
        } finally {
            pending = false;
        }
    }

    private void report(Set<String> stages, Profiler.Recording recording, Map<String, String> names) {
        Map<String, List<LockSite>> sites = Attribution.lockSites(recording.stacks(), names::get, TOP_SITES);
        Map<String, Long> waits = new HashMap<>();
        Map<String, Set<String>> seen = new HashMap<>();
        names.forEach((name, stage) -> seen.computeIfAbsent(stage, s -> new HashSet<>()).add(name));
        for (Stack stack : recording.stacks()) {
            String stage = names.get(stack.thread());
            if (stage != null) {
                waits.merge(stage, stack.weight(), Long::sum);
            }
        }
        Set<String> candidates = new LinkedHashSet<>(stages);
        candidates.addAll(sites.keySet());
        for (String stage : candidates) {
            List<LockSite> top = sites.getOrDefault(stage, List.of());
            int workers = seen.getOrDefault(stage, Set.of()).size();
            double workerNanos = Math.max(1, workers) * recording.millis() * 1e6;
            double waitShare = Math.min(1, waits.getOrDefault(stage, 0L) / workerNanos);
            if (!stages.contains(stage) && waitShare < ALSO_REPORTED) {
                continue; // another stage's incidental wait: not worth a line
            }
            if (!top.isEmpty()) {
                found.put(stage, top.get(0));
            }
            listener.locks(new LockReport(stage, recording.millis(), workers, top, waitShare));
        }
    }

    /** Thread name to stage, for the stages' workers now; a name two stages share maps to {@link #AMBIGUOUS}. */
    private Map<String, String> names(List<StageReading> readings) {
        Map<String, String> names = new HashMap<>();
        for (StageReading r : readings) {
            if (r.threadIds().length == 0) {
                continue;
            }
            for (ThreadInfo info : threads.getThreadInfo(r.threadIds(), 0)) {
                if (info != null) {
                    names.merge(info.getThreadName(), r.id(), (a, b) -> a.equals(b) ? a : AMBIGUOUS);
                }
            }
        }
        return names;
    }

    /**
     * Ends a recording in progress and the profiler's thread; a later {@link #afterSample} (tuning resumed)
     * starts a new one. What was found and whether the profiler is unavailable are kept.
     */
    @Override
    public synchronized void close() {
        if (executor != null) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            executor = null;
        }
    }

}
