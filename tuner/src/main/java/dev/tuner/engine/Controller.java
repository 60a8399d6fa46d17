package dev.tuner.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The control loop: observe -> diagnose -> decide -> apply -> verify, once per snapshot it is handed.
 *
 * <p>States: {@code STARTING} collects {@code startupObservations} observations in which items flowed;
 * {@code TUNING} asks the policies for one round of decisions (every stage that needs it moves at once)
 * and applies it, or, when none is needed, declares the run {@code CONVERGED} and names the limit;
 * {@code VERIFYING} lets {@code warmupIntervals} pass, then compares each pipeline's throughput with what it was: a raise
 * of parallelism whose gain did not show up (less than {@value #KEEP_SHARE} of the expected gain, at most
 * {@value #KEEP_CAP} asked) is rolled back and the stage's parallelism is remembered as a ceiling (a buffer
 * grown in the same round stays: it expected no gain); a
 * gain smaller than the model expected is kept, and the next round re-models from it; an experiment
 * (one worker more where the model predicts an overshoot) is also rolled back if utilization left the
 * band; {@code CONVERGED} keeps watching and goes back to tuning when a pipeline's throughput or the
 * utilization moves more than {@code shiftThreshold} for {@code shiftIntervals} intervals in a row, when
 * utilization leaves the band while the target was the limit, or when a new stage appears. An idle pipeline (no
 * items) never triggers anything.
 *
 * <p>In advise mode decisions are reported with {@code applied=false}, nothing is applied, and the
 * recommended settings are the ones it would have set.
 *
 * <p>The controller owns no thread, clock, JMX or file: it is handed {@link ProcessSnapshot}s (whose
 * {@code nanoTime} is its clock) and acts through an {@link Actuator}, so the simulator and the agent
 * drive the same code. {@link #onSnapshot} must be called from one thread at a time; the query methods
 * may be called from any thread.
 */
public final class Controller {

    public enum State { STARTING, TUNING, VERIFYING, CONVERGED, STOPPED }

    /**
     * A raise is kept when throughput rose by at least {@value #KEEP_SHARE} of the gain the model
     * expected, and never less than {@value #KEEP_FLOOR} nor more than {@value #KEEP_CAP} is asked.
     */
    static final double KEEP_SHARE = 0.4;
    static final double KEEP_FLOOR = 0.01;
    static final double KEEP_CAP = 0.05;
    private static final int RECENT_DECISIONS = 32;
    /** Share of process CPU spent compiling under which per-item costs are taken as warmed up. */
    public static final double JIT_SETTLED = 0.25;

    private final Actuator actuator;
    private final TuningListener listener;
    private final Diagnoser diagnoser = new Diagnoser();
    private final ParallelismPolicy parallelism = new ParallelismPolicy();
    private final PrefetchPolicy prefetch = new PrefetchPolicy();
    private final Map<String, Ceiling> ceilings = new HashMap<>();
    private final Deque<Decision> recent = new ArrayDeque<>();

    private Settings settings;
    private State state = State.STARTING;
    private ProcessSnapshot previous;
    private int observations;
    /** Observations in which some stage moved items: only they count toward the first decision. */
    private int flowingObservations;
    private int round;
    private int cooldown;
    private Round pending;
    private Observation baseline;
    private Limit baselineLimit;
    private int shiftStreak;
    private Set<String> knownStages = Set.of();
    private Observation lastObservation;
    private Diagnosis lastDiagnosis;
    private Converged lastConverged;

    public Controller(Settings settings, Actuator actuator, TuningListener listener) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.actuator = Objects.requireNonNull(actuator, "actuator");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** One interval of the loop. */
    public synchronized void onSnapshot(ProcessSnapshot snapshot) {
        if (state == State.STOPPED) {
            return;
        }
        if (previous == null) {
            previous = snapshot;
            return;
        }
        Observation obs = Observation.between(previous, snapshot, settings.cores());
        previous = snapshot;
        observations++;
        // An interval with no stage yet (a source still starting) or none flowing says nothing about
        // costs; counting it would let the first decision rest on a stage seen for one partial interval.
        if (obs.stages().stream().anyMatch(StageObservation::hasItems)) {
            flowingObservations++;
        }
        Diagnosis diagnosis = diagnoser.diagnose(obs);
        lastObservation = obs;
        lastDiagnosis = diagnosis;
        listener.onSample(obs, diagnosis);
        boolean newStage = trackStages(obs);

        switch (state) {
            case STARTING -> {
                if (warmedUp(obs)) {
                    state = State.TUNING;
                    tune(obs, diagnosis);
                }
            }
            case TUNING -> {
                if (cooldown > 0) {
                    cooldown--;
                } else {
                    tune(obs, diagnosis);
                }
            }
            case VERIFYING -> {
                if (pending.warmupLeft > 0) {
                    pending.warmupLeft--;
                } else if (verify(obs)) {
                    tune(obs, diagnosis);
                }
            }
            case CONVERGED -> {
                if (newStage || shifted(obs)) {
                    clearCeilings();
                    state = State.TUNING;
                    tune(obs, diagnosis);
                }
            }
            default -> {
            }
        }
    }

    /**
     * Enough observations, and the JIT no longer dominates: while compilation takes a large share of the
     * CPU, per-item costs are those of interpreted code and the model would aim low. A few intervals at
     * most are spent waiting for it.
     */
    private boolean warmedUp(Observation obs) {
        if (flowingObservations < settings.startupObservations()) {
            return false;
        }
        boolean compiling = obs.overheadCores() > JIT_SETTLED * obs.coresBusy();
        return !compiling || flowingObservations >= settings.startupObservations() + settings.maxJitWaitIntervals();
    }

    /** New options (a second attach): ceilings are forgotten and tuning starts over from what runs now. */
    public synchronized void updateSettings(Settings newSettings) {
        this.settings = Objects.requireNonNull(newSettings, "settings");
        clearCeilings();
        pending = null;
        lastConverged = null;
        if (state != State.STOPPED && state != State.STARTING) {
            state = State.TUNING;
        }
    }

    /** Stops deciding; later snapshots are ignored. */
    public synchronized void stop() {
        state = State.STOPPED;
        pending = null;
    }

    public synchronized State state() {
        return state;
    }

    public synchronized Settings settings() {
        return settings;
    }

    /** Decision rounds so far. */
    public synchronized int rounds() {
        return round;
    }

    /** The most recent decisions, oldest first. */
    public synchronized List<Decision> recentDecisions() {
        return List.copyOf(recent);
    }

    public synchronized Observation lastObservation() {
        return lastObservation;
    }

    public synchronized Diagnosis lastDiagnosis() {
        return lastDiagnosis;
    }

    /** The last verdict, or {@code null} if it has not converged yet (or re-tunes since). */
    public synchronized Converged lastConverged() {
        return state == State.CONVERGED ? lastConverged : null;
    }

    private void tune(Observation obs, Diagnosis diagnosis) {
        Map<String, Integer> workerCeilings = new HashMap<>();
        ceilings.forEach((stage, ceiling) -> workerCeilings.put(stage, ceiling.workers()));
        ParallelismPolicy.Result threads = parallelism.plan(obs, diagnosis, settings, workerCeilings);
        PrefetchPolicy.Result buffers = prefetch.plan(obs, settings);
        List<Proposal> proposals = new ArrayList<>(threads.proposals());
        proposals.addAll(buffers.proposals());
        if (proposals.isEmpty()) {
            Limit limit = threads.limit() != null ? threads.limit()
                    : buffers.limit() != null ? buffers.limit() : nothingToDo(obs);
            Ceiling ceiling = limit.kind() == Limit.Kind.CEILING ? ceilings.get(limit.stage()) : null;
            if (ceiling != null && ceiling.overshoot() != null) {
                limit = new Limit(Limit.Kind.GRANULARITY, limit.stage(), ceiling.overshoot());
            }
            converge(obs, limit, Map.of());
            return;
        }
        round++;
        List<Decision> applied = new ArrayList<>();
        Map<String, Map<String, Integer>> advised = new HashMap<>();
        for (Proposal proposal : proposals) {
            Decision decision = proposal.toDecision(round);
            remember(decision);
            if (settings.advise()) {
                listener.onDecision(decision, false);
                advised.computeIfAbsent(decision.stage(), s -> new HashMap<>())
                        .put(decision.knob().wireName(), decision.to());
                continue;
            }
            boolean ok = actuator.apply(decision.stage(), decision.knob(), decision.to());
            listener.onDecision(decision, ok);
            if (ok) {
                applied.add(decision);
                rememberOvershoot(decision, obs);
            }
        }
        if (settings.advise()) {
            Limit limit = threads.limit() != null ? threads.limit() : buffers.limit() != null ? buffers.limit()
                    : new Limit(Limit.Kind.TARGET, null, "advise mode: the recommended settings are expected to bring "
                    + "utilization to " + Fmt.percent(settings.target()) + " of the cores");
            converge(obs, limit, advised);
        } else if (applied.isEmpty()) {
            state = State.TUNING;
        } else {
            pending = new Round(applied, obs, threads.multipliers(), threads.exploratory(), settings.warmupIntervals());
            state = State.VERIFYING;
        }
    }

    /**
     * A stage lowered because utilization was over the band: the count it left overshoots, so it is not
     * raised back to it until something shifts (ceilings are cleared then); a count in between may still be
     * tried, and if that overshoots too the ceiling comes down again, so the stage settles, never cycles.
     * Without this, a pacer whose next worker lands just over the band and whose current count lands under
     * the target was raised and lowered by turns for as long as the job ran.
     */
    private void rememberOvershoot(Decision d, Observation obs) {
        double top = settings.target() + settings.deadBand();
        if (d.knob() != Knob.PARALLELISM || d.raises() || obs.utilization() <= top) {
            return;
        }
        // The ceiling is one under the count that overshot, not the count it was lowered to: the step down
        // is sized from per-item times inflated by the oversubscription, so it may land lower than needed.
        ceilings.put(d.stage(), new Ceiling(d.from() - 1, d.from() + " workers on " + d.stage()
                + " overshot: utilization reached " + Fmt.percent(obs.utilization()) + ", over the "
                + Fmt.percent(top) + " band; it stays below " + d.from()));
    }

    /** @return true if every change stayed (tuning may go on at once); false if something was rolled back */
    private boolean verify(Observation after) {
        Round checked = pending;
        pending = null;
        state = State.TUNING;
        Map<String, Rejection> rejected = new HashMap<>();
        for (Map.Entry<String, Double> e : checked.multipliers.entrySet()) {
            String pipeline = e.getKey();
            double expected = e.getValue();
            boolean raised = checked.decisions.stream().anyMatch(d -> d.knob() == Knob.PARALLELISM && d.raises()
                    && pipelineOf(checked.before, d.stage()).equals(pipeline));
            if (!raised || expected <= 1) {
                continue;
            }
            double gain = medianGain(checked.before, after, pipeline);
            double needed = Math.min(KEEP_CAP, Math.max(KEEP_FLOOR, KEEP_SHARE * (expected - 1)));
            double top = settings.target() + settings.deadBand();
            if (!Double.isNaN(gain) && gain - 1 < needed) {
                rejected.put(pipeline, new Rejection("throughput did not follow: it moved "
                        + Fmt.signedPercent(gain - 1) + " where the model expected " + Fmt.signedPercent(expected - 1),
                        false));
            } else if (checked.exploratory && after.utilization() > top) {
                rejected.put(pipeline, new Rejection("throughput rose " + Fmt.signedPercent(gain - 1)
                        + " but utilization reached " + Fmt.percent(after.utilization()) + ", over the "
                        + Fmt.percent(top) + " band", true));
            }
        }
        boolean allKept = true;
        for (Decision d : checked.decisions) {
            StageObservation then = checked.before.stage(d.stage());
            StageObservation now = after.stage(d.stage());
            double before = then == null ? Double.NaN : then.throughput();
            double measured = now == null ? Double.NaN : now.throughput();
            // Only parallelism raises carry the expected gain; a buffer grown in the same round expected none,
            // so it stays when the raise beside it did not pay (undoing it only made the next round redo it).
            Rejection rejection = then == null || !d.raises() || d.knob() != Knob.PARALLELISM ? null
                    : rejected.get(then.pipeline());
            String why = rejection == null ? null : rejection.why();
            if (rejection != null) {
                allKept = false;
                boolean undone = actuator.apply(d.stage(), d.knob(), d.from());
                if (d.knob() == Knob.PARALLELISM) {
                    ceilings.put(d.stage(), new Ceiling(d.from(), !rejection.overshot() ? null
                            : "one more worker on " + d.stage() + " (" + d.to() + ") is too coarse a step: "
                            + rejection.reason() + "; it stays at " + d.from()));
                }
                if (undone) {
                    remember(d.reversed("rolled back: " + why));
                }
            }
            listener.onVerification(new Verification(d, before, d.expected(), measured, why));
        }
        if (!allKept) {
            cooldown = settings.warmupIntervals();
        }
        return allKept;
    }

    private void converge(Observation obs, Limit limit, Map<String, Map<String, Integer>> overrides) {
        Map<String, Map<String, Integer>> recommended = new LinkedHashMap<>();
        Map<String, Double> throughput = new LinkedHashMap<>();
        for (StageObservation s : obs.stages()) {
            Map<String, Integer> knobs = new LinkedHashMap<>();
            knobs.put(Knob.PARALLELISM.wireName(), s.now().parallelism());
            if (s.now().hasPrefetch()) {
                knobs.put(Knob.PREFETCH.wireName(), s.now().prefetch());
            }
            knobs.putAll(overrides.getOrDefault(s.id(), Map.of()));
            recommended.put(s.id(), Map.copyOf(knobs));
            throughput.put(s.id(), s.throughput());
        }
        Converged verdict = new Converged(obs.utilization(), throughput, limit, recommended, round);
        boolean repeat = lastConverged != null && lastConverged.limit().kind() == limit.kind()
                && Objects.equals(lastConverged.limit().stage(), limit.stage())
                && lastConverged.recommended().equals(verdict.recommended());
        lastConverged = verdict;
        baseline = obs;
        baselineLimit = limit;
        shiftStreak = 0;
        state = State.CONVERGED;
        if (!repeat) {
            listener.onConverged(verdict);
        }
    }

    /**
     * True after {@code shiftIntervals} intervals in a row that differ from the converged baseline: a
     * pipeline's throughput moved more than {@code shiftThreshold} (its input rate or a cost that holds it
     * changed), utilization did (costs changed under a pacer that held throughput), utilization is over
     * the band, or under it while the target was the limit. Per-stage per-item times are not compared:
     * a stage waiting on a pool or a core measures +-30% from one second to the next with nothing
     * changed, and a cost that matters shows in throughput or utilization anyway. An idle pipeline (no
     * items) is never a shift.
     */
    private boolean shifted(Observation obs) {
        double threshold = settings.shiftThreshold();
        boolean flowing = obs.stages().stream().anyMatch(StageObservation::hasItems);
        boolean differs = false;
        for (String pipeline : obs.byPipeline().keySet()) {
            double gain = medianGain(baseline, obs, pipeline);
            if (!Double.isNaN(gain) && gain > 0 && Math.abs(gain - 1) > threshold) {
                differs = true;
            }
        }
        double band = settings.deadBand();
        if (flowing && moved(baseline.utilization(), obs.utilization(), threshold)) {
            differs = true;
        } else if (flowing && obs.utilization() > settings.target() + band) {
            differs = true;
        } else if (flowing && baselineLimit.kind() == Limit.Kind.TARGET
                && obs.utilization() < settings.target() - band) {
            differs = true;
        }
        shiftStreak = differs ? shiftStreak + 1 : 0;
        return shiftStreak >= settings.shiftIntervals();
    }

    private static boolean moved(double then, double now, double threshold) {
        if (Double.isNaN(then) || Double.isNaN(now) || then <= 0) {
            return false;
        }
        return Math.abs(now / then - 1) > threshold;
    }

    private boolean trackStages(Observation obs) {
        Set<String> now = new LinkedHashSet<>();
        obs.stages().forEach(s -> now.add(s.id()));
        boolean added = !knownStages.containsAll(now);
        knownStages = now;
        return added && observations > 1;
    }

    private static Limit nothingToDo(Observation obs) {
        return new Limit(Limit.Kind.IDLE, null, obs.stages().isEmpty()
                ? "no tunable stage found yet" : "no stage needs a change");
    }

    private static String pipelineOf(Observation obs, String stage) {
        StageObservation s = obs.stage(stage);
        return s == null ? "" : s.pipeline();
    }

    /** Median over the pipeline's stages of throughput after / before; NaN when nothing comparable flowed. */
    private static double medianGain(Observation before, Observation after, String pipeline) {
        List<Double> gains = new ArrayList<>();
        for (StageObservation then : before.stages()) {
            StageObservation now = after.stage(then.id());
            if (then.pipeline().equals(pipeline) && now != null && then.throughput() > 0) {
                gains.add(now.throughput() / then.throughput());
            }
        }
        if (gains.isEmpty()) {
            return Double.NaN;
        }
        gains.sort(Double::compare);
        int n = gains.size();
        return n % 2 == 1 ? gains.get(n / 2) : (gains.get(n / 2 - 1) + gains.get(n / 2)) / 2;
    }

    private void clearCeilings() {
        ceilings.clear();
    }

    /**
     * The most workers a stage is given until something shifts.
     *
     * @param overshoot why, when the count above it overshot the band (it paid, but too much): the limit is
     *                  then granularity, not a ceiling that did not pay; {@code null} otherwise
     */
    private record Ceiling(int workers, String overshoot) {
    }

    /** Why a round's raises in one pipeline are rolled back; {@code overshot}: they paid, but too much. */
    private record Rejection(String reason, boolean overshot) {
        String why() {
            return overshot ? "the experiment overshot: " + reason : reason;
        }
    }

    private void remember(Decision decision) {
        recent.addLast(decision);
        while (recent.size() > RECENT_DECISIONS) {
            recent.removeFirst();
        }
    }

    /** A round of applied decisions waiting to be verified. */
    private static final class Round {
        final List<Decision> decisions;
        final Observation before;
        final Map<String, Double> multipliers;
        final boolean exploratory;
        int warmupLeft;

        Round(List<Decision> decisions, Observation before, Map<String, Double> multipliers, boolean exploratory,
              int warmupLeft) {
            this.decisions = List.copyOf(decisions);
            this.before = before;
            this.multipliers = Map.copyOf(multipliers);
            this.exploratory = exploratory;
            this.warmupLeft = warmupLeft;
        }
    }
}
