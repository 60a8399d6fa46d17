package dev.tuner.examples.plain;

/**
 * The CPU-heavy step: decodes a block into a summary. {@code passes} rounds of a dependent mix over
 * every value make the cost per block fixed and independent of the JIT's cleverness (each round needs
 * the previous one's result). Thread-safe: it keeps no state.
 */
final class Parser {
    private final int passes;

    Parser(int passes) {
        if (passes < 1) {
            throw new IllegalArgumentException("passes must be >= 1, got " + passes);
        }
        this.passes = passes;
    }

    long parse(long[] block) {
        long h = 0x9E3779B97F4A7C15L;
        for (int p = 0; p < passes; p++) {
            for (long v : block) {
                h = (h ^ v) * 0xBF58476D1CE4E5B9L;
                h ^= h >>> 31;
            }
        }
        return h;
    }
}
