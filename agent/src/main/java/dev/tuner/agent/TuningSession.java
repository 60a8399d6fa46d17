package dev.tuner.agent;

import dev.tuner.agent.config.AgentOptions;
import dev.tuner.agent.log.LogListener;
import dev.tuner.agent.pools.ExecutorPools;
import dev.tuner.agent.pools.ExecutorStageSource;
import dev.tuner.agent.profiler.LockWatch;
import dev.tuner.agent.sampling.AgentCpu;
import dev.tuner.agent.sampling.ProcessSampler;
import dev.tuner.agent.sampling.ThreadSampler;
import dev.tuner.agent.stages.FoundSettings;
import dev.tuner.agent.stages.JmxStageSource;
import dev.tuner.agent.stages.SourceKind;
import dev.tuner.agent.stages.StageReading;
import dev.tuner.agent.stages.StageSource;
import dev.tuner.agent.status.StopReport;
import dev.tuner.engine.Controller;
import dev.tuner.engine.Knob;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.management.MBeanServer;

/**
 * One start of tuning, and the composition root of what it runs: the stage sources (the JMX stages at
 * once, the JDK's pools once their advice is in), the thread and process samplers, the controller, and
 * the loop that drives them every interval, all reporting to the agent's log. {@link #begin} builds and
 * starts it; {@link #stop} ends it for good (a resume builds a new one on the same {@link Shared} parts).
 *
 * <p>Thread safety: {@link #addPools}, {@link #update} and {@link #stop} are called by the agent under its
 * lock; the sources list is read live by the loop's thread.
 */
final class TuningSession {
    /**
     * What every session of one agent shares, built once per agent: its log, its lock watch (what the
     * profiler found, and a library that does not load, outlive a stop), the account of its own CPU, the
     * knobs as first found (what any stop restores), and the MBean server its JMX stages are found in.
     */
    record Shared(LogListener events, LockWatch lockWatch, AgentCpu cpu, FoundSettings found,
                  MBeanServer server) {
    }

    private final Shared shared;
    private final boolean attached;
    private final List<StageSource> sources = new CopyOnWriteArrayList<>();
    private final ThreadSampler threadSampler;
    private final Controller controller;
    private final TuningLoop loop;
    private ExecutorStageSource executorSource;

    private TuningSession(AgentOptions options, boolean attached, Shared shared, Runnable onGiveUp) {
        this.shared = shared;
        this.attached = attached;
        sources.add(new JmxStageSource(shared.server(), shared.events(), shared.found()));
        threadSampler = new ThreadSampler();
        shared.events().workerTimeFrom(threadSampler::activityShares);
        controller = new Controller(options.toSettings(attached), this::apply, shared.events());
        ProcessSampler sampler = new ProcessSampler(threadSampler, System::nanoTime, shared.cpu()::cpuNanos,
                shared.lockWatch()::lockSite);
        loop = new TuningLoop(sources, threadSampler, sampler, controller, shared.events(), shared.lockWatch(),
                shared.cpu(), options.intervalMillis(), onGiveUp);
    }

    /**
     * Builds a session and starts its loop.
     *
     * @param onGiveUp run on the loop's thread when it gives up after repeated failures; it must not wait
     *                 for the loop (a stop does)
     */
    static TuningSession begin(AgentOptions options, boolean attached, Shared shared, Runnable onGiveUp) {
        TuningSession session = new TuningSession(options, attached, shared, onGiveUp);
        session.loop.start();
        return session;
    }

    /** Adds the JDK's pools to the stages this session tunes; the loop reads them from its next interval. */
    void addPools(ExecutorPools pools, AgentOptions options) {
        executorSource = pools.source(shared.events(), shared.events()::warning, options);
        sources.add(executorSource);
    }

    /** Applies updated options: the interval, the engine's settings, and which pools are tuned. */
    void update(AgentOptions merged) {
        if (executorSource != null) {
            executorSource.configure(merged);
        }
        loop.setIntervalMillis(merged.intervalMillis());
        controller.updateSettings(merged.toSettings(attached));
    }

    /**
     * Ends the session: the loop stops (its current interval finishes first) and so do the controller and the
     * lock watch; then every knob the agent changed is set back to what it found, unless {@code keep}.
     *
     * @return the settings before and after, and whether every changed knob was set back
     */
    StopReport stop(boolean keep) {
        halt();
        Map<String, StageReading.KnobSettings> before = settingsNow();
        boolean restored = !keep;
        if (!keep) {
            for (StageSource source : sources) {
                restored &= source.restore();
            }
        }
        StopReport report = new StopReport(Instant.now(), keep, restored, before, settingsNow());
        threadSampler.close();
        return report;
    }

    /** Stops the loop, the lock watch (a recording that ends later would log after the stop) and the controller. */
    private void halt() {
        loop.stop();
        shared.lockWatch().close();
        controller.stop();
    }

    Controller controller() {
        return controller;
    }

    int failures() {
        return loop.failures();
    }

    /** Where each stage the loop read last was found, by stage id. */
    Map<String, SourceKind> stageSources() {
        Map<String, SourceKind> sources = new LinkedHashMap<>();
        loop.lastReadings().forEach(r -> sources.put(r.id(), r.source()));
        return sources;
    }

    /** Knob settings of every stage now; a stage gone since the last interval keeps its last known values. */
    private Map<String, StageReading.KnobSettings> settingsNow() {
        Map<String, StageReading.KnobSettings> now = new LinkedHashMap<>();
        for (StageReading r : loop.lastReadings()) {
            now.put(r.id(), r.knobs());
        }
        for (StageSource source : sources) {
            for (StageReading r : source.read()) {
                now.put(r.id(), r.knobs());
            }
        }
        return now;
    }

    private boolean apply(String stage, Knob knob, int value) {
        for (StageSource source : sources) {
            if (source.apply(stage, knob, value)) {
                return true;
            }
        }
        return false;
    }
}
