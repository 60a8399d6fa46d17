package dev.tuner.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Sizes output buffers.
 *
 * <p>A buffer is too small when its producer waits for room ({@code output wait >= }{@value #PRODUCER_WAITS})
 * while a stage of the same pipeline waits for input ({@code input wait >= }{@value #CONSUMER_WAITS}):
 * the two take turns instead of overlapping, the signature of bursts a bigger buffer absorbs. It then
 * grows {@value #GROWTH}x, within the stage's bounds and the memory budget. A buffer falls by half when
 * it sits full (its producer mostly waits for room, it holds at least its capacity) and nothing in the
 * pipeline waits for input: the items in it only wait, and hold memory.
 *
 * <p>The JMX contract does not say which stage feeds which, so "a stage of the same pipeline" stands in
 * for "the consumer of this buffer"; with one starving stage per pipeline, the usual case, they agree.
 *
 * <p>Memory: an item is taken to cost at most {@code live heap / items buffered} bytes (an upper bound:
 * it charges the whole live heap to the buffers), and the sum over buffers of {@code capacity x bytes}
 * stays within the {@code prefetch-memory} budget.
 */
final class PrefetchPolicy {
    static final double PRODUCER_WAITS = 0.05;
    static final double CONSUMER_WAITS = 0.10;
    static final int GROWTH = 4;

    record Result(List<Proposal> proposals, Limit limit) {
    }

    Result plan(Observation obs, Settings settings) {
        List<Proposal> proposals = new ArrayList<>();
        Limit limit = null;
        double bytesPerItem = bytesPerItem(obs);
        long committed = 0;
        for (StageObservation s : obs.stages()) {
            if (s.now().hasPrefetch()) {
                committed += (long) (s.now().prefetch() * bytesPerItem);
            }
        }
        for (Map.Entry<String, List<StageObservation>> pipeline : obs.byPipeline().entrySet()) {
            for (StageObservation s : pipeline.getValue()) {
                if (!s.now().hasPrefetch() || s.items() == 0) {
                    continue;
                }
                StageObservation starving = starvingPeer(s, pipeline.getValue());
                int from = s.now().prefetch();
                if (s.outputWaitFraction() >= PRODUCER_WAITS && starving != null && from < s.now().maxPrefetch()) {
                    int to = Math.min(s.now().maxPrefetch(), Math.max(from + 1, from * GROWTH));
                    if (settings.prefetchMemoryBytes() > 0 && bytesPerItem > 0) {
                        long room = settings.prefetchMemoryBytes() - committed + (long) (from * bytesPerItem);
                        int affordable = (int) Math.min(Integer.MAX_VALUE, room / bytesPerItem);
                        if (affordable < to) {
                            limit = new Limit(Limit.Kind.MEMORY, s.id(), "the buffer of " + s.id() + " may hold "
                                    + Math.max(from, affordable) + " items within the prefetch memory budget of "
                                    + settings.prefetchMemoryBytes() / (1024 * 1024) + " MiB (at most "
                                    + (long) bytesPerItem / 1024 + " KiB an item)");
                            to = Math.max(from, affordable);
                        }
                    }
                    if (to > from) {
                        committed += (long) ((to - from) * bytesPerItem);
                        proposals.add(new Proposal(s.id(), Knob.PREFETCH, from, to, s.id() + " waits for room "
                                + Fmt.percent(s.outputWaitFraction()) + " of the time while " + starving.id()
                                + " waits for input " + Fmt.percent(starving.inputWaitFraction())
                                + " of the time: they take turns, so a buffer of " + to
                                + " items lets them overlap", s.throughput()));
                    }
                } else if (s.outputWaitFraction() >= 0.5 && s.now().buffered() >= from && starving == null
                        && from >= 4 * Math.max(1, s.now().minPrefetch())) {
                    int to = Math.max(s.now().minPrefetch(), from / 2);
                    proposals.add(new Proposal(s.id(), Knob.PREFETCH, from, to, "the buffer of " + s.id()
                            + " sits full and nothing downstream waits for input: its items only wait, so it"
                            + " shrinks to " + to, s.throughput()));
                }
            }
        }
        return new Result(proposals, limit);
    }

    private static StageObservation starvingPeer(StageObservation producer, List<StageObservation> pipeline) {
        StageObservation most = null;
        for (StageObservation s : pipeline) {
            if (s != producer && s.inputWaitFraction() >= CONSUMER_WAITS
                    && (most == null || s.inputWaitFraction() > most.inputWaitFraction())) {
                most = s;
            }
        }
        return most;
    }

    /** Upper bound on the heap an item costs: the live heap charged to the items buffered; 0 if unknown. */
    static double bytesPerItem(Observation obs) {
        long buffered = obs.totalBuffered();
        if (obs.liveHeapBytes() <= 0 || buffered <= 0) {
            return 0;
        }
        return (double) obs.liveHeapBytes() / buffered;
    }
}
