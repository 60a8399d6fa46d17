package dev.tuner.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The most workers each stage is given until something shifts, and why: a raise that did not pay leaves
 * the stage at the count before it; a count that overshot the band (an experiment, or a raise the model got
 * wrong) leaves it below that count. Without them a pacer whose next worker lands just over the band would
 * be raised and lowered by turns for as long as the job runs.
 *
 * <p>A ceiling is a hypothesis, not a law: it rests on windows measured at one moment, and what held then
 * (a neighbour's load, a cost since fallen) may not hold now. So once the loop has converged and the
 * recent window's utilization has stayed significantly under the target for {@value Thresholds#REEXAMINE_AFTER}
 * intervals in a row, the ceilings are lifted and the loop tunes again. Each time that ends on a ceiling
 * again, the next wait doubles: a true ceiling costs a few decisions an hour, a stale one is not kept for
 * the job's life. A shift clears them and resets the wait.
 */
final class Ceilings {

    /** Why a stage has a ceiling. */
    enum Cause {
        /** More workers were tried and throughput did not follow. */
        DID_NOT_PAY,
        /** The count above it took utilization over the band. */
        OVERSHOT
    }

    /**
     * @param workers   the most the stage is given
     * @param reason    for an overshoot, the evidence in a sentence (the verdict names it); {@code null} else
     * @param overshoot for an overshoot, the utilization the count above {@code workers} reached; {@code null} else
     */
    record Ceiling(int workers, Cause cause, String reason, Estimate overshoot) {
    }

    /**
     * An overshoot ceiling lifted because the count it forbade would fit now.
     *
     * @param predicted the utilization that count is now expected to bring
     */
    record Lifted(String stage, Ceiling ceiling, Estimate costRatio, Estimate predicted) {
    }

    private final Map<String, Ceiling> ceilings = new HashMap<>();
    private int confirmations;
    private boolean reexamining;
    private int underFor;

    void didNotPay(String stage, int workers) {
        set(stage, new Ceiling(workers, Cause.DID_NOT_PAY, null, null));
    }

    /** {@code workers + 1} took utilization to {@code utilization}, over the band. */
    void overshot(String stage, int workers, String reason, Estimate utilization) {
        set(stage, new Ceiling(workers, Cause.OVERSHOT, reason, utilization));
    }

    /**
     * Lifts the overshoot ceilings whose count would fit now: an overshoot was measured at that moment's
     * CPU per item, and code still being optimised (C2 keeps compiling for minutes), caches warming or a
     * neighbour gone can bring it down for good. {@code costRatio} gives, per stage, the CPU per item now
     * against when the loop converged at the ceiling (or {@code null} when unknown); the count that
     * overshot is expected to bring its overshoot times that ratio. It is lifted when that prediction is
     * under the band's top with the engine's confidence, or, when {@code longWindow} (the ratio rests on a
     * long window, whose point estimate decides), when its value is under the aim. The loop then tries the
     * count again, and an overshoot there sets the ceiling again on the new costs: it does not cycle.
     *
     * @return what was lifted, empty if nothing
     */
    List<Lifted> liftFitting(Function<String, Estimate> costRatio, Band band, boolean longWindow) {
        List<Lifted> lifted = new ArrayList<>();
        for (Map.Entry<String, Ceiling> e : ceilings.entrySet()) {
            Ceiling c = e.getValue();
            Estimate ratio = c.cause() == Cause.OVERSHOT && c.overshoot() != null ? costRatio.apply(e.getKey()) : null;
            if (ratio == null || !(ratio.value() > 0)) {
                continue;
            }
            Estimate predicted = new Estimate(c.overshoot().value() * ratio.value(),
                    Math.hypot(c.overshoot().standardError() * ratio.value(), c.overshoot().value() * ratio.standardError()),
                    ratio.intervals());
            if (predicted.against(band.top()) == Estimate.Side.BELOW || longWindow && predicted.value() <= band.aim()) {
                lifted.add(new Lifted(e.getKey(), c, ratio, predicted));
            }
        }
        lifted.forEach(l -> ceilings.remove(l.stage()));
        return lifted;
    }

    private void set(String stage, Ceiling ceiling) {
        ceilings.put(stage, ceiling);
        underFor = 0;
    }

    /** The stage's ceiling, or {@code null}. */
    Ceiling of(String stage) {
        return ceilings.get(stage);
    }

    /** Stage to the most workers it is given. */
    Map<String, Integer> workers() {
        Map<String, Integer> workers = new HashMap<>();
        ceilings.forEach((stage, c) -> workers.put(stage, c.workers()));
        return workers;
    }

    boolean isEmpty() {
        return ceilings.isEmpty();
    }

    /** The ceilings of the stages {@code which} accepts go (their pipeline shifted); the others stay. */
    void clear(java.util.function.Predicate<String> which) {
        ceilings.keySet().removeIf(which);
    }

    /** Something shifted: every ceiling goes, and the re-examination wait starts over. */
    void clear() {
        ceilings.clear();
        confirmations = 0;
        reexamining = false;
        underFor = 0;
    }

    /**
     * The loop converged: if it was re-examining, a ceiling found again confirms the last ones (the next
     * wait doubles), none found means they were stale.
     */
    void converged() {
        if (reexamining) {
            confirmations = ceilings.isEmpty() ? 0 : confirmations + 1;
            reexamining = false;
        }
        underFor = 0;
    }

    /** Intervals the re-examination waits now: {@value Thresholds#REEXAMINE_AFTER}, doubled per confirmation. */
    int reexaminationWait() {
        return Thresholds.REEXAMINE_AFTER << Math.min(confirmations, 10);
    }

    /**
     * One converged interval with {@code utilization} over the recent window: true, and every ceiling
     * lifted, once it has been significantly under the target for {@link #reexaminationWait()} intervals in a row.
     */
    boolean reexamine(Estimate utilization, Band band) {
        if (ceilings.isEmpty()) {
            return false;
        }
        underFor = utilization.against(band.reached()) == Estimate.Side.BELOW ? underFor + 1 : 0;
        if (underFor < reexaminationWait()) {
            return false;
        }
        ceilings.clear();
        reexamining = true;
        underFor = 0;
        return true;
    }
}
