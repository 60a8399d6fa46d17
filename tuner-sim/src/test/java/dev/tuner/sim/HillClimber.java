package dev.tuner.sim;

import dev.tuner.engine.Actuator;
import dev.tuner.engine.Knob;
import dev.tuner.engine.Observation;
import dev.tuner.engine.ProcessSnapshot;
import dev.tuner.engine.StageObservation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The yardstick: a +1-per-step hill climber in the style of tf.data's AUTOTUNE {@code HILL_CLIMB}.
 *
 * <p>Every interval: while utilization is under the target, give the stage whose workers are busiest
 * (highest busy fraction, not at its maximum and not already tried in vain) one more worker, and every
 * buffer that ran dry while its consumer waited for input one more slot; one interval later keep the
 * step if throughput rose (median over the pipeline's stages, by at least 2%, so noise does not pass for
 * a gain), else undo it and mark the stage as tried. A kept step clears the marks. It stops for good
 * once utilization reaches the target, or when every stage was tried in vain. One step is one decision
 * round.
 */
final class HillClimber implements Tuner {
    static final double MIN_GAIN = 0.02;

    private final Actuator actuator;
    private final double cores;
    private final double target;
    private final Set<String> tried = new HashSet<>();
    private ProcessSnapshot previous;
    private Observation before;
    private List<Step> pending = List.of();
    private String raisedStage;
    private int rounds;
    private boolean stopped;

    private record Step(String stage, Knob knob, int from, int to) {
    }

    HillClimber(Actuator actuator, double cores, double target) {
        this.actuator = actuator;
        this.cores = cores;
        this.target = target;
    }

    @Override
    public void onSnapshot(ProcessSnapshot snapshot) {
        if (previous == null) {
            previous = snapshot;
            return;
        }
        Observation obs = Observation.between(previous, snapshot, cores);
        previous = snapshot;
        if (stopped) {
            return;
        }
        if (!pending.isEmpty()) {
            double gain = medianGain(before, obs);
            if (!(gain >= 1 + MIN_GAIN)) {
                for (Step s : pending) {
                    actuator.apply(s.stage, s.knob, s.from);
                }
                if (raisedStage != null) {
                    tried.add(raisedStage);
                }
                pending = List.of();
                // the undone step's interval is not a fair baseline: measure the old setting again first
                before = null;
                return;
            }
            tried.clear();
            pending = List.of();
        }
        if (obs.utilization() >= target) {
            stopped = true;
            return;
        }
        StageObservation busiest = null;
        for (StageObservation s : obs.stages()) {
            if (tried.contains(s.id()) || s.now().parallelism() >= s.now().maxParallelism()) {
                continue;
            }
            if (busiest == null || s.busyFraction() > busiest.busyFraction()) {
                busiest = s;
            }
        }
        if (busiest == null) {
            stopped = true;
            return;
        }
        List<Step> steps = new ArrayList<>();
        int p = busiest.now().parallelism();
        if (actuator.apply(busiest.id(), Knob.PARALLELISM, p + 1)) {
            steps.add(new Step(busiest.id(), Knob.PARALLELISM, p, p + 1));
        }
        List<StageObservation> stages = obs.stages();
        for (int i = 0; i + 1 < stages.size(); i++) {
            StageObservation producer = stages.get(i);
            StageObservation consumer = stages.get(i + 1);
            if (!producer.pipeline().equals(consumer.pipeline()) || !producer.now().hasPrefetch()) {
                continue;
            }
            int cap = producer.now().prefetch();
            boolean ranDry = producer.emptyShare() > 0 && consumer.inputWaitFraction() > 0.05;
            if (ranDry && cap < producer.now().maxPrefetch() && actuator.apply(producer.id(), Knob.PREFETCH, cap + 1)) {
                steps.add(new Step(producer.id(), Knob.PREFETCH, cap, cap + 1));
            }
        }
        if (steps.isEmpty()) {
            tried.add(busiest.id());
            return;
        }
        rounds++;
        raisedStage = busiest.id();
        pending = steps;
        before = obs;
    }

    private static double medianGain(Observation before, Observation after) {
        if (before == null) {
            return Double.NaN;
        }
        List<Double> gains = new ArrayList<>();
        for (StageObservation then : before.stages()) {
            StageObservation now = after.stage(then.id());
            if (now != null && then.throughput() > 0) {
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

    @Override
    public int rounds() {
        return rounds;
    }

    @Override
    public String name() {
        return "hill-climber";
    }
}
