package dev.tuner.agent;

import dev.tuner.agent.log.LogListener;
import dev.tuner.agent.profiler.LockWatch;
import dev.tuner.agent.sampling.AgentCpu;
import dev.tuner.agent.sampling.ProcessSampler;
import dev.tuner.agent.sampling.ThreadSampler;
import dev.tuner.agent.stages.StageReading;
import dev.tuner.agent.stages.StageSource;
import dev.tuner.engine.Controller;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's one thread ({@code tuner-control}, a daemon): every interval it reads the stages, takes a
 * snapshot and hands it to the controller; between snapshots it samples lock waits
 * {@value #TICKS_PER_INTERVAL} times. After each snapshot it tells the {@link LockWatch} the diagnosis, which
 * may ask for a lock recording of a lock-bound stage on its own thread (the loop does not wait for it).
 *
 * <p>Containment: every Throwable of an interval is caught, logged once per kind and counted; after
 * {@value #MAX_CONSECUTIVE_FAILURES} failing intervals in a row the loop stops tuning and says so.
 */
final class TuningLoop implements Runnable {
    static final int TICKS_PER_INTERVAL = 10;
    static final int MAX_CONSECUTIVE_FAILURES = 5;
    private static final Logger LOG = LoggerFactory.getLogger(TuningLoop.class);

    private final List<StageSource> sources;
    private final ThreadSampler threadSampler;
    private final ProcessSampler processSampler;
    private final Controller controller;
    private final LogListener log;
    private final LockWatch lockWatch;
    private final AgentCpu agentCpu;
    private final Runnable onGiveUp;
    private volatile long intervalMillis;
    private volatile boolean running = true;
    private volatile Thread thread;
    private volatile List<StageReading> lastReadings = List.of();
    private int consecutiveFailures;
    private int totalFailures;
    private String lastFailureKind;
    private boolean intervalFailed;

    TuningLoop(List<StageSource> sources, ThreadSampler threadSampler, ProcessSampler processSampler,
               Controller controller, LogListener log, LockWatch lockWatch, AgentCpu agentCpu, long intervalMillis,
               Runnable onGiveUp) {
        this.sources = sources; // read live: a source that becomes ready later (the JDK's pools) joins it
        this.threadSampler = threadSampler;
        this.processSampler = processSampler;
        this.controller = controller;
        this.log = log;
        this.lockWatch = lockWatch;
        this.agentCpu = agentCpu;
        this.intervalMillis = intervalMillis;
        this.onGiveUp = onGiveUp;
    }

    void start() {
        Thread t = new Thread(agentCpu.counted(this), "tuner-control"); // its CPU is the agent's
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    void setIntervalMillis(long millis) {
        this.intervalMillis = millis;
    }

    /** Stops the loop and waits for the current interval's work to end. */
    void stop() {
        running = false;
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            t.interrupt();
            try {
                t.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Intervals that failed since this loop started. */
    synchronized int failures() {
        return totalFailures;
    }

    @Override
    public void run() {
        try {
            step();
            while (running) {
                long tick = Math.max(1, intervalMillis / TICKS_PER_INTERVAL);
                for (int i = 0; i < TICKS_PER_INTERVAL && running; i++) {
                    Thread.sleep(tick);
                    guarded(this::tick);
                }
                if (running) {
                    step();
                }
            }
        } catch (InterruptedException e) {
            // stop() interrupts the sleep: leave quietly
        }
    }

    private void tick() {
        threadSampler.tick();
        for (StageSource source : sources) {
            source.tick();
        }
    }

    /**
     * The stages as last read (an immutable list): their settings after the loop stopped, and where each
     * was found, for {@code status}.
     */
    List<StageReading> lastReadings() {
        return lastReadings;
    }

    private void step() {
        guarded(() -> {
            List<StageReading> readings = new ArrayList<>();
            for (StageSource source : sources) {
                readings.addAll(source.read());
            }
            lastReadings = List.copyOf(readings);
            threadSampler.track(readings);
            controller.onSnapshot(processSampler.snapshot(readings));
            lockWatch.afterSample(controller.lastDiagnosis(), readings);
        });
        endInterval();
    }

    /** Runs a tick's or a step's work; a failure marks the interval failed and is logged once per kind. */
    private void guarded(Runnable work) {
        try {
            work.run();
        } catch (Throwable t) {
            String kind = t.getClass().getName() + ": " + t.getMessage();
            boolean fresh;
            synchronized (this) {
                intervalFailed = true;
                fresh = !kind.equals(lastFailureKind);
                lastFailureKind = kind;
            }
            if (fresh) {
                LOG.warn("tuner: an interval failed ({}); the app is unaffected", kind, t);
                log.error("an interval failed: " + kind);
            }
        }
    }

    /**
     * Closes an interval (its ticks and its step): counts it if anything in it failed, and gives up after
     * {@value #MAX_CONSECUTIVE_FAILURES} failed intervals in a row. A tick that works between two failing
     * steps does not make the interval good: the step is what tunes.
     */
    private void endInterval() {
        boolean giveUp;
        synchronized (this) {
            if (intervalFailed) {
                totalFailures++;
                consecutiveFailures++;
            } else {
                consecutiveFailures = 0;
            }
            intervalFailed = false;
            giveUp = consecutiveFailures >= MAX_CONSECUTIVE_FAILURES;
        }
        if (giveUp && running) {
            running = false;
            log.error("stopping tuning after " + MAX_CONSECUTIVE_FAILURES + " failing intervals in a row;"
                    + " the settings it found are restored");
            onGiveUp.run();
        }
    }
}
