package dev.tuner.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Consecutive intervals at unchanged settings, past their warm-up: the evidence a decision rests on. It
 * keeps the latest {@value Thresholds#LONG_WINDOW} of them (the oldest leave first) and the snapshots that
 * bound them, so the window as a whole is one {@link Observation} between its first and last snapshot:
 * counters are cumulative, so that is the exact mean over the window of every figure (throughput, time
 * per item, utilization), each weighted by time or items as it should be.
 *
 * <p>Estimates: a window's utilization is its mean, with the standard error of a mean of its intervals
 * as the {@link NoiseMeter} measured their noise; a pipeline's gain from one window to another is the
 * median over its stages of their throughput ratios, minus 1, with the two windows' standard errors
 * added in quadrature (independent windows: adjacent ones are positively correlated, so this is the
 * cautious side), and half an item's resolution at each window's ends. Not thread-safe.
 */
final class Window {
    private final Deque<ProcessSnapshot> bounds = new ArrayDeque<>();
    private final Deque<Observation> intervals = new ArrayDeque<>();
    private final double cores;

    private Window(double cores) {
        this.cores = cores;
    }

    /** An empty window whose first interval begins at {@code start}. */
    static Window startingAt(ProcessSnapshot start, double cores) {
        Window w = new Window(cores);
        w.bounds.add(start);
        return w;
    }

    /** The interval that ended at {@code end} ({@code interval} is its observation). */
    void add(ProcessSnapshot end, Observation interval) {
        bounds.addLast(end);
        intervals.addLast(interval);
        while (intervals.size() > Thresholds.LONG_WINDOW) {
            intervals.removeFirst();
            bounds.removeFirst();
        }
    }

    int size() {
        return intervals.size();
    }

    /** At {@value Thresholds#MAX_WINDOW} intervals: a test still undecided settles on its point estimate. */
    boolean full() {
        return size() >= Thresholds.MAX_WINDOW;
    }

    /**
     * At {@value Thresholds#LONG_WINDOW} intervals: a test that would leave a ceiling on utilization alone
     * settles on its point estimate.
     */
    boolean fullForCeiling() {
        return size() >= Thresholds.LONG_WINDOW;
    }

    /** True when the window's first snapshot has every stage of {@code interval}, so the window includes them. */
    boolean covers(Observation interval) {
        ProcessSnapshot first = bounds.getFirst();
        return interval.stages().stream().allMatch(s -> first.stage(s.id()) != null);
    }

    /** True when the window's first snapshot has a stage in which items flowed during {@code interval}. */
    boolean coversSomeFlowing(Observation interval) {
        ProcessSnapshot first = bounds.getFirst();
        return interval.stages().stream().anyMatch(s -> s.hasItems() && first.stage(s.id()) != null);
    }

    /** The latest interval, or {@code null} if none. */
    Observation latest() {
        return intervals.peekLast();
    }

    List<Observation> intervals() {
        return List.copyOf(intervals);
    }

    /** A copy of the latest {@code n} intervals (all of them if it has fewer). */
    Window last(int n) {
        Window w = new Window(cores);
        List<ProcessSnapshot> b = new ArrayList<>(bounds);
        List<Observation> o = new ArrayList<>(intervals);
        int from = Math.max(0, o.size() - n);
        w.bounds.add(b.get(from));
        for (int i = from; i < o.size(); i++) {
            w.bounds.add(b.get(i + 1));
            w.intervals.add(o.get(i));
        }
        return w;
    }

    /** The whole window as one observation; {@code null} when it has no interval yet. */
    Observation observation() {
        if (intervals.isEmpty()) {
            return null;
        }
        double load = 0;
        int known = 0;
        for (Observation o : intervals) {
            if (o.machineLoad() >= 0) {
                load += o.machineLoad();
                known++;
            }
        }
        return Observation.between(bounds.getFirst(), bounds.getLast(), cores, known == 0 ? -1 : load / known);
    }

    /**
     * True unless the window's newer half differs from its older half, in utilization, a pipeline's
     * throughput or its CPU per item, with the engine's confidence: a window that is still settling (code
     * warming up after a change, which shows as falling costs even where utilization is pinned at the
     * cores' top; a burst ending). Windows shorter than {@value Thresholds#SETTLED_WINDOW} cannot tell: false.
     */
    boolean settled(NoiseMeter noise) {
        if (size() < Thresholds.SETTLED_WINDOW) {
            return false;
        }
        int newer = (size() + 1) / 2;
        Window older = first(size() - newer);
        Window recent = last(newer);
        Estimate a = older.utilization(noise);
        Estimate b = recent.utilization(noise);
        if (new Estimate(b.value() - a.value(), Math.hypot(a.standardError(), b.standardError()), newer)
                .against(0) != Estimate.Side.UNSURE) {
            return false;
        }
        for (String pipeline : recent.observation().byPipeline().keySet()) {
            Estimate g = gain(older, recent, pipeline, noise);
            if (!Double.isNaN(g.value()) && g.against(0) != Estimate.Side.UNSURE) {
                return false;
            }
            double cost = Math.expm1(NoiseMeter.logChange(older.observation(),
                    recent.observation().byPipeline().get(pipeline), StageObservation::cpuPerItem));
            double se = Math.hypot(noise.costError(pipeline, older.size()), noise.costError(pipeline, newer));
            if (!Double.isNaN(cost) && new Estimate(cost, se, newer).against(0) != Estimate.Side.UNSURE) {
                return false;
            }
        }
        return true;
    }

    /** A copy of the oldest {@code n} intervals. */
    private Window first(int n) {
        Window w = new Window(cores);
        List<ProcessSnapshot> b = new ArrayList<>(bounds);
        List<Observation> o = new ArrayList<>(intervals);
        w.bounds.add(b.get(0));
        for (int i = 0; i < Math.min(n, o.size()); i++) {
            w.bounds.add(b.get(i + 1));
            w.intervals.add(o.get(i));
        }
        return w;
    }

    /** The newer half of the window (what is left when its older half was still settling). */
    Window newerHalf() {
        return last((size() + 1) / 2);
    }

    /** Mean utilization over the window. */
    Estimate utilization(NoiseMeter noise) {
        int n = Math.max(1, size());
        return new Estimate(observation().utilization(), noise.utilizationError(n), size());
    }

    /**
     * The relative throughput gain of {@code pipeline} from {@code before} to {@code after}: the median over
     * the stages seen in both with items before of {@code after / before}, minus 1; a NaN value when there
     * is no such stage.
     */
    static Estimate gain(Window before, Window after, String pipeline, NoiseMeter noise) {
        Observation then = before.observation();
        Observation now = after.observation();
        double ratio = medianGain(then, now, pipeline);
        double se = Math.hypot(noise.throughputError(pipeline, before.size()), noise.throughputError(pipeline, after.size()));
        // A count resolves no finer than the item that straddles each end of its window (half an item either
        // way): a stage run once a second (a scheduled pool) moves by 50% when one run falls into the next
        // interval, whatever its differences, mostly zero, say of its noise.
        se = Math.hypot(se, Math.hypot(0.5 / items(then, pipeline), 0.5 / items(now, pipeline)));
        return new Estimate(ratio - 1, se, after.size());
    }

    /** The median over the pipeline's stages of the items they finished in the observation (at least 1). */
    private static double items(Observation obs, String pipeline) {
        List<Double> counts = new ArrayList<>();
        for (StageObservation s : obs.stages()) {
            if (s.pipeline().equals(pipeline)) {
                counts.add((double) s.items());
            }
        }
        return counts.isEmpty() ? 1 : Math.max(1, NoiseMeter.median(counts));
    }

    /** Median over the pipeline's stages of throughput after / before; NaN when nothing comparable flowed. */
    static double medianGain(Observation before, Observation after, String pipeline) {
        List<Double> gains = new ArrayList<>();
        for (StageObservation then : before.stages()) {
            StageObservation now = after.stage(then.id());
            if (then.pipeline().equals(pipeline) && now != null && then.throughput() > 0) {
                gains.add(now.throughput() / then.throughput());
            }
        }
        return gains.isEmpty() ? Double.NaN : NoiseMeter.median(gains);
    }
}
