package dev.tuner.agent.profiler;

import dev.tuner.engine.LockSite;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns a recording split by thread into findings per group of threads (a stage, or a pool of
 * same-named threads): the lock sites their workers waited on, and the frames their CPU samples landed
 * in. Threads are matched by name, the only key async-profiler and ThreadMXBean share; a thread whose
 * name maps to no group (or to several: the caller decides) is left out. Pure.
 */
public final class Attribution {
    private Attribution() {
    }

    /**
     * The top {@code limit} lock sites of each group, most wait first; {@code share} is a site's part of
     * its group's recorded wait. Stacks are a lock recording's (weights in nanoseconds, leaf = lock class).
     */
    public static Map<String, List<LockSite>> lockSites(List<Stack> stacks, Function<String, String> groupOf,
                                                        int limit) {
        Map<String, Map<String, long[]>> waits = new LinkedHashMap<>();
        Map<String, String[]> keys = new HashMap<>();
        for (Stack stack : stacks) {
            String group = groupOf.apply(stack.thread());
            if (group == null || stack.frames().isEmpty() || stack.weight() <= 0) {
                continue;
            }
            String lock = LockSite.lockClassOf(stack.leaf());
            String frame = acquiringFrame(stack.frames());
            String key = lock + "\n" + frame;
            keys.putIfAbsent(key, new String[] {lock, frame});
            waits.computeIfAbsent(group, g -> new HashMap<>()).computeIfAbsent(key, k -> new long[1])[0] += stack.weight();
        }
        Map<String, List<LockSite>> sites = new LinkedHashMap<>();
        waits.forEach((group, byKey) -> {
            long total = byKey.values().stream().mapToLong(w -> w[0]).sum();
            List<LockSite> list = new ArrayList<>();
            byKey.forEach((key, wait) -> list.add(new LockSite(keys.get(key)[0], keys.get(key)[1], wait[0],
                    total > 0 ? (double) wait[0] / total : 0, LockSite.FoundBy.PROFILER)));
            list.sort(Comparator.comparingLong(LockSite::waitNanos).reversed().thenComparing(s -> s.describe()));
            sites.put(group, List.copyOf(list.subList(0, Math.min(limit, list.size()))));
        });
        return sites;
    }

    /**
     * The top {@code limit} frames of each group by CPU samples that landed in them (self time: the
     * innermost frame, skipping async-profiler's {@code [unknown_Java]}-style pseudo frames), with their
     * share of the group's samples.
     */
    public static Map<String, List<HotFrame>> hotFrames(List<Stack> stacks, Function<String, String> groupOf,
                                                        int limit) {
        Map<String, Map<String, long[]>> samples = new LinkedHashMap<>();
        for (Stack stack : stacks) {
            String group = groupOf.apply(stack.thread());
            String frame = selfFrame(stack.frames());
            if (group == null || frame == null || stack.weight() <= 0) {
                continue;
            }
            samples.computeIfAbsent(group, g -> new HashMap<>()).computeIfAbsent(frame, f -> new long[1])[0] += stack.weight();
        }
        Map<String, List<HotFrame>> hot = new LinkedHashMap<>();
        samples.forEach((group, byFrame) -> {
            long total = byFrame.values().stream().mapToLong(s -> s[0]).sum();
            List<HotFrame> list = new ArrayList<>();
            byFrame.forEach((frame, n) -> list.add(new HotFrame(frame, n[0], total > 0 ? (double) n[0] / total : 0)));
            list.sort(Comparator.comparingLong(HotFrame::samples).reversed().thenComparing(HotFrame::frame));
            hot.put(group, List.copyOf(list.subList(0, Math.min(limit, list.size()))));
        });
        return hot;
    }

    /** The first frame from the lock outward that is not the JDK's lock machinery: where the app takes it. */
    static String acquiringFrame(List<String> frames) {
        for (int i = frames.size() - 2; i >= 0; i--) {
            String frame = frames.get(i);
            if (!LockSite.isMachinery(frame)) {
                return frame;
            }
        }
        return null;
    }

    private static String selfFrame(List<String> frames) {
        for (int i = frames.size() - 1; i >= 0; i--) {
            if (!frames.get(i).startsWith("[")) {
                return frames.get(i);
            }
        }
        return null;
    }

    /** A frame CPU samples landed in, and its share of its group's samples. */
    public record HotFrame(String frame, long samples, double share) {
    }
}
