package dev.tuner.examples.seed;

/**
 * The layout of the seed pipeline's "remote table": what each CSV record holds, and the per-field
 * statistics that the data generator draws from and the parser normalises with (in a real job these
 * would come from a feature store's metadata).
 *
 * <p>A record is {@code id,label,f0..f23,region,device,merchant}: a long id, a 0/1 label, 24 numeric
 * fields written with four decimals, and three categorical strings. Every fourth numeric field is
 * log-normal (think amounts or durations); the others are normal.
 */
final class SeedSchema {
    public static final int NUMERIC_FIELDS = 24;
    public static final int CATEGORICAL_FIELDS = 3;
    /** id, label, the numeric fields, the categorical fields. */
    public static final int COLUMNS = 2 + NUMERIC_FIELDS + CATEGORICAL_FIELDS;
    private static final String[] CATEGORICAL_NAMES = {"region", "device", "merchant"};
    /** How many distinct values each categorical field takes. */
    private static final int[] CATEGORICAL_CARDINALITY = {12, 40, 1000};
    /** The vocabularies, built once: formatting them per record would dominate data generation. */
    private static final String[][] CATEGORY_VALUES = vocabularies();

    private SeedSchema() {
    }

    /** The first line of every block file. */
    public static String header() {
        StringBuilder header = new StringBuilder("id,label");
        for (int i = 0; i < NUMERIC_FIELDS; i++) {
            header.append(",f").append(i);
        }
        for (String name : CATEGORICAL_NAMES) {
            header.append(',').append(name);
        }
        return header.toString();
    }

    /** Log-normal fields are normalised in log space. */
    public static boolean isLogNormal(int field) {
        return field % 4 == 3;
    }

    /** Mean of the field (of its logarithm for a log-normal field). */
    public static double mean(int field) {
        return isLogNormal(field) ? 2.0 + (field % 3) : (field % 5) * 12.5 - 20.0;
    }

    /** Standard deviation of the field (of its logarithm for a log-normal field). */
    public static double scale(int field) {
        return isLogNormal(field) ? 0.75 : 1.0 + (field % 7) * 3.0;
    }

    /** How many distinct values categorical field {@code field} takes. */
    static int cardinality(int field) {
        return CATEGORICAL_CARDINALITY[field];
    }

    /** The {@code index}-th value of categorical field {@code field}, e.g. {@code device-17}. */
    public static String categoryValue(int field, int index) {
        return CATEGORY_VALUES[field][index];
    }

    private static String[][] vocabularies() {
        String[][] values = new String[CATEGORICAL_FIELDS][];
        for (int field = 0; field < CATEGORICAL_FIELDS; field++) {
            values[field] = new String[CATEGORICAL_CARDINALITY[field]];
            for (int index = 0; index < values[field].length; index++) {
                values[field][index] = CATEGORICAL_NAMES[field] + "-" + index;
            }
        }
        return values;
    }
}
