package dev.tuner.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * Sizes output buffers from what the buffer itself went through.
 *
 * <p>A buffer is too small when, within one interval, it was seen full ({@code >= }{@value Thresholds#SEEN_FULL}
 * of samples) with its producer waiting for room ({@code output wait >= }{@value Thresholds#PRODUCER_WAITS}),
 * and also seen empty ({@code >= }{@value Thresholds#RAN_DRY} of samples), so its consumer waited for input:
 * producer and consumer take turns instead of overlapping, the signature of bursts a bigger buffer
 * absorbs. Both ends are required: output wait alone can be lock contention on a busy machine. It then grows
 * {@value Thresholds#GROWTH}x, within the stage's bounds and the memory budget. When the buffers hold more than
 * the budget allows, the biggest one that sits full (seen full in at least {@value Thresholds#SITS_FULL} of
 * samples: its items only wait) falls, in one step, to what fits. Buffers are not shrunk merely for
 * sitting full when memory is not short: that costs a decision and buys nothing.
 *
 * <p>The signal is local to the buffer, so it needs no knowledge of which stage consumes it (the JMX
 * contract does not say). Without occupancy samples, nothing is proposed.
 *
 * <p>Memory: an item is taken to cost at most {@code live heap / items buffered} bytes (an upper bound:
 * it charges the whole live heap to the buffers), and the sum over buffers of {@code capacity x bytes}
 * stays within the {@code prefetch-memory} budget.
 */
final class PrefetchPolicy {

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
        for (StageObservation s : obs.stages()) {
            if (!s.now().hasPrefetch() || s.items() == 0 || Double.isNaN(s.emptyShare())) {
                continue;
            }
            int from = s.now().prefetch();
            if (s.outputWaitFraction() >= Thresholds.PRODUCER_WAITS && s.fullShare() >= Thresholds.SEEN_FULL && s.emptyShare() >= Thresholds.RAN_DRY
                    && from < s.now().maxPrefetch()) {
                int to = Math.min(s.now().maxPrefetch(), Math.max(from + 1, from * Thresholds.GROWTH));
                if (settings.prefetchMemoryBytes() > 0 && bytesPerItem > 0) {
                    long room = settings.prefetchMemoryBytes() - committed + (long) (from * bytesPerItem);
                    int affordable = (int) Math.min(Integer.MAX_VALUE, Math.max(0, room) / bytesPerItem);
                    if (affordable < to) {
                        limit = new Limit(Limit.Kind.MEMORY, s.id(), "the buffer of " + s.id() + " may hold "
                                + Math.max(from, affordable) + " items within the prefetch memory budget of "
                                + settings.prefetchMemoryBytes() / (1024 * 1024) + " MiB (at most "
                                + (long) bytesPerItem / 1024 + " KiB an item)")
                                .with(Limit.Figure.ITEMS, Math.max(from, affordable))
                                .with(Limit.Figure.MEMORY_BYTES, settings.prefetchMemoryBytes())
                                .with(Limit.Figure.ITEM_BYTES, bytesPerItem);
                        to = Math.max(from, affordable);
                    }
                }
                if (to > from) {
                    committed += (long) ((to - from) * bytesPerItem);
                    proposals.add(new Proposal(s.id(), Knob.PREFETCH, from, to, "the buffer of " + from + " after "
                            + s.id() + " was full in " + Fmt.percent(s.fullShare()) + " of samples (its workers waited"
                            + " for room " + Fmt.percent(s.outputWaitFraction()) + " of the time) and empty in "
                            + Fmt.percent(s.emptyShare()) + ": producer and consumer take turns, so " + to
                            + " items let them overlap", s.throughput()));
                }
            }
        }
        if (proposals.isEmpty() && settings.prefetchMemoryBytes() > 0 && bytesPerItem > 0
                && committed > settings.prefetchMemoryBytes()) {
            StageObservation biggest = null;
            for (StageObservation s : obs.stages()) {
                if (s.now().hasPrefetch() && s.fullShare() >= Thresholds.SITS_FULL && s.now().prefetch() > s.now().minPrefetch()
                        && (biggest == null || s.now().prefetch() > biggest.now().prefetch())) {
                    biggest = s;
                }
            }
            if (biggest != null) {
                int from = biggest.now().prefetch();
                long excess = committed - settings.prefetchMemoryBytes();
                int to = Math.max(biggest.now().minPrefetch(), from - (int) Math.ceil(excess / bytesPerItem));
                proposals.add(new Proposal(biggest.id(), Knob.PREFETCH, from, to, "the buffers hold more than the"
                        + " prefetch memory budget of " + settings.prefetchMemoryBytes() / (1024 * 1024) + " MiB, and"
                        + " the one of " + biggest.id() + " sits full (" + Fmt.percent(biggest.fullShare())
                        + " of samples): it falls to " + to + " items", biggest.throughput()));
            }
        }
        return new Result(proposals, limit);
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
