package dev.tuner.agent.pools;

import dev.tuner.agent.config.AgentOptions;
import dev.tuner.agent.pools.boot.PoolRegistry;
import dev.tuner.agent.stages.FoundSettings;
import dev.tuner.agent.stages.StageReading;
import dev.tuner.agent.stages.SourceKind;
import dev.tuner.agent.stages.StageSource;
import dev.tuner.engine.Knob;
import dev.tuner.engine.StageSnapshot;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.function.Consumer;

/**
 * The app's plain JDK pools as stages (source {@code executor}), found by the advice in
 * {@link PoolRegistry} without a line of app code. A pool is listed once one of its workers has been
 * seen (its name comes from the worker's thread name, see {@link PoolNames}), unless it is the JDK's or
 * the agent's ({@link PoolOrigin}) or {@code pools=} leaves it out.
 *
 * <p>Per pool: items are completed tasks ({@code ForkJoinPool}: tasks stolen, its nearest count of
 * top-level tasks run); busy time is worker time outside the pool's wait for work ({@code getTask()},
 * {@code awaitWork()}), input wait the time inside it. Waits for other queues inside a task are the
 * thread sampler's to find (they become input or output wait, not busy). Knobs:
 * <ul>
 *   <li>{@link ThreadPoolExecutor} with a queue to hold work: parallelism is the core size, 1 to
 *       {@code max-threads}; see {@link PoolKnobs} for the order of changes. A stop restores core and
 *       maximum sizes exactly as found.</li>
 *   <li>{@link ScheduledThreadPoolExecutor}, and a pool that hands work over without a queue (a cached
 *       pool's {@link SynchronousQueue}): observed, not resized (min = max = current).</li>
 *   <li>{@link ForkJoinPool}: observed; its parallelism is a knob on JDK 19+.</li>
 * </ul>
 * No JDK queue can be resized, so no pool has a prefetch knob (-1). Tunable pools are one pipeline,
 * {@value #PIPELINE}: they feed each other through queues, so the model scales them together; a pool
 * that can only be observed is a pipeline of its own.
 *
 * <p>A pool whose setter throws is reported once and dropped. Thread-safe like the JMX source.
 */
public final class ExecutorStageSource implements StageSource {
    public static final String PIPELINE = "executors";

    private final ExecutorPools pools;
    private final StageEvents events;
    private final Consumer<String> warnings;
    private final FoundSettings found;
    private final Map<String, PoolView> listed = new LinkedHashMap<>();
    private volatile PoolFilter filter = PoolFilter.ALL;
    private volatile int maxThreads = AgentOptions.defaults().maxThreads();
    private long failuresReported;

    ExecutorStageSource(ExecutorPools pools, StageEvents events, Consumer<String> warnings) {
        this.pools = pools;
        this.events = events;
        this.warnings = warnings;
        this.found = pools.found();
    }

    /** Takes {@code pools=} and {@code max-threads} from the options (a second attach may change them). */
    public void configure(AgentOptions options) {
        this.filter = PoolFilter.of(options.pools());
        this.maxThreads = options.maxThreads();
    }

    @Override
    public synchronized List<StageReading> read() {
        reportFailures();
        long now = System.nanoTime();
        List<StageReading> readings = new ArrayList<>();
        Set<String> present = new HashSet<>();
        Map<String, String> gone = new LinkedHashMap<>();
        for (PoolRegistry.Pool pool : PoolRegistry.pools()) {
            Object executor = pool.executor.get();
            if (executor == null || pool.ignored) {
                continue;
            }
            PoolView view = pools.view(pool);
            if (view.name == null && !name(view, executor)) {
                continue;
            }
            if (view.dropped || !filter.accepts(view.name)) {
                continue;
            }
            if (executor instanceof ExecutorService service && service.isTerminated()) {
                gone.put(view.name, "the pool was shut down");
                continue;
            }
            StageReading reading;
            try {
                reading = readOne(view, executor, now);
            } catch (RuntimeException e) {
                drop(view, "reading it failed: " + e);
                continue;
            }
            readings.add(reading);
            present.add(view.name);
            if (!listed.containsKey(view.name)) {
                listed.put(view.name, view);
                found.firstSeen(reading);
                if (executor instanceof ThreadPoolExecutor tpe) {
                    pools.firstSeenMax(view.name, tpe.getMaximumPoolSize());
                }
                events.discovered(reading);
            }
        }
        for (String id : new ArrayList<>(listed.keySet())) {
            if (!present.contains(id)) {
                PoolView view = listed.remove(id);
                String why = gone.getOrDefault(id, view.dropped ? null
                        : view.pool.executor.get() == null ? "the app let go of the pool"
                        : "pools=" + filter + " leaves it out");
                if (why != null) {
                    events.lost(id, SourceKind.EXECUTOR, why);
                }
            }
        }
        return readings;
    }

    /** Names a pool once a worker was seen, after telling whose it is. @return false if it is not listed */
    private boolean name(PoolView view, Object executor) {
        List<PoolRegistry.Worker> workers = view.pool.workers(System.nanoTime());
        if (workers.isEmpty()) {
            return false; // named from a worker: wait for the first
        }
        Thread first = workers.get(0).thread;
        PoolOrigin origin;
        try {
            origin = executor == ForkJoinPool.commonPool() ? PoolOrigin.JDK // its factory is the public default
                    : PoolOrigin.of(view.pool.creator, view.pool.createdByJdk, executor.getClass(),
                    factoryClass(executor), first.getClass());
        } catch (RuntimeException e) {
            origin = PoolOrigin.JDK; // cannot tell: leave it alone
        }
        if (origin != PoolOrigin.APP) {
            view.pool.ignore(); // its workers stop timing themselves
            return false;
        }
        view.name = pools.assignName(first.getName());
        return true;
    }

    private static Class<?> factoryClass(Object executor) {
        Object factory = null;
        if (executor instanceof ThreadPoolExecutor tpe) {
            ThreadFactory f = tpe.getThreadFactory();
            factory = f;
        } else if (executor instanceof ForkJoinPool fjp) {
            factory = fjp.getFactory();
        }
        return factory == null ? null : factory.getClass();
    }

    private StageReading readOne(PoolView view, Object executor, long now) {
        PoolView.Time time = view.time(now);
        int parallelism;
        int min;
        int max;
        long items;
        long queued;
        boolean tunable = tunable(executor);
        if (executor instanceof ThreadPoolExecutor tpe) {
            parallelism = tunable ? tpe.getCorePoolSize() : Math.max(tpe.getCorePoolSize(), tpe.getPoolSize());
            items = tpe.getCompletedTaskCount();
            queued = tpe.getQueue().size();
        } else {
            ForkJoinPool fjp = (ForkJoinPool) executor;
            parallelism = fjp.getParallelism();
            items = fjp.getStealCount();
            queued = fjp.getQueuedSubmissionCount() + fjp.getQueuedTaskCount();
        }
        if (tunable) {
            min = 1;
            max = Math.max(parallelism, maxThreads);
        } else {
            min = parallelism;
            max = parallelism;
        }
        return new StageReading(view.name, tunable ? PIPELINE : view.name, SourceKind.EXECUTOR, parallelism, min, max, -1, -1, -1,
                items, time.busyNanos(), time.waitedNanos(), 0, (int) Math.min(Integer.MAX_VALUE, queued),
                time.threadIds(), StageSnapshot.Occupancy.NONE);
    }

    /** Whether the agent may set this pool's parallelism. */
    static boolean tunable(Object executor) {
        if (executor instanceof ScheduledThreadPoolExecutor) {
            return false;
        }
        if (executor instanceof ThreadPoolExecutor tpe) {
            return tpe.getCorePoolSize() >= 1 && !(tpe.getQueue() instanceof SynchronousQueue);
        }
        if (executor instanceof ForkJoinPool fjp) {
            return PoolKnobs.forkJoinResizable() && fjp != ForkJoinPool.commonPool();
        }
        return false;
    }

    @Override
    public synchronized boolean apply(String stageId, Knob knob, int value) {
        PoolView view = listed.get(stageId);
        if (view == null || knob != Knob.PARALLELISM) {
            return false;
        }
        Object executor = view.pool.executor.get();
        if (executor == null || !tunable(executor)) {
            return false;
        }
        try {
            if (executor instanceof ThreadPoolExecutor tpe) {
                int foundMax = pools.foundMax(stageId);
                PoolKnobs.setParallelism(tpe, value, foundMax < 0 ? tpe.getMaximumPoolSize() : foundMax);
            } else {
                PoolKnobs.setParallelism((ForkJoinPool) executor, value);
            }
            found.changed(stageId);
            return true;
        } catch (RuntimeException e) {
            drop(view, "setting its parallelism to " + value + " failed: " + e);
            return false;
        }
    }

    @Override
    public synchronized boolean restore() {
        return found.restoreEach((id, original) -> {
            PoolView view = viewOf(id);
            Object executor = view == null ? null : view.pool.executor.get();
            if (executor == null) {
                return true; // gone with the app's pool: nothing left to set back
            }
            try {
                if (executor instanceof ThreadPoolExecutor tpe) {
                    int max = pools.foundMax(id);
                    PoolKnobs.setSizes(tpe, original.parallelism(), max < 0 ? tpe.getMaximumPoolSize() : max);
                } else {
                    PoolKnobs.setParallelism((ForkJoinPool) executor, original.parallelism());
                }
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        });
    }

    /** A listed pool, or one listed before (dropped or filtered out since) that may still need restoring. */
    private PoolView viewOf(String id) {
        PoolView view = listed.get(id);
        if (view != null) {
            return view;
        }
        for (PoolRegistry.Pool pool : PoolRegistry.pools()) {
            PoolView v = pools.view(pool);
            if (id.equals(v.name)) {
                return v;
            }
        }
        return null;
    }

    private void drop(PoolView view, String why) {
        if (!view.dropped) {
            view.dropped = true;
            listed.remove(view.name);
            events.dropped(view.name, SourceKind.EXECUTOR, why);
        }
    }

    /** Failures inside the advice are counted there; the log hears of them once, with the first. */
    private void reportFailures() {
        long failures = pools.failures();
        if (failures > 0 && failuresReported == 0) {
            warnings.accept("the pool instrumentation failed " + failures + " time(s), first: " + pools.firstFailure()
                    + "; the app is unaffected (the advice swallows its failures) but pool counters may be off");
        }
        failuresReported = failures;
    }
}
