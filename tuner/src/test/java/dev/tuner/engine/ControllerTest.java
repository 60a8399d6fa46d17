package dev.tuner.engine;

import static dev.tuner.engine.Snap.stage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The control loop driven by fixed snapshot sequences: no threads, no sleeps, no wall clock.
 *
 * <p>The readings here repeat exactly, so once {@value Thresholds#MIN_NOISE_PAIRS} pairs of intervals are
 * measured the noise is the floor and every window is conclusive; before that the prior noise (0.05 of the
 * cores, correlation 0.5) holds, and a window near a threshold waits. Each test counts the intervals that
 * follow from this.
 */
class ControllerTest {
    private final List<String> applied = new ArrayList<>();
    private final List<Decision> decisions = new ArrayList<>();
    private final List<Boolean> appliedFlags = new ArrayList<>();
    private final List<Verification> verifications = new ArrayList<>();
    private final List<Converged> verdicts = new ArrayList<>();
    private final List<String> retunes = new ArrayList<>();
    private final TuningListener listener = new TuningListener() {
        @Override
        public void onDecision(Decision decision, boolean ok) {
            decisions.add(decision);
            appliedFlags.add(ok);
        }

        @Override
        public void onVerification(Verification verification) {
            verifications.add(verification);
        }

        @Override
        public void onConverged(Converged converged) {
            verdicts.add(converged);
        }

        @Override
        public void onRetune(String reason) {
            retunes.add(reason);
        }
    };

    private Snap snap;
    private Snap.Stage read;
    private Snap.Stage parse;
    private Snap.Stage train;

    @BeforeEach
    void incident() {
        snap = new Snap();
        read = stage("seed/read");
        parse = stage("seed/parse");
        train = stage("seed/train").sink().bounds(1, 1);
        slow();
    }

    /** The untuned interval: one reader at 20 ms a block, the rest starved, 0.2 cores busy. */
    private void slow() {
        read.did(50, 1.0, 0, 0, 0.01, 0.99);
        parse.did(50, 0.05, 0.95, 0, 0.05, 0);
        train.did(50, 0.001, 0.999, 0, 0.001, 0);
    }

    /** The interval after the reader got 9 workers: 9x the throughput, 1.8 cores busy. */
    private void fast() {
        read.did(450, 9.0, 0, 0, 0.09, 8.91);
        parse.did(450, 0.45, 0.55, 0, 0.45, 0);
        train.did(450, 0.009, 0.991, 0, 0.009, 0);
    }

    /**
     * An interval with {@code readers} readers at 1 s an item ({@code cpu} cores of it on CPU), the parser
     * at 5 ms and the trainer at 0.5 ms an item, both starved.
     */
    private void readersAtOneSecondAnItem(int readers, double cpu) {
        readersAtOneSecondAnItem(readers, readers, cpu);
    }

    /** As above, {@code items} finished by the readers (a reader may wait on more than its own work). */
    private void readersAtOneSecondAnItem(int readers, int items, double cpu) {
        read.p(readers).did(items, readers, 0, 0, cpu, readers - cpu);
        parse.did(items, 0.005 * items, 1 - 0.005 * items, 0, 0.005 * items, 0);
        train.did(items, 0.0005 * items, 1 - 0.0005 * items, 0, 0.0005 * items, 0);
    }

    private Controller controller(Settings settings) {
        return new Controller(settings, (stage, knob, value) -> {
            applied.add(stage + " " + knob + " " + value);
            if (stage.equals("seed/read") && knob == Knob.PARALLELISM) {
                read.p(value);
            }
            return true;
        }, listener);
    }

    private void interval(Controller controller, double coresBusy) {
        controller.onSnapshot(snap.after(1.0, coresBusy, read, parse, train));
    }

    private void intervals(int n, Controller controller, double coresBusy) {
        for (int i = 0; i < n; i++) {
            interval(controller, coresBusy);
        }
    }

    /**
     * The incident tuned: 9 readers after one round, converged at 1.8 of 2 cores. The round is verified on
     * the second interval after its warm-up; the verdict waits until the window shows utilization inside the
     * band, which takes the noise measured: 8 pairs (one from the two slow intervals, the rest fast ones).
     */
    private Controller convergedOnNineReaders() {
        Controller c = controller(Settings.builder().cores(2).build());
        c.onSnapshot(snap.start(read, parse, train));
        intervals(2, c, 0.2);
        fast();
        intervals(1 + Thresholds.MIN_WINDOW, c, 1.8);
        assertEquals(1, verifications.size(), "the precondition: the round is verified");
        intervals(Thresholds.MIN_NOISE_PAIRS - 2, c, 1.8);
        assertEquals(Controller.State.CONVERGED, c.state(), "the precondition: converged on nine readers");
        return c;
    }

    /** {@code intervals} more intervals at {@code coresBusy}: no decision beyond the first {@code decided}, still converged. */
    private void assertQuietFor(int intervals, Controller c, double coresBusy, int decided) {
        for (int i = 0; i < intervals; i++) {
            interval(c, coresBusy);
        }
        assertEquals(decided, decisions.size());
        assertEquals(Controller.State.CONVERGED, c.state());
    }

    /**
     * Re-tuned once, for a reason that starts with {@code why}; the next round waits {@code intervals} after
     * the shift (no decision beyond the first round's before the last of them) and is decided on the last.
     */
    private void assertReTunedThenDecidedAfter(Controller c, String why, int intervals, double coresBusy) {
        assertEquals(1, retunes.size());
        assertTrue(retunes.get(0).startsWith(why), retunes.get(0));
        intervals(intervals - 1, c, coresBusy);
        assertEquals(1, decisions.size());
        interval(c, coresBusy);
        assertTrue(decisions.size() > 1, "decided on interval " + intervals + " after the shift");
    }

    /** Converged, and the last verdict names a limit of {@code kind} whose message says {@code says}. */
    private void assertConvergedOn(Controller c, Limit.Kind kind, String says) {
        assertEquals(Controller.State.CONVERGED, c.state());
        Limit limit = verdicts.get(verdicts.size() - 1).limit();
        assertEquals(kind, limit.kind());
        assertTrue(limit.message().contains(says), limit.message());
    }

    @Test
    void decidesAfterTheStartupObservationsAndKeepsAGainThatShowedUp() {
        Controller c = controller(Settings.builder().cores(2).build());
        c.onSnapshot(snap.start(read, parse, train));
        interval(c, 0.2);
        assertEquals(Controller.State.STARTING, c.state());
        assertTrue(applied.isEmpty());

        // 0.1 of the cores, even with the prior noise surely under the aim: one round, every reader at once.
        interval(c, 0.2);
        assertEquals(List.of("seed/read parallelism 9"), applied);
        assertEquals(List.of(true), appliedFlags);
        assertEquals(1, decisions.get(0).round());
        assertEquals(Controller.State.VERIFYING, c.state());

        fast();
        interval(c, 1.8); // warm-up: not judged
        interval(c, 1.8); // one interval is never evidence
        assertTrue(verifications.isEmpty());
        interval(c, 1.8);
        assertEquals(1, verifications.size());
        Verification v = verifications.get(0);
        assertTrue(v.kept());
        assertEquals(450.0, v.measured(), 1e-6);
        assertEquals(2, v.evidence().afterIntervals());
        assertEquals(2, v.evidence().beforeIntervals());
        assertEquals(8.0, v.evidence().gain(), 1e-9);

        // At 0.9 of 2 cores the target is met, but with the noise not yet measured the window cannot tell
        // 0.9 from 0.85: the verdict waits for the 8 pairs the noise is measured on (2 so far).
        intervals(Thresholds.MIN_NOISE_PAIRS - 3, c, 1.8);
        assertTrue(verdicts.isEmpty());
        interval(c, 1.8);
        assertEquals(1, verdicts.size());
        assertEquals(Limit.Kind.TARGET, verdicts.get(0).limit().kind());
        assertEquals(9, verdicts.get(0).recommended().get("seed/read").get("parallelism"));
        assertEquals(1, verdicts.get(0).rounds());
        assertEquals(Thresholds.MIN_NOISE_PAIRS, verdicts.get(0).intervals());

        // Steady: no new verdict, no new decision.
        intervals(5, c, 1.8);
        assertEquals(1, verdicts.size());
        assertEquals(1, decisions.size());
    }

    @Test
    void intervalsWithNoStageOrNoItemsDoNotCountTowardTheFirstDecision() {
        Controller c = controller(Settings.builder().cores(2).maxJitWaitIntervals(0).build());
        c.onSnapshot(snap.start());
        c.onSnapshot(snap.after(1.0, 0.2)); // a source still starting: no stage at all
        c.onSnapshot(snap.after(1.0, 0.2));
        // the stages appear; their first interval is counted from nothing, so nothing moved
        c.onSnapshot(snap.after(1.0, 0.2, read.did(0, 0, 0, 0, 0, 0), parse.did(0, 0, 0, 0, 0, 0),
                train.did(0, 0, 0, 0, 0, 0)));
        assertTrue(verdicts.isEmpty(), "no verdict on a pipeline not seen flowing: " + verdicts);
        slow();
        interval(c, 0.2);
        assertTrue(applied.isEmpty(), "one flowing interval is not enough");
        interval(c, 0.2);
        assertEquals(List.of("seed/read parallelism 9"), applied);
    }

    @Test
    void aStageFoundAfterTheOthersDoesNotHoldOffTheFirstDecision() {
        // Attached: the JMX stages are there at once, a JDK pool is found a second later.
        Snap.Stage pool = stage("pool-1/pool-1").sink().did(5, 0.01, 0.99, 0, 0.01, 0);
        Controller c = controller(Settings.builder().cores(2).maxJitWaitIntervals(0).build());
        c.onSnapshot(snap.start(read, parse, train));
        c.onSnapshot(snap.after(1.0, 0.2, read, parse, train, pool));
        assertTrue(applied.isEmpty(), "one flowing interval is not enough");
        c.onSnapshot(snap.after(1.0, 0.2, read, parse, train, pool));
        assertEquals(List.of("seed/read parallelism 9"), applied, "planned on the stages the window has");
    }

    @Test
    void aWindowWhoseStagesAllWentIdleStartsOverWithTheStagesThatFlowNow() {
        // The window began with only the trainer, which then stopped; the reader and parser flow now.
        Snap.Stage idle = stage("other/sink").sink().did(0, 0, 1, 0, 0, 0);
        Controller c = controller(Settings.builder().cores(2).maxJitWaitIntervals(0).build());
        c.onSnapshot(snap.start(idle));
        c.onSnapshot(snap.after(1.0, 0.2, idle, read, parse, train));
        c.onSnapshot(snap.after(1.0, 0.2, idle, read, parse, train));
        assertTrue(applied.isEmpty(), "the window started over: one interval has the reader");
        c.onSnapshot(snap.after(1.0, 0.2, idle, read, parse, train));
        assertEquals(List.of("seed/read parallelism 9"), applied);
    }

    @Test
    void theFirstDecisionWaitsWhileTheJitDominatesButNotForever() {
        Controller c = controller(Settings.builder().cores(2).build());
        c.onSnapshot(snap.start(read, parse, train));
        for (int i = 1; i <= 4; i++) {
            c.onSnapshot(snap.after(1.0, 0.8, 0.6, read, parse, train));
            assertTrue(applied.isEmpty(), "compiling takes 75% of the CPU at observation " + i);
        }
        c.onSnapshot(snap.after(1.0, 0.8, 0.6, read, parse, train));
        assertEquals(1, applied.size(), "after three more intervals it decides anyway");
    }

    @Test
    void withNoJitWaitTheFirstDecisionComesAfterTheStartupObservations() {
        // Attached to a running app: the JIT compiles the agent's own code, which says nothing of the app's costs.
        Controller c = controller(Settings.builder().cores(2).maxJitWaitIntervals(0).build());
        c.onSnapshot(snap.start(read, parse, train));
        c.onSnapshot(snap.after(1.0, 0.8, 0.6, read, parse, train));
        assertTrue(applied.isEmpty());
        c.onSnapshot(snap.after(1.0, 0.8, 0.6, read, parse, train));
        assertEquals(1, applied.size());
    }

    /**
     * A launch (JIT wait on) whose first flowing interval has the parser on {@code parserCpu} cores for its 50
     * items ({@code coresBusy} in all), and whose second is the untuned incident's (the parser on 0.05 cores).
     */
    private Controller launchedWithTheParserFirstAt(double parserCpu, double coresBusy) {
        Controller c = controller(Settings.builder().cores(2).build());
        c.onSnapshot(snap.start(read, parse, train));
        parse.did(50, parserCpu, 1 - parserCpu, 0, parserCpu, 0);
        interval(c, coresBusy);
        slow();
        interval(c, 0.2);
        return c;
    }

    @Test
    void theFirstDecisionWaitsWhileTheCpuPerItemStillFalls() {
        // The compiler's threads are quiet, but the parser's code is still being compiled: 20 ms of CPU an
        // item in the first second, 1 ms in the second; a plan on both would take the CPU budget as nearly spent.
        Controller c = launchedWithTheParserFirstAt(1.0, 1.05);
        assertTrue(applied.isEmpty(), "the parser's CPU per item fell 95% from one interval to the next");
        interval(c, 0.2);
        assertEquals(List.of("seed/read parallelism 9"), applied, "planned on the two intervals at the settled cost");
    }

    @Test
    void aCostThatFallsNoFasterThanTheNoiseDoesNotHoldOffTheFirstDecision() {
        launchedWithTheParserFirstAt(0.06, 0.21); // the parser's CPU per item falls 17%
        assertEquals(1, applied.size());
    }

    @Test
    void theFirstDecisionComesAsSoonAsTheJitSettles() {
        Controller c = controller(Settings.builder().cores(2).build());
        c.onSnapshot(snap.start(read, parse, train));
        c.onSnapshot(snap.after(1.0, 0.8, 0.6, read, parse, train));
        c.onSnapshot(snap.after(1.0, 0.8, 0.6, read, parse, train));
        assertTrue(applied.isEmpty());
        c.onSnapshot(snap.after(1.0, 0.25, 0.05, read, parse, train));
        assertEquals(1, applied.size());
    }

    @Test
    void aRaiseWhoseGainDidNotShowUpIsRolledBackOnASettledWindowAndRemembered() {
        Controller c = controller(Settings.builder().cores(2).build());
        c.onSnapshot(snap.start(read, parse, train));
        intervals(2, c, 0.2);
        assertEquals(List.of("seed/read parallelism 9"), applied);

        // Nine readers, same throughput: the source (say) does not follow. The gain surely fell short of the
        // 5% asked after two intervals, but a rollback leaves a ceiling: it waits for a window whose halves
        // can be compared (SETTLED_WINDOW intervals after the warm-up).
        read.did(50, 1.0, 8.0, 0, 0.01, 0.99);
        intervals(Thresholds.SETTLED_WINDOW, c, 0.2);
        assertEquals(List.of("seed/read parallelism 9"), applied);
        interval(c, 0.2);
        assertEquals(List.of("seed/read parallelism 9", "seed/read parallelism 1"), applied);
        Verification v = verifications.get(0);
        assertFalse(v.kept());
        assertEquals(Thresholds.SETTLED_WINDOW, v.evidence().afterIntervals());
        assertEquals(Thresholds.KEEP_CAP, v.evidence().needed(), 1e-12);
        assertEquals(RollbackCause.NO_GAIN, v.cause());
        assertEquals(0.0, v.evidence().gain(), 1e-9);
        assertTrue(v.why().startsWith("throughput did not follow: it moved +0.0%"), v.why());
        assertEquals(Controller.State.TUNING, c.state());

        // After the warm-up and a new window, it does not try beyond the remembered ceiling: converged on it.
        read.p(1);
        slow();
        intervals(1 + Thresholds.MIN_WINDOW, c, 0.2);
        assertEquals(2, applied.size());
        assertConvergedOn(c, Limit.Kind.CEILING, "more than 1 workers on seed/read were tried");
    }

    @Test
    void aBufferGrownBesideARaiseThatDidNotPayStays() {
        Controller c = controller(Settings.builder().cores(2).build());
        c.onSnapshot(snap.start(read, parse, train));
        // The reader's buffer of 16 is seen full and empty by turns, and the reader waits for room 9% of the time.
        read.did(50, 1.0, 0, 0.1, 0.01, 0.99).buffer(0, 10, 2, 5);
        intervals(2, c, 0.2);
        assertEquals(List.of("seed/read parallelism 9", "seed/read prefetch 64"), applied);

        // Nine readers, same throughput: the raise is undone, the buffer (which promised no gain) is not.
        read.did(50, 1.0, 8.0, 0, 0.01, 0.99).buffer(0, 10, 0, 10);
        intervals(1 + Thresholds.SETTLED_WINDOW, c, 0.2);
        assertEquals(List.of("seed/read parallelism 9", "seed/read prefetch 64", "seed/read parallelism 1"), applied);
        assertFalse(verifications.get(0).kept());
        assertTrue(verifications.get(1).kept());
        assertEquals(Knob.PREFETCH, verifications.get(1).decision().knob());
    }

    @Test
    void adviseModeDecidesButAppliesNothing() {
        Controller c = controller(Settings.builder().cores(2).advise(true).build());
        c.onSnapshot(snap.start(read, parse, train));
        intervals(2, c, 0.2);
        assertTrue(applied.isEmpty());
        assertEquals(List.of(false), appliedFlags);
        assertEquals(Controller.State.CONVERGED, c.state());
        assertEquals(9, verdicts.get(0).recommended().get("seed/read").get("parallelism"));
    }

    @Test
    void theRecentDecisionsSayWhichWereApplied() {
        Controller refusing = new Controller(Settings.builder().cores(2).build(), (stage, knob, value) -> false,
                listener);
        refusing.onSnapshot(snap.start(read, parse, train));
        intervals(2, refusing, 0.2);
        assertEquals(List.of(new Taken(decisions.get(0), false)), refusing.recentDecisions(),
                "a knob the actuator could not set is not shown as applied");

        decisions.clear();
        slow();
        Controller advising = controller(Settings.builder().cores(2).advise(true).build());
        advising.onSnapshot(snap.start(read, parse, train));
        intervals(2, advising, 0.2);
        assertEquals(List.of(new Taken(decisions.get(0), false)), advising.recentDecisions());

        decisions.clear();
        slow();
        Controller tuning = controller(Settings.builder().cores(2).build());
        tuning.onSnapshot(snap.start(read, parse, train));
        intervals(2, tuning, 0.2);
        assertEquals(List.of(new Taken(decisions.get(0), true)), tuning.recentDecisions());
    }

    @Test
    void aShiftInPerItemCostsStartsTuningAgain() {
        Controller c = convergedOnNineReaders();

        // Reads get twice as slow: throughput halves, utilization falls out of the band.
        read.did(225, 9.0, 0, 0, 0.045, 8.955);
        parse.did(225, 0.225, 0.775, 0, 0.225, 0);
        train.did(225, 0.0045, 0.9955, 0, 0.0045, 0);
        interval(c, 0.9);
        assertEquals(Controller.State.CONVERGED, c.state(), "one interval is not yet a shift");
        interval(c, 0.9);
        // The window that showed it may straddle the shift: the plan waits for a window wholly after it.
        assertReTunedThenDecidedAfter(c, "the throughput of pipeline seed moved -50%", Thresholds.MIN_WINDOW, 0.9);
        assertEquals(2, decisions.get(decisions.size() - 1).round());
        // 9 readers at 40 ms carry 225/s: the aim is 2.06x, so 18 readers (19 ties at the same distance).
        assertEquals("seed/read parallelism 18", applied.get(applied.size() - 1));
    }

    @Test
    void noiseInATinyStageIsNotAShift() {
        Controller c = convergedOnNineReaders();
        int before = decisions.size();
        // The trainer's few microseconds an item quadruple: 0.04 workers of demand, noise, not a shift.
        train.did(450, 0.036, 0.964, 0, 0.036, 0);
        assertQuietFor(5, c, 1.8, before);
    }

    @Test
    void oneIntervalOverTheBandDoesNotTakeAWorkerAway() {
        // The Camel route's story: converged, then one interval read 99% (a GC burst) at flat throughput.
        Controller c = convergedOnNineReaders();
        int before = decisions.size();
        interval(c, 1.98);
        assertQuietFor(Thresholds.LONG_WINDOW, c, 1.8, before);
        assertTrue(retunes.isEmpty(), "not even a re-tune: " + retunes);
    }

    @Test
    void utilizationThatStaysOverTheBandIsReTunedAndLowered() {
        // Costs rose for good: 1.96 cores at the same throughput, over the band in every interval.
        Controller c = convergedOnNineReaders();
        intervals(Thresholds.SETTLED_WINDOW - 1, c, 1.96);
        assertTrue(retunes.isEmpty(), "a few points over the band take a settled window to show: " + retunes);
        interval(c, 1.96);
        // The step down leaves a ceiling: it waits for a settled window wholly after the shift.
        assertReTunedThenDecidedAfter(c, "utilization is 98%", Thresholds.SETTLED_WINDOW, 1.96);
        assertEquals("seed/read parallelism 8", applied.get(applied.size() - 1));
    }

    @Test
    void anExperimentThatOvershootsTheBandIsRolledBackAndSaysSo() {
        // Two readers at 1 s an item carry 2/s on 1.5 of 2 cores: the third is predicted to overshoot.
        Controller c = controller(Settings.builder().cores(2).build());
        readersAtOneSecondAnItem(2, 1.5);
        c.onSnapshot(snap.start(read, parse, train));
        intervals(2, c, 1.5);
        assertEquals(List.of("seed/read parallelism 3"), applied);
        assertTrue(decisions.get(0).reason().contains("experiment"), decisions.get(0).reason());
        // Three readers: +50%, at 100% of the cores. The gain is verified at once; the overshoot, with the
        // noise not yet measured (0.05 of the cores), only once 8 pairs are: 1 before the round, 7 in the
        // window after its warm-up, whose 8th interval decides.
        readersAtOneSecondAnItem(3, 2.0);
        intervals(1 + Thresholds.MIN_NOISE_PAIRS - 1, c, 2.0);
        assertEquals(List.of("seed/read parallelism 3"), applied);
        interval(c, 2.0);
        assertEquals(List.of("seed/read parallelism 3", "seed/read parallelism 2"), applied);
        Verification v = verifications.get(0);
        assertFalse(v.kept());
        assertEquals(RollbackCause.OVERSHOT, v.cause());
        assertEquals(0.5, v.evidence().gain(), 1e-9);
        assertEquals(1.0, v.evidence().utilization(), 1e-9);
        assertTrue(v.why().startsWith("the experiment overshot: throughput rose +50% but utilization reached 100%"),
                v.why());

        // Back at two readers it converges, naming the coarse step, not a ceiling that did not pay.
        readersAtOneSecondAnItem(2, 1.5);
        intervals(1 + Thresholds.MIN_WINDOW, c, 1.5);
        assertConvergedOn(c, Limit.Kind.GRANULARITY, "too coarse a step");
    }

    @Test
    void insideTheBandAVerifiedGainKeepsAnExperiment() {
        // The experiment's third reader pays only +3% (say the source is nearly spent) but utilization stays
        // inside the band at 92%: there the CPU is spent either way, and a verified gain of 1% keeps it. Out
        // of the band the raise would have had to buy 5% of the +50% the model expected.
        Controller c = controller(Settings.builder().cores(2).build());
        readersAtOneSecondAnItem(2, 100, 1.5);
        c.onSnapshot(snap.start(read, parse, train));
        intervals(2, c, 1.5);
        assertEquals(List.of("seed/read parallelism 3"), applied);
        readersAtOneSecondAnItem(3, 103, 1.84);
        intervals(1 + Thresholds.MIN_NOISE_PAIRS, c, 1.84);
        assertEquals(List.of("seed/read parallelism 3"), applied, "kept, not rolled back");
        assertTrue(verifications.get(0).kept());
        assertEquals(Thresholds.KEEP_FLOOR, verifications.get(0).evidence().needed(), 1e-12);
    }

    @Test
    void theNextRoundLeavesTheIdleCostTheLastOneShowedOutOfItsExtrapolation() {
        // Nine readers carried 9x the items for 4x the CPU (0.8 cores, not 1.8: busier consumers wake less).
        // The line through (1x, 0.2) and (9x, 0.8) costs 0.075 cores per 1x and 0.125 cores whatever the
        // items. The next round's aim, 1.85 cores, then carries (1.85 - 0.125) / 0.675 = 2.56x today's items:
        // 23 readers (24 would be 2.67x, over the top's (1.9 - 0.125) / 0.675 = 2.63x), where a model of
        // proportional CPU would have given 1.85 / 0.8 = 2.31x, 21 readers and a round more. The parser, 0.45
        // workers' worth today, needs 2.56 x 0.45 = 1.15: a second one.
        Controller c = controller(Settings.builder().cores(2).build());
        c.onSnapshot(snap.start(read, parse, train));
        intervals(2, c, 0.2);
        fast();
        intervals(1 + Thresholds.MIN_WINDOW, c, 0.8);
        assertTrue(verifications.get(0).kept());
        assertEquals(List.of("seed/read parallelism 9", "seed/read parallelism 23", "seed/parse parallelism 2"), applied);
    }

    @Test
    void onlyALargeRaiseMeasuresTheIdleCostOnTheLineThroughItsTwoPoints() {
        // Just under IDLE_COST_GAIN the CPU's noise is too large against the change: nothing changes.
        assertEquals(0.2, Controller.idleCost(Thresholds.IDLE_COST_GAIN - 0.01, 1.0, 1.0, 0.2), 1e-12);
        // 6x the items for 3.5x the CPU: 0.5 cores per unit of today's items, 0.5 cores paid whatever the items.
        assertEquals(0.5, Controller.idleCost(6, 1.0, 3.5, 0), 1e-12);
        // In proportion: nothing idle. CPU growing faster than the items is no negative idle cost.
        assertEquals(0.0, Controller.idleCost(2, 1.0, 2.0, 0.3), 1e-12);
        assertEquals(0.0, Controller.idleCost(2, 1.0, 3.0, 0.3), 1e-12);
        assertEquals(0.3, Controller.idleCost(2, 0, 3.0, 0.3), 1e-12);
        assertEquals(0.3, Controller.idleCost(2, 1.0, Double.NaN, 0.3), 1e-12);
    }

    @Test
    void aLargeRaiseShowsWhichPipelinesHeldByTheirSourceAreFedByIt() {
        Snap s = new Snap();
        Snap.Stage read = stage("seed/read").did(50, 1.0, 0, 0, 0.01, 0.99);
        Snap.Stage fedPool = stage("ex/compute").did(50, 0.1, 0.9, 0, 0.1, 0);
        Snap.Stage other = stage("job/poll").did(10, 0.1, 0.9, 0, 0.1, 0);
        ProcessSnapshot t0 = s.start(read, fedPool, other);
        Observation before = Observation.between(t0, s.after(1.0, 0.4, read, fedPool, other), 2);
        // The reader's pipeline carried 4x: the pool it feeds doubled its CPU (sqrt(4) = 2x: fed), the other
        // pipeline's grew 1.5x (not fed).
        read.did(200, 4.0, 0, 0, 0.04, 3.96);
        fedPool.did(200, 0.2, 0.8, 0, 0.2, 0);
        other.did(10, 0.15, 0.85, 0, 0.15, 0);
        ProcessSnapshot t1 = s.after(1.0, 0.8, read, fedPool, other);
        Observation after = Observation.between(t1, s.after(1.0, 0.8, read, fedPool, other), 2);
        assertEquals(java.util.Set.of("ex"), Controller.fed(4, java.util.Set.of("seed"), before, after, java.util.Set.of()));
        // A raise too small to tell growth from noise leaves what was known.
        assertEquals(java.util.Set.of("job"), Controller.fed(Thresholds.IDLE_COST_GAIN - 0.01, java.util.Set.of("seed"),
                before, after, java.util.Set.of("job")));
    }

    @Test
    void aStageLoweredForOvershootingIsNotRaisedBackByTurns() {
        // Three readers at 1 s an item drive 2.0 of 2 cores, over the 95% band. With the noise unmeasured the
        // step down waits: 100% might be a burst. Once 8 pairs are measured, the pacer goes down to two.
        Controller c = controller(Settings.builder().cores(2).build());
        readersAtOneSecondAnItem(3, 2.0);
        c.onSnapshot(snap.start(read, parse, train));
        intervals(Thresholds.MIN_NOISE_PAIRS, c, 2.0);
        assertTrue(applied.isEmpty());
        interval(c, 2.0);
        assertEquals(List.of("seed/read parallelism 2"), applied);

        // At two readers utilization is under the target (75%): the model would try the third again;
        // it overshot a moment ago, so it converges instead and says why.
        readersAtOneSecondAnItem(2, 1.5);
        intervals(6, c, 1.5);
        assertEquals(List.of("seed/read parallelism 2"), applied);
        assertConvergedOn(c, Limit.Kind.GRANULARITY, "3 workers on seed/read overshot: utilization reached 100%");
    }

    @Test
    void anOvershootCeilingIsTriedAgainOnceTheCostPerItemFellEnoughForItsCountToFit() {
        Controller c = controller(Settings.builder().cores(2).build());
        readersAtOneSecondAnItem(3, 300, 2.0); // 10 ms an item: a count fine enough to resolve 7%
        c.onSnapshot(snap.start(read, parse, train));
        intervals(Thresholds.MIN_NOISE_PAIRS + 1, c, 2.0);
        readersAtOneSecondAnItem(2, 200, 1.5);
        intervals(6, c, 1.5);
        assertConvergedOn(c, Limit.Kind.GRANULARITY, "3 workers on seed/read overshot: utilization reached 100%");
        int before = decisions.size();
        assertQuietFor(Thresholds.MAX_WINDOW + 2, c, 1.5, before);
        assertTrue(retunes.isEmpty(), "the same cost: three readers would overshoot as before " + retunes);
        // The code got faster: the same items take 1.36 cores, so three readers would bring about
        // 100% x 1.36 / 1.5 = 91%. Utilization moved 9% of its level, under the shift threshold: only the
        // ceiling's own test sees it.
        readersAtOneSecondAnItem(2, 200, 1.36);
        int appliedBefore = applied.size();
        intervals(Thresholds.MAX_WINDOW, c, 1.36);
        assertFalse(retunes.isEmpty(), "the cost fell 9%");
        assertTrue(retunes.get(retunes.size() - 1).contains("3 workers on seed/read overshot at 100%"), retunes.toString());
        assertTrue(retunes.get(retunes.size() - 1).endsWith("tried again"), retunes.toString());
        assertTrue(applied.subList(appliedBefore, applied.size()).contains("seed/read parallelism 3"), applied.toString());
    }

    @Test
    void aCeilingIsTriedAgainWhenUtilizationStaysUnderTheTarget() {
        // The run above, left at 75% of the cores: a ceiling is a hypothesis, so once utilization has stayed
        // surely under the target for REEXAMINE_AFTER intervals, the third reader is tried again.
        Controller c = controller(Settings.builder().cores(2).build());
        readersAtOneSecondAnItem(3, 2.0);
        c.onSnapshot(snap.start(read, parse, train));
        intervals(Thresholds.MIN_NOISE_PAIRS + 1, c, 2.0);
        readersAtOneSecondAnItem(2, 1.5);
        intervals(1 + Thresholds.MIN_WINDOW, c, 1.5);
        assertEquals(Controller.State.CONVERGED, c.state());
        intervals(Thresholds.REEXAMINE_AFTER - 1, c, 1.5);
        assertEquals(1, applied.size());
        interval(c, 1.5);
        assertTrue(retunes.get(retunes.size() - 1).contains("the ceilings are tried again"), retunes.toString());
        assertEquals("seed/read parallelism 3", applied.get(applied.size() - 1));
    }

    @Test
    void aNeighbourTakingTheCoresIsNoReasonToRaiseAndChangesNothing() {
        Controller c = convergedOnNineReaders();
        int before = decisions.size();
        // Another process takes a core for a while: the readers get less CPU, throughput falls 44%, and the
        // machine is 99% busy while this JVM uses 50% of its cores.
        snap.machineLoad(0.99);
        read.did(250, 9.0, 0, 0, 0.05, 8.95);
        parse.did(250, 0.25, 0.75, 0, 0.25, 0);
        train.did(250, 0.005, 0.995, 0, 0.005, 0);
        intervals(2 * Thresholds.MIN_WINDOW, c, 1.0);
        assertEquals(1, retunes.size());
        assertConvergedOn(c, Limit.Kind.MACHINE, "other processes keep the machine 99% busy");
        // It leaves: the load is back, and so is the verdict it interrupted, with no re-tune and not one
        // setting changed.
        snap.machineLoad(0.9);
        fast();
        intervals(2 * Thresholds.MIN_WINDOW, c, 1.8);
        assertEquals(1, retunes.size(), retunes + " " + verdicts);
        assertConvergedOn(c, Limit.Kind.TARGET, "has reached the 90% target");
        assertEquals(verdicts.get(0), verdicts.get(verdicts.size() - 1), "the verdict before the neighbour, as it was");
        assertEquals(before, decisions.size());
        // Watched against its own baseline: steady load is no news, a real shift still re-tunes.
        assertQuietFor(Thresholds.SHIFT_WINDOWS[Thresholds.SHIFT_WINDOWS.length - 1], c, 1.8, before);
        assertEquals(1, retunes.size(), "no re-tune at steady load: " + retunes);
        read.did(900, 9.0, 0, 0, 0.09, 8.91);
        parse.did(900, 0.9, 0.1, 0, 0.9, 0);
        train.did(900, 0.018, 0.982, 0, 0.018, 0);
        intervals(Thresholds.MIN_WINDOW, c, 1.8);
        assertEquals(2, retunes.size(), "throughput doubled against the resumed verdict: " + retunes);
    }

    @Test
    void aNeighbourThatStaysKeepsTheMachineVerdictAndAChangeAfterItIsTunedAsUsual() {
        Controller c = convergedOnNineReaders();
        snap.machineLoad(0.99);
        read.did(250, 9.0, 0, 0, 0.05, 8.95);
        parse.did(250, 0.25, 0.75, 0, 0.25, 0);
        train.did(250, 0.005, 0.995, 0, 0.005, 0);
        intervals(2 * Thresholds.MIN_WINDOW, c, 1.0);
        assertConvergedOn(c, Limit.Kind.MACHINE, "other processes keep the machine 99% busy");
        // The neighbour takes less, but is still there: nothing to resume, the run is re-examined.
        read.did(350, 9.0, 0, 0, 0.07, 8.93);
        parse.did(350, 0.35, 0.65, 0, 0.35, 0);
        train.did(350, 0.007, 0.993, 0, 0.007, 0);
        intervals(2 * Thresholds.MIN_WINDOW, c, 1.2);
        assertEquals(2, retunes.size(), retunes + " " + verdicts);
        assertConvergedOn(c, Limit.Kind.MACHINE, "other processes keep the machine 99% busy");
    }

    @Test
    void aNeighbourDuringAVerificationIsNotTakenForTheRoundsEffect() {
        Controller c = controller(Settings.builder().cores(2).build());
        c.onSnapshot(snap.start(read, parse, train));
        intervals(2, c, 0.2);
        assertEquals(List.of("seed/read parallelism 9"), applied);
        // Another process takes the cores as the round's window begins: nine readers bring only 10% more.
        snap.machineLoad(0.99);
        read.did(55, 9.0, 0, 0, 0.011, 8.989);
        parse.did(55, 0.055, 0.945, 0, 0.055, 0);
        train.did(55, 0.001, 0.999, 0, 0.001, 0);
        intervals(1 + 2 * Thresholds.SETTLED_WINDOW, c, 0.3);
        assertEquals(List.of("seed/read parallelism 9"), applied, "no rollback on the neighbour's intervals");
        assertTrue(verifications.isEmpty());
        // It leaves: the round is judged on intervals without it, and kept.
        snap.machineLoad(0.9);
        fast();
        intervals(Thresholds.MIN_WINDOW, c, 1.8);
        assertEquals(1, verifications.size());
        assertTrue(verifications.get(0).kept(), verifications.toString());
        assertEquals(Thresholds.MIN_WINDOW, verifications.get(0).evidence().afterIntervals());
    }

    @Test
    void aNeighbourThatNeverLeavesHoldsAVerificationOffForALongWindowAtMost() {
        Controller c = controller(Settings.builder().cores(2).build());
        c.onSnapshot(snap.start(read, parse, train));
        intervals(2, c, 0.2);
        snap.machineLoad(0.99);
        read.did(52, 9.0, 0, 0, 0.011, 8.989);
        parse.did(52, 0.052, 0.948, 0, 0.052, 0);
        train.did(52, 0.001, 0.999, 0, 0.001, 0);
        intervals(1 + Thresholds.LONG_WINDOW, c, 0.3);
        assertTrue(verifications.isEmpty());
        for (int i = 0; i < Thresholds.MAX_WINDOW && verifications.isEmpty(); i++) {
            interval(c, 0.3);
        }
        assertEquals(1, verifications.size(), "judged on what there is");
        assertFalse(verifications.get(0).kept());
    }

    @Test
    void anIdleSourceTriggersNothing() {
        Controller c = convergedOnNineReaders();
        int before = decisions.size();
        read.did(0, 0, 9.0, 0, 0, 0);
        parse.did(0, 0, 1.0, 0, 0, 0);
        train.did(0, 0, 1.0, 0, 0, 0);
        assertQuietFor(5, c, 0.01, before);
    }

    @Test
    void stoppedIgnoresSnapshots() {
        Controller c = controller(Settings.builder().cores(2).build());
        c.onSnapshot(snap.start(read, parse, train));
        c.stop();
        intervals(2, c, 0.2);
        assertTrue(applied.isEmpty());
        assertNull(c.lastObservation());
    }
}
