package dev.tuner.agent.pools;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * Turning a JDK pool's knob without ever passing through an invalid state: a
 * {@link ThreadPoolExecutor}'s core size may not exceed its maximum, so a raise sets the maximum first
 * and a cut below the current core size sets the core first. A {@link ForkJoinPool}'s parallelism is a
 * knob only where {@code setParallelism} exists (JDK 19+), called reflectively so the agent runs on 17.
 */
final class PoolKnobs {
    private static final Method SET_PARALLELISM = setParallelism();

    private PoolKnobs() {
    }

    /**
     * Sets the core size to {@code parallelism}; the maximum becomes the larger of the one found and the
     * new core size, so a fixed pool stays fixed and a pool that could grow beyond its core still can.
     */
    static void setParallelism(ThreadPoolExecutor pool, int parallelism, int foundMax) {
        setSizes(pool, parallelism, Math.max(foundMax, parallelism));
    }

    /**
     * Sets both sizes, in the order that keeps {@code core <= max} at every step: the maximum first unless
     * it goes below the current core size, then the core.
     *
     * @throws IllegalArgumentException if {@code core < 0}, {@code max < 1} or {@code core > max}
     */
    static void setSizes(ThreadPoolExecutor pool, int core, int max) {
        if (core < 0 || max < 1 || core > max) {
            throw new IllegalArgumentException("core " + core + " and max " + max + " are not pool sizes");
        }
        if (max >= pool.getCorePoolSize()) {
            pool.setMaximumPoolSize(max);
            pool.setCorePoolSize(core);
        } else {
            pool.setCorePoolSize(core);
            pool.setMaximumPoolSize(max);
        }
    }

    /** Whether this JDK can change a ForkJoinPool's parallelism (JDK 19+). */
    static boolean forkJoinResizable() {
        return SET_PARALLELISM != null;
    }

    static void setParallelism(ForkJoinPool pool, int parallelism) {
        if (SET_PARALLELISM == null) {
            throw new UnsupportedOperationException("ForkJoinPool.setParallelism needs JDK 19+");
        }
        try {
            SET_PARALLELISM.invoke(pool, parallelism);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(cause);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Method setParallelism() {
        try {
            return ForkJoinPool.class.getMethod("setParallelism", int.class);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }
}
