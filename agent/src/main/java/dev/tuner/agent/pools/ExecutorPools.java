package dev.tuner.agent.pools;

import dev.tuner.agent.config.AgentOptions;
import dev.tuner.agent.pools.boot.PoolRegistry;
import dev.tuner.agent.stages.FoundSettings;
import dev.tuner.agent.stages.StageSource;
import java.lang.instrument.Instrumentation;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The agent's hold on the JDK's pools, for its whole life: the instrumentation (installed once), the
 * names given to pools, and the sizes found on each before anything was changed. A stop and a resume
 * build a new {@link ExecutorStageSource} on it, so names stay stable and a stop after a resume still
 * restores the sizes found before the first change. Thread-safe.
 */
public final class ExecutorPools {
    private final PoolInstrumentation instrumentation;
    private final PoolNames names = new PoolNames();
    private final Map<PoolRegistry.Pool, PoolView> views = new WeakHashMap<>();
    private final FoundSettings found = new FoundSettings();
    private final Map<String, Integer> foundMax = new ConcurrentHashMap<>();

    /** @param instrumentation the installed advice; {@code null} in tests that play the advice themselves */
    ExecutorPools(PoolInstrumentation instrumentation) {
        this.instrumentation = instrumentation;
    }

    /**
     * Instruments the JDK's pools.
     *
     * @throws Exception if they cannot be instrumented; the app is untouched and the agent goes on with
     *                   JMX stages only
     */
    public static ExecutorPools install(Instrumentation inst) throws Exception {
        return new ExecutorPools(PoolInstrumentation.install(inst));
    }

    /** A stage source over these pools, for one tuning session. */
    public ExecutorStageSource source(StageSource.StageEvents events, Consumer<String> warnings, AgentOptions options) {
        ExecutorStageSource source = new ExecutorStageSource(this, events, warnings);
        source.configure(options);
        return source;
    }

    synchronized PoolView view(PoolRegistry.Pool pool) {
        return views.computeIfAbsent(pool, PoolView::new);
    }

    synchronized String assignName(String threadName) {
        return names.assign(threadName);
    }

    FoundSettings found() {
        return found;
    }

    /** The maximum pool size found on a stage when first seen, or -1. */
    int foundMax(String stageId) {
        return foundMax.getOrDefault(stageId, -1);
    }

    void firstSeenMax(String stageId, int max) {
        foundMax.putIfAbsent(stageId, max);
    }

    /** Failures inside advice (counted in the registry) and in transforming the JDK's classes. */
    long failures() {
        return PoolRegistry.failures() + (instrumentation == null ? 0 : instrumentation.failures());
    }

    Throwable firstFailure() {
        Throwable t = PoolRegistry.firstFailure();
        return t != null || instrumentation == null ? t : instrumentation.firstFailure();
    }
}
