package dev.tuner.examples.seed;

import java.util.Arrays;
import java.util.Random;

/**
 * The model the trainer fits: a small multilayer perceptron ({@link Featurizer#DIM} inputs, one ReLU
 * hidden layer of {@link #HIDDEN} units, one sigmoid output) with logistic loss, trained by synchronous
 * mini-batch SGD. Its dense dot products are the trainer's CPU work per record.
 *
 * <p>Thread safety: {@link #accumulate} only reads the weights and may run on many threads at once,
 * each with its own {@link Gradient}; {@link #apply} writes them and must not overlap any
 * {@code accumulate} (the trainer waits for every chunk before applying).
 */
final class Model {
    /** Calibrated so the trainer's compute is about a quarter of the pipeline's CPU per record (~6 us). */
    static final int HIDDEN = 96;
    private static final int IN = Featurizer.DIM + 1; // + bias input
    private static final double LEARNING_RATE = 0.05;

    /** Hidden weights, row h = weights of unit h over the inputs, bias last. */
    private final double[] hiddenWeights = new double[HIDDEN * IN];
    /** Output weights over the hidden units, bias last. */
    private final double[] outputWeights = new double[HIDDEN + 1];

    /** Small deterministic random weights, so runs are comparable. */
    Model(long seed) {
        Random random = new Random(seed);
        double range = 1 / Math.sqrt(IN);
        for (int i = 0; i < hiddenWeights.length; i++) {
            hiddenWeights[i] = (random.nextDouble() * 2 - 1) * range;
        }
        for (int i = 0; i < outputWeights.length; i++) {
            outputWeights[i] = (random.nextDouble() * 2 - 1) / Math.sqrt(HIDDEN);
        }
    }

    /** Adds the loss gradient of rows {@code [from, to)} of {@code batch} to {@code gradient}. */
    void accumulate(Batch batch, int from, int to, Gradient gradient) {
        double[] x = batch.features();
        double[] hidden = new double[HIDDEN];
        for (int r = from; r < to; r++) {
            int row = r * Featurizer.DIM;
            double out = outputWeights[HIDDEN];
            for (int h = 0; h < HIDDEN; h++) {
                int w = h * IN;
                double sum = hiddenWeights[w + Featurizer.DIM];
                for (int d = 0; d < Featurizer.DIM; d++) {
                    sum += hiddenWeights[w + d] * x[row + d];
                }
                hidden[h] = sum > 0 ? sum : 0;
                out += outputWeights[h] * hidden[h];
            }
            double error = 1 / (1 + Math.exp(-out)) - batch.labels()[r]; // d(logloss)/d(out)
            gradient.rows++;
            for (int h = 0; h < HIDDEN; h++) {
                gradient.output[h] += error * hidden[h];
                if (hidden[h] > 0) {
                    double delta = error * outputWeights[h];
                    int w = h * IN;
                    for (int d = 0; d < Featurizer.DIM; d++) {
                        gradient.hidden[w + d] += delta * x[row + d];
                    }
                    gradient.hidden[w + Featurizer.DIM] += delta;
                }
            }
            gradient.output[HIDDEN] += error;
        }
    }

    /** One SGD step with the average of the given gradients over all their rows. */
    void apply(Gradient[] gradients, int count) {
        long rows = 0;
        for (int g = 0; g < count; g++) {
            rows += gradients[g].rows;
        }
        if (rows == 0) {
            return;
        }
        double step = LEARNING_RATE / rows;
        for (int g = 0; g < count; g++) {
            subtract(hiddenWeights, gradients[g].hidden, step);
            subtract(outputWeights, gradients[g].output, step);
        }
    }

    private static void subtract(double[] weights, double[] gradient, double step) {
        for (int i = 0; i < weights.length; i++) {
            weights[i] -= step * gradient[i];
        }
    }

    /** A gradient of the model's weights summed over some rows; reused across batches via {@link #clear}. */
    static final class Gradient {
        final double[] hidden = new double[HIDDEN * IN];
        final double[] output = new double[HIDDEN + 1];
        long rows;

        void clear() {
            Arrays.fill(hidden, 0);
            Arrays.fill(output, 0);
            rows = 0;
        }
    }
}
