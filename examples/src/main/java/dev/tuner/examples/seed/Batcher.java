package dev.tuner.examples.seed;

import dev.tuner.stage.Emitter;
import dev.tuner.stage.StageFunction;

/**
 * The {@code batch} stage: regroups the records of parsed blocks into batches of exactly
 * {@code batchSize} records (a block may be split across two batches), emitting each batch as soon as
 * it is full; {@link #finish} emits the last, partial batch if it holds any record. Its output buffer
 * holds whole batches: its prefetch is the incident's {@code prefetch_size}.
 *
 * <p>Stateful, so not thread-safe: run it on exactly one worker ({@code StageConfig.single()}).
 */
final class Batcher implements StageFunction<FeatureBlock, Batch> {
    private final int batchSize;
    private Batch current;

    Batcher(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        this.batchSize = batchSize;
    }

    @Override
    public void process(FeatureBlock block, Emitter<Batch> out) throws InterruptedException {
        int row = 0;
        while (row < block.rows()) {
            if (current == null) {
                current = new Batch(batchSize);
            }
            int count = Math.min(block.rows() - row, current.remaining());
            current.append(block, row, count);
            row += count;
            if (current.isFull()) {
                Batch full = current;
                current = null;
                out.emit(full);
            }
        }
    }

    @Override
    public void finish(Emitter<Batch> out) throws InterruptedException {
        if (current != null && current.size() > 0) {
            Batch partial = current;
            current = null;
            out.emit(partial);
        }
    }
}
