package dev.tuner.agent.sampling;

import dev.tuner.agent.stages.StageReading;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Measures each stage's worker threads: CPU time (accumulated from per-thread deltas, so workers that
 * come and go are counted while they live), time spent off the CPU inside processing and time waiting
 * on locks (both sampled several times an interval), and their states now.
 *
 * <p>Each tick classifies every worker from its state and top frames: in a queue or buffer it waits for
 * input or room (the stage counts that itself: ignored here); RUNNABLE in a native I/O method, or
 * BLOCKED / WAITING / TIMED_WAITING anywhere else, it is off the CPU by its own doing (I/O, sleep, a lock,
 * a condition), and the time since the previous tick is added to its stage's off-CPU time; plain
 * RUNNABLE is on a core or waiting for one. Lock time is the part of off-CPU time BLOCKED on a monitor
 * or parked on a lock some thread owns (a {@code ReentrantLock} acquisition); waiting on a condition (no
 * owner) is not lock time.
 *
 * <p>Thread CPU time measurement is switched on if it is supported and off, and switched back by
 * {@link #close()}. Not thread-safe: the control loop calls it.
 */
public final class ThreadSampler implements AutoCloseable {
    private static final int STACK_DEPTH = 8;

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final boolean cpuSupported;
    private final boolean cpuWasEnabled;
    private final Map<Long, Long> lastCpu = new HashMap<>();
    private final Map<String, Long> cpuTotals = new HashMap<>();
    private final Map<String, Long> lockTotals = new HashMap<>();
    private final Map<String, Long> offCpuTotals = new HashMap<>();
    private final Map<String, Map<String, Integer>> lockSites = new HashMap<>();
    private Map<String, long[]> stageThreads = Map.of();
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

    /** Which threads belong to which stage, from the latest readings. */
    public void track(List<StageReading> stages) {
        Map<String, long[]> next = new HashMap<>();
        for (StageReading s : stages) {
            next.put(s.id(), s.threadIds());
        }
        stageThreads = next;
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
            for (ThreadInfo info : threads.getThreadInfo(ids, STACK_DEPTH)) {
                if (info == null || inQueue(info)) {
                    continue;
                }
                if (offCpu(info)) {
                    offCpu++;
                    if (waitsOnLock(info)) {
                        locked++;
                        lockSites.computeIfAbsent(e.getKey(), k -> new HashMap<>()).merge(lockSite(info), 1, Integer::sum);
                    }
                }
            }
            if (offCpu > 0) {
                offCpuTotals.merge(e.getKey(), offCpu * elapsed, Long::sum);
            }
            if (locked > 0) {
                lockTotals.merge(e.getKey(), locked * elapsed, Long::sum);
            }
        }
    }

    /** Waiting in a queue or buffer: input or output wait, which the stage counts itself. */
    static boolean inQueue(ThreadInfo info) {
        for (StackTraceElement frame : info.getStackTrace()) {
            String cls = frame.getClassName();
            if (cls.endsWith("Queue") || cls.contains("Queue$") || cls.endsWith("Buffer") || cls.contains("Buffer$")) {
                return true;
            }
        }
        return false;
    }

    /** Off the CPU by the thread's own doing: not runnable, or runnable inside a native I/O call. */
    static boolean offCpu(ThreadInfo info) {
        Thread.State state = info.getThreadState();
        if (state != Thread.State.RUNNABLE) {
            return state != Thread.State.NEW && state != Thread.State.TERMINATED;
        }
        StackTraceElement[] stack = info.getStackTrace();
        if (stack.length == 0 || !stack[0].isNativeMethod()) {
            return false;
        }
        String cls = stack[0].getClassName();
        String method = stack[0].getMethodName();
        return cls.startsWith("java.io.") || cls.startsWith("java.net.") || cls.startsWith("sun.nio.")
                || cls.startsWith("jdk.internal.net.") || method.matches("(?i).*(read|write|poll|accept|connect|recv|send).*");
    }

    /** BLOCKED on a monitor, or parked on a lock some thread owns. */
    static boolean waitsOnLock(ThreadInfo info) {
        Thread.State state = info.getThreadState();
        return state == Thread.State.BLOCKED
                || ((state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING) && info.getLockOwnerId() != -1);
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
     * The lock as a person reads it: its class, monitor or lock, and the first frame outside the JDK's
     * lock machinery (where the app acquires it), e.g. {@code com.acme.Ledger (monitor) at
     * com.acme.Ledger.post(Ledger.java:42)}.
     */
    static String lockSite(ThreadInfo info) {
        String lock = info.getLockInfo() == null ? "an unknown lock" : info.getLockInfo().getClassName();
        String kind = info.getThreadState() == Thread.State.BLOCKED ? " (monitor)" : " (lock)";
        for (StackTraceElement frame : info.getStackTrace()) {
            String cls = frame.getClassName();
            if (!cls.startsWith("java.util.concurrent.locks.") && !cls.startsWith("jdk.internal.misc.")
                    && !cls.equals("java.lang.Object")) {
                return lock + kind + " at " + frame;
            }
        }
        return lock + kind;
    }

    /** The lock the stage's workers were most often seen waiting for, or {@code null}. */
    public String lockSite(StageReading stage) {
        Map<String, Integer> sites = lockSites.get(stage.id());
        if (sites == null || sites.isEmpty()) {
            return null;
        }
        return sites.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
    }

    /** Cumulative sampled off-CPU time inside processing of the stage's workers, nanoseconds. */
    public long offCpuNanos(StageReading stage) {
        return offCpuTotals.getOrDefault(stage.id(), 0L);
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

    /** Forgets threads that are gone, so the map does not grow with thread churn. */
    public void forgetDeadThreads() {
        lastCpu.keySet().removeIf(id -> threads.getThreadCpuTime(id) < 0);
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
