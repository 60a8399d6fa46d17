package dev.tuner.agent.profiler;

import java.util.Locale;

/**
 * A lock that workers waited for, where they asked for it, and how much of their lock wait it took.
 *
 * @param lockClass the class of the monitor object or of the {@code java.util.concurrent} lock
 * @param frame     the first frame outside the JDK's lock machinery: where the app takes it, e.g.
 *                  {@code com.acme.Ledger.post}; {@code null} if the stack had no such frame
 * @param waitNanos wait recorded on it in the window (sampled: a lower bound)
 * @param share     its part of the recorded wait of the threads it is attributed to, in [0, 1]
 */
public record LockSite(String lockClass, String frame, long waitNanos, double share) {

    /** {@code monitor} for a {@code synchronized} object, {@code lock} for a java.util.concurrent lock. */
    public String kind() {
        return lockClass.startsWith("java.util.concurrent.locks.") ? "lock" : "monitor";
    }

    /** As a person reads it: {@code com.acme.Ledger (monitor) at com.acme.Ledger.post}. */
    public String describe() {
        return lockClass + " (" + kind() + ")" + (frame == null ? "" : " at " + frame);
    }

    /** {@link #describe()} with its share and where it comes from, for a limit's message. */
    public String describe(String source) {
        return describe() + " [" + source + ": " + Math.round(share * 100) + "% of the lock wait]";
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
}
