package dev.tuner.stage;

import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A pipeline source backed by an {@link Iterator}. Takers are serialised on the iterator, so it need
 * not be thread-safe. Time spent in {@code next()} counts as the first stage's input wait: a slow
 * source shows up as a starved first stage. A taker waits at most its timeout for its turn, so workers
 * behind a slow {@code next()} can still leave when the stage shrinks; the one inside {@code next()}
 * returns when it does.
 */
public final class IteratorInput<T> implements StageInput<T> {
    private final Iterator<? extends T> source;
    private final ReentrantLock turn = new ReentrantLock();
    private volatile boolean finished;

    public IteratorInput(Iterator<? extends T> source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    @Override
    public T poll(long timeout, TimeUnit unit) throws InterruptedException {
        if (finished || !turn.tryLock(timeout, unit)) {
            return null;
        }
        try {
            if (finished) {
                return null;
            }
            if (!source.hasNext()) {
                finished = true;
                return null;
            }
            return source.next();
        } finally {
            turn.unlock();
        }
    }

    @Override
    public boolean isFinished() {
        return finished;
    }
}
