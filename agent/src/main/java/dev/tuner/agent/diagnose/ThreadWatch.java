package dev.tuner.agent.diagnose;

import dev.tuner.agent.profiler.Attribution;
import dev.tuner.agent.sampling.ThreadSample;
import dev.tuner.engine.LockSite;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every live thread of the process, sampled each tick of a diagnosis window: its state (the
 * {@code top -H} view: how often each thread was seen RUNNABLE, BLOCKED, WAITING, TIMED_WAITING), its CPU
 * time, and from its stack the frame it ran in (when RUNNABLE and not parked in a native I/O call) or
 * the lock it waited for (BLOCKED on a monitor, or parked on a lock some thread owns). The stack samples
 * stand in for a profile where async-profiler does not run: they are biased to safepoints, but name the
 * same frames and locks.
 *
 * <p>Not thread-safe: the diagnosis window's thread calls it.
 */
final class ThreadWatch {
    static final int STACK_DEPTH = 32;

    /** One thread over the window. */
    static final class Seen {
        final long id;
        String name;
        String group;
        final Map<Thread.State, Integer> states = new EnumMap<>(Thread.State.class);
        int samples;
        /** Samples RUNNABLE in the JVM's eyes but blocked in a native read, poll or accept (top -H: S). */
        int nativeWaits;
        long firstCpu = -1;
        long lastCpu = -1;

        Seen(long id) {
            this.id = id;
        }

        long cpuNanos() {
            return firstCpu < 0 || lastCpu < 0 ? 0 : Math.max(0, lastCpu - firstCpu);
        }

        double share(Thread.State state) {
            return samples == 0 ? 0 : (double) states.getOrDefault(state, 0) / samples;
        }

        /** Share of samples it was RUNNABLE and not in a native wait: on a core, or waiting for one. */
        double running() {
            return samples == 0 ? 0 : Math.max(0, (double) (states.getOrDefault(Thread.State.RUNNABLE, 0) - nativeWaits))
                    / samples;
        }

        double nativeWait() {
            return samples == 0 ? 0 : (double) nativeWaits / samples;
        }

        /** The state it was seen in most often. */
        Thread.State usual() {
            return states.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                    .orElse(Thread.State.NEW);
        }
    }

    private final ThreadMXBean threads;
    private final Map<Long, Seen> seen = new LinkedHashMap<>();
    private final Map<String, Map<String, Integer>> runFrames = new HashMap<>();
    private final Map<String, Map<List<String>, Integer>> lockSamples = new HashMap<>();
    private Map<Long, String> stageOf = Map.of();

    ThreadWatch(ThreadMXBean threads) {
        this.threads = threads;
    }

    /** The stages' worker threads now (thread id to stage id). */
    void stages(Map<Long, String> stageOfThread) {
        stageOf = Map.copyOf(stageOfThread);
    }

    void tick() {
        boolean cpu = threads.isThreadCpuTimeSupported() && threads.isThreadCpuTimeEnabled();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds(), STACK_DEPTH)) {
            if (info == null) {
                continue;
            }
            Seen s = seen.computeIfAbsent(info.getThreadId(), Seen::new);
            s.name = info.getThreadName();
            s.group = ThreadGroups.of(s.name, stageOf.get(s.id));
            s.samples++;
            s.states.merge(info.getThreadState(), 1, Integer::sum);
            if (cpu) {
                long now = threads.getThreadCpuTime(s.id);
                if (now >= 0) {
                    if (s.firstCpu < 0) {
                        s.firstCpu = now;
                    }
                    s.lastCpu = now;
                }
            }
            sampleStack(s, info);
        }
    }

    /** Classifies the look once ({@link ThreadSample}, as the tuner's sampler does) and keeps what diagnose shows. */
    private void sampleStack(Seen seen, ThreadInfo info) {
        ThreadSample sample = ThreadSample.of(info);
        if (sample.top() == null) {
            return;
        }
        if (sample.nativeWait()) {
            seen.nativeWaits++;
        } else if (sample.onCpu()) {
            runFrames.computeIfAbsent(seen.group, g -> new HashMap<>()).merge(frame(sample.top()), 1, Integer::sum);
        } else if (sample.lock() != null) {
            lockSamples.computeIfAbsent(seen.group, g -> new HashMap<>())
                    .merge(java.util.Arrays.asList(sample.lock().lockClass(), withoutPosition(sample.lock().frame())), 1,
                            Integer::sum);
        }
    }

    /**
     * {@code com.acme.Ledger.post}, from {@code com.acme.Ledger.post(Ledger.java:42)}: a diagnosis sums the
     * samples of a site over the lines of its method, as a lock profile names it.
     */
    private static String withoutPosition(String frame) {
        if (frame == null) {
            return null;
        }
        int paren = frame.indexOf('(');
        return paren < 0 ? frame : frame.substring(0, paren);
    }

    static String frame(StackTraceElement e) {
        return e.getClassName() + "." + e.getMethodName();
    }

    /** Every thread seen, in the order first seen. */
    List<Seen> threads() {
        return new ArrayList<>(seen.values());
    }

    /** Summed CPU of every thread seen, nanoseconds. */
    long javaCpuNanos() {
        return seen.values().stream().mapToLong(Seen::cpuNanos).sum();
    }

    /** Whether any thread outside the JVM's housekeeping was seen waiting on a lock. */
    boolean sawLockWaits() {
        return lockSamples.keySet().stream().anyMatch(g -> !ThreadGroups.isHousekeeping(g));
    }

    /** Per group, the top frames its RUNNABLE samples were in, with their share of those samples. */
    Map<String, List<Attribution.HotFrame>> hotFrames(int limit) {
        Map<String, List<Attribution.HotFrame>> hot = new LinkedHashMap<>();
        runFrames.forEach((group, frames) -> {
            long total = frames.values().stream().mapToLong(Integer::longValue).sum();
            hot.put(group, frames.entrySet().stream()
                    .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                    .limit(limit)
                    .map(e -> new Attribution.HotFrame(e.getKey(), e.getValue(), (double) e.getValue() / total))
                    .toList());
        });
        return hot;
    }

    /**
     * Per group, the top lock sites its threads were seen waiting on, with their share of those samples;
     * {@code waitNanos} is the samples times {@code tickNanos} (a rough estimate).
     */
    Map<String, List<LockSite>> lockSites(int limit, long tickNanos) {
        Map<String, List<LockSite>> sites = new LinkedHashMap<>();
        lockSamples.forEach((group, byKey) -> {
            long total = byKey.values().stream().mapToLong(Integer::longValue).sum();
            sites.put(group, byKey.entrySet().stream()
                    .map(e -> new LockSite(e.getKey().get(0), e.getKey().get(1), e.getValue() * tickNanos,
                            (double) e.getValue() / total, LockSite.FoundBy.THREAD_DUMPS))
                    .sorted(Comparator.comparingLong(LockSite::waitNanos).reversed()
                            .thenComparing(LockSite::lockClass))
                    .limit(limit)
                    .toList());
        });
        return sites;
    }
}
