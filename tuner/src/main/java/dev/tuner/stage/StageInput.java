package dev.tuner.stage;

import java.util.concurrent.TimeUnit;

/**
 * Where a stage's workers take their items from: the previous stage's {@link PrefetchBuffer} or the
 * pipeline's source.
 *
 * <p>Implementations are safe for any number of concurrent takers.
 */
public interface StageInput<T> {

    /**
     * Waits up to {@code timeout} for the next item.
     *
     * @return the item, or {@code null} when none arrived in time or the input is {@link #isFinished() finished}
     */
    T poll(long timeout, TimeUnit unit) throws InterruptedException;

    /** True once no item will ever arrive again: the producer closed the input and it is drained. */
    boolean isFinished();
}
