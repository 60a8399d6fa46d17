package dev.tuner.stage;

import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A pipeline source backed by an {@link Iterator}. Takers are serialised on the iterator, so it need
 * not be thread-safe. Time spent in {@code next()} counts as the first stage's input wait: a slow
 * source shows up as a starved first stage. The poll timeout cannot cut a {@code next()} short.
 */
public final class IteratorInput<T> implements StageInput<T> {
    private final Iterator<? extends T> source;
    private volatile boolean finished;

    public IteratorInput(Iterator<? extends T> source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    @Override
    public synchronized T poll(long timeout, TimeUnit unit) {
        if (finished) {
            return null;
        }
        if (!source.hasNext()) {
            finished = true;
            return null;
        }
        return source.next();
    }

    @Override
    public boolean isFinished() {
        return finished;
    }
}
