package dev.tuner.engine;

import java.util.Locale;
import java.util.Objects;

/**
 * A lock that workers waited for, where they asked for it, and how much of their lock wait it took: a typed
 * fact, carried in a stage's snapshot, rendered by {@link #describe()} where it is shown.
 *
 * @param lockClass the class of the monitor object or of the {@code java.util.concurrent} lock
 * @param frame     the first frame outside the JDK's lock machinery ({@link #isMachinery}): where the app
 *                  takes it, e.g. {@code com.acme.Ledger.post}; {@code null} if the stack had no such frame
 * @param waitNanos wait recorded on it (sampled: a lower bound)
 * @param share     its part of the recorded wait of the threads it is attributed to, in [0, 1]
 * @param foundBy   what saw it: thread dumps (biased to safepoints) or a lock profile
 */
public record LockSite(String lockClass, String frame, long waitNanos, double share, FoundBy foundBy) {
    /** What saw a lock site. */
    public enum FoundBy {
        THREAD_DUMPS("thread dumps"), PROFILER("async-profiler");

        private final String label;

        FoundBy(String label) {
            this.label = label;
        }

        /** How a person reads it. */
        public String label() {
            return label;
        }
    }

    public LockSite {
        Objects.requireNonNull(lockClass, "lockClass");
        Objects.requireNonNull(foundBy, "foundBy");
    }

    /** {@code monitor} for a {@code synchronized} object, {@code lock} for a java.util.concurrent lock. */
    public String kind() {
        return lockClass.startsWith("java.util.concurrent.locks.") ? "lock" : "monitor";
    }

    /** As a person reads it: {@code com.acme.Ledger (monitor) at com.acme.Ledger.post}. */
    public String describe() {
        return lockClass + " (" + kind() + ")" + (frame == null ? "" : " at " + frame);
    }

    /**
     * {@link #describe()}, and for a profiled site its share of the lock wait and what found it: a limit's
     * message says how sure it is. A site from thread dumps stands alone (its share is of samples, not time).
     */
    public String describeWithEvidence() {
        return foundBy == FoundBy.PROFILER
                ? describe() + " [" + foundBy.label() + ": " + Math.round(share * 100) + "% of the lock wait]"
                : describe();
    }

    /** The lock's class without a java.util.concurrent lock's inner sync class ({@code ReentrantLock$NonfairSync}). */
    public static String lockClassOf(String leaf) {
        if (leaf.startsWith("java.util.concurrent.locks.")) {
            int dollar = leaf.indexOf('$');
            String inner = dollar < 0 ? "" : leaf.substring(dollar + 1).toLowerCase(Locale.ROOT);
            if (inner.endsWith("sync")) {
                return leaf.substring(0, dollar);
            }
        }
        return leaf;
    }

    /**
     * A frame ({@code class.method}, with or without a source position) of the JDK's lock machinery, or a
     * profiler's pseudo frame: not where the app takes the lock. The one filter for thread dumps and profiles.
     */
    public static boolean isMachinery(String frame) {
        return frame.startsWith("java.util.concurrent.locks.") || frame.startsWith("jdk.internal.misc.")
                || frame.startsWith("sun.misc.Unsafe.") || frame.startsWith("java.lang.Object.wait")
                || frame.startsWith("[");
    }
}
