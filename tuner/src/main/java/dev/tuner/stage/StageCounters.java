package dev.tuner.stage;

import java.util.concurrent.atomic.LongAdder;

/**
 * The monotonic per-stage counters of the JMX contract, bumped by worker threads on every item.
 *
 * <p>Thread safety: every {@code record*} method may be called from any number of worker threads at
 * once; none of them blocks or takes a lock ({@link LongAdder} stripes contended increments). Readers
 * (the control loop, JMX) see each counter eventually consistent and never decreasing, and work with
 * deltas between two reads. Units are items and nanoseconds.
 */
public final class StageCounters {
    private final LongAdder items = new LongAdder();
    private final LongAdder busyNanos = new LongAdder();
    private final LongAdder inputWaitNanos = new LongAdder();
    private final LongAdder outputWaitNanos = new LongAdder();

    /** One item finished after {@code busyNanos} of processing (excluding waits for input or for room downstream). */
    public void recordItem(long busyNanos) {
        items.increment();
        if (busyNanos > 0) {
            this.busyNanos.add(busyNanos);
        }
    }

    /** A worker waited {@code nanos} for an input item (whether or not one arrived). */
    public void recordInputWait(long nanos) {
        if (nanos > 0) {
            inputWaitNanos.add(nanos);
        }
    }

    /** A worker waited {@code nanos} for room in the output buffer. */
    public void recordOutputWait(long nanos) {
        if (nanos > 0) {
            outputWaitNanos.add(nanos);
        }
    }

    public long itemsProcessed() {
        return items.sum();
    }

    public long busyNanos() {
        return busyNanos.sum();
    }

    public long inputWaitNanos() {
        return inputWaitNanos.sum();
    }

    public long outputWaitNanos() {
        return outputWaitNanos.sum();
    }
}
