package dev.tuner.stage;

/**
 * The JMX contract of a tunable stage, published as
 * {@code dev.tuner:type=Stage,pipeline=<pipeline>,name=<stage>} (see DESIGN.md).
 *
 * <p>Counters are monotonic; a reader works with deltas. Times are nanoseconds summed over workers.
 * Setters reject values outside the bounds with {@link IllegalArgumentException}. An app may implement
 * this contract without the tuner library: the agent reads the attributes by name, not this interface.
 */
public interface StageMXBean {
    int getParallelism();

    void setParallelism(int parallelism);

    int getMinParallelism();

    int getMaxParallelism();

    /** Capacity of the output buffer in items; -1 where the stage has none. */
    int getPrefetch();

    void setPrefetch(int prefetch);

    int getMinPrefetch();

    int getMaxPrefetch();

    long getItemsProcessed();

    /** Time spent processing items, excluding waits for input and for room downstream. */
    long getBusyNanos();

    long getInputWaitNanos();

    long getOutputWaitNanos();

    /** Items now in the output buffer. */
    int getBuffered();

    long[] getWorkerThreadIds();
}
