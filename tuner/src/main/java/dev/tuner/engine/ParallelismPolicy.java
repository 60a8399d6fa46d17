package dev.tuner.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sets every stage's parallelism in one step from a model of the pipeline, DS2-style.
 *
 * <p>The model. Per stage, Little's law gives the workers its throughput needs, {@code d = X x S0}
 * (throughput times the uncontended time per item: CPU plus the stage's own off-CPU waits, without
 * time spent waiting for a core, so an oversubscribed CPU does not pass for I/O). Raising a pipeline's throughput by a factor {@code m} needs {@code m x d}
 * workers in every stage. The CPU budget fixes {@code m}: process CPU that scales with throughput
 * ({@code busy - overhead - CPU of pipelines held by their source}) must grow to fill
 * {@code target x cores}, so {@code k = (target cores - overhead - fixed) / scalable}. Each stage may
 * stop the climb earlier: its {@code maxParallelism}, a ceiling remembered from a rollback, a lock
 * (a lock-bound stage keeps its workers), or the total {@code max-threads}; so {@code m* = min(k, p_max / d)}.
 *
 * <p>Every stage gets {@code ceil(m* x d x 1.25)} workers (I/O-bound ones cost only memory; CPU-bound
 * ones idle in the headroom because something else paces the pipeline). The pacer is the one stage
 * given exactly {@code floor(k_max x d)} workers, {@code k_max} being the factor that reaches
 * {@code target + dead band}: chosen as the stage whose worker count comes closest to that factor from
 * below, it keeps utilization from overshooting the band. When utilization is above the band, only
 * the pacer moves, down. Inside the band nothing moves.
 */
final class ParallelismPolicy {
    static final double HEADROOM = 1.25;

    /** What the policy proposes for one observation. */
    record Result(List<Proposal> proposals, Map<String, Double> multipliers, Limit limit) {
    }

    Result plan(Observation obs, Diagnosis diagnosis, Settings settings, Map<String, Integer> ceilings) {
        double util = obs.utilization();
        double band = settings.deadBand();
        double cores = settings.cores();
        Map<String, List<StageObservation>> pipelines = obs.byPipeline();

        List<String> scalable = new ArrayList<>();
        double fixedCpu = 0;
        for (Map.Entry<String, List<StageObservation>> p : pipelines.entrySet()) {
            String bottleneck = diagnosis.bottlenecks().get(p.getKey());
            if (isStage(bottleneck)) {
                scalable.add(p.getKey());
            } else {
                fixedCpu += p.getValue().stream().mapToDouble(StageObservation::cpuCores).sum();
            }
        }
        if (scalable.isEmpty()) {
            return new Result(List.of(), Map.of(), heldOutside(pipelines, diagnosis));
        }
        double scaleCpu = Math.max(1e-3, obs.coresBusy() - obs.overheadCores() - fixedCpu);
        double k = (settings.targetCores() - obs.overheadCores() - fixedCpu) / scaleCpu;
        double kMax = ((settings.target() + band) * cores - obs.overheadCores() - fixedCpu) / scaleCpu;

        if (Math.abs(util - settings.target()) <= band) {
            String bottleneck = diagnosis.bottlenecks().get(scalable.get(0));
            return new Result(List.of(), Map.of(), new Limit(Limit.Kind.TARGET, bottleneck,
                    "utilization " + Fmt.percent(util) + " of " + Fmt.number(cores) + " cores is within "
                            + Fmt.percent(band) + " of the " + Fmt.percent(settings.target()) + " target; "
                            + bottleneck + " is the busiest stage (" + diagnosis.label(bottleneck) + ")"));
        }
        boolean raise = util < settings.target() - band;

        List<Proposal> proposals = new ArrayList<>();
        Map<String, Double> multipliers = new HashMap<>();
        Limit limit = null;
        int otherThreads = obs.stages().stream().filter(s -> !scalable.contains(s.pipeline()))
                .mapToInt(s -> s.now().parallelism()).sum();
        int threadBudget = settings.maxThreads() - otherThreads;
        for (String pipeline : scalable) {
            PipelinePlan plan = new PipelinePlan(pipelines.get(pipeline), diagnosis, settings, ceilings, k, kMax, raise,
                    Math.max(0, threadBudget));
            proposals.addAll(plan.proposals);
            multipliers.put(pipeline, plan.multiplier);
            threadBudget -= plan.threads;
            if (limit == null && plan.limit != null) {
                limit = plan.limit;
            }
        }
        return new Result(proposals, multipliers, limit);
    }

    static boolean isStage(String bottleneck) {
        return bottleneck != null && !bottleneck.startsWith("(");
    }

    private static Limit heldOutside(Map<String, List<StageObservation>> pipelines, Diagnosis diagnosis) {
        for (String pipeline : pipelines.keySet()) {
            String held = diagnosis.bottlenecks().get(pipeline);
            if (Diagnosis.SOURCE.equals(held)) {
                return new Limit(Limit.Kind.SOURCE, null, "pipeline " + pipeline
                        + " waits for its input: no stage is busy, so more threads would wait too");
            }
            if (Diagnosis.CONSUMER.equals(held)) {
                return new Limit(Limit.Kind.CONSUMER, null, "pipeline " + pipeline
                        + " waits for room downstream of its last stage: whatever takes its output is the limit");
            }
        }
        return new Limit(Limit.Kind.IDLE, null, "nothing flowed through any stage in the last interval");
    }

    /** The plan for one pipeline whose throughput a stage holds. */
    private static final class PipelinePlan {
        final List<Proposal> proposals = new ArrayList<>();
        double multiplier = 1;
        int threads;
        Limit limit;

        PipelinePlan(List<StageObservation> stages, Diagnosis diagnosis, Settings settings,
                     Map<String, Integer> ceilings, double k, double kMax, boolean raise, int threadBudget) {
            List<StageObservation> active = new ArrayList<>();
            int idleThreads = 0;
            for (StageObservation s : stages) {
                if (s.hasItems() && s.demand() > 0) {
                    active.add(s);
                } else {
                    idleThreads += s.now().parallelism();
                }
            }
            threads = idleThreads;
            if (active.isEmpty()) {
                return;
            }
            Map<String, Integer> next = new HashMap<>();
            Map<String, Integer> maxOf = new HashMap<>();
            StageObservation cap = null;
            double capFactor = Double.POSITIVE_INFINITY;
            for (StageObservation s : active) {
                int pMax = maxUseful(s, diagnosis, ceilings);
                maxOf.put(s.id(), pMax);
                double factor = pMax / s.demand();
                if (factor < capFactor) {
                    capFactor = factor;
                    cap = s;
                }
                next.put(s.id(), s.now().parallelism());
            }

            double target = raise ? Math.min(k, capFactor) : 1;
            if (raise) {
                int budget = threadBudget - idleThreads;
                double fits = largestFactorWithin(active, maxOf, target, budget);
                if (fits < target) {
                    limit = new Limit(Limit.Kind.MAX_THREADS, null, "the " + settings.maxThreads()
                            + "-thread budget (max-threads) is spent; raise it to go further");
                    target = fits;
                } else if (capFactor < k && cap != null) {
                    limit = capLimit(cap, diagnosis, ceilings, maxOf.get(cap.id()));
                }
                for (StageObservation s : active) {
                    int want = clamp((int) Math.ceil(target * s.demand() * HEADROOM - 1e-9),
                            s.now().minParallelism(), maxOf.get(s.id()));
                    next.put(s.id(), Math.max(s.now().parallelism(), want));
                }
            }

            // Pacing: keep the predicted factor at or under kMax (no overshoot of the band).
            double predicted = factor(active, next);
            if (predicted > kMax) {
                StageObservation pacer = null;
                int pacerWorkers = 0;
                double pacerFactor = 0;
                for (StageObservation s : active) {
                    if (s.now().minParallelism() == maxOf.get(s.id())) {
                        continue;
                    }
                    int floor = Math.min(maxOf.get(s.id()), (int) Math.floor(kMax * s.demand() + 1e-9));
                    if (floor < Math.max(1, s.now().minParallelism())) {
                        continue;
                    }
                    double f = floor / s.demand();
                    if (f <= kMax && f > pacerFactor) {
                        pacer = s;
                        pacerWorkers = floor;
                        pacerFactor = f;
                    }
                }
                if (pacer != null) {
                    next.put(pacer.id(), pacerWorkers);
                    predicted = factor(active, next);
                    if (raise && predicted < k * (1 - settings.deadBand() / settings.target())) {
                        limit = new Limit(Limit.Kind.GRANULARITY, pacer.id(), pacer.id() + " paces the pipeline at "
                                + pacerWorkers + " workers; one more would carry "
                                + Fmt.number((pacerWorkers + 1) / pacer.demand()) + "x today's throughput and"
                                + " overshoot the " + Fmt.percent(settings.target()) + " target");
                    }
                } else if (!raise) {
                    limit = new Limit(Limit.Kind.BOUNDS, null, "utilization is above the target but every stage"
                            + " that could pace the pipeline is at its minimum parallelism");
                }
                paced(pacer, pacerWorkers, pacerFactor, settings, raise);
            }
            multiplier = predicted;
            for (StageObservation s : active) {
                int to = next.get(s.id());
                threads += to;
                if (to != s.now().parallelism()) {
                    proposals.add(new Proposal(s.id(), Knob.PARALLELISM, s.now().parallelism(), to,
                            reason(s, to, diagnosis, settings, k, pacerId == null ? null : pacerId, pacerReason),
                            s.throughput() * predicted));
                }
            }
        }

        private String pacerId;
        private String pacerReason;

        private void paced(StageObservation pacer, int workers, double factor, Settings settings, boolean raise) {
            if (pacer == null) {
                return;
            }
            pacerId = pacer.id();
            pacerReason = pacer.id() + " paces the pipeline: " + workers + " workers at "
                    + Fmt.duration(pacer.servicePerItem()) + " per item carry " + Fmt.number(factor)
                    + "x today's " + Fmt.rate(pacer.throughput()) + ", the most that stays within "
                    + Fmt.percent(settings.target() + settings.deadBand()) + " of the cores"
                    + (raise ? "" : " (utilization is above the target band)");
        }

        private static double factor(List<StageObservation> active, Map<String, Integer> workers) {
            double f = Double.POSITIVE_INFINITY;
            for (StageObservation s : active) {
                f = Math.min(f, workers.get(s.id()) / s.demand());
            }
            return f;
        }

        /** The largest factor in [1, want] whose worker counts fit in {@code budget} threads. */
        private static double largestFactorWithin(List<StageObservation> active, Map<String, Integer> maxOf,
                                                  double want, int budget) {
            if (threadsAt(active, maxOf, want) <= budget) {
                return want;
            }
            double lo = 1;
            double hi = want;
            for (int i = 0; i < 40; i++) {
                double mid = (lo + hi) / 2;
                if (threadsAt(active, maxOf, mid) <= budget) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }

        private static int threadsAt(List<StageObservation> active, Map<String, Integer> maxOf, double factor) {
            int total = 0;
            for (StageObservation s : active) {
                int want = clamp((int) Math.ceil(factor * s.demand() * HEADROOM - 1e-9),
                        s.now().minParallelism(), maxOf.get(s.id()));
                total += Math.max(s.now().parallelism(), want);
            }
            return total;
        }

        private static int maxUseful(StageObservation s, Diagnosis diagnosis, Map<String, Integer> ceilings) {
            int max = s.now().maxParallelism();
            Integer ceiling = ceilings.get(s.id());
            if (ceiling != null) {
                max = Math.min(max, Math.max(ceiling, s.now().minParallelism()));
            }
            if (diagnosis.label(s.id()) == Label.LOCK_BOUND) {
                max = Math.min(max, Math.max(s.now().parallelism(), s.now().minParallelism()));
            }
            return Math.max(max, s.now().minParallelism());
        }

        private static Limit capLimit(StageObservation cap, Diagnosis diagnosis, Map<String, Integer> ceilings,
                                      int pMax) {
            String id = cap.id();
            if (diagnosis.label(id) == Label.LOCK_BOUND) {
                return new Limit(Limit.Kind.LOCK, id, id + " is lock-bound: " + Fmt.percent(cap.lockShare())
                        + " of its processing time is spent blocked or parked on a lock, so more than its "
                        + cap.now().parallelism() + " workers would only queue for it");
            }
            Integer ceiling = ceilings.get(id);
            if (ceiling != null && ceiling == pMax && pMax < cap.now().maxParallelism()) {
                return new Limit(Limit.Kind.CEILING, id, "more than " + ceiling + " workers on " + id
                        + " were tried and throughput did not follow");
            }
            if (cap.now().minParallelism() == cap.now().maxParallelism()) {
                return new Limit(Limit.Kind.BOUNDS, id, id + " is pinned at " + pMax
                        + " worker(s) by its bounds and holds the pipeline");
            }
            return new Limit(Limit.Kind.BOUNDS, id, id + " is at its maximum parallelism of " + pMax
                    + " and holds the pipeline");
        }

        private static String reason(StageObservation s, int to, Diagnosis diagnosis, Settings settings, double k,
                                     String pacerId, String pacerReason) {
            if (s.id().equals(pacerId)) {
                return pacerReason;
            }
            Label label = diagnosis.label(s.id());
            StringBuilder why = new StringBuilder();
            why.append(s.id()).append(" is ").append(label);
            if (s.id().equals(diagnosis.bottlenecks().get(s.pipeline()))) {
                why.append(" and holds the pipeline");
            }
            why.append(": ").append(s.now().parallelism()).append(s.now().parallelism() == 1 ? " worker" : " workers")
                    .append(" busy ").append(Fmt.percent(s.busyFraction())).append(" of the time at ")
                    .append(Fmt.duration(s.servicePerItem())).append(" per item");
            if (!Double.isNaN(s.cpuShare())) {
                why.append(" (").append(Fmt.percent(s.cpuShare())).append(" of it on CPU)");
            }
            why.append("; reaching ").append(Fmt.percent(settings.target())).append(" of ")
                    .append(Fmt.number(settings.cores())).append(" cores takes ").append(Fmt.number(k))
                    .append("x today's ").append(Fmt.rate(s.throughput())).append(", and Little's law gives ")
                    .append(to).append(" workers for that (with 25% headroom)");
            return why.toString();
        }

        private static int clamp(int value, int min, int max) {
            return Math.max(min, Math.min(max, value));
        }
    }
}
