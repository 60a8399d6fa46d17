package dev.tuner.stage;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Bounded waits for tests. The timeouts are a safety net against hangs on a slow machine, never a
 * measurement: a test waits for a condition, and only its failure to ever hold fails the test.
 */
public final class Await {
    /** Generous on purpose: CI shares two cores with other work. */
    public static final long SAFETY_SECONDS = 10;

    private Await() {
    }

    /** Waits until {@code condition} holds; fails with {@code what} if it has not within the safety net. */
    public static void until(String what, BooleanSupplier condition) {
        until(what, condition, () -> "");
    }

    /** Like {@link #until(String, BooleanSupplier)}, adding {@code state} to the failure message. */
    public static void until(String what, BooleanSupplier condition, Supplier<String> state) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SAFETY_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out (" + SAFETY_SECONDS + " s safety net) waiting until " + what + " " + state.get());
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting until " + what);
            }
        }
    }

    /** Awaits {@code latch}; fails if it does not open within the safety net. */
    public static void latch(String what, CountDownLatch latch) {
        try {
            if (!latch.await(SAFETY_SECONDS, TimeUnit.SECONDS)) {
                fail("timed out (" + SAFETY_SECONDS + " s safety net) waiting for " + what
                        + " (count left " + latch.getCount() + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted waiting for " + what);
        }
    }

    /** Waits until {@code thread} is parked (WAITING or TIMED_WAITING), i.e. blocked inside a wait. */
    public static void parked(String what, Thread thread) {
        until(what + " (thread " + thread.getName() + " parked)", () -> {
            Thread.State s = thread.getState();
            return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING;
        }, () -> "state=" + thread.getState());
    }

    /** Joins {@code thread}; fails if it is still alive after the safety net. */
    public static void joined(String what, Thread thread) {
        try {
            thread.join(TimeUnit.SECONDS.toMillis(SAFETY_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted joining " + what);
        }
        if (thread.isAlive()) {
            fail("timed out (" + SAFETY_SECONDS + " s safety net) waiting for " + what + " to end; state="
                    + thread.getState());
        }
    }
}
