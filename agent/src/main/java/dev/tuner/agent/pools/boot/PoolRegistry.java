package dev.tuner.agent.pools.boot;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one class the agent puts on the bootstrap class path: advice inlined into
 * {@code java.util.concurrent.ThreadPoolExecutor} and {@code ForkJoinPool} can only see bootstrap
 * classes, so what the advice calls lives here, and uses nothing but {@code java.base}. It records which
 * pools exist (weakly: a pool the app drops is collected) and, per worker thread, how long it waited for
 * work in the pool's own queue. The agent reads these from its own thread and does everything else.
 *
 * <p>Entry points for advice: {@link #created} (a pool's constructor returned), {@link #waitBegins} and
 * {@link #waitEnds} (a worker enters and leaves {@code getTask()} / {@code awaitWork()}). None of them
 * ever throws: a failure is counted ({@link #failures()}) and the first one kept ({@link #firstFailure()}),
 * and the app's thread goes on. The hot path (a worker between two tasks) is a thread-local lookup, two
 * {@code nanoTime} calls and a few writes to fields only that worker writes.
 *
 * <p>Thread safety: the pool list is guarded by its own lock, taken only when a pool or a worker is
 * first seen; a worker's counters are written by its thread alone and read consistently through
 * {@link Worker#read}.
 */
public final class PoolRegistry {
    /** Not waiting (a {@code nanoTime} can be any long, so the sentinel is one it is practically never). */
    public static final long NONE = Long.MIN_VALUE;

    private static final List<Pool> POOLS = new ArrayList<>();
    private static final ThreadLocal<Worker> WORKER = new ThreadLocal<>();
    private static final AtomicLong FAILURES = new AtomicLong();
    private static volatile Throwable firstFailure;

    private PoolRegistry() {
    }

    /** Advice on a pool's constructors: remembers it and the code that created it. */
    public static void created(Object executor) {
        try {
            Pool pool = poolOf(executor);
            if (pool.creator == null) {
                Class<?> creator = creatorOf(executor);
                pool.creator = creator == null ? "" : creator.getName();
                ClassLoader loader = creator == null ? null : creator.getClassLoader();
                pool.createdByJdk = creator != null
                        && (loader == null || loader == ClassLoader.getPlatformClassLoader());
                if (pool.createdByJdk || pool.creator.startsWith("dev.tuner.agent.")) {
                    pool.ignored = true; // the JDK's own pools and the agent's are never touched
                }
            }
        } catch (Throwable t) {
            failed(t);
        }
    }

    /**
     * Advice on entering the pool's wait for work, on the worker's thread. The first time a thread
     * passes here it becomes the pool's worker (so pools created before the agent arrived are found
     * too, the first time one of their workers finishes a task).
     *
     * @return the worker, to hand to {@link #waitEnds}; {@code null} when the pool is not watched
     */
    public static Worker waitBegins(Object executor) {
        try {
            Worker w = WORKER.get();
            if (w == null || w.pool.executor.get() != executor) {
                w = register(executor);
            }
            if (w.pool.ignored) {
                return null;
            }
            // One field changes, paired with an unchanged total: a reader sees either the wait not begun or
            // begun, both consistent, so no seqlock bump (two volatile writes per task) is needed here.
            w.waitingSince = System.nanoTime();
            return w;
        } catch (Throwable t) {
            failed(t);
            return null;
        }
    }

    /**
     * Advice on leaving the wait for work.
     *
     * @param leaving true when the worker leaves the pool (getTask returned no task)
     */
    public static void waitEnds(Worker w, boolean leaving) {
        if (w == null) {
            return;
        }
        try {
            long now = System.nanoTime();
            long since = w.waitingSince;
            w.seq++;
            if (since != NONE) {
                w.waited += now - since;
                w.waitingSince = NONE;
            }
            if (leaving) {
                w.end = now;
            }
            w.seq++;
        } catch (Throwable t) {
            failed(t);
        }
    }

    /** Every pool known now, oldest first; pools the app dropped are forgotten. */
    public static List<Pool> pools() {
        synchronized (POOLS) {
            forgetCollected();
            return new ArrayList<>(POOLS);
        }
    }

    /** Failures inside advice since the agent arrived. */
    public static long failures() {
        return FAILURES.get();
    }

    /** The first failure inside advice, or {@code null}. */
    public static Throwable firstFailure() {
        return firstFailure;
    }

    private static void failed(Throwable t) {
        if (FAILURES.getAndIncrement() == 0) {
            firstFailure = t;
        }
    }

    private static Worker register(Object executor) {
        Pool pool = poolOf(executor);
        long now = System.nanoTime();
        Worker w = new Worker(Thread.currentThread(), pool, now);
        if (!pool.ignored) {
            synchronized (pool.workers) {
                pool.prune(now); // workers come and go: fold those gone in, keep no dead thread
                pool.workers.add(w);
            }
        }
        WORKER.set(w);
        return w;
    }

    private static Pool poolOf(Object executor) {
        synchronized (POOLS) {
            for (Pool p : POOLS) {
                if (p.executor.get() == executor) {
                    return p;
                }
            }
            forgetCollected();
            Pool pool = new Pool(executor);
            POOLS.add(pool);
            return pool;
        }
    }

    /** Drops pools the app no longer holds; caller holds the {@code POOLS} lock. */
    private static void forgetCollected() {
        for (int i = POOLS.size() - 1; i >= 0; i--) {
            if (POOLS.get(i).executor.get() == null) {
                POOLS.remove(i);
            }
        }
    }

    /**
     * The first frame below the pool's constructors (its own class and superclasses), the JDK's
     * {@code Executors} factories and this class: the code that asked for the pool.
     */
    private static Class<?> creatorOf(Object executor) {
        Class<?> type = executor.getClass();
        return StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).walk(frames -> frames
                .filter(f -> f.getDeclaringClass() != PoolRegistry.class)
                .filter(f -> !(f.getMethodName().equals("<init>") && f.getDeclaringClass().isAssignableFrom(type)))
                .filter(f -> !f.getClassName().startsWith("java.util.concurrent.Executors"))
                .map(StackWalker.StackFrame::getDeclaringClass)
                .findFirst().orElse(null));
    }

    /** A pool as the registry knows it. */
    public static final class Pool {
        public final WeakReference<Object> executor;
        /** Class name of the code that created it; {@code null} if it was created before the agent arrived. */
        public volatile String creator;
        /** True when a JDK class (bootstrap or platform loader) created it. */
        public volatile boolean createdByJdk;
        /** Set for pools the agent never touches: its workers skip the timing. */
        public volatile boolean ignored;
        /** Its live workers seen so far; guarded by itself. */
        final List<Worker> workers = new ArrayList<>();
        /** Waited and alive nanoseconds of workers that left; guarded by {@code workers}. */
        private long retiredWaited;
        private long retiredAlive;

        Pool(Object executor) {
            this.executor = new WeakReference<>(executor);
        }

        /** A copy of its live workers (those that left are folded into the totals first). */
        public List<Worker> workers(long now) {
            synchronized (workers) {
                prune(now);
                return new ArrayList<>(workers);
            }
        }

        /**
         * Waited ({@code out[0]}) and alive ({@code out[1]}) nanoseconds of every worker that left the
         * pool; call after {@link #workers(long)} for totals consistent with the workers it returned.
         */
        public void retired(long[] out) {
            synchronized (workers) {
                out[0] = retiredWaited;
                out[1] = retiredAlive;
            }
        }

        /** Stops watching: the pool is the JDK's or the agent's. Its workers skip the timing from now on. */
        public void ignore() {
            ignored = true;
            synchronized (workers) {
                workers.clear();
            }
        }

        /** Folds workers that left (or whose thread died) into the totals; caller holds the lock. */
        void prune(long now) {
            long[] t = new long[3];
            for (int i = workers.size() - 1; i >= 0; i--) {
                Worker w = workers.get(i);
                if (w.end != NONE || !w.thread.isAlive()) {
                    w.read(now, t);
                    retiredWaited += t[0];
                    retiredAlive += t[1];
                    workers.remove(i);
                }
            }
        }
    }

    /** One worker thread's time in the pool: written by its thread, read by the agent. */
    public static final class Worker {
        public final Thread thread;
        public final Pool pool;
        /** When it was first seen. */
        public final long start;
        volatile int seq;
        volatile long waited;
        volatile long waitingSince = NONE;
        volatile long end = NONE;

        Worker(Thread thread, Pool pool, long start) {
            this.thread = thread;
            this.pool = pool;
            this.start = start;
        }

        /**
         * Its totals at {@code now}, consistent with each other: {@code out[0]} nanoseconds waited for work
         * (the wait in progress included), {@code out[1]} nanoseconds alive in the pool since first seen,
         * {@code out[2]} 1 if it left the pool, else 0.
         */
        public void read(long now, long[] out) {
            for (int attempt = 0; ; attempt++) {
                int before = seq;
                long total = waited;
                long since = waitingSince;
                long left = end;
                if ((before & 1) == 0 && before == seq || attempt > 100) {
                    long until = left != NONE ? left : now;
                    out[0] = total + (since != NONE && left == NONE ? Math.max(0, until - since) : 0);
                    out[1] = Math.max(0, until - start);
                    out[2] = left != NONE ? 1 : 0;
                    return;
                }
                Thread.onSpinWait();
            }
        }
    }
}
