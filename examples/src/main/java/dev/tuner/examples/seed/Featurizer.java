package dev.tuner.examples.seed;

/**
 * Turns one parsed record into a feature vector of {@link #DIM} doubles: the CPU-heavy part of the
 * {@code parse} stage, as feature engineering is in real input pipelines.
 *
 * <p>The vector is the 24 numeric fields normalised (log first for log-normal ones, then z-scored and
 * clipped), followed by {@link #HASH_BUCKETS} hashed buckets (the hashing trick) that receive the
 * categorical values and the pairwise feature crosses {@code tanh(z_i * z_j)} of the numeric fields.
 *
 * <p>Calibration: the cost per record is set by {@link #CROSSED_FIELDS}, the number of leading numeric
 * fields whose pairs are crossed (each cross costs one {@code tanh}, which JDK 17 does not intrinsify):
 * it makes parsing about two thirds of the pipeline's CPU per record, so that more parse threads, not
 * just more readers, are what the job needs once the reads are parallel.
 *
 * <p>Stateless and thread-safe.
 */
final class Featurizer {
    static final int HASH_BUCKETS = 8;
    static final int DIM = SeedSchema.NUMERIC_FIELDS + HASH_BUCKETS;
    /** The calibrated amount of work per record (see the class comment): 210 crosses, ~15 us per record. */
    static final int CROSSED_FIELDS = 21;
    private static final double CLIP = 5.0;
    private static final int PAIRS = CROSSED_FIELDS * (CROSSED_FIELDS - 1) / 2;
    /** About PAIRS / HASH_BUCKETS crosses land in a bucket; this keeps the sums near unit scale. */
    private static final double CROSS_WEIGHT = 1.0 / Math.sqrt((double) PAIRS / HASH_BUCKETS);
    /** The bucket of each pair, fixed up front so hashing the pairs costs nothing per record. */
    private static final int[] CROSS_BUCKETS = crossBuckets();

    private Featurizer() {
    }

    /**
     * Writes the features of one record into {@code out[offset ..< offset + DIM]}, which must be zeros.
     *
     * @param numeric the {@link SeedSchema#NUMERIC_FIELDS} raw numeric values
     * @param categories the {@link SeedSchema#CATEGORICAL_FIELDS} categorical values
     */
    static void featurize(double[] numeric, String[] categories, double[] out, int offset) {
        int n = SeedSchema.NUMERIC_FIELDS;
        for (int f = 0; f < n; f++) {
            double x = SeedSchema.isLogNormal(f) ? Math.log(Math.max(numeric[f], 1e-9)) : numeric[f];
            double z = (x - SeedSchema.mean(f)) / SeedSchema.scale(f);
            out[offset + f] = Math.max(-CLIP, Math.min(CLIP, z));
        }
        int buckets = offset + n;
        for (int c = 0; c < categories.length; c++) {
            out[buckets + bucket(categories[c].hashCode() * 31 + c)] += 1.0;
        }
        int k = 0;
        for (int i = 0; i < CROSSED_FIELDS; i++) {
            double zi = out[offset + i];
            for (int j = i + 1; j < CROSSED_FIELDS; j++) {
                out[buckets + CROSS_BUCKETS[k++]] += Math.tanh(zi * out[offset + j]) * CROSS_WEIGHT;
            }
        }
    }

    private static int[] crossBuckets() {
        int[] table = new int[PAIRS];
        int k = 0;
        for (int i = 0; i < CROSSED_FIELDS; i++) {
            for (int j = i + 1; j < CROSSED_FIELDS; j++) {
                table[k++] = bucket(i * 1_000 + j);
            }
        }
        return table;
    }

    /** A well-mixed bucket for any int (a murmur3 finaliser), so similar keys spread out. */
    private static int bucket(int key) {
        int h = key;
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        h *= 0xC2B2AE35;
        h ^= h >>> 16;
        return Math.floorMod(h, HASH_BUCKETS);
    }
}
