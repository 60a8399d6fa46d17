package dev.tuner.examples.seed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeedDataTest {

    @Test
    void blocksAreDeterministicAndParseIntoFiniteFeatures() {
        byte[] bytes = SeedData.blockBytes(3);
        assertArrayEquals(bytes, SeedData.blockBytes(3));
        FeatureBlock block = BlockParser.parse(bytes);
        assertEquals(SeedData.RECORDS_PER_BLOCK, block.rows());
        for (double feature : block.features()) {
            assertTrue(Double.isFinite(feature));
        }
        for (double label : block.labels()) {
            assertTrue(label == 0 || label == 1);
        }
    }

    @Test
    void twoProcessesGeneratingAtOnceLeaveCompleteIdenticalFilesAndNoTemporaries(@TempDir Path dir) throws Exception {
        ExecutorService racers = Executors.newFixedThreadPool(2);
        try {
            Future<List<Path>> first = racers.submit(() -> SeedData.ensure(dir));
            Future<List<Path>> second = racers.submit(() -> SeedData.ensure(dir));
            List<Path> blocks = first.get();
            assertEquals(blocks, second.get());
            assertEquals(SeedData.BLOCKS, blocks.size());
            assertArrayEquals(SeedData.blockBytes(SeedData.BLOCKS - 1), Files.readAllBytes(blocks.get(SeedData.BLOCKS - 1)));
        } finally {
            racers.shutdownNow();
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(SeedData.BLOCKS, files.count());
        }
    }

    @Test
    void fixedPointFormattingKeepsFourDecimalsAndTheSign() {
        StringBuilder text = new StringBuilder();
        for (double value : new double[] {0, 1.5, -0.00004, -2.00005, 12.0345, 0.0007}) {
            SeedData.appendFixed4(text, value);
            text.append(' ');
        }
        assertEquals("0.0000 1.5000 0.0000 -2.0001 12.0345 0.0007 ", text.toString());
    }

    @Test
    void aMalformedRecordFailsLoudly() {
        byte[] bad = (SeedSchema.header() + "\n1,0,2.5,oops\n").getBytes(StandardCharsets.UTF_8);
        assertThrows(IllegalArgumentException.class, () -> BlockParser.parse(bad));
    }
}
