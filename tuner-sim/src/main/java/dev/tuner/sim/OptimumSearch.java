package dev.tuner.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The best throughput a pipeline can reach on a machine with utilization at most {@code maxUtilization}
 * of the cores, found by simulating knob settings: independent of any controller.
 *
 * <p>How. Throughput is set by the stage with the least capacity for its share of the flow, and CPU
 * grows with throughput alone (idle workers cost none), so the best setting is "one stage paces the
 * pipeline, every other stage has room to spare, buffers ample". From the spec's
 * uncontended per-item costs the search computes each stage's capacity for {@code p} workers (Little's
 * law {@code p / S0}; for a stage with a lock or an external pool, the machine-repairman throughput the
 * simulator uses) in
 * source items per second, and the throughput at which the CPU reaches the utilization cap. For each
 * stage that can pace (not pinned) it takes the largest worker count whose capacity stays under that
 * throughput and under every hard limit (source rate, consumer rate, maximum parallelism, and the
 * engine's thread budget: the most throughput whose least worker counts sum to at most
 * {@code max-threads}), and gives every other stage the least workers carrying 1.5x that rate (less
 * headroom if the thread budget is short). The three most promising pacers are simulated (warm-up, then a measurement window,
 * with the pipeline's own seed, every buffer at 256 items or two lumps of its stage's output, within its
 * bounds), each then walked down one worker at a
 * time while the measured utilization exceeds the cap, and up while it stays within the cap and
 * throughput grows (CPU contention and noise can hold a setting the uncontended model puts over the
 * cap within it). Where a hard limit binds before the CPU, the setting where every stage has room is
 * simulated too. The answer is the best measured throughput among settings within the cap.
 *
 * <p>It is a search over a restricted family (one pacer), checked by simulation; for small pipelines
 * the tests compare it with an exhaustive search over all worker counts.
 */
public final class OptimumSearch {

    /** What the search found. */
    public record Result(double throughput, double utilization, Map<String, Integer> parallelism,
                         Map<String, Integer> prefetch, String pacer, double predicted, double cpuBound,
                         double otherBound, boolean feasible, int simulations) {
        @Override
        public String toString() {
            return String.format("optimum %.1f/s at utilization %.3f (predicted %.1f/s, CPU bound %.1f/s, "
                            + "hard/thread bound %.1f/s, pacer %s%s, %d simulations) parallelism %s prefetch %s", throughput,
                    utilization, predicted, cpuBound, otherBound, pacer, feasible ? "" : ", NOTHING within the cap",
                    simulations, parallelism, prefetch);
        }
    }

    private static final double HEADROOM = 1.5;
    private static final int CANDIDATES = 3;
    private static final int BUFFER = 256;

    private final MachineSpec machine;
    private final PipelineSpec spec;
    private final long seed;
    private final double maxUtilization;
    private final int maxThreads;
    private double warmup = 8;
    private double measure = 10;
    private int simulations;

    /**
     * @param maxUtilization cap on utilization (target + dead band, e.g. 0.95)
     * @param maxThreads     cap on the sum of worker counts (the engine's {@code max-threads})
     */
    public OptimumSearch(MachineSpec machine, PipelineSpec spec, long seed, double maxUtilization, int maxThreads) {
        this.machine = Objects.requireNonNull(machine, "machine");
        this.spec = Objects.requireNonNull(spec, "spec");
        this.seed = seed;
        this.maxUtilization = maxUtilization;
        this.maxThreads = maxThreads;
    }

    /** Simulated seconds before measuring, and measured; defaults 8 and 10. */
    public OptimumSearch window(double warmupSeconds, double measureSeconds) {
        this.warmup = warmupSeconds;
        this.measure = measureSeconds;
        return this;
    }

    /** The capacity of stage {@code i} with {@code p} workers, in source items per second, uncontended. */
    public double capacity(int i, int p) {
        StageSpec s = spec.stages().get(i);
        return stageRate(s, p) / spec.itemsPerSourceItem(i);
    }

    /** Items a second a stage carries with {@code p} workers each getting a core whenever it wants. */
    static double stageRate(StageSpec s, int p) {
        double x = s.externalCpu() > 0 ? s.externalCpu() / s.externalThreads() : 0;
        double lock = s.serialFraction() * s.cpu();
        double b = Math.max(lock, x);
        double z = s.cpu() + s.waitTime() + x - b;
        if (b <= 0) {
            return p / z;
        }
        if (z <= 0) {
            return 1 / b;
        }
        double tau = z / b;
        double blocked = 1;
        for (int j = 1; j <= p; j++) {
            blocked = tau * blocked / (j + tau * blocked);
        }
        return (1 - blocked) / b;
    }

    /** CPU seconds the process spends per source item (stage workers and external pools), uncontended. */
    public double cpuPerSourceItem() {
        double cpu = 0;
        for (int i = 0; i < spec.stages().size(); i++) {
            StageSpec s = spec.stages().get(i);
            cpu += spec.itemsPerSourceItem(i) * (s.cpu() + s.externalCpu());
        }
        return cpu;
    }

    /** The throughput at which the CPU reaches the cap, source items per second. */
    public double cpuBound() {
        return Math.max(0, maxUtilization * machine.cores() - machine.baselineCores()) / cpuPerSourceItem();
    }

    /** Limits no worker count lifts: the source, the consumer, every stage at its maximum parallelism. */
    public double hardBound() {
        double bound = spec.source().maxRate();
        List<StageSpec> stages = spec.stages();
        StageSpec last = stages.get(stages.size() - 1);
        if (!last.isSink()) {
            bound = Math.min(bound, spec.consumerRate() / (spec.itemsPerSourceItem(stages.size() - 1) * last.fanOut()));
        }
        for (int i = 0; i < stages.size(); i++) {
            bound = Math.min(bound, capacity(i, stages.get(i).maxParallelism()));
        }
        return bound;
    }

    /**
     * The most throughput whose least worker counts fit in the thread budget (source items/s); infinite
     * when the budget never binds before the CPU or a hard limit does.
     */
    public double threadBound() {
        double hi = Math.min(cpuBound(), hardBound());
        if (Double.isInfinite(hi) || threadsFor(hi) <= maxThreads) {
            return Double.POSITIVE_INFINITY;
        }
        double lo = 0;
        for (int i = 0; i < 50; i++) {
            double mid = (lo + hi) / 2;
            if (threadsFor(mid) <= maxThreads) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private int threadsFor(double rate) {
        int total = 0;
        for (int i = 0; i < spec.stages().size(); i++) {
            total += leastCarrying(i, rate);
        }
        return total;
    }

    public Result search() {
        simulations = 0;
        List<StageSpec> stages = spec.stages();
        int n = stages.size();
        double cpuBound = cpuBound();
        double goal = Math.min(Math.min(cpuBound, hardBound()), threadBound());

        // One candidate pacer per stage that can pace, at the most workers its capacity allows under the goal.
        List<int[]> starts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StageSpec s = stages.get(i);
            if (s.minParallelism() == s.maxParallelism()) {
                continue;
            }
            int p = s.minParallelism();
            while (p < s.maxParallelism() && capacity(i, p + 1) <= goal) {
                p++;
            }
            starts.add(new int[] {i, p});
        }
        // Most promising first: under the goal by predicted throughput, then the ones over it, least over first.
        starts.sort(Comparator.comparingDouble((int[] c) -> {
            double x = capacity(c[0], c[1]);
            return x <= goal * (1 + 1e-9) ? -x : x;
        }));

        Measured best = null;
        Measured leastUtil = null;
        String bestPacer = null;
        List<Measured> tried = new ArrayList<>();
        for (int r = 0; r < starts.size() && r < CANDIDATES; r++) {
            int pacer = starts.get(r)[0];
            StageSpec s = stages.get(pacer);
            int p = starts.get(r)[1];
            Measured m = measureAround(pacer, p, tried);
            // Over the cap: fewer pacing workers. Within it: more, while the cap holds and throughput grows
            // (contention and noise may hold a setting the uncontended model puts over the cap within it).
            int steps = 0;
            while (m != null && m.utilization > maxUtilization && p > s.minParallelism() && steps++ < 4) {
                m = measureAround(pacer, --p, tried);
            }
            steps = 0;
            while (m != null && m.utilization <= maxUtilization && p < s.maxParallelism() && steps++ < 4) {
                Measured up = measureAround(pacer, p + 1, tried);
                if (up == null || up.utilization > maxUtilization || up.throughput <= m.throughput * 1.002) {
                    break;
                }
                p++;
                m = up;
            }
            if (m != null && m.utilization <= maxUtilization && (best == null || m.throughput > best.throughput)) {
                best = m;
                bestPacer = s.name();
            }
        }
        if (goal < cpuBound) {
            int[] generous = around(-1, 0, goal);
            if (generous != null) {
                Measured m = measure(generous);
                tried.add(m);
                if (m.utilization <= maxUtilization && (best == null || m.throughput > best.throughput)) {
                    best = m;
                    bestPacer = "(none: a hard limit)";
                }
            }
        }
        if (tried.isEmpty()) {
            int[] minimal = new int[n];
            for (int i = 0; i < n; i++) {
                minimal[i] = stages.get(i).minParallelism();
            }
            tried.add(measure(minimal));
        }
        for (Measured m : tried) {
            if (leastUtil == null || m.utilization < leastUtil.utilization) {
                leastUtil = m;
            }
        }
        boolean feasible = best != null;
        Measured chosen = feasible ? best : leastUtil;
        Map<String, Integer> parallelism = new LinkedHashMap<>();
        Map<String, Integer> prefetch = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            parallelism.put(stages.get(i).name(), chosen.config[i]);
            if (!stages.get(i).isSink()) {
                prefetch.put(stages.get(i).name(), buffer(stages.get(i)));
            }
        }
        return new Result(chosen.throughput, chosen.utilization, parallelism, prefetch,
                feasible ? bestPacer : "(none within the cap)", predict(chosen.config), cpuBound,
                Math.min(hardBound(), threadBound()), feasible, simulations);
    }

    private Measured measureAround(int pacer, int p, List<Measured> tried) {
        int[] config = around(pacer, p, capacity(pacer, p));
        if (config == null) {
            return null;
        }
        for (Measured m : tried) {
            if (Arrays.equals(m.config, config)) {
                return m;
            }
        }
        Measured m = measure(config);
        tried.add(m);
        return m;
    }

    /** Throughput the uncontended model predicts for a setting, ignoring the CPU (source items/s). */
    public double predict(int[] config) {
        double x = hardBound();
        for (int i = 0; i < config.length; i++) {
            x = Math.min(x, capacity(i, config[i]));
        }
        return x;
    }

    /**
     * Stage {@code pacer} at {@code p} workers (none when -1), every other stage carrying
     * {@code rate x headroom}; null if even the minimum headroom breaks the thread budget.
     */
    private int[] around(int pacer, int p, double rate) {
        List<StageSpec> stages = spec.stages();
        for (double headroom = HEADROOM; headroom >= 1.0 - 1e-9; headroom -= 0.1) {
            int[] config = new int[stages.size()];
            int total = 0;
            for (int i = 0; i < stages.size(); i++) {
                config[i] = i == pacer ? p : leastCarrying(i, rate * headroom);
                total += config[i];
            }
            if (total <= maxThreads) {
                return config;
            }
        }
        return null;
    }

    private int leastCarrying(int i, double rate) {
        StageSpec s = spec.stages().get(i);
        double ext = s.externalCpu() > 0 ? s.externalCpu() / s.externalThreads() : 0;
        double service = s.cpu() + s.waitTime() + ext;
        double m = spec.itemsPerSourceItem(i);
        int lo = (int) Math.max(s.minParallelism(), Math.min(s.maxParallelism(), Math.ceil(rate * m * service - 1e-9)));
        if (s.serialFraction() <= 0 && s.externalCpu() <= 0) {
            return lo;
        }
        // With a queue (lock, pool) capacity is concave in p: the least p that carries the rate, by bisection.
        int hi = s.maxParallelism();
        if (capacity(i, lo) >= rate || capacity(i, hi) < rate) {
            return capacity(i, lo) >= rate ? lo : hi;
        }
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (capacity(i, mid) >= rate) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return hi;
    }

    /**
     * The buffer a setting gets: ample for noise and for two of the stage's lumps of output, but not so
     * large that filling it outlasts the warm-up (a full buffer is free; filling one burns CPU upstream).
     */
    static int buffer(StageSpec s) {
        int ample = (int) Math.max(BUFFER, Math.ceil(2 * s.fanOut()));
        return Math.max(s.minPrefetch(), Math.min(s.maxPrefetch(), ample));
    }

    private record Measured(int[] config, double throughput, double utilization) {
    }

    /** Simulates a setting (buffers at their maximum) and measures its steady state. */
    private Measured measure(int[] config) {
        simulations++;
        PipelineSpec.Builder b = PipelineSpec.builder(spec.name()).source(spec.source());
        if (!Double.isInfinite(spec.consumerRate())) {
            b.consumerRate(spec.consumerRate());
        }
        for (int i = 0; i < config.length; i++) {
            StageSpec s = spec.stages().get(i);
            StageSpec.Builder sb = s.toBuilder().parallelism(config[i], s.minParallelism(), s.maxParallelism());
            if (!s.isSink()) {
                sb.prefetch(buffer(s), s.minPrefetch(), s.maxPrefetch());
            }
            b.stage(sb.build());
        }
        for (PipelineSpec.Shift sh : spec.shifts()) {
            b.shift(sh.at(), sh.stage(), sh.cpuFactor(), sh.waitFactor(), sh.externalFactor());
        }
        SimulatedProcess process = new SimulatedProcess(machine, b.build(), seed);
        Simulation.Result r = Simulation.run(process, Tuner.none(), warmup + measure);
        return new Measured(config, r.meanThroughput(0, measure), r.meanUtilization(measure));
    }
}
