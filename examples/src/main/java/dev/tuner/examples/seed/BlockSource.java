package dev.tuner.examples.seed;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The pipeline's source: the block files of the table, in order, epoch after epoch, without end (a
 * training job reads its table many times; the run is stopped by the clock, not by the data).
 *
 * <p>Not thread-safe; the pipeline serialises takers on its source.
 */
final class BlockSource implements Iterator<Path> {
    private final List<Path> blocks;
    private long next;

    /** @param blocks the table's blocks, at least one */
    BlockSource(List<Path> blocks) {
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("a table needs at least one block");
        }
        this.blocks = List.copyOf(blocks);
    }

    /** Always true: the source cycles. */
    @Override
    public boolean hasNext() {
        return true;
    }

    @Override
    public Path next() {
        if (next == Long.MAX_VALUE) {
            throw new NoSuchElementException("no more epochs");
        }
        return blocks.get((int) (next++ % blocks.size()));
    }
}
