package dev.tuner.stage;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded FIFO buffer between two stages whose capacity can change while producers and consumers
 * run: the "prefetch" knob.
 *
 * <p>Contract:
 * <ul>
 *   <li>Items leave in the order they entered; none is lost or duplicated by a capacity change.
 *       Shrinking below the current size drops nothing: producers simply wait until consumers have
 *       brought the size below the new capacity.</li>
 *   <li>{@link #close()} marks the end of input; consumers then drain what is left and
 *       {@link #isFinished()} turns true. A {@link #put} after close is a programming error.</li>
 *   <li>All methods are thread-safe. The buffer holds one lock, like {@code ArrayBlockingQueue}; stage
 *       counters are not updated here, so the lock is never held across user code.</li>
 * </ul>
 */
public final class PrefetchBuffer<T> implements StageInput<T> {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private final ArrayDeque<T> items = new ArrayDeque<>();
    private int capacity;
    private boolean closed;

    /** @param capacity the initial capacity, at least 1 */
    public PrefetchBuffer(int capacity) {
        this.capacity = checkCapacity(capacity);
    }

    private static int checkCapacity(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("prefetch capacity must be >= 1, got " + capacity);
        }
        return capacity;
    }

    /**
     * Adds {@code item}, waiting while the buffer is at or over capacity.
     *
     * @throws IllegalStateException if the buffer was closed
     */
    public void put(T item) throws InterruptedException {
        Objects.requireNonNull(item, "item");
        lock.lockInterruptibly();
        try {
            while (items.size() >= capacity && !closed) {
                notFull.await();
            }
            if (closed) {
                throw new IllegalStateException("put after close");
            }
            items.addLast(item);
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Adds {@code item} if room appears within {@code timeout}: lets a caller wait in slices and account
     * for the time as it passes, rather than only once a long wait ends.
     *
     * @return false if the buffer was still at or over capacity when the timeout ran out (nothing added)
     * @throws IllegalStateException if the buffer was closed
     */
    public boolean offer(T item, long timeout, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(item, "item");
        long nanos = unit.toNanos(timeout);
        lock.lockInterruptibly();
        try {
            while (items.size() >= capacity && !closed) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = notFull.awaitNanos(nanos);
            }
            if (closed) {
                throw new IllegalStateException("offer after close");
            }
            items.addLast(item);
            notEmpty.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public T poll(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lockInterruptibly();
        try {
            while (items.isEmpty()) {
                if (closed || nanos <= 0) {
                    return null;
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            T item = items.pollFirst();
            if (items.size() < capacity) {
                notFull.signal();
            }
            if (!items.isEmpty()) {
                // Another consumer may be waiting; a put signals only one.
                notEmpty.signal();
            }
            return item;
        } finally {
            lock.unlock();
        }
    }

    /** Waits for the next item; {@code null} means the buffer is closed and drained. */
    public T take() throws InterruptedException {
        T item;
        do {
            item = poll(1, TimeUnit.SECONDS);
        } while (item == null && !isFinished());
        return item;
    }

    /** Changes the capacity; takes effect for waiting producers at once. */
    public void setCapacity(int newCapacity) {
        checkCapacity(newCapacity);
        lock.lock();
        try {
            capacity = newCapacity;
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public int capacity() {
        lock.lock();
        try {
            return capacity;
        } finally {
            lock.unlock();
        }
    }

    /** Items now buffered (may exceed capacity right after a shrink). */
    public int size() {
        lock.lock();
        try {
            return items.size();
        } finally {
            lock.unlock();
        }
    }

    /** Marks the end of input; waiting producers and consumers are woken. Idempotent. */
    public void close() {
        lock.lock();
        try {
            closed = true;
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isFinished() {
        lock.lock();
        try {
            return closed && items.isEmpty();
        } finally {
            lock.unlock();
        }
    }
}
