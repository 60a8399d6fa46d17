package dev.tuner.examples.seed;

/**
 * The feature vectors and labels of one parsed block: row {@code r}'s features are
 * {@code features[r * Featurizer.DIM ..< (r + 1) * Featurizer.DIM]}. One flat array per block instead
 * of one object per record keeps the garbage per record low, as real input pipelines do.
 *
 * <p>Written by one parse worker, then handed downstream through a buffer and only read.
 */
final class FeatureBlock {
    private final double[] features;
    private final double[] labels;

    FeatureBlock(int rows) {
        this.features = new double[rows * Featurizer.DIM];
        this.labels = new double[rows];
    }

    int rows() {
        return labels.length;
    }

    double[] features() {
        return features;
    }

    double[] labels() {
        return labels;
    }
}
