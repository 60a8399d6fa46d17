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

/** The control loop driven by fixed snapshot sequences: no threads, no sleeps, no wall clock. */
class ControllerTest {
    private final List<String> applied = new ArrayList<>();
    private final List<Decision> decisions = new ArrayList<>();
    private final List<Boolean> appliedFlags = new ArrayList<>();
    private final List<Verification> verifications = new ArrayList<>();
    private final List<Converged> verdicts = new ArrayList<>();
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
        read.p(readers).did(readers, readers, 0, 0, cpu, readers - cpu);
        parse.did(readers, 0.005 * readers, 1 - 0.005 * readers, 0, 0.005 * readers, 0);
        train.did(readers, 0.0005 * readers, 1 - 0.0005 * readers, 0, 0.0005 * readers, 0);
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

    /** The incident tuned: 9 readers after one round, converged at 1.8 of 2 cores. */
    private Controller convergedOnNineReaders() {
        Controller c = controller(Settings.builder().cores(2).build());
        c.onSnapshot(snap.start(read, parse, train));
        interval(c, 0.2);
        interval(c, 0.2);
        fast();
        interval(c, 1.8);
        interval(c, 1.8);
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

        interval(c, 0.2);
        assertEquals(List.of("seed/read parallelism 9"), applied);
        assertEquals(List.of(true), appliedFlags);
        assertEquals(1, decisions.get(0).round());
        assertEquals(Controller.State.VERIFYING, c.state());

        fast();
        interval(c, 1.8); // warm-up: not judged
        assertTrue(verifications.isEmpty());
        interval(c, 1.8);
        assertEquals(1, verifications.size());
        assertTrue(verifications.get(0).kept());
        assertEquals(450.0, verifications.get(0).measured(), 1e-6);

        // At 0.9 of 2 cores the target is met: converged, naming the target, recommending 9 readers.
        assertEquals(Controller.State.CONVERGED, c.state());
        assertEquals(1, verdicts.size());
        assertEquals(Limit.Kind.TARGET, verdicts.get(0).limit().kind());
        assertEquals(9, verdicts.get(0).recommended().get("seed/read").get("parallelism"));
        assertEquals(1, verdicts.get(0).rounds());

        // Steady: no new verdict, no new decision.
        interval(c, 1.8);
        interval(c, 1.8);
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
    void aRaiseWhoseGainDidNotShowUpIsRolledBackAndRemembered() {
        Controller c = controller(Settings.builder().cores(2).build());
        c.onSnapshot(snap.start(read, parse, train));
        interval(c, 0.2);
        interval(c, 0.2);
        assertEquals(List.of("seed/read parallelism 9"), applied);

        // Nine readers, same throughput: the source (say) does not follow.
        read.did(50, 1.0, 8.0, 0, 0.01, 0.99);
        interval(c, 0.2);
        interval(c, 0.2);
        assertEquals(List.of("seed/read parallelism 9", "seed/read parallelism 1"), applied);
        assertFalse(verifications.get(0).kept());
        assertEquals(Controller.State.TUNING, c.state());

        // After the cool-down it does not try beyond the remembered ceiling: converged on it.
        read.p(1);
        slow();
        interval(c, 0.2);
        interval(c, 0.2);
        assertEquals(2, applied.size());
        assertEquals(Controller.State.CONVERGED, c.state());
        assertEquals(Limit.Kind.CEILING, verdicts.get(0).limit().kind());
    }

    @Test
    void aBufferGrownBesideARaiseThatDidNotPayStays() {
        Controller c = controller(Settings.builder().cores(2).build());
        c.onSnapshot(snap.start(read, parse, train));
        // The reader's buffer of 16 is seen full and empty by turns, and the reader waits for room 9% of the time.
        read.did(50, 1.0, 0, 0.1, 0.01, 0.99).buffer(0, 10, 2, 5);
        interval(c, 0.2);
        interval(c, 0.2);
        assertEquals(List.of("seed/read parallelism 9", "seed/read prefetch 64"), applied);

        // Nine readers, same throughput: the raise is undone, the buffer (which promised no gain) is not.
        read.did(50, 1.0, 8.0, 0, 0.01, 0.99).buffer(0, 10, 0, 10);
        interval(c, 0.2);
        interval(c, 0.2);
        assertEquals(List.of("seed/read parallelism 9", "seed/read prefetch 64", "seed/read parallelism 1"), applied);
        assertFalse(verifications.get(0).kept());
        assertTrue(verifications.get(1).kept());
        assertEquals(Knob.PREFETCH, verifications.get(1).decision().knob());
    }

    @Test
    void adviseModeDecidesButAppliesNothing() {
        Controller c = controller(Settings.builder().cores(2).advise(true).build());
        c.onSnapshot(snap.start(read, parse, train));
        interval(c, 0.2);
        interval(c, 0.2);
        assertTrue(applied.isEmpty());
        assertEquals(List.of(false), appliedFlags);
        assertEquals(Controller.State.CONVERGED, c.state());
        assertEquals(9, verdicts.get(0).recommended().get("seed/read").get("parallelism"));
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
    void anExperimentThatOvershootsTheBandIsRolledBackAndSaysSo() {
        // Two readers at 1 s an item carry 2/s on 1.5 of 2 cores: the third is predicted to overshoot.
        Controller c = controller(Settings.builder().cores(2).build());
        readersAtOneSecondAnItem(2, 1.5);
        c.onSnapshot(snap.start(read, parse, train));
        interval(c, 1.5);
        interval(c, 1.5);
        assertEquals(List.of("seed/read parallelism 3"), applied);
        assertTrue(decisions.get(0).reason().contains("experiment"), decisions.get(0).reason());
        readersAtOneSecondAnItem(3, 2.0);
        interval(c, 2.0);
        interval(c, 2.0);
        assertEquals(List.of("seed/read parallelism 3", "seed/read parallelism 2"), applied);
        Verification v = verifications.get(0);
        assertFalse(v.kept());
        assertTrue(v.why().contains("overshot"), v.why());

        // Back at two readers it converges, naming the coarse step, not a ceiling that did not pay.
        readersAtOneSecondAnItem(2, 1.5);
        interval(c, 1.5);
        interval(c, 1.5);
        assertConvergedOn(c, Limit.Kind.GRANULARITY, "too coarse a step");
    }

    @Test
    void aStageLoweredForOvershootingIsNotRaisedBackByTurns() {
        // Three readers at 1 s an item drive 2.0 of 2 cores, over the 95% band: the pacer goes down to two.
        Controller c = controller(Settings.builder().cores(2).build());
        readersAtOneSecondAnItem(3, 2.0);
        c.onSnapshot(snap.start(read, parse, train));
        interval(c, 2.0);
        interval(c, 2.0);
        assertEquals(List.of("seed/read parallelism 2"), applied);

        // At two readers utilization is under the target (75%): the model would try the third again;
        // it overshot a moment ago, so it converges instead and says why.
        readersAtOneSecondAnItem(2, 1.5);
        for (int i = 0; i < 6; i++) {
            interval(c, 1.5);
        }
        assertEquals(List.of("seed/read parallelism 2"), applied);
        assertConvergedOn(c, Limit.Kind.GRANULARITY, "3 workers on seed/read overshot");
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
        interval(c, 0.2);
        interval(c, 0.2);
        assertTrue(applied.isEmpty());
        assertNull(c.lastObservation());
    }
}
