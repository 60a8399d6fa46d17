package dev.tuner.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds snapshot pairs for engine tests from per-interval figures, so a test states what happened in an
 * interval (items, seconds of busy / waits / CPU) and gets the cumulative snapshots the engine expects.
 */
final class Snap {
    private static final long NS = 1_000_000_000L;

    /** What one stage did in one interval. */
    static final class Stage {
        final String id;
        final String pipeline;
        int parallelism = 1;
        int min = 1;
        int max = 256;
        int prefetch = 16;
        int minPrefetch = 1;
        int maxPrefetch = 4096;
        long items;
        double busy;
        double inWait;
        double outWait;
        double cpu;
        double offCpu;
        double lock;
        int buffered;
        long samples;
        long full;
        long empty;

        Stage(String id) {
            this.id = id;
            this.pipeline = id.substring(0, id.indexOf('/'));
        }

        Stage p(int parallelism) {
            this.parallelism = parallelism;
            return this;
        }

        Stage bounds(int min, int max) {
            this.min = min;
            this.max = max;
            return this;
        }

        Stage sink() {
            this.prefetch = -1;
            this.minPrefetch = -1;
            this.maxPrefetch = -1;
            return this;
        }

        Stage prefetch(int prefetch) {
            this.prefetch = prefetch;
            return this;
        }

        /** Items finished, then seconds: busy, input wait, output wait, worker CPU, own off-CPU waits. */
        Stage did(long items, double busy, double inWait, double outWait, double cpu, double offCpu) {
            this.items = items;
            this.busy = busy;
            this.inWait = inWait;
            this.outWait = outWait;
            this.cpu = cpu;
            this.offCpu = offCpu;
            return this;
        }

        Stage lock(double seconds) {
            this.lock = seconds;
            return this;
        }

        Stage buffer(int buffered, long samples, long full, long empty) {
            this.buffered = buffered;
            this.samples = samples;
            this.full = full;
            this.empty = empty;
            return this;
        }
    }

    static Stage stage(String id) {
        return new Stage(id);
    }

    /** Cumulative totals across intervals, per stage. */
    private final Map<String, long[]> totals = new LinkedHashMap<>();
    private long clock;
    private long processCpu;
    private long overheadCpu;

    /** The snapshot at the start: every counter zero, knobs as given. */
    ProcessSnapshot start(Stage... stages) {
        List<StageSnapshot> list = new ArrayList<>();
        for (Stage s : stages) {
            totals.put(s.id, new long[10]);
            list.add(snapshot(s, totals.get(s.id)));
        }
        return new ProcessSnapshot(clock, processCpu, 0, -1, -1, Map.of("RUNNABLE", 1), list);
    }

    /** The snapshot one interval of {@code seconds} later, with the process busy {@code coresBusy}. */
    ProcessSnapshot after(double seconds, double coresBusy, Stage... stages) {
        return after(seconds, coresBusy, 0, stages);
    }

    /** As {@link #after(double, double, Stage...)}, {@code overheadCores} of it compiling (JIT). */
    ProcessSnapshot after(double seconds, double coresBusy, double overheadCores, Stage... stages) {
        clock += (long) (seconds * NS);
        processCpu += (long) (coresBusy * seconds * NS);
        overheadCpu += (long) (overheadCores * seconds * NS);
        List<StageSnapshot> list = new ArrayList<>();
        for (Stage s : stages) {
            long[] t = totals.computeIfAbsent(s.id, k -> new long[10]);
            t[0] += s.items;
            t[1] += (long) (s.busy * NS);
            t[2] += (long) (s.inWait * NS);
            t[3] += (long) (s.outWait * NS);
            t[4] += (long) (s.cpu * NS);
            t[5] += (long) (s.offCpu * NS);
            t[6] += (long) (s.lock * NS);
            t[7] += s.samples;
            t[8] += s.full;
            t[9] += s.empty;
            list.add(snapshot(s, t));
        }
        return new ProcessSnapshot(clock, processCpu, overheadCpu, -1, -1, Map.of("RUNNABLE", 1), list);
    }

    private static StageSnapshot snapshot(Stage s, long[] t) {
        return new StageSnapshot(s.id, s.pipeline, "jmx", s.parallelism, s.min, s.max, s.prefetch, s.minPrefetch,
                s.maxPrefetch, t[0], t[1], t[2], t[3], s.buffered, t[4], t[5], t[6], Map.of(),
                new StageSnapshot.Occupancy(t[7], t[8], t[9]), s.lock > 0 ? "java.lang.Object monitor at Work.step" : null);
    }

    /** The observation of one interval, for policy tests. */
    static Observation observe(double cores, double coresBusy, Stage... stages) {
        Snap snap = new Snap();
        ProcessSnapshot before = snap.start(stages);
        ProcessSnapshot after = snap.after(1.0, coresBusy, stages);
        return Observation.between(before, after, cores);
    }
}
