package dev.tuner.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sets every stage's parallelism in one step from a model of the pipeline, DS2-style.
 *
 * <p><b>The model.</b> Per stage, Little's law gives the workers its throughput needs,
 * {@code d = X x S0} (throughput times the uncontended time per item, see
 * {@link StageObservation#servicePerItem()}); raising, the {@code d}s are scaled so that today's counts
 * carry exactly today's throughput (see {@code PipelinePlan.demand}). Carrying {@code m} times today's throughput needs
 * {@code m x d} workers in every stage. The CPU budget sets {@code m}: the process CPU that scales with
 * throughput ({@code busy - overhead - CPU of pipelines held by their source}, save those a verified raise
 * showed to grow with the others: they are fed by them) grows with it, so
 * bringing utilization to {@code u} takes {@code m(u) = (u x cores - overhead - fixed) / scalable}.
 * A stage may stop the climb earlier: its {@code maxParallelism}, a ceiling remembered from a rollback,
 * or the total {@code max-threads}; a lock-bound stage may only try one worker more per round (its
 * useful concurrency is found by verifying, not predicted: a lock makes the gain sublinear).
 *
 * <p><b>The plan.</b> It aims at {@code m_aim = m(target + }{@value Thresholds#AIM}{@code  x band)}, inside the band
 * {@code [target, target + band]}. Every stage gets {@code ceil(m x d x }{@value Thresholds#HEADROOM}{@code )}
 * workers: headroom costs an I/O-bound stage only memory, and a CPU-bound one mostly idles in it, because
 * one stage, the pacer, gets exactly {@code floor(m_aim x d)}: the stage whose worker count comes
 * closest to {@code m_aim} from below. Pacing keeps utilization from overshooting the band; an I/O stage
 * with many workers paces finely. Above the band only the pacer moves, down. Headroom never takes a stage
 * past the workers the cores can run at its CPU share ({@code cores / cpuShare}): there, idle CPU-bound
 * workers cost CPU per item (wake-ups, contention for the cores).
 *
 * <p><b>When not to move.</b> A raise must promise at least {@value Thresholds#MIN_GAIN} more throughput, and
 * {@value Thresholds#MIN_GAIN_REACHED} once utilization has reached the target (within {@value Thresholds#REACHED}). When
 * nothing does, the plan names the limit: the target (utilization reached it), a lock, a ceiling, a
 * bound, the thread budget, other processes that hold the cores, or granularity — the next worker on the
 * pacer would overshoot. For
 * granularity it proposes one worker more on the finest-grained stage as an experiment (a lock or a
 * shared pool often pays less than linear): the controller keeps it only if it pays and stays in the
 * band.
 */
final class ParallelismPolicy {
    /**
     * What the policy proposes for one observation.
     *
     * @param multipliers per pipeline, the throughput factor the proposals are expected to bring
     * @param exploratory true when the proposals are an experiment to keep only if it pays within the band
     */
    record Result(List<Proposal> proposals, Map<String, Double> multipliers, Limit limit, boolean exploratory) {
    }

    /**
     * The CPU budget as throughput factors: what brings utilization to a given share of the cores. The CPU
     * that scales grows in proportion to throughput; {@code fixed} holds what does not (pipelines held outside,
     * and the workers' idle cost: wake-ups paid whatever the items).
     */
    private record Budget(double cores, double overhead, double fixed, double scalable) {
        double factor(double utilization) {
            return (utilization * cores - overhead - fixed) / scalable;
        }

        double utilizationAt(double factor) {
            return (scalable * factor + overhead + fixed) / cores;
        }
    }

    Result plan(Observation obs, Diagnosis diagnosis, Settings settings, Map<String, Integer> ceilings) {
        return plan(obs, diagnosis, settings, ceilings, 0, Set.of());
    }

    /**
     * @param idleCost cores of the CPU that scales the last large verified raise showed not to grow with the
     *                 items (see {@code Controller}); at most {@value Thresholds#MAX_IDLE_SHARE} of it is taken
     * @param fed      pipelines held by their source whose CPU a large verified raise showed to grow with the
     *                 pipelines it raised (a pool fed by a tuned stage: the engine cannot see who feeds whom);
     *                 their CPU counts as scaling, not fixed
     */
    Result plan(Observation obs, Diagnosis diagnosis, Settings settings, Map<String, Integer> ceilings,
                double idleCost, Set<String> fed) {
        Map<String, List<StageObservation>> pipelines = obs.byPipeline();
        List<String> scalable = new ArrayList<>();
        double fixedCpu = 0;
        for (Map.Entry<String, List<StageObservation>> p : pipelines.entrySet()) {
            if (diagnosis.stageHolding(p.getKey()) != null) {
                scalable.add(p.getKey());
            } else if (!fed.contains(p.getKey())) {
                fixedCpu += StageObservation.cpuOf(p.getValue());
            }
        }
        if (scalable.isEmpty()) {
            return new Result(List.of(), Map.of(), heldOutside(pipelines, diagnosis), false);
        }
        double scaling = Math.max(1e-3, obs.coresBusy() - obs.overheadCores() - fixedCpu);
        double idle = Math.min(Math.max(0, idleCost), Thresholds.MAX_IDLE_SHARE * scaling);
        Budget budget = new Budget(settings.cores(), obs.overheadCores(), fixedCpu + idle, scaling - idle);
        double util = obs.utilization();
        Band band = Band.of(settings);
        boolean over = util > band.top();
        boolean reached = util >= band.reached();
        if (!over && obs.othersTakeTheCores(band.aim())) {
            return new Result(List.of(), Map.of(), new Limit(Limit.Kind.MACHINE, null, "other processes keep the"
                    + " machine " + Fmt.percent(obs.machineLoad()) + " busy while this JVM uses " + Fmt.percent(util)
                    + " of its " + Fmt.number(settings.cores()) + " cores: more threads here would compete for the"
                    + " same cores").with(Limit.Figure.MACHINE_LOAD, obs.machineLoad())
                    .with(Limit.Figure.UTILIZATION, util).with(Limit.Figure.CORES, settings.cores()), false);
        }

        List<Proposal> proposals = new ArrayList<>();
        Map<String, Double> multipliers = new HashMap<>();
        Limit limit = null;
        boolean exploratory = false;
        int threadBudget = settings.maxThreads() - obs.stages().stream()
                .filter(s -> !scalable.contains(s.pipeline())).mapToInt(s -> s.now().parallelism()).sum();
        for (String pipeline : scalable) {
            PipelinePlan plan = new PipelinePlan(pipelines.get(pipeline), diagnosis, settings, ceilings, budget,
                    Math.max(0, threadBudget), over, reached);
            proposals.addAll(plan.proposals);
            multipliers.put(pipeline, plan.multiplier);
            exploratory |= plan.exploratory;
            threadBudget -= plan.threads;
            if (limit == null && plan.limit != null) {
                limit = plan.limit;
            }
        }
        if (proposals.isEmpty() && reached && !over) {
            String bottleneck = diagnosis.stageHolding(scalable.get(0));
            limit = new Limit(Limit.Kind.TARGET, bottleneck, "utilization " + Fmt.percent(util) + " of "
                    + Fmt.number(settings.cores()) + " cores has reached the " + Fmt.percent(settings.target())
                    + " target; " + bottleneck + " is the busiest stage (" + diagnosis.label(bottleneck) + ")")
                    .with(Limit.Figure.UTILIZATION, util).with(Limit.Figure.TARGET, settings.target())
                    .with(Limit.Figure.CORES, settings.cores());
        }
        return new Result(proposals, multipliers, limit, exploratory && !proposals.isEmpty());
    }

    private static Limit heldOutside(Map<String, List<StageObservation>> pipelines, Diagnosis diagnosis) {
        for (String pipeline : pipelines.keySet()) {
            Bottleneck held = diagnosis.bottleneck(pipeline);
            if (held == Bottleneck.SOURCE) {
                return new Limit(Limit.Kind.SOURCE, null, "pipeline " + pipeline
                        + " waits for its input: no stage is busy, so more threads would wait too");
            }
            if (held == Bottleneck.CONSUMER) {
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
        boolean exploratory;

        private final List<StageObservation> active = new ArrayList<>();
        private final Map<String, Integer> maxOf = new HashMap<>();
        private final Map<String, Integer> next = new HashMap<>();
        private final Diagnosis diagnosis;
        private final Settings settings;
        private final Map<String, Integer> ceilings;
        private String pacerId;
        private String pacerReason;
        /** Set when the proposals are an experiment: the reason every one of them carries. */
        private String explorationReason;
        private double headroom = Thresholds.HEADROOM;
        /** The thread budget binds: stages with more workers than the goal needs give the surplus back. */
        private boolean rebalancing;
        /** Over the band with no pacer: stages with idle workers give them back (see {@link #trimIdle}). */
        private boolean trimming;
        /** Raising: the factor today's counts carry by the model, so that it counts as 1 (see {@link #demand}). */
        private double scale = 1;

        PipelinePlan(List<StageObservation> stages, Diagnosis diagnosis, Settings settings,
                     Map<String, Integer> ceilings, Budget budget, int threadBudget, boolean over, boolean reached) {
            this.diagnosis = diagnosis;
            this.settings = settings;
            this.ceilings = ceilings;
            int idleThreads = 0;
            for (StageObservation s : stages) {
                if (s.hasItems() && s.demand() > 0) {
                    active.add(s);
                    maxOf.put(s.id(), maxUseful(s, diagnosis, ceilings));
                    next.put(s.id(), s.now().parallelism());
                } else {
                    idleThreads += s.now().parallelism();
                }
            }
            threads = idleThreads;
            if (active.isEmpty()) {
                return;
            }
            if (!over) {
                scale = Math.max(1, factor(next)); // next holds today's counts here
            }
            int room = threadBudget - idleThreads;
            Band band = Band.of(settings);
            double aim = budget.factor(band.aim());
            double max = budget.factor(band.top());
            if (over) {
                shrink(aim, max, room);
            } else {
                raise(aim, max, room, budget, reached);
            }
            for (StageObservation s : active) {
                int to = next.get(s.id());
                threads += to;
                if (to != s.now().parallelism()) {
                    proposals.add(new Proposal(s.id(), Knob.PARALLELISM, s.now().parallelism(), to,
                            reason(s, to, aim), s.throughput() * multiplier));
                }
            }
        }

        private void raise(double aim, double max, int room, Budget budget, boolean reached) {
            StageObservation cap = null;
            double capFactor = Double.POSITIVE_INFINITY;
            for (StageObservation s : active) {
                double f = maxOf.get(s.id()) / demand(s);
                if (f < capFactor) {
                    capFactor = f;
                    cap = s;
                }
            }
            double goal = Math.min(aim, capFactor);
            double fits = largestFactorWithin(goal, room);
            if (fits < goal) {
                // The thread budget binds: threads are worth more as throughput than as headroom, and a stage
                // holding more than its share gives the surplus to the stages that bind.
                headroom = 1.0;
                rebalancing = true;
                fits = Math.max(fits, largestFactorWithin(goal, room));
            }
            if (fits < goal) {
                limit = new Limit(Limit.Kind.MAX_THREADS, null, "the " + settings.maxThreads()
                        + "-thread budget (max-threads) is spent; raise it to go further")
                        .with(Limit.Figure.MAX_THREADS, settings.maxThreads());
                if (fits < 1 + Thresholds.MIN_GAIN) {
                    return;
                }
                goal = fits;
            } else if (capFactor < aim && cap != null) {
                limit = capLimit(cap);
            }
            for (StageObservation s : active) {
                next.put(s.id(), Math.max(floor(s), headroomWorkers(s, goal)));
            }
            double predicted = factor(next);
            if (predicted > max) {
                pace(goal, max, room); // goal <= aim on every path above
                predicted = factor(next);
            }
            if (predicted >= 1 + (reached ? Thresholds.MIN_GAIN_REACHED : Thresholds.MIN_GAIN)) {
                multiplier = predicted;
                return;
            }
            // Nothing worth a decision: keep everything, and say what holds.
            active.forEach(s -> next.put(s.id(), s.now().parallelism()));
            multiplier = 1;
            pacerId = null;
            if (reached || limit != null) {
                return;
            }
            explore(room, budget);
        }

        /**
         * One worker more on each stage that binds the pipeline now (the lowest {@code workers / d}, within
         * 2% of it, since several stages may bind together): the step the model says would overshoot.
         * Granularity, verified by the controller.
         */
        private void explore(int room, Budget budget) {
            double binding = factor(next);
            List<StageObservation> binds = new ArrayList<>();
            for (StageObservation s : active) {
                if (s.now().parallelism() / demand(s) <= binding * Thresholds.BINDS_TOGETHER) {
                    binds.add(s);
                }
            }
            int total = active.stream().mapToInt(s -> s.now().parallelism()).sum();
            boolean fits = total + binds.size() <= room;
            for (StageObservation s : binds) {
                fits &= s.now().parallelism() + 1 <= maxOf.get(s.id());
            }
            if (!fits) {
                limit = new Limit(Limit.Kind.BOUNDS, binds.get(0).id(), "the stages that hold the pipeline ("
                        + ids(binds) + ") cannot take another worker within their bounds, ceilings and the thread"
                        + " budget");
                return;
            }
            binds.forEach(s -> next.put(s.id(), s.now().parallelism() + 1));
            multiplier = factor(next);
            if (multiplier < 1 + 1e-9) {
                active.forEach(s -> next.put(s.id(), s.now().parallelism()));
                multiplier = 1;
                limit = new Limit(Limit.Kind.GRANULARITY, null, "no single step moves the pipeline: " + ids(binds)
                        + " hold it together");
                return;
            }
            exploratory = true;
            String who = ids(binds);
            explorationReason = who + (binds.size() == 1 ? " takes" : " take") + " one worker more as an experiment:"
                    + " the model says it would carry " + Fmt.number(multiplier) + "x today's throughput and bring"
                    + " utilization to " + Fmt.percent(budget.utilizationAt(multiplier)) + ", over the " + Fmt.percent(Band.of(settings).top())
                    + " band, but locks and shared pools often pay less than linear; it stays only if throughput"
                    + " rises and utilization stays in the band";
            limit = new Limit(Limit.Kind.GRANULARITY, binds.get(0).id(), "the next worker on " + who
                    + " is predicted to overshoot the target band");
        }

        private static String ids(List<StageObservation> stages) {
            return String.join(" and ", stages.stream().map(StageObservation::id).toList());
        }

        private void shrink(double aim, double max, int room) {
            if (pace(aim, max, room)) {
                multiplier = factor(next);
            } else if (trimIdle()) {
                multiplier = Math.min(1, factor(next));
            } else {
                limit = new Limit(Limit.Kind.BOUNDS, null, "utilization is above the target band but no stage"
                        + " can pace the pipeline lower: each is at its minimum parallelism");
            }
        }

        /**
         * Over the band with no pacer left: the stages holding more workers than today's throughput needs
         * with headroom give the surplus back. Their idle workers are not free: each wakes for items and
         * competes for the cores, and that CPU is all that is left to cut. True if any stage gives some back.
         */
        private boolean trimIdle() {
            for (StageObservation s : active) {
                int keep = headroomWorkers(s, 1);
                if (keep < s.now().parallelism()) {
                    next.put(s.id(), keep);
                    trimming = true;
                }
            }
            return trimming;
        }

        /**
         * Gives the pacer the worker count that brings the pipeline's factor closest to {@code goal}
         * without exceeding {@code max}: {@code floor(goal x d)} or one more, on the stage where that
         * lands closest (a stage with many workers paces finely).
         */
        private boolean pace(double goal, double max, int room) {
            StageObservation pacer = null;
            int pacerWorkers = 0;
            double pacerFactor = 0;
            int others = next.values().stream().mapToInt(Integer::intValue).sum();
            for (StageObservation s : active) {
                int min = Math.max(1, s.now().minParallelism());
                if (min >= maxOf.get(s.id())) {
                    continue;
                }
                int floor = (int) Math.floor(goal * demand(s) + 1e-9);
                for (int workers = floor; workers <= floor + 1; workers++) {
                    int w = Math.min(maxOf.get(s.id()), workers);
                    if (w > s.now().parallelism() && w - next.get(s.id()) > room - others) {
                        continue; // only a raise needs room in the thread budget
                    }
                    double f = w / demand(s);
                    if (w < min || f > max + 1e-9) {
                        continue;
                    }
                    if (pacer == null || Math.abs(f - goal) < Math.abs(pacerFactor - goal) - 1e-12) {
                        pacer = s;
                        pacerWorkers = w;
                        pacerFactor = f;
                    }
                }
            }
            if (pacer == null) {
                return false;
            }
            next.put(pacer.id(), pacerWorkers);
            pacerId = pacer.id();
            // The time per item the model used (d / X, scaled when raising), so that workers / (rate x time)
            // gives the factor the sentence states.
            pacerReason = pacer.id() + " paces the pipeline: " + pacerWorkers + " workers at "
                    + Fmt.duration(demand(pacer) / pacer.throughput()) + " per item carry " + Fmt.number(pacerFactor)
                    + "x today's " + Fmt.rate(pacer.throughput()) + ", which brings utilization to about "
                    + Fmt.percent(Band.of(settings).aim()) + " of the cores without"
                    + " overshooting " + Fmt.percent(Band.of(settings).top());
            return true;
        }

        /**
         * {@code d}: the workers today's throughput takes on {@code s}, from the uncontended time per item
         * ({@link StageObservation#demand()}: waits for a core left out, so another process or an oversubscribed
         * moment does not make a stage look slower than it is). Raising, every stage's {@code d} is scaled so
         * that today's counts carry exactly today's throughput: whatever keeps the binding stage from carrying
         * more (waits on a full buffer, wake-ups that queue for a core, gaps between items) stays with the
         * next worker too. Without it a fetch stage 97% busy was promised gains its workers could not give,
         * and near the target a step down was proposed as a gain.
         */
        private double demand(StageObservation s) {
            return s.demand() * scale;
        }

        /**
         * The workers {@code s} needs to carry {@code factor} x today's throughput, with headroom; the headroom
         * stops where the workers, all busy at once, would want more CPU than there are cores (unless Little's
         * law itself needs them). Idle workers of a CPU-bound stage are not free on a small machine: each one
         * wakes for items and competes for the cores. On 2 cores a third worker on a 0.2 ms CPU stage raised
         * its CPU per item by ~15%, and the model then read that stage as slower than it is.
         */
        private int headroomWorkers(StageObservation s, double factor) {
            int needed = (int) Math.ceil(factor * demand(s) - 1e-9);
            // An idle worker costs an I/O-bound stage memory, a CPU-bound one wake-ups: headroom shrinks with
            // the share of processing on CPU.
            double spare = (headroom - 1) * (1 - s.cpuShareOrAll());
            int withHeadroom = (int) Math.ceil(factor * demand(s) * (1 + spare) - 1e-9);
            int coresCanRun = (int) Math.floor(settings.cores() / Math.max(1e-3, s.cpuShareOrAll()) + 1e-9);
            return clamp(Math.max(needed, Math.min(withHeadroom, coresCanRun)), s.now().minParallelism(),
                    maxOf.get(s.id()));
        }

        private double factor(Map<String, Integer> workers) {
            double f = Double.POSITIVE_INFINITY;
            for (StageObservation s : active) {
                f = Math.min(f, workers.get(s.id()) / demand(s));
            }
            return f;
        }

        /** The largest factor in [1, want] whose worker counts fit in {@code room} threads; 1 if none does. */
        private double largestFactorWithin(double want, int room) {
            if (threadsAt(want) <= room) {
                return want;
            }
            if (threadsAt(1) > room) {
                return 1;
            }
            double lo = 1;
            double hi = want;
            for (int i = 0; i < 40; i++) {
                double mid = (lo + hi) / 2;
                if (threadsAt(mid) <= room) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }

        private int threadsAt(double factor) {
            int total = 0;
            for (StageObservation s : active) {
                total += Math.max(floor(s), headroomWorkers(s, factor));
            }
            return total;
        }

        /** The fewest workers a raise leaves a stage: what it has, unless the thread budget binds. */
        private int floor(StageObservation s) {
            return rebalancing ? s.now().minParallelism() : s.now().parallelism();
        }

        private static int maxUseful(StageObservation s, Diagnosis diagnosis, Map<String, Integer> ceilings) {
            int max = s.now().maxParallelism();
            Integer ceiling = ceilings.get(s.id());
            if (ceiling != null) {
                max = Math.min(max, ceiling);
            }
            if (diagnosis.label(s.id()) == Label.LOCK_BOUND) {
                max = Math.min(max, s.now().parallelism() + 1);
            }
            return Math.max(max, s.now().minParallelism());
        }

        private Limit capLimit(StageObservation cap) {
            String id = cap.id();
            int pMax = maxOf.get(id);
            Integer ceiling = ceilings.get(id);
            if (ceiling != null && ceiling == pMax && pMax < cap.now().maxParallelism()) {
                return diagnosis.label(id) == Label.LOCK_BOUND
                        ? new Limit(Limit.Kind.LOCK, id, id + " is lock-bound" + on(cap) + ": " + Fmt.percent(cap.lockShare())
                        + " of its processing time is spent blocked or parked on a lock, and more than " + ceiling
                        + " workers did not raise its throughput")
                        .with(Limit.Figure.LOCK_SHARE, cap.lockShare()).with(Limit.Figure.WORKERS, ceiling)
                        : new Limit(Limit.Kind.CEILING, id, "more than " + ceiling + " workers on " + id
                        + " were tried and throughput did not follow" + waitsOn(cap))
                        .with(Limit.Figure.WORKERS, ceiling);
            }
            if (diagnosis.label(id) == Label.LOCK_BOUND) {
                return new Limit(Limit.Kind.LOCK, id, id + " is lock-bound" + on(cap) + ": " + Fmt.percent(cap.lockShare())
                        + " of its processing time is spent blocked or parked on a lock; it takes one worker at a"
                        + " time, kept only if it pays").with(Limit.Figure.LOCK_SHARE, cap.lockShare());
            }
            if (cap.now().minParallelism() == cap.now().maxParallelism()) {
                return new Limit(Limit.Kind.BOUNDS, id, id + " is pinned at " + pMax
                        + " worker(s) by its bounds and holds the pipeline").with(Limit.Figure.WORKERS, pMax);
            }
            return new Limit(Limit.Kind.BOUNDS, id, id + " is at its maximum parallelism of " + pMax
                    + " and holds the pipeline").with(Limit.Figure.WORKERS, pMax);
        }

        /**
         * "; its workers wait on <lock site> ..." when a stage not labelled lock-bound still spends a notable
         * share of its processing on a lock (a monitor its workers spin on shows as RUNNABLE, not BLOCKED, so
         * the share is a lower bound): the likely reason more workers did not pay.
         */
        private static String waitsOn(StageObservation s) {
            return s.now().lockSite() == null || s.lockShare() < Thresholds.NOTABLE_LOCK ? ""
                    : "; its workers wait on " + s.now().lockSite().describeWithEvidence() + " for at least " + Fmt.percent(s.lockShare())
                    + " of their processing time";
        }

        /** " on <lock site>" when the sampler saw which lock, else nothing. */
        private static String on(StageObservation s) {
            return s.now().lockSite() == null ? "" : " on " + s.now().lockSite().describeWithEvidence();
        }

        private String reason(StageObservation s, int to, double aim) {
            if (explorationReason != null) {
                return explorationReason;
            }
            if (s.id().equals(pacerId)) {
                return pacerReason;
            }
            if (trimming) {
                return s.id() + " gives back idle workers: " + to + " carry today's " + Fmt.rate(s.throughput())
                        + " at " + Fmt.duration(demand(s) / s.throughput()) + " per item with headroom, and"
                        + " utilization is over the " + Fmt.percent(Band.of(settings).top()) + " band with no stage"
                        + " left to pace it: an idle worker wakes for items and competes for the cores";
            }
            StringBuilder why = new StringBuilder();
            why.append(s.id()).append(" is ").append(diagnosis.label(s.id()));
            if (s.id().equals(diagnosis.stageHolding(s.pipeline()))) {
                why.append(" and holds the pipeline");
            }
            int p = s.now().parallelism();
            why.append(": ").append(p).append(p == 1 ? " worker" : " workers").append(" busy ")
                    .append(Fmt.percent(s.busyFraction())).append(" of the time at ")
                    .append(Fmt.duration(s.servicePerItem())).append(" per item");
            if (!Double.isNaN(s.cpuShare())) {
                why.append(" (").append(Fmt.percent(s.cpuShare())).append(" of it on CPU)");
            }
            why.append("; the pipeline is to carry ").append(Fmt.number(multiplier)).append("x today's ")
                    .append(Fmt.rate(s.throughput())).append(" (the CPU budget allows ").append(Fmt.number(aim))
                    .append("x), and Little's law gives ").append(to).append(" workers for that")
                    .append(headroom > 1 ? " with " + Fmt.percent(headroom - 1) + " headroom" : " (no headroom: the"
                            + " thread budget binds)");
            return why.toString();
        }

        private static int clamp(int value, int min, int max) {
            return Math.max(min, Math.min(max, value));
        }
    }
}
