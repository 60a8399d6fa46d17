package dev.tuner.agent.pools;

import dev.tuner.agent.pools.boot.PoolRegistry;
import net.bytebuddy.asm.Advice;

/**
 * The advice inlined into the JDK's pools. It runs on the app's threads inside {@code java.base}, so it
 * calls only {@link PoolRegistry} (on the bootstrap class path) and can never throw into the app
 * ({@code suppress = Throwable.class}; the registry catches and counts its own failures as well).
 */
final class PoolAdvice {
    private PoolAdvice() {
    }

    /** On every constructor of {@code ThreadPoolExecutor} and {@code ForkJoinPool}: the pool exists. */
    static final class Created {
        private Created() {
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object pool) {
            PoolRegistry.created(pool);
        }
    }

    /**
     * On {@code ThreadPoolExecutor.getTask()}: a worker waits for its next task (time inside is the
     * pool's input wait; time outside is busy); no task back means the worker leaves the pool.
     */
    static final class TaskWait {
        private TaskWait() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static PoolRegistry.Worker enter(@Advice.This Object pool) {
            return PoolRegistry.waitBegins(pool);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter PoolRegistry.Worker worker, @Advice.Return Runnable task,
                         @Advice.Thrown Throwable thrown) {
            PoolRegistry.waitEnds(worker, task == null && thrown == null);
        }
    }

    /** On {@code ForkJoinPool.awaitWork(..)}: a worker found nothing to run or steal and waits. */
    static final class ForkJoinWait {
        private ForkJoinWait() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static PoolRegistry.Worker enter(@Advice.This Object pool) {
            return PoolRegistry.waitBegins(pool);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter PoolRegistry.Worker worker) {
            PoolRegistry.waitEnds(worker, false);
        }
    }
}
