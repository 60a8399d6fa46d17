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
 * The control loop: observe -> diagnose -> decide -> apply -> verify, on windows of intervals, never on one.
 *
 * <p>Every snapshot it is handed ends an interval. Intervals at unchanged settings, past the warm-up after a
 * change, make up the current {@link Window}; the noise of one interval is measured on consecutive pairs of
 * them ({@link NoiseMeter}). States:
 * <ul>
 *   <li>{@code STARTING} collects {@code startupObservations} consecutive intervals in which items flowed
 *   (and, at launch, waits a few intervals while the JIT dominates the CPU);</li>
 *   <li>{@code TUNING} plans one round on the window as a whole (every stage that needs it moves at once)
 *   and applies it once the window shows, with the engine's confidence, that utilization is on the side
 *   the plan rests on (over the band's top to come down, under the aim to raise); until then the window
 *   grows, up to {@value Thresholds#MAX_WINDOW} intervals, where the point estimate decides. When the plan
 *   has nothing to do the run is {@code CONVERGED} and the verdict names the limit;</li>
 *   <li>{@code VERIFYING} lets {@code warmupIntervals} pass, then has the {@link Verifier} compare the
 *   window after the round with the one it was planned on, one interval more at a time until it can tell;
 *   raises that did not pay are rolled back and leave a {@link Ceilings ceiling}, as does a count that took
 *   utilization over the band;</li>
 *   <li>{@code CONVERGED} keeps watching: it tunes again when the {@link ShiftDetector} finds that a recent
 *   window's mean moved significantly from the verdict's, when a new stage appears, or when the ceilings
 *   are re-examined.</li>
 * </ul>
 * An idle pipeline (no items) never triggers anything.
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

    private static final int RECENT_DECISIONS = 32;

    private final Actuator actuator;
    private final TuningListener listener;
    private final Diagnoser diagnoser = new Diagnoser();
    private final ParallelismPolicy parallelism = new ParallelismPolicy();
    private final PrefetchPolicy prefetch = new PrefetchPolicy();
    private final NoiseMeter noise = new NoiseMeter();
    private final Verifier verifier = new Verifier();
    private final Ceilings ceilings = new Ceilings();
    private final ShiftDetector shifts = new ShiftDetector();
    private final Deque<Taken> recent = new ArrayDeque<>();

    private Settings settings;
    private State state = State.STARTING;
    private ProcessSnapshot previous;
    private int observations;
    private int round;
    /** Intervals still to pass after a change before its window starts (its warm-up). */
    private int settling;
    /** Intervals at the current settings, past their warm-up. */
    private Window window;
    /** The window lost its older half for still settling (it does at most once). */
    private boolean trimmed;
    /** Cores of CPU the last large verified raise showed not to grow with the items (see {@link #measureIdleCost}). */
    private double idleCost;
    /** Pipelines held by their source whose CPU the last large verified raise showed to grow with it (see {@link #fed}). */
    private Set<String> fed = Set.of();
    private Round pending;
    /** Intervals of the pending round's window dropped because another process took the cores in them. */
    private int neighbourWaits;
    /** Intervals since the last verdict: the recent window the shift test looks at. */
    private int sinceConverged;
    private Set<String> knownStages = Set.of();
    private Observation lastObservation;
    private Diagnosis lastDiagnosis;
    private Converged lastConverged;
    /** The verdict a neighbour taking the cores interrupted, to stand again once it leaves (see {@link #watch}). */
    private Interrupted interrupted;

    /** A verdict, the window it rests on and the round it was reached after. */
    private record Interrupted(Converged verdict, Window baseline, int round) {
    }

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
            window = Window.startingAt(snapshot, settings.cores());
            return;
        }
        ProcessSnapshot start = previous;
        Observation obs = Observation.between(start, snapshot, settings.cores());
        previous = snapshot;
        observations++;
        Diagnosis diagnosis = diagnoser.diagnose(obs);
        lastObservation = obs;
        lastDiagnosis = diagnosis;
        listener.onSample(obs, diagnosis);
        boolean newStage = trackStages(obs);
        boolean flowing = obs.stages().stream().anyMatch(StageObservation::hasItems);
        if (state == State.STARTING && !flowing) {
            window = Window.startingAt(snapshot, settings.cores()); // an interval in which nothing flowed says nothing
            noise.breakRun();
        } else if (settling == 0 && state != State.VERIFYING && !window.covers(obs)
                && (round > 0 || !window.coversSomeFlowing(obs))) {
            // A stage the window's first snapshot lacks would be left out of it (an observation keeps only
            // what both ends have): the window starts over with this interval, which has it. Not before the
            // first round, while the window has stages that flow: stages found one by one (an attach finds the
            // JDK's pools a second or two after the JMX ones) would hold the first plan off for each; it rests
            // on the stages the window has, and the late ones join the window after it.
            window = Window.startingAt(start, settings.cores());
            window.add(snapshot, obs);
            noise.next(obs, false);
            trimmed = false;
        } else {
            extendWindow(snapshot, obs);
        }

        switch (state) {
            case STARTING -> {
                if (warmedUp()) {
                    // The first plan rests on the latest intervals only: the earlier ones ran code still
                    // being compiled, whose costs would make the model aim low.
                    window = window.last(settings.startupObservations());
                    state = State.TUNING;
                    tune();
                }
            }
            case TUNING -> {
                if (settling == 0) {
                    tune();
                }
            }
            case VERIFYING -> {
                if (settling == 0 && !neighbourInTheWay(snapshot)) {
                    List<Verifier.Check> checks = verifier.judge(pending, window, noise, Band.of(settings),
                            this::fitForCeiling);
                    if (checks != null && conclude(checks)) {
                        tune();
                    }
                }
            }
            case CONVERGED -> watch(newStage);
            default -> {
            }
        }
    }

    /**
     * Another process took the cores in the latest interval of a round's window, though not in the window the
     * round was planned on: that interval says what the neighbour did, not what the round did (throughput
     * falls for want of a core, and a raise that pays would be rolled back and leave a ceiling). The window
     * starts over after it, and the round waits for intervals without the neighbour, for at most
     * {@value Thresholds#LONG_WINDOW} of them; then it is judged on what there is.
     *
     * @return true if the round waits
     */
    private boolean neighbourInTheWay(ProcessSnapshot end) {
        double aim = Band.of(settings).aim();
        if (neighbourWaits >= Thresholds.LONG_WINDOW || window.latest() == null
                || !window.latest().othersTakeTheCores(aim) || pending.before().observation().othersTakeTheCores(aim)) {
            return false;
        }
        neighbourWaits++;
        window = Window.startingAt(end, settings.cores());
        trimmed = false;
        noise.breakRun();
        return true;
    }

    /** The interval joins the window, or counts down the warm-up after which a new window starts. */
    private void extendWindow(ProcessSnapshot end, Observation obs) {
        if (settling > 0) {
            settling--;
            noise.breakRun();
            if (settling == 0) {
                window = Window.startingAt(end, settings.cores());
                trimmed = false;
            }
            return;
        }
        noise.next(obs, window.size() > 0);
        window.add(end, obs);
    }

    /** Settings changed at the snapshot just taken: the next window starts after the warm-up. */
    private void restartAfterWarmup() {
        settling = settings.warmupIntervals();
        window = Window.startingAt(previous, settings.cores());
        trimmed = false;
        noise.breakRun();
    }

    /**
     * Whether the window is fit for a lasting verdict (one that leaves a ceiling): long enough to compare
     * its halves, and settled. A window still settling loses its older half, once: after that (or once it
     * is full) it stands as it is, so a steady drift cannot hold a verdict off for ever.
     */
    private boolean fitForCeiling() {
        if (window.full()) {
            return true;
        }
        if (window.size() < Thresholds.SETTLED_WINDOW) {
            return false;
        }
        if (trimmed || window.settled(noise)) {
            return true;
        }
        window = window.newerHalf();
        trimmed = true;
        return false;
    }

    /**
     * Enough consecutive flowing intervals, and the JIT no longer dominates: while compilation takes a large
     * share of the CPU, or the CPU per item still falls fast from one interval to the next, per-item costs
     * are those of code still being compiled and the model would aim low. A few intervals at most are spent
     * waiting for it.
     */
    private boolean warmedUp() {
        int flowing = window.size();
        if (flowing < settings.startupObservations()) {
            return false;
        }
        List<Observation> intervals = window.intervals();
        Observation last = intervals.get(intervals.size() - 1);
        boolean compiling = last.overheadCores() > Thresholds.JIT_SETTLED * last.coresBusy()
                || intervals.size() >= 2 && costFalling(intervals.get(intervals.size() - 2), last);
        return !compiling || flowing >= settings.startupObservations() + settings.maxJitWaitIntervals();
    }

    /**
     * The CPU per item of some pipeline (its stages' CPU over its throughput: the stages that cost most
     * weigh most) fell by more than {@value Thresholds#COST_WARMING} from {@code then} to {@code now}.
     */
    static boolean costFalling(Observation then, Observation now) {
        Map<String, List<StageObservation>> before = then.byPipeline();
        for (Map.Entry<String, List<StageObservation>> p : now.byPipeline().entrySet()) {
            double cpuThen = StageObservation.cpuOf(before.getOrDefault(p.getKey(), List.of()));
            double cpuNow = StageObservation.cpuOf(p.getValue());
            double items = Window.medianGain(then, now, p.getKey());
            if (cpuThen > 0 && cpuNow > 0 && items > 0 && cpuNow / cpuThen / items < 1 - Thresholds.COST_WARMING) {
                return true;
            }
        }
        return false;
    }

    private void watch(boolean newStage) {
        sinceConverged++;
        if (newStage) {
            ceilings.clear();
            retune("a new stage appeared");
            return;
        }
        Window recentWindow = window.last(sinceConverged);
        ShiftDetector.Shift shift = shifts.check(recentWindow, noise, settings);
        if (shift != null) {
            Observation now = recentWindow.last(shift.intervals()).observation();
            Band band = Band.of(settings);
            if (resumeAfterNeighbour(recentWindow.latest(), band)) {
                return;
            }
            boolean neighbour = shifts.limit() != null && shifts.limit().kind() == Limit.Kind.MACHINE
                    || now.othersTakeTheCores(band.aim());
            if (shift.kind() == ShiftDetector.Kind.THROUGHPUT && !neighbour) {
                // That pipeline's costs or input changed: what overshot or did not pay in it may now fit.
                ceilings.clear(stage -> now.stage(stage) != null && now.stage(stage).pipeline().equals(shift.pipeline()));
            } else if (!neighbour) {
                // Costs changed under the whole process. A neighbour taking the cores, or giving them back,
                // changes no cost: the ceilings stay.
                ceilings.clear();
            }
            // The window that showed the shift may straddle it: the plan waits for intervals wholly after it.
            window = Window.startingAt(previous, settings.cores());
            trimmed = false;
            retune(Narrator.shift(shift, settings));
            return;
        }
        // The overshoot ceilings against the costs now: the latest MAX_WINDOW intervals with confidence (a cost
        // that fell shows there first), a long window on its point estimate.
        Window base = shifts.baselineWindow();
        for (int n : new int[] {Thresholds.MAX_WINDOW, Thresholds.LONG_WINDOW}) {
            if (recentWindow.size() < n) {
                break;
            }
            Window costs = recentWindow.last(n);
            List<Ceilings.Lifted> lifted = ceilings.liftFitting(stage -> costRatio(base, costs, stage),
                    Band.of(settings), costs.fullForCeiling());
            if (!lifted.isEmpty()) {
                retune(Narrator.lifted(lifted, n));
                return;
            }
        }
        if (ceilings.reexamine(recentWindow.utilization(noise), Band.of(settings))) {
            retune("utilization stayed under the target for " + sinceConverged + " intervals:"
                    + " the ceilings are tried again");
        }
    }

    /**
     * A neighbour took the cores from a converged run and has left (the latest interval no longer shows it),
     * no setting having changed since: the verdict it interrupted stands again, on its own baseline, and is
     * watched from here as before. Re-tuning instead would plan on the first seconds after the neighbour, a
     * backlog draining and the level still wandering, and move settings that were right. If the load did
     * change meanwhile, the next windows shift against that baseline and tuning starts then.
     *
     * @return true if the interrupted verdict was resumed
     */
    private boolean resumeAfterNeighbour(Observation latest, Band band) {
        Interrupted before = interrupted;
        if (before == null || shifts.limit() == null || shifts.limit().kind() != Limit.Kind.MACHINE
                || before.round() != round || latest.othersTakeTheCores(band.aim())) {
            return false;
        }
        interrupted = null;
        lastConverged = before.verdict();
        shifts.baseline(before.baseline(), before.verdict().limit());
        window = Window.startingAt(previous, settings.cores());
        trimmed = false;
        sinceConverged = 0;
        listener.onConverged(before.verdict());
        return true;
    }

    /**
     * The process's CPU per item of {@code stage}'s pipeline in {@code recent} against {@code base}: the ratio
     * of their utilizations over the ratio of the pipeline's throughputs, with its standard error; {@code null}
     * when either is unknown.
     */
    private Estimate costRatio(Window base, Window recent, String stage) {
        StageObservation s = recent.observation().stage(stage);
        if (base == null || s == null) {
            return null;
        }
        Estimate then = base.utilization(noise);
        Estimate now = recent.utilization(noise);
        Estimate gain = Window.gain(base, recent, s.pipeline(), noise);
        if (!(then.value() > 0) || !(now.value() > 0) || !(1 + gain.value() > 0)) {
            return null;
        }
        double ratio = now.value() / then.value() / (1 + gain.value());
        double relative = Math.hypot(Math.hypot(now.standardError() / now.value(), then.standardError() / then.value()),
                gain.standardError() / (1 + gain.value()));
        return new Estimate(ratio, ratio * relative, recent.size());
    }

    private void retune(String why) {
        listener.onRetune(why);
        state = State.TUNING;
        tune();
    }

    /** New options (a second attach): ceilings are forgotten and tuning starts over from what runs now. */
    public synchronized void updateSettings(Settings newSettings) {
        this.settings = Objects.requireNonNull(newSettings, "settings");
        ceilings.clear();
        pending = null;
        lastConverged = null;
        interrupted = null;
        settling = 0;
        if (previous != null) {
            window = Window.startingAt(previous, settings.cores());
        }
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

    /** The most recent decisions, rollbacks included, oldest first, each with whether it was applied. */
    public synchronized List<Taken> recentDecisions() {
        return List.copyOf(recent);
    }

    /** The last interval. */
    public synchronized Observation lastObservation() {
        return lastObservation;
    }

    /** The diagnosis of the last interval. */
    public synchronized Diagnosis lastDiagnosis() {
        return lastDiagnosis;
    }

    /** The last verdict, or {@code null} if it has not converged yet (or re-tunes since). */
    public synchronized Converged lastConverged() {
        return state == State.CONVERGED ? lastConverged : null;
    }

    /** Plans a round on the window and applies it once the window supports it; converges if nothing is to do. */
    private void tune() {
        if (window.size() < Math.min(Thresholds.MIN_WINDOW, settings.startupObservations())) {
            return;
        }
        Observation obs = window.observation();
        Diagnosis diagnosis = diagnoser.diagnose(obs);
        ParallelismPolicy.Result threads = parallelism.plan(obs, diagnosis, settings, ceilings.workers(), idleCost, fed);
        PrefetchPolicy.Result buffers = prefetch.plan(obs, settings);
        List<Proposal> proposals = new ArrayList<>(threads.proposals());
        proposals.addAll(buffers.proposals());
        if (proposals.isEmpty()) {
            Limit limit = threads.limit() != null ? threads.limit()
                    : buffers.limit() != null ? buffers.limit() : nothingToDo(obs);
            Ceilings.Ceiling ceiling = limit.kind() == Limit.Kind.CEILING ? ceilings.of(limit.stage()) : null;
            if (ceiling != null && ceiling.cause() == Ceilings.Cause.OVERSHOT) {
                limit = new Limit(Limit.Kind.GRANULARITY, limit.stage(), limit.figures(), ceiling.reason())
                        .with(Limit.Figure.OVERSHOOT, ceiling.overshoot().value());
            }
            if (limit.kind() == Limit.Kind.TARGET && !window.full() && !inBand(window.utilization(noise))) {
                // The target counts as reached only when the window shows utilization inside the band: a
                // verdict on a burst (or between two) would hold the job off its target until the load shifts.
                state = State.TUNING;
                return;
            }
            converge(obs, limit, Map.of());
            return;
        }
        if (!supported(threads, proposals)) {
            state = State.TUNING;
            return; // one interval more of evidence
        }
        round++;
        Estimate utilization = window.utilization(noise);
        List<Decision> applied = new ArrayList<>();
        Map<String, Map<String, Integer>> advised = new HashMap<>();
        for (Proposal proposal : proposals) {
            Decision decision = proposal.toDecision(round);
            if (settings.advise()) {
                remember(decision, false);
                listener.onDecision(decision, false);
                advised.computeIfAbsent(decision.stage(), s -> new HashMap<>())
                        .put(decision.knob().wireName(), decision.to());
                continue;
            }
            boolean ok = actuator.apply(decision.stage(), decision.knob(), decision.to());
            remember(decision, ok);
            listener.onDecision(decision, ok);
            if (ok) {
                applied.add(decision);
                rememberOvershoot(decision, utilization);
            }
        }
        if (settings.advise()) {
            Limit limit = threads.limit() != null ? threads.limit() : buffers.limit() != null ? buffers.limit()
                    : new Limit(Limit.Kind.TARGET, null, "advise mode: the recommended settings are expected to bring "
                    + "utilization to " + Fmt.percent(settings.target()) + " of the cores")
                    .with(Limit.Figure.TARGET, settings.target());
            converge(obs, limit, advised);
        } else if (applied.isEmpty()) {
            state = State.TUNING;
        } else {
            pending = new Round(applied, window.last(window.size()), threads.multipliers(), threads.exploratory());
            neighbourWaits = 0;
            restartAfterWarmup();
            state = State.VERIFYING;
        }
    }

    /** Utilization is, with the engine's confidence, at or over the target and under the band's top. */
    private boolean inBand(Estimate u) {
        Band band = Band.of(settings);
        return u.against(band.reached()) == Estimate.Side.ABOVE && u.against(band.top()) == Estimate.Side.BELOW;
    }

    /**
     * Whether the window supports the plan: a step down needs utilization over the band's top, a raise
     * under the aim (an experiment: under the target), each with the engine's confidence; buffers rest on
     * their own occupancy. A full window settles a raise on its point estimate, which the plan already used;
     * a step down waits for a long one.
     */
    private boolean supported(ParallelismPolicy.Result threads, List<Proposal> proposals) {
        if (proposals.stream().noneMatch(p -> p.knob() == Knob.PARALLELISM)) {
            return true;
        }
        Estimate u = window.utilization(noise);
        Band band = Band.of(settings);
        if (u.value() > band.top()) {
            // A step down for overshooting leaves a ceiling: it rests on a settled window, and may wait for a
            // long one.
            return fitForCeiling()
                    && window.utilization(noise).settled(band.top(), window.fullForCeiling()) == Estimate.Side.ABOVE;
        }
        if (window.full()) {
            return true;
        }
        double under = threads.exploratory() ? band.reached() : band.aim();
        return u.against(under) == Estimate.Side.BELOW;
    }

    /**
     * A stage lowered because utilization was over the band: the count it left overshoots, so it is not
     * raised back to it until something shifts; a count in between may still be tried, and if that
     * overshoots too the ceiling comes down again, so the stage settles, never cycles. The ceiling is one
     * under the count that overshot, not the count it was lowered to: the step down is sized from per-item
     * times inflated by the oversubscription, so it may land lower than needed.
     */
    private void rememberOvershoot(Decision d, Estimate utilization) {
        Band band = Band.of(settings);
        if (d.knob() != Knob.PARALLELISM || d.raises() || utilization.value() <= band.top()) {
            return;
        }
        ceilings.overshot(d.stage(), d.from() - 1, d.from() + " workers on " + d.stage()
                + " overshot: utilization reached " + Narrator.estimate(utilization) + ", over the "
                + Fmt.percent(band.top()) + " band; it stays below " + d.from(), utilization);
    }

    /**
     * Applies the verifier's verdict to every decision of the pending round.
     *
     * @return true if every change stayed (tuning goes on at once, on the window after); false if something
     *         was rolled back (a new window starts after the warm-up)
     */
    private boolean conclude(List<Verifier.Check> checks) {
        Round checked = pending;
        pending = null;
        state = State.TUNING;
        Map<String, Verifier.Check> byPipeline = new HashMap<>();
        checks.forEach(c -> byPipeline.put(c.pipeline(), c));
        Observation before = checked.before().observation();
        Observation after = window.observation();
        boolean allKept = true;
        for (Decision d : checked.decisions()) {
            StageObservation then = before.stage(d.stage());
            StageObservation now = after.stage(d.stage());
            String pipeline = then != null ? then.pipeline() : now != null ? now.pipeline() : "";
            Verifier.Check check = byPipeline.get(pipeline);
            // Only parallelism raises carry the expected gain; a buffer grown in the same round expected none,
            // so it stays when the raise beside it did not pay (undoing it only made the next round redo it).
            boolean rollBack = check != null && !check.kept() && d.raises() && d.knob() == Knob.PARALLELISM;
            String why = rollBack ? Narrator.rollback(check, checked.before().size(), window.size(), Band.of(settings))
                    : null;
            if (rollBack) {
                allKept = false;
                boolean undone = actuator.apply(d.stage(), d.knob(), d.from());
                if (check.cause() == RollbackCause.OVERSHOT) {
                    ceilings.overshot(d.stage(), d.from(), "one more worker on " + d.stage() + " (" + d.to()
                            + ") is too coarse a step: " + Narrator.overshoot(check, window.size(), Band.of(settings))
                            + "; it stays at " + d.from(), check.utilization());
                } else {
                    ceilings.didNotPay(d.stage(), d.from());
                }
                remember(d.reversed("rolled back: " + why), undone); // a rollback that failed shows as not applied
            }
            listener.onVerification(new Verification(d, then == null ? Double.NaN : then.throughput(), d.expected(),
                    now == null ? Double.NaN : now.throughput(), evidence(checked, check, pipeline),
                    rollBack ? check.cause() : null, why));
        }
        if (!allKept) {
            restartAfterWarmup();
        } else {
            measureIdleCost(checks, before, after);
        }
        return allKept;
    }

    /**
     * Busier consumers cost less CPU per item (fewer park/unpark wake-ups, warmer caches), so the CPU that
     * scales grows slower than throughput, and a model that takes it as proportional lands the next round
     * under its aim. A verified raise that multiplied throughput by at least {@value Thresholds#IDLE_COST_GAIN}
     * measures by how much, as a line through its two points: CPU = idle + per item x items. The idle part
     * (cores) stays out of the next plans' extrapolation. A line rather than a power law: a power law fitted
     * over a raise from 1 worker to 6 takes the savings of the first workers as a rate that continues, and
     * the next round overshot. A smaller raise cannot tell the idle part from the noise and leaves it as it was.
     */
    private void measureIdleCost(List<Verifier.Check> checks, Observation before, Observation after) {
        Verifier.Check largest = null;
        for (Verifier.Check c : checks) {
            if (!Double.isNaN(c.gain().value()) && (largest == null || c.gain().value() > largest.gain().value())) {
                largest = c;
            }
        }
        if (largest != null) {
            idleCost = idleCost(1 + largest.gain().value(), before.coresBusy() - before.overheadCores(),
                    after.coresBusy() - after.overheadCores(), idleCost);
            fed = fed(1 + largest.gain().value(), pipelines(checks), before, after, fed);
        }
    }

    private static Set<String> pipelines(List<Verifier.Check> checks) {
        Set<String> raised = new LinkedHashSet<>();
        checks.forEach(c -> raised.add(c.pipeline()));
        return raised;
    }

    /**
     * Which pipelines the round did not raise grew with it: a pool fed by a tuned stage waits for its input,
     * so the plan would take its CPU as fixed, yet it grows with what it is fed (the seed's trainer pool: a
     * raise that was to bring 93% brought 97%, and the step down then took the parser as its pacer). After a
     * raise that multiplied throughput by at least {@value Thresholds#IDLE_COST_GAIN} (a smaller one cannot
     * tell growth from noise: {@code previous} stands), a pipeline counts as fed when its CPU grew by at least
     * the square root of that factor (half of it, in logs: between staying flat and growing in proportion).
     */
    static Set<String> fed(double throughputRatio, Set<String> raised, Observation before, Observation after,
                           Set<String> previous) {
        if (!(throughputRatio >= Thresholds.IDLE_COST_GAIN)) {
            return previous;
        }
        Set<String> fed = new LinkedHashSet<>();
        Map<String, List<StageObservation>> then = before.byPipeline();
        for (Map.Entry<String, List<StageObservation>> p : after.byPipeline().entrySet()) {
            if (raised.contains(p.getKey()) || !then.containsKey(p.getKey())) {
                continue;
            }
            double cpuThen = StageObservation.cpuOf(then.get(p.getKey()));
            double cpuNow = StageObservation.cpuOf(p.getValue());
            if (cpuThen > 0 && cpuNow >= cpuThen * Math.sqrt(throughputRatio)) {
                fed.add(p.getKey());
            }
        }
        return Set.copyOf(fed);
    }

    /**
     * The idle cost a verified raise shows: the CPU at zero items on the line through {@code (1, cpuBefore)}
     * and {@code (throughputRatio, cpuAfter)}, at least 0; {@code previous} when the raise was too small to
     * tell or the CPU is unknown.
     */
    static double idleCost(double throughputRatio, double cpuBefore, double cpuAfter, double previous) {
        if (!(throughputRatio >= Thresholds.IDLE_COST_GAIN) || !(cpuBefore > 0) || !(cpuAfter > 0)) {
            return previous;
        }
        double perItem = (cpuAfter - cpuBefore) / (throughputRatio - 1);
        return Math.max(0, cpuBefore - perItem);
    }

    private Verification.Evidence evidence(Round checked, Verifier.Check check, String pipeline) {
        Estimate gain = check != null ? check.gain() : Window.gain(checked.before(), window, pipeline, noise);
        return new Verification.Evidence(checked.before().size(), window.size(), noise.throughput(pipeline),
                gain.value(), gain.standardError(), check == null ? Double.NaN : check.needed(),
                window.observation().utilization());
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
        Converged verdict = new Converged(obs.utilization(), throughput, limit, recommended, round, window.size());
        boolean repeat = lastConverged != null && lastConverged.limit().kind() == limit.kind()
                && Objects.equals(lastConverged.limit().stage(), limit.stage())
                && lastConverged.recommended().equals(verdict.recommended());
        if (limit.kind() == Limit.Kind.MACHINE && state == State.TUNING && lastConverged != null
                && lastConverged.limit().kind() != Limit.Kind.MACHINE && lastConverged.rounds() == round) {
            interrupted = new Interrupted(lastConverged, shifts.baselineWindow(), round);
        } else if (limit.kind() != Limit.Kind.MACHINE) {
            interrupted = null;
        }
        lastConverged = verdict;
        shifts.baseline(window, limit);
        ceilings.converged();
        sinceConverged = 0;
        state = State.CONVERGED;
        if (!repeat) {
            listener.onConverged(verdict);
        }
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

    private void remember(Decision decision, boolean applied) {
        recent.addLast(new Taken(decision, applied));
        while (recent.size() > RECENT_DECISIONS) {
            recent.removeFirst();
        }
    }
}
