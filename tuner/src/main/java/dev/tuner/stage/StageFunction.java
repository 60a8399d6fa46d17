package dev.tuner.stage;

/**
 * What a stage does to one item: zero, one or many outputs per input (fan-out).
 *
 * <p>With parallelism above 1 the function runs on several threads at once and must be thread-safe;
 * a stage whose bounds pin parallelism to 1 is called from one thread at a time, in input order.
 */
@FunctionalInterface
public interface StageFunction<I, O> {

    /** Processes {@code item}, handing each result to {@code out}. An exception fails the pipeline. */
    void process(I item, Emitter<O> out) throws Exception;

    /** Called once, after the last item, by the last worker to leave: a place to flush partial state. */
    default void finish(Emitter<O> out) throws Exception {
    }
}
