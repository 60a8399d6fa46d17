package dev.tuner.examples.common;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Names a pool's threads {@code <prefix>-1}, {@code <prefix>-2}, ... as most code bases do, so
 * {@code top -H}, a thread dump and a tuner all show which pool a thread works for.
 */
public final class NamedThreads implements ThreadFactory {
    private final String prefix;
    private final AtomicInteger next = new AtomicInteger(1);

    public NamedThreads(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public Thread newThread(Runnable r) {
        Thread t = new Thread(r, prefix + "-" + next.getAndIncrement());
        t.setDaemon(true);
        return t;
    }
}
