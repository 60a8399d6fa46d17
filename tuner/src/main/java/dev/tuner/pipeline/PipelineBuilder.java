package dev.tuner.pipeline;

import dev.tuner.stage.Emitter;
import dev.tuner.stage.PrefetchBuffer;
import dev.tuner.stage.Stage;
import dev.tuner.stage.StageConfig;
import dev.tuner.stage.StageFunction;
import dev.tuner.stage.StageInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Builds a {@link Pipeline} one stage at a time; each {@link #stage} feeds on the output buffer of the
 * one before. Not thread-safe; use once.
 *
 * @param <T> the type the pipeline produces so far
 */
public final class PipelineBuilder<T> {
    private final String name;
    private final List<Stage<?, ?>> stages;
    private final StageInput<T> tail;
    private final List<Consumer<Pipeline<?>>> binders;
    private boolean publish = true;

    PipelineBuilder(String name, StageInput<T> source) {
        this(name, new ArrayList<>(), source, new ArrayList<>());
    }

    private PipelineBuilder(String name, List<Stage<?, ?>> stages, StageInput<T> tail,
                            List<Consumer<Pipeline<?>>> binders) {
        this.name = name;
        this.stages = stages;
        this.tail = tail;
        this.binders = binders;
    }

    /** Whether {@link Pipeline#start()} publishes the stages as MXBeans (default true). */
    public PipelineBuilder<T> publish(boolean publish) {
        this.publish = publish;
        return this;
    }

    /** Adds a stage that turns each item into zero or more items of type {@code R}. */
    public <R> PipelineBuilder<R> stage(String stageName, StageConfig config, StageFunction<? super T, R> function) {
        Objects.requireNonNull(function, "function");
        PrefetchBuffer<R> buffer = new PrefetchBuffer<>(config.prefetch());
        StageRelay relay = new StageRelay();
        // Delegate both methods: a method reference to process() alone would drop the function's finish().
        StageFunction<T, R> adapted = new StageFunction<>() {
            @Override
            public void process(T item, Emitter<R> out) throws Exception {
                function.process(item, out);
            }

            @Override
            public void finish(Emitter<R> out) throws Exception {
                function.finish(out);
            }
        };
        Stage<T, R> stage = new Stage<>(name, stageName, config, tail, buffer, adapted, relay);
        stages.add(stage);
        binders.add(relay::bind);
        PipelineBuilder<R> next = new PipelineBuilder<>(name, stages, buffer, binders);
        next.publish = publish;
        return next;
    }

    /** Ends the pipeline in a stage that consumes each item. */
    public Pipeline<Void> sink(String stageName, StageConfig config, ItemConsumer<? super T> consumer) {
        Objects.requireNonNull(consumer, "consumer");
        StageRelay relay = new StageRelay();
        Stage<T, Void> stage = new Stage<>(name, stageName, config, tail, null,
                (item, out) -> consumer.accept(item), relay);
        stages.add(stage);
        binders.add(relay::bind);
        Pipeline<Void> pipeline = new Pipeline<>(name, stages, FINISHED_INPUT(), publish);
        bind(pipeline);
        return pipeline;
    }

    /** Ends the pipeline; the app takes items from {@link Pipeline#output()}. */
    public Pipeline<T> build() {
        if (stages.isEmpty()) {
            throw new IllegalStateException("pipeline " + name + " has no stage");
        }
        Pipeline<T> pipeline = new Pipeline<>(name, stages, tail, publish);
        bind(pipeline);
        return pipeline;
    }

    private void bind(Pipeline<?> pipeline) {
        binders.forEach(binder -> binder.accept(pipeline));
    }

    @SuppressWarnings("unchecked")
    private static <X> StageInput<X> FINISHED_INPUT() {
        return (StageInput<X>) Finished.INSTANCE;
    }

    /** The output of a pipeline that ends in a sink: nothing ever arrives. */
    private enum Finished implements StageInput<Object> {
        INSTANCE;

        @Override
        public Object poll(long timeout, TimeUnit unit) {
            return null;
        }

        @Override
        public boolean isFinished() {
            return true;
        }
    }

    /** Consumes the items at the end of a pipeline. */
    @FunctionalInterface
    public interface ItemConsumer<T> {
        void accept(T item) throws Exception;
    }

    /** Lets a stage created before its pipeline report to it. */
    private static final class StageRelay implements Stage.Listener {
        private volatile Pipeline<?> pipeline;

        void bind(Pipeline<?> pipeline) {
            this.pipeline = pipeline;
        }

        @Override
        public void finished() {
            Pipeline<?> target = pipeline;
            if (target != null) {
                target.stageFinished();
            }
        }

        @Override
        public void failed(Throwable failure) {
            Pipeline<?> target = pipeline;
            if (target != null) {
                target.fail(failure);
            }
        }
    }
}
