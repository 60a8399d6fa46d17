package dev.tuner.stage;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * One tunable step of a pipeline: workers of an {@link ElasticWorkerPool} take items from an input,
 * apply a {@link StageFunction}, and put the results into the stage's own output {@link PrefetchBuffer}
 * (absent for a sink). Its two knobs are the pool size (parallelism) and the output buffer's capacity
 * (prefetch); both may change at any time without losing or duplicating an item.
 *
 * <p>Counters (see {@link StageCounters}) separate a worker's time into waiting for input, processing,
 * and waiting for room downstream, which is what the tuner reads through {@link StageMXBean}.
 *
 * <p>Ordering: with parallelism above 1, items may leave in a different order than they came.
 */
public final class Stage<I, O> {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");
    /** How long an idle worker waits for input before it re-checks whether it should leave. */
    private static final long POLL_MILLIS = 50;

    private final String pipeline;
    private final String name;
    private final StageConfig config;
    private final StageInput<I> input;
    private final PrefetchBuffer<O> output;
    private final StageFunction<I, O> function;
    private final StageCounters counters = new StageCounters();
    private final ElasticWorkerPool pool;
    private final Listener listener;
    private volatile boolean finished;

    /**
     * @param output the stage's output buffer, or {@code null} for a sink
     * @param listener told when the stage finished or its function threw (the pipeline decides what follows)
     */
    public Stage(String pipeline, String name, StageConfig config, StageInput<I> input, PrefetchBuffer<O> output,
                 StageFunction<I, O> function, Listener listener) {
        this.pipeline = checkName("pipeline", pipeline);
        this.name = checkName("stage", name);
        this.config = Objects.requireNonNull(config, "config");
        this.input = Objects.requireNonNull(input, "input");
        this.output = output;
        this.function = Objects.requireNonNull(function, "function");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.pool = new ElasticWorkerPool(pipeline + "-" + name, config.daemon(), Worker::new, this::finishOutput,
                (thread, failure) -> listener.failed(failure));
    }

    /** Names go into JMX ObjectNames and thread names, so they are kept to a safe alphabet. */
    static String checkName(String what, String value) {
        if (value == null || !NAME.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " name must match " + NAME.pattern() + ", got: " + value);
        }
        return value;
    }

    /** Starts the workers at the configured parallelism. */
    public void start() {
        pool.resize(config.parallelism());
    }

    /** Stops the workers now (interrupting them); items in flight are abandoned. */
    public void shutdown() {
        pool.shutdown();
    }

    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return pool.awaitTermination(timeout, unit);
    }

    public String pipeline() {
        return pipeline;
    }

    public String name() {
        return name;
    }

    public StageConfig config() {
        return config;
    }

    public StageCounters counters() {
        return counters;
    }

    /** The output buffer, or {@code null} for a sink. */
    public PrefetchBuffer<O> output() {
        return output;
    }

    public int parallelism() {
        return pool.size();
    }

    /** @throws IllegalArgumentException outside [{@code minParallelism}, {@code maxParallelism}] */
    public void setParallelism(int parallelism) {
        if (parallelism < config.minParallelism() || parallelism > config.maxParallelism()) {
            throw new IllegalArgumentException("parallelism of " + pipeline + "/" + name + " must be within ["
                    + config.minParallelism() + ", " + config.maxParallelism() + "], got " + parallelism);
        }
        pool.resize(parallelism);
    }

    /** Capacity of the output buffer, or -1 for a sink. */
    public int prefetch() {
        return output == null ? -1 : output.capacity();
    }

    /** @throws IllegalArgumentException outside the prefetch bounds, or on a sink */
    public void setPrefetch(int prefetch) {
        if (output == null) {
            throw new IllegalArgumentException(pipeline + "/" + name + " is a sink: it has no output buffer");
        }
        if (prefetch < config.minPrefetch() || prefetch > config.maxPrefetch()) {
            throw new IllegalArgumentException("prefetch of " + pipeline + "/" + name + " must be within ["
                    + config.minPrefetch() + ", " + config.maxPrefetch() + "], got " + prefetch);
        }
        output.setCapacity(prefetch);
    }

    /** Items now in the output buffer (0 for a sink). */
    public int buffered() {
        return output == null ? 0 : output.size();
    }

    public long[] workerThreadIds() {
        return pool.workerThreadIds();
    }

    /** True once {@link #shutdown()} was called. */
    public boolean isShutdown() {
        return pool.isShutdown();
    }

    /** True once the input was exhausted and every worker has left. */
    public boolean isFinished() {
        return finished;
    }

    private void finishOutput() {
        try {
            function.finish(new Worker());
        } catch (Throwable t) {
            listener.failed(t);
        } finally {
            if (output != null) {
                output.close();
            }
            finished = true;
            listener.finished();
        }
    }

    /** What a stage tells its pipeline. Called on worker threads; must not block. */
    public interface Listener {
        /** The input is exhausted, every item was processed and the output is closed. */
        void finished();

        /** The stage function threw; the item it was processing is lost. */
        void failed(Throwable failure);
    }

    /** One worker's loop body; it is also that worker's emitter, so output waits are attributed to it. */
    private final class Worker implements ElasticWorkerPool.WorkerBody, Emitter<O> {
        private long outputWaitInItem;

        @Override
        public boolean step() throws Exception {
            long start = System.nanoTime();
            I item = input.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
            long taken = System.nanoTime();
            counters.recordInputWait(taken - start);
            if (item == null) {
                return !input.isFinished();
            }
            outputWaitInItem = 0;
            function.process(item, this);
            counters.recordItem(System.nanoTime() - taken - outputWaitInItem);
            return true;
        }

        @Override
        public void emit(O item) throws InterruptedException {
            if (output == null) {
                throw new UnsupportedOperationException(pipeline + "/" + name + " is a sink: it cannot emit");
            }
            // Wait in slices and record each one, so a worker stuck on a full buffer shows its wait in
            // the counters while it lasts, not only once (if ever) room appears.
            boolean added;
            do {
                long start = System.nanoTime();
                added = output.offer(item, POLL_MILLIS, TimeUnit.MILLISECONDS);
                long waited = System.nanoTime() - start;
                outputWaitInItem += waited;
                counters.recordOutputWait(waited);
            } while (!added);
        }
    }
}
