package dev.tuner.sim;

import dev.tuner.engine.ProcessSnapshot;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.ObjDoubleConsumer;

/**
 * Runs a {@link Tuner} against a {@link SimulatedProcess}: every interval the process advances, the
 * tuner is handed the snapshot the agent would take, and the interval's throughput, utilization and
 * decision rounds are recorded.
 */
public final class Simulation {

    /**
     * One interval.
     *
     * @param end          simulated time at its end, seconds
     * @param utilization  process CPU over the interval as a share of the machine's cores
     * @param throughput   per pipeline (in {@link SimulatedProcess#pipelines()} order): source items
     *                     carried through to the last stage per second
     * @param rounds       the tuner's decision rounds once it had seen the snapshot at {@code end}
     *                     (so the next interval runs with them)
     */
    public record Interval(double end, double utilization, double coresBusy, double[] throughput, int rounds) {
        public double throughput(int pipeline) {
            return throughput[pipeline];
        }
    }

    /** Every interval of a run. */
    public static final class Result {
        private final List<Interval> intervals;
        private final double intervalSeconds;

        Result(List<Interval> intervals, double intervalSeconds) {
            this.intervals = Collections.unmodifiableList(intervals);
            this.intervalSeconds = intervalSeconds;
        }

        public List<Interval> intervals() {
            return intervals;
        }

        public double intervalSeconds() {
            return intervalSeconds;
        }

        public double duration() {
            return intervals.isEmpty() ? 0 : intervals.get(intervals.size() - 1).end();
        }

        /** Mean throughput of a pipeline over the last {@code seconds}. */
        public double meanThroughput(int pipeline, double seconds) {
            return mean(seconds, i -> i.throughput(pipeline));
        }

        /** Mean utilization over the last {@code seconds}. */
        public double meanUtilization(double seconds) {
            return mean(seconds, Interval::utilization);
        }

        public double meanCoresBusy(double seconds) {
            return mean(seconds, Interval::coresBusy);
        }

        /** Mean of a figure over the intervals ending in the last {@code seconds}. */
        public double mean(double seconds, java.util.function.ToDoubleFunction<Interval> figure) {
            double from = duration() - seconds - 1e-9;
            double sum = 0;
            int n = 0;
            for (Interval i : intervals) {
                if (i.end() - intervalSeconds >= from) {
                    sum += figure.applyAsDouble(i);
                    n++;
                }
            }
            return n == 0 ? Double.NaN : sum / n;
        }

        public int finalRounds() {
            return intervals.isEmpty() ? 0 : intervals.get(intervals.size() - 1).rounds();
        }

        /**
         * The decision rounds the tuner had made when a figure first reached {@code threshold} and held it
         * on average over {@code window} intervals: the rounds in force during that window's first
         * interval. -1 if it never did.
         */
        public int roundsToReach(java.util.function.ToDoubleFunction<Interval> figure, double threshold, int window) {
            for (int i = 0; i + window <= intervals.size(); i++) {
                double sum = 0;
                for (int j = i; j < i + window; j++) {
                    sum += figure.applyAsDouble(intervals.get(j));
                }
                if (sum / window >= threshold) {
                    return i == 0 ? 0 : intervals.get(i - 1).rounds();
                }
            }
            return -1;
        }
    }

    private Simulation() {
    }

    /** Runs for {@code seconds} with a 1 s interval. */
    public static Result run(SimulatedProcess process, Tuner tuner, double seconds) {
        return run(process, tuner, seconds, 1.0, null);
    }

    /**
     * Runs for {@code seconds}; {@code tuner} gets a first snapshot now and one at the end of every
     * interval; {@code onInterval} (may be null) sees each interval's snapshot with its end time.
     */
    public static Result run(SimulatedProcess process, Tuner tuner, double seconds, double interval,
                             ObjDoubleConsumer<ProcessSnapshot> onInterval) {
        Objects.requireNonNull(process, "process");
        Objects.requireNonNull(tuner, "tuner");
        List<PipelineSpec> specs = process.pipelines();
        int pipelines = specs.size();
        double[] done = new double[pipelines];
        for (int p = 0; p < pipelines; p++) {
            done[p] = process.sourceItemsDone(specs.get(p).name());
        }
        double cpu = process.processCpuSeconds();
        double cores = process.machine().cores();
        tuner.onSnapshot(process.snapshot());
        List<Interval> intervals = new ArrayList<>();
        double start = process.now();
        int count = (int) Math.round(seconds / interval);
        for (int k = 1; k <= count; k++) {
            double before = process.now();
            process.advanceTo(start + k * interval);
            double elapsed = process.now() - before;
            ProcessSnapshot snapshot = process.snapshot();
            tuner.onSnapshot(snapshot);
            if (onInterval != null) {
                onInterval.accept(snapshot, process.now());
            }
            double[] throughput = new double[pipelines];
            for (int p = 0; p < pipelines; p++) {
                double now = process.sourceItemsDone(specs.get(p).name());
                throughput[p] = (now - done[p]) / elapsed;
                done[p] = now;
            }
            double cpuNow = process.processCpuSeconds();
            double busy = (cpuNow - cpu) / elapsed;
            cpu = cpuNow;
            intervals.add(new Interval(process.now(), busy / cores, busy, throughput, tuner.rounds()));
        }
        return new Result(intervals, interval);
    }
}
