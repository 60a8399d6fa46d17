package dev.tuner.examples.seed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuner.pipeline.Pipeline;
import dev.tuner.stage.StageConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BatcherTest {

    @Test
    void emitsExactlyBatchSizeRecordsPerBatchAcrossBlockBoundariesAndFlushesTheRestOnFinish() throws Exception {
        Batcher batcher = new Batcher(7);
        List<Batch> batches = new ArrayList<>();
        int next = 0;
        for (int rows : new int[] {3, 5, 10, 1, 6}) { // 25 records: 3 full batches of 7, then 4
            batcher.process(block(next, rows), batches::add);
            next += rows;
        }
        assertEquals(List.of(7, 7, 7), sizes(batches));
        batcher.finish(batches::add);
        assertEquals(List.of(7, 7, 7, 4), sizes(batches));
        assertRecordsInOrder(batches, 25);

        batcher.finish(batches::add); // nothing left: no empty batch
        assertEquals(4, batches.size());
    }

    @Test
    void aFullLastBatchLeavesNothingToFlush() throws Exception {
        Batcher batcher = new Batcher(5);
        List<Batch> batches = new ArrayList<>();
        batcher.process(block(0, 10), batches::add);
        batcher.finish(batches::add);
        assertEquals(List.of(5, 5), sizes(batches));
    }

    @Test
    void inTheRealPipelineTheBatchStageFlushesThePartialBatchWhenTheSourceEnds() throws Exception {
        List<FeatureBlock> blocks = List.of(block(0, 500), block(500, 500), block(1000, 500));
        List<Batch> trained = new CopyOnWriteArrayList<>();
        try (Pipeline<Void> pipeline = Pipeline.from("batcher-test", blocks.iterator())
                .publish(false)
                .stage(SeedPipeline.BATCH, StageConfig.single().withPrefetch(2), new Batcher(400))
                .sink(SeedPipeline.TRAIN, StageConfig.single(), trained::add)) {
            pipeline.start();
            assertTrue(pipeline.awaitCompletion(5, TimeUnit.SECONDS), "pipeline did not finish");
        }
        assertEquals(List.of(400, 400, 400, 300), sizes(trained));
        assertRecordsInOrder(trained, 1500);
    }

    /** A block whose labels are the record numbers first..first+rows-1, so order and loss show. */
    private static FeatureBlock block(int first, int rows) {
        FeatureBlock block = new FeatureBlock(rows);
        for (int r = 0; r < rows; r++) {
            block.labels()[r] = first + r;
            block.features()[r * Featurizer.DIM] = first + r;
        }
        return block;
    }

    private static List<Integer> sizes(List<Batch> batches) {
        return batches.stream().map(Batch::size).toList();
    }

    private static void assertRecordsInOrder(List<Batch> batches, int total) {
        int expected = 0;
        for (Batch batch : batches) {
            for (int r = 0; r < batch.size(); r++) {
                assertEquals(expected, batch.labels()[r]);
                assertEquals(expected, batch.features()[r * Featurizer.DIM]);
                expected++;
            }
        }
        assertEquals(total, expected);
    }
}
