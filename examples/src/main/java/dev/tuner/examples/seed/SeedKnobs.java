package dev.tuner.examples.seed;

import dev.tuner.pipeline.Pipeline;
import dev.tuner.stage.Stage;

/**
 * The seed pipeline's knobs as they are right now, read from its {@link Stage}s (which an agent may be
 * changing through JMX), in the incident's terms:
 * {@code read=1 parse=1 prefetch=2 (read.prefetch=16 parse.prefetch=16)}, where {@code read} is
 * num_parallel_reads, {@code parse} num_parallel_calls and {@code prefetch} the batches buffered
 * ahead of the trainer. Cheap and non-blocking enough to call every second.
 */
final class SeedKnobs {
    private final Stage<?, ?> read;
    private final Stage<?, ?> parse;
    private final Stage<?, ?> batch;

    SeedKnobs(Pipeline<?> pipeline) {
        this.read = pipeline.stage(SeedPipeline.READ);
        this.parse = pipeline.stage(SeedPipeline.PARSE);
        this.batch = pipeline.stage(SeedPipeline.BATCH);
    }

    String describe() {
        return "read=" + read.parallelism() + " parse=" + parse.parallelism() + " prefetch=" + batch.prefetch()
                + " (read.prefetch=" + read.prefetch() + " parse.prefetch=" + parse.prefetch() + ")";
    }
}
