package dev.tuner.examples.seed;

import dev.tuner.stage.Emitter;
import dev.tuner.stage.StageFunction;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code read} stage: fetches one block's raw bytes from the "remote table".
 *
 * <p>The files are local (and soon in the page cache), so a fixed sleep per block stands for the
 * round trip to remote storage. That latency, not CPU, is what one reader is limited by, and what
 * more readers hide: the incident's {@code num_parallel_reads}. Thread-safe: it keeps no state.
 */
final class BlockReader implements StageFunction<Path, byte[]> {
    private final long latencyMillis;

    /** @param latencyMillis simulated storage latency per block, 0 for none */
    BlockReader(long latencyMillis) {
        if (latencyMillis < 0) {
            throw new IllegalArgumentException("latency must be >= 0, got " + latencyMillis);
        }
        this.latencyMillis = latencyMillis;
    }

    @Override
    public void process(Path block, Emitter<byte[]> out) throws Exception {
        if (latencyMillis > 0) {
            Thread.sleep(latencyMillis);
        }
        out.emit(Files.readAllBytes(block));
    }
}
