package dev.tuner.examples.seed;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The seed pipeline's "remote table": {@link #BLOCKS} block files of {@link #RECORDS_PER_BLOCK} CSV
 * records each, generated on first use under a data directory.
 *
 * <p>Contract of {@link #ensure(Path)}:
 * <ul>
 *   <li>Deterministic: block {@code i} has the same bytes on every machine and every run (its own
 *       {@link Random} seeded from a fixed seed and {@code i}).</li>
 *   <li>Safe when several processes start at once: a block is written under a temporary name and
 *       renamed into place atomically, so a reader never sees a partial file; two processes racing on
 *       the same block write identical bytes, so whichever rename lands last changes nothing.</li>
 *   <li>Fast: the whole table (about 6 MB) is written in well under a second.</li>
 * </ul>
 * The file names carry a format version, so a change to the generator cannot mix with old files.
 */
final class SeedData {
    public static final int BLOCKS = 64;
    public static final int RECORDS_PER_BLOCK = 500;
    private static final long SEED = 0x5EED_DA7AL;
    private static final String FORMAT_VERSION = "v1";

    private SeedData() {
    }

    /**
     * Makes sure every block file exists under {@code dataDir} (creating the directory and any missing
     * block) and returns their paths in block order.
     */
    public static List<Path> ensure(Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        List<Path> blocks = new ArrayList<>(BLOCKS);
        for (int i = 0; i < BLOCKS; i++) {
            Path block = dataDir.resolve(String.format("block-%s-%05d.csv", FORMAT_VERSION, i));
            if (!Files.isRegularFile(block)) {
                writeAtomically(block, blockBytes(i));
            }
            blocks.add(block);
        }
        return blocks;
    }

    /** The contents of block {@code index}: the header line, then {@link #RECORDS_PER_BLOCK} records. */
    public static byte[] blockBytes(int index) {
        Random random = new Random(SEED * 31 + index);
        StringBuilder text = new StringBuilder(RECORDS_PER_BLOCK * 256);
        text.append(SeedSchema.header()).append('\n');
        double[] z = new double[SeedSchema.NUMERIC_FIELDS];
        for (int r = 0; r < RECORDS_PER_BLOCK; r++) {
            long id = (long) index * RECORDS_PER_BLOCK + r;
            int[] categories = new int[SeedSchema.CATEGORICAL_FIELDS];
            for (int c = 0; c < categories.length; c++) {
                categories[c] = random.nextInt(SeedSchema.cardinality(c));
            }
            for (int f = 0; f < z.length; f++) {
                z[f] = random.nextGaussian();
            }
            text.append(id).append(',').append(label(z, categories, random) ? '1' : '0');
            for (int f = 0; f < z.length; f++) {
                double value = SeedSchema.mean(f) + SeedSchema.scale(f) * z[f];
                text.append(',');
                appendFixed4(text, SeedSchema.isLogNormal(f) ? Math.exp(value) : value);
            }
            for (int c = 0; c < categories.length; c++) {
                text.append(',').append(SeedSchema.categoryValue(c, categories[c]));
            }
            text.append('\n');
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A label a model can learn: a noisy logistic function of a few fields and of the region. */
    private static boolean label(double[] z, int[] categories, Random random) {
        double score = 1.2 * z[0] - 0.8 * z[5] + 0.6 * z[3] * z[10] + (categories[0] % 3 - 1) * 0.7;
        return random.nextDouble() < 1 / (1 + Math.exp(-score));
    }

    /** Appends {@code value} with exactly four decimals; much faster than String.format for 800k numbers. */
    static void appendFixed4(StringBuilder text, double value) {
        long scaled = Math.round(Math.abs(value) * 10_000);
        if (value < 0 && scaled != 0) {
            text.append('-');
        }
        text.append(scaled / 10_000).append('.');
        long fraction = scaled % 10_000;
        for (long digit = 1000; digit > 1 && fraction < digit; digit /= 10) {
            text.append('0');
        }
        text.append(fraction);
    }

    private static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path temp = Files.createTempFile(target.getParent(), target.getFileName() + ".", ".tmp");
        try {
            Files.write(temp, bytes);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                // Same directory, so only exotic file systems get here; a plain replace is the best they offer.
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
