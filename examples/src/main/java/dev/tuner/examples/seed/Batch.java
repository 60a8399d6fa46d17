package dev.tuner.examples.seed;

/**
 * A training batch: up to {@link #capacity()} rows of features and labels, filled by the
 * {@link Batcher} and then only read by the trainer. Row {@code r}'s features are
 * {@code features()[r * Featurizer.DIM ..< (r + 1) * Featurizer.DIM]}; rows at or past {@link #size()}
 * are unused.
 *
 * <p>Not thread-safe while being filled; safely published to the trainer through the stage buffer.
 */
final class Batch {
    private final double[] features;
    private final double[] labels;
    private int size;

    Batch(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("batch capacity must be >= 1, got " + capacity);
        }
        this.features = new double[capacity * Featurizer.DIM];
        this.labels = new double[capacity];
    }

    /** Copies {@code count} rows of {@code block} from row {@code from}; they must fit. */
    void append(FeatureBlock block, int from, int count) {
        if (count > remaining()) {
            throw new IllegalArgumentException(count + " rows do not fit in the " + remaining() + " left");
        }
        System.arraycopy(block.features(), from * Featurizer.DIM, features, size * Featurizer.DIM,
                count * Featurizer.DIM);
        System.arraycopy(block.labels(), from, labels, size, count);
        size += count;
    }

    int size() {
        return size;
    }

    int capacity() {
        return labels.length;
    }

    int remaining() {
        return capacity() - size;
    }

    boolean isFull() {
        return size == capacity();
    }

    double[] features() {
        return features;
    }

    double[] labels() {
        return labels;
    }
}
