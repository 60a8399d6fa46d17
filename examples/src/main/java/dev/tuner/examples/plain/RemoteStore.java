package dev.tuner.examples.plain;

import java.util.SplittableRandom;

/**
 * A block store across the network: every fetch waits a fixed round trip, then hands back the block's
 * values (generated: only the latency matters). That wait, not CPU, is what one reader thread is limited
 * by and what more readers hide. Thread-safe.
 */
final class RemoteStore {
    static final int VALUES_PER_BLOCK = 2048;
    private final long latencyMillis;

    /** @param latencyMillis round trip per block, 0 for a local store */
    RemoteStore(long latencyMillis) {
        if (latencyMillis < 0) {
            throw new IllegalArgumentException("latency must be >= 0, got " + latencyMillis);
        }
        this.latencyMillis = latencyMillis;
    }

    long[] fetch(long blockId) throws InterruptedException {
        if (latencyMillis > 0) {
            Thread.sleep(latencyMillis);
        }
        SplittableRandom random = new SplittableRandom(blockId);
        long[] values = new long[VALUES_PER_BLOCK];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextLong();
        }
        return values;
    }
}
