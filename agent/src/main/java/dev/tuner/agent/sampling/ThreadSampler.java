package dev.tuner.agent.sampling;

import dev.tuner.agent.stages.StageReading;
import dev.tuner.engine.LockSite;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Measures each stage's worker threads: CPU time (accumulated from per-thread deltas, so workers that
 * come and go are counted while they live), time spent off the CPU inside processing and time waiting
 * on locks (both sampled several times an interval), and their states now.
 *
 * <p>Each tick classifies every worker from its state and top frames ({@link WorkerActivity}): in a queue
 * or buffer it waits for input or room; RUNNABLE in a native I/O method, or BLOCKED / WAITING /
 * TIMED_WAITING anywhere else, it is off the CPU by its own doing (I/O, sleep, a lock, a condition), and
 * the time since the previous tick is added to its stage's off-CPU time; plain RUNNABLE is on a core or
 * waiting for one. Lock time is the part of off-CPU time BLOCKED on a monitor or parked on a lock some
 * thread owns (a {@code ReentrantLock} acquisition); waiting on a condition (no owner) is not lock time.
 *
 * <p>Queue waits: a JMX stage counts its own input and output waits, so they are ignored here. A JDK
 * pool (source {@code executor}) counts only its own queue (time in {@code getTask()}); a task that waits
 * on another queue inside its work is seen here only: parked in a take or poll is in-task input wait,
 * in a put or offer in-task output wait, and the snapshot moves that time out of busy
 * ({@link #inTaskWaits}), so Little's law sees the service time. Ten samples an interval are coarse
 * (one worker 10% busy may be seen waiting every time), so the waits moved are capped at what the
 * workers' exact CPU time leaves of their busy time.
 * For the log, each interval's samples are also counted by kind ({@link #activityShares}).
 *
 * <p>Thread CPU time measurement is switched on if it is supported and off, and switched back by
 * {@link #close()}. Not thread-safe: the control loop calls it.
 */
public final class ThreadSampler implements AutoCloseable {
    /** Deep enough to see a pool's getTask under a queue's take and the lock machinery (JDK 17: 8 frames). */
    private static final int STACK_DEPTH = 16;

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final boolean cpuSupported;
    private final boolean cpuWasEnabled;
    private final Map<Long, Long> lastCpu = new HashMap<>();
    private final Map<String, Long> cpuTotals = new HashMap<>();
    private final Map<String, Long> lockTotals = new HashMap<>();
    private final Map<String, Long> offCpuTotals = new HashMap<>();
    private final Map<String, Map<LockSite, Integer>> lockSites = new HashMap<>();
    private final Map<String, Long> inTaskInputTotals = new HashMap<>();
    private final Map<String, Long> inTaskOutputTotals = new HashMap<>();
    /** Per stage, the account of waits inside tasks moved out of busy time (see {@link #inTaskWaits}). */
    private final Map<String, InTaskAccount> inTaskAccounts = new HashMap<>();
    private Map<String, long[]> activityCounts = new HashMap<>();
    private Map<String, Map<String, Double>> lastShares = Map.of();
    private Map<String, long[]> stageThreads = Map.of();
    private Map<String, Boolean> countsOwnQueueOnly = Map.of();
    private long lastTick = System.nanoTime();

    public ThreadSampler() {
        boolean supported = threads.isThreadCpuTimeSupported();
        boolean wasEnabled = supported && threads.isThreadCpuTimeEnabled();
        if (supported && !wasEnabled) {
            try {
                threads.setThreadCpuTimeEnabled(true);
            } catch (UnsupportedOperationException | SecurityException e) {
                supported = false;
            }
        }
        this.cpuSupported = supported;
        this.cpuWasEnabled = wasEnabled;
    }

    /**
     * Which threads belong to which stage, from the latest readings; also closes the interval whose
     * samples {@link #activityShares} reports.
     */
    public void track(List<StageReading> stages) {
        Map<String, long[]> next = new HashMap<>();
        Map<String, Boolean> ownQueueOnly = new HashMap<>();
        java.util.Set<Long> workers = new java.util.HashSet<>();
        for (StageReading s : stages) {
            next.put(s.id(), s.threadIds());
            ownQueueOnly.put(s.id(), !s.source().countsAllQueueWaits());
            for (long id : s.threadIds()) {
                workers.add(id);
            }
        }
        lastCpu.keySet().retainAll(workers); // threads that left every stage (pools' workers come and go)
        stageThreads = next;
        countsOwnQueueOnly = ownQueueOnly;
        Map<String, Map<String, Double>> shares = new HashMap<>();
        activityCounts.forEach((stage, counts) -> shares.put(stage, shares(counts)));
        lastShares = shares;
        activityCounts = new HashMap<>();
    }

    private static Map<String, Double> shares(long[] counts) {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        Map<String, Double> shares = new LinkedHashMap<>();
        for (WorkerActivity a : WorkerActivity.values()) {
            if (total > 0 && counts[a.ordinal()] > 0) {
                shares.put(a.wireName(), (double) counts[a.ordinal()] / total);
            }
        }
        return shares;
    }

    /** One lock-sampling tick; call it several times per interval. */
    public void tick() {
        long now = System.nanoTime();
        long elapsed = now - lastTick;
        lastTick = now;
        for (Map.Entry<String, long[]> e : stageThreads.entrySet()) {
            long[] ids = e.getValue();
            if (ids.length == 0) {
                continue;
            }
            int locked = 0;
            int offCpu = 0;
            int starved = 0;
            int backpressured = 0;
            long[] counts = activityCounts.computeIfAbsent(e.getKey(), k -> new long[WorkerActivity.values().length]);
            for (ThreadInfo info : threads.getThreadInfo(ids, STACK_DEPTH)) {
                if (info == null) {
                    continue;
                }
                ThreadSample sample = ThreadSample.of(info);
                WorkerActivity activity = sample.activity();
                counts[activity.ordinal()]++;
                if (activity.offCpuInWork()) {
                    offCpu++;
                }
                if (activity == WorkerActivity.LOCK) {
                    locked++;
                    lockSites.computeIfAbsent(e.getKey(), k -> new HashMap<>()).merge(sample.lock(), 1, Integer::sum);
                } else if (activity == WorkerActivity.STARVED) {
                    starved++;
                } else if (activity == WorkerActivity.BACKPRESSURED) {
                    backpressured++;
                }
            }
            if (offCpu > 0) {
                offCpuTotals.merge(e.getKey(), offCpu * elapsed, Long::sum);
            }
            if (locked > 0) {
                lockTotals.merge(e.getKey(), locked * elapsed, Long::sum);
            }
            if (countsOwnQueueOnly.getOrDefault(e.getKey(), false)) {
                if (starved > 0) {
                    inTaskInputTotals.merge(e.getKey(), starved * elapsed, Long::sum);
                }
                if (backpressured > 0) {
                    inTaskOutputTotals.merge(e.getKey(), backpressured * elapsed, Long::sum);
                }
            }
        }
    }

    /** Cumulative CPU of the stage's workers, nanoseconds; -1 if thread CPU time is unsupported. */
    public long cpuNanos(StageReading stage) {
        if (!cpuSupported) {
            return -1;
        }
        long total = cpuTotals.getOrDefault(stage.id(), 0L);
        for (long id : stage.threadIds()) {
            long cpu = threads.getThreadCpuTime(id);
            if (cpu < 0) {
                lastCpu.remove(id);
                continue;
            }
            Long before = lastCpu.put(id, cpu);
            total += cpu - (before == null ? 0 : before);
        }
        cpuTotals.put(stage.id(), total);
        return total;
    }

    /**
     * The lock the stage's workers were most often seen waiting for, with its share of the lock samples, or
     * {@code null} if none was seen.
     */
    public LockSite lockSite(StageReading stage) {
        Map<LockSite, Integer> sites = lockSites.get(stage.id());
        if (sites == null || sites.isEmpty()) {
            return null;
        }
        long total = sites.values().stream().mapToLong(Integer::longValue).sum();
        Map.Entry<LockSite, Integer> top = sites.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
        LockSite site = top.getKey();
        return new LockSite(site.lockClass(), site.frame(), site.waitNanos(), (double) top.getValue() / total,
                site.foundBy());
    }

    /** Cumulative sampled off-CPU time inside processing of the stage's workers, nanoseconds. */
    public long offCpuNanos(StageReading stage) {
        return offCpuTotals.getOrDefault(stage.id(), 0L);
    }

    /**
     * Cumulative time the workers of a stage that counts only its own queue (a JDK pool) spent inside
     * tasks parked in another queue: in a take or poll ({@code inputNanos}), in a put or offer
     * ({@code outputNanos}); zeros for other stages. Sampled, and capped per interval at the stage's busy
     * time less its workers' CPU time. Call once per snapshot, after {@link #cpuNanos} for the stage.
     *
     * @param cpuNanos the stage's cumulative worker CPU as {@link #cpuNanos} just returned it (-1: unknown)
     */
    public QueueWaits inTaskWaits(StageReading stage, long cpuNanos) {
        long sampledIn = inTaskInputTotals.getOrDefault(stage.id(), 0L);
        long sampledOut = inTaskOutputTotals.getOrDefault(stage.id(), 0L);
        InTaskAccount a = inTaskAccounts.get(stage.id());
        if (a == null) {
            inTaskAccounts.put(stage.id(), new InTaskAccount(stage.busyNanos(), cpuNanos, sampledIn, sampledOut));
            return QueueWaits.NONE;
        }
        long cpu = cpuNanos >= 0 && a.cpuNanos >= 0 ? Math.max(0, cpuNanos - a.cpuNanos) : 0;
        QueueWaits moved = capped(Math.max(0, sampledIn - a.sampledInput), Math.max(0, sampledOut - a.sampledOutput),
                stage.busyNanos() - a.busyNanos - cpu);
        a.busyNanos = stage.busyNanos();
        a.cpuNanos = cpuNanos;
        a.sampledInput = sampledIn;
        a.sampledOutput = sampledOut;
        a.movedInput += moved.inputNanos();
        a.movedOutput += moved.outputNanos();
        return new QueueWaits(a.movedInput, a.movedOutput);
    }

    /** One stage's counters at the last snapshot, and the in-task waits moved out of its busy time so far. */
    private static final class InTaskAccount {
        long busyNanos;
        long cpuNanos;
        long sampledInput;
        long sampledOutput;
        long movedInput;
        long movedOutput;

        InTaskAccount(long busyNanos, long cpuNanos, long sampledInput, long sampledOutput) {
            this.busyNanos = busyNanos;
            this.cpuNanos = cpuNanos;
            this.sampledInput = sampledInput;
            this.sampledOutput = sampledOutput;
        }
    }

    /** One interval's sampled waits, scaled down together to fit in {@code room} (busy less CPU) if they do not. */
    static QueueWaits capped(long input, long output, long room) {
        long fits = Math.max(0, room);
        if (input + output <= fits) {
            return new QueueWaits(input, output);
        }
        long in = Math.round((double) input * fits / (input + output));
        return new QueueWaits(in, fits - in);
    }

    /** Cumulative waits inside tasks on other queues, nanoseconds: for input, for room downstream. */
    public record QueueWaits(long inputNanos, long outputNanos) {
        public static final QueueWaits NONE = new QueueWaits(0, 0);

        public long total() {
            return inputNanos + outputNanos;
        }
    }

    /**
     * Share of the stage's sampled worker time in each {@link WorkerActivity} (by wire name, kinds never
     * seen left out) over the last closed interval; empty when it has no sampled workers.
     */
    public Map<String, Double> activityShares(String stageId) {
        return lastShares.getOrDefault(stageId, Map.of());
    }

    /** Cumulative sampled lock time of the stage's workers, nanoseconds. */
    public long lockNanos(StageReading stage) {
        return lockTotals.getOrDefault(stage.id(), 0L);
    }

    /** The stage's workers by state now. */
    public Map<String, Integer> states(StageReading stage) {
        Map<String, Integer> states = new TreeMap<>();
        if (stage.threadIds().length == 0) {
            return states;
        }
        for (ThreadInfo info : threads.getThreadInfo(stage.threadIds(), 0)) {
            if (info != null) {
                states.merge(info.getThreadState().name(), 1, Integer::sum);
            }
        }
        return states;
    }

    @Override
    public void close() {
        if (cpuSupported && !cpuWasEnabled) {
            try {
                threads.setThreadCpuTimeEnabled(false);
            } catch (RuntimeException ignored) {
                // best effort: we only restore what we changed
            }
        }
    }
}
