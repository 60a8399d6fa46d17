package dev.tuner.engine;

/** What a stage's workers mostly do, as the diagnosis reads it. */
public enum Label {
    /** Busy, and mostly on CPU. */
    CPU_BOUND("cpu-bound"),
    /** Busy, but mostly off CPU inside processing (remote reads, sleeps, sockets). */
    IO_BOUND("io-bound"),
    /** Busy, but much of it blocked on a monitor or parked on a lock: more threads will not help. */
    LOCK_BOUND("lock-bound"),
    /** Mostly waiting for input: something upstream is too slow. */
    STARVED("starved"),
    /** Mostly waiting for room downstream: something downstream is too slow. */
    BACKPRESSURED("backpressured"),
    /** Nothing flowed. */
    IDLE("idle");

    private final String wireName;

    Label(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Whether its workers are the limit of their own throughput. */
    public boolean saturated() {
        return this == CPU_BOUND || this == IO_BOUND || this == LOCK_BOUND;
    }

    @Override
    public String toString() {
        return wireName;
    }
}
