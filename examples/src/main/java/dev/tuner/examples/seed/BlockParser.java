package dev.tuner.examples.seed;

import dev.tuner.stage.Emitter;
import dev.tuner.stage.StageFunction;
import java.nio.charset.StandardCharsets;

/**
 * The {@code parse} stage: decodes a block's bytes as UTF-8, splits it into CSV records and turns each
 * into a feature vector ({@link Featurizer}), emitting one {@link FeatureBlock} per block. This is the
 * CPU-heavy stage, the incident's {@code num_parallel_calls}.
 *
 * <p>Lines that start with {@code id,} are headers and are skipped; empty lines are ignored. A record
 * with the wrong number of columns or a non-number where a number belongs fails the pipeline (bad
 * data should be loud). Stateless and thread-safe.
 */
final class BlockParser implements StageFunction<byte[], FeatureBlock> {

    @Override
    public void process(byte[] bytes, Emitter<FeatureBlock> out) throws Exception {
        out.emit(parse(bytes));
    }

    static FeatureBlock parse(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        FeatureBlock block = new FeatureBlock(countRecords(text));
        double[] numeric = new double[SeedSchema.NUMERIC_FIELDS];
        String[] categories = new String[SeedSchema.CATEGORICAL_FIELDS];
        int row = 0;
        for (int start = 0; start < text.length(); ) {
            int end = lineEnd(text, start);
            if (isRecord(text, start, end)) {
                String[] fields = text.substring(start, end).split(",");
                if (fields.length != SeedSchema.COLUMNS) {
                    throw new IllegalArgumentException("record " + (row + 1) + " has " + fields.length
                            + " columns, expected " + SeedSchema.COLUMNS);
                }
                block.labels()[row] = Double.parseDouble(fields[1]);
                for (int f = 0; f < numeric.length; f++) {
                    numeric[f] = Double.parseDouble(fields[2 + f]);
                }
                System.arraycopy(fields, 2 + numeric.length, categories, 0, categories.length);
                Featurizer.featurize(numeric, categories, block.features(), row * Featurizer.DIM);
                row++;
            }
            start = end + 1;
        }
        return block;
    }

    private static int countRecords(String text) {
        int records = 0;
        for (int start = 0; start < text.length(); ) {
            int end = lineEnd(text, start);
            if (isRecord(text, start, end)) {
                records++;
            }
            start = end + 1;
        }
        return records;
    }

    private static int lineEnd(String text, int start) {
        int newline = text.indexOf('\n', start);
        return newline < 0 ? text.length() : newline;
    }

    private static boolean isRecord(String text, int start, int end) {
        return end > start && !text.startsWith("id,", start);
    }
}
