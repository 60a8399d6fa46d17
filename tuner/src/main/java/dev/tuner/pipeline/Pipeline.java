package dev.tuner.pipeline;

import dev.tuner.stage.IteratorInput;
import dev.tuner.stage.Stage;
import dev.tuner.stage.StageBean;
import dev.tuner.stage.StageInput;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A running chain of {@link Stage}s: source -> stages -> sink (or an output the app takes from).
 * Build one with {@link #from(String, Iterator)}.
 *
 * <p>{@link #start()} publishes every stage as an MXBean under the JMX contract and starts its workers;
 * {@link #close()} stops them and withdraws the beans. If a stage function throws, the pipeline stops
 * and {@link #awaitCompletion} reports the failure.
 *
 * @param <T> the type of the items it outputs ({@code Void} when it ends in a sink)
 */
public final class Pipeline<T> implements AutoCloseable {
    private final String name;
    private final List<Stage<?, ?>> stages;
    private final StageInput<T> output;
    private final boolean publish;
    private final List<Stage<?, ?>> registered = new ArrayList<>();
    private final CountDownLatch done = new CountDownLatch(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean started;

    Pipeline(String name, List<Stage<?, ?>> stages, StageInput<T> output, boolean publish) {
        this.name = name;
        this.stages = List.copyOf(stages);
        this.output = output;
        this.publish = publish;
    }

    /** Starts building a pipeline named {@code name} that reads its items from {@code source}. */
    public static <T> PipelineBuilder<T> from(String name, Iterator<? extends T> source) {
        return new PipelineBuilder<>(name, new IteratorInput<>(source));
    }

    public String name() {
        return name;
    }

    public List<Stage<?, ?>> stages() {
        return stages;
    }

    /** Looks a stage up by name. */
    public Stage<?, ?> stage(String stageName) {
        return stages.stream().filter(s -> s.name().equals(stageName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no stage " + stageName + " in " + name));
    }

    /** The last stage's output buffer; for a pipeline ending in a sink, an input that is always finished. */
    public StageInput<T> output() {
        return output;
    }

    /** Publishes the stages (unless built with {@code publish(false)}) and starts their workers. */
    public synchronized Pipeline<T> start() {
        if (started) {
            throw new IllegalStateException("pipeline " + name + " already started");
        }
        started = true;
        if (publish) {
            try {
                for (Stage<?, ?> stage : stages) {
                    StageBean.register(stage);
                    registered.add(stage);
                }
            } catch (RuntimeException e) {
                // None started: withdraw what was published, or its names stay taken by stages that never run.
                unregisterAll();
                started = false;
                throw e;
            }
        }
        stages.forEach(Stage::start);
        return this;
    }

    /**
     * Waits until every stage has finished (the source is exhausted and everything drained), the
     * pipeline failed, or it was closed.
     *
     * @return true if it finished; false on timeout or when it was closed before finishing
     * @throws ExecutionException wrapping the first exception a stage function threw
     */
    public boolean awaitCompletion(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException {
        done.await(timeout, unit);
        Throwable cause = failure.get();
        if (cause != null) {
            throw new ExecutionException("pipeline " + name + " failed", cause);
        }
        return stages.stream().allMatch(Stage::isFinished);
    }

    /** The first failure of a stage function, or {@code null}. */
    public Throwable failure() {
        return failure.get();
    }

    /** Stops every worker (waiting up to 5 s in all for them to leave) and withdraws the MXBeans. Idempotent. */
    @Override
    public synchronized void close() {
        stages.forEach(Stage::shutdown);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (Stage<?, ?> stage : stages) {
            try {
                stage.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        unregisterAll();
        done.countDown();
    }

    /**
     * The pipeline is done when every stage is. Checking the last stage alone is not enough: a stage closes
     * its output before it marks itself finished, so the stages after it may finish in between.
     */
    void stageFinished() {
        if (stages.stream().allMatch(Stage::isFinished)) {
            done.countDown();
        }
    }

    void fail(Throwable cause) {
        if (failure.compareAndSet(null, cause)) {
            stages.forEach(Stage::shutdown);
            done.countDown();
        }
    }

    private void unregisterAll() {
        registered.forEach(StageBean::unregister);
        registered.clear();
    }
}
