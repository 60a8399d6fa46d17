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
    private double machineLoad = -1;

    /** The machine's load (all processes) the following snapshots report; -1 for unknown. */
    void machineLoad(double share) {
        this.machineLoad = share;
    }

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
        return new ProcessSnapshot(clock, processCpu, overheadCpu, -1, machineLoad, Map.of("RUNNABLE", 1), list);
    }

    private static StageSnapshot snapshot(Stage s, long[] t) {
        return new StageSnapshot(s.id, s.pipeline, s.parallelism, s.min, s.max, s.prefetch, s.minPrefetch,
                s.maxPrefetch, t[0], t[1], t[2], t[3], s.buffered, t[4], t[5], t[6], Map.of(),
                new StageSnapshot.Occupancy(t[7], t[8], t[9]), s.lock > 0 ? new LockSite("java.lang.Object", "Work.step", 0, 1, LockSite.FoundBy.THREAD_DUMPS) : null);
    }

    /**
     * Consecutive 1-s snapshots of one pipeline {@code p} with one CPU-bound stage {@code p/work} (4
     * workers, busy all the time): interval {@code i} has the process busy {@code coresBusy[i]} and the
     * stage finishing {@code items[i]} items, each at 1 ms of CPU. {@code coresBusy.length + 1} snapshots.
     */
    static List<ProcessSnapshot> series(double[] coresBusy, long[] items) {
        Snap snap = new Snap();
        Stage work = stage("p/work").p(4);
        List<ProcessSnapshot> out = new ArrayList<>();
        out.add(snap.start(work));
        for (int i = 0; i < coresBusy.length; i++) {
            work.did(items[i], 4.0, 0, 0, items[i] * 1e-3, 0);
            out.add(snap.after(1.0, coresBusy[i], work));
        }
        return out;
    }

    /**
     * A window over consecutive 1-s intervals of one stage {@code p/work} (4 workers, busy) on 2 cores:
     * interval {@code i} has the process busy {@code busy[i]} cores and the stage finishing {@code items[i]}
     * items at {@code cpuPerItem[i]} seconds of CPU each.
     */
    static Window window(double[] busy, long[] items, double[] cpuPerItem) {
        Snap snap = new Snap();
        Stage work = stage("p/work").p(4);
        ProcessSnapshot previous = snap.start(work);
        Window w = Window.startingAt(previous, 2);
        for (int i = 0; i < busy.length; i++) {
            work.did(items[i], 4.0, 0, 0, items[i] * cpuPerItem[i], 0);
            ProcessSnapshot next = snap.after(1.0, busy[i], work);
            w.add(next, Observation.between(previous, next, 2));
            previous = next;
        }
        return w;
    }

    /** {@code n} intervals at {@code busy} cores of {@code items} items each, 1 ms of CPU an item. */
    static Window steadyWindow(int n, double busy, long items) {
        double[] b = new double[n];
        long[] x = new long[n];
        double[] c = new double[n];
        java.util.Arrays.fill(b, busy);
        java.util.Arrays.fill(x, items);
        java.util.Arrays.fill(c, 1e-3);
        return window(b, x, c);
    }

    /** A meter that measured constant readings: its noise is the floor, with no correlation. */
    static NoiseMeter quietMeter() {
        NoiseMeter meter = new NoiseMeter();
        List<Observation> flat = intervals(series(new double[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1},
                new long[] {100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100}), 2);
        for (int i = 0; i < flat.size(); i++) {
            meter.next(flat.get(i), i > 0);
        }
        return meter;
    }

    /** The observations between consecutive snapshots of {@code snapshots}, on {@code cores} cores. */
    static List<Observation> intervals(List<ProcessSnapshot> snapshots, double cores) {
        List<Observation> out = new ArrayList<>();
        for (int i = 1; i < snapshots.size(); i++) {
            out.add(Observation.between(snapshots.get(i - 1), snapshots.get(i), cores));
        }
        return out;
    }

    /** The observation of one interval, for policy tests. */
    static Observation observe(double cores, double coresBusy, Stage... stages) {
        Snap snap = new Snap();
        ProcessSnapshot before = snap.start(stages);
        ProcessSnapshot after = snap.after(1.0, coresBusy, stages);
        return Observation.between(before, after, cores);
    }
}
