package dev.tuner.examples.seed;

import dev.tuner.examples.common.CommandLine;
import dev.tuner.examples.common.UsageException;
import java.nio.file.Path;

/**
 * The seed pipeline's command line. The defaults are the incident's: one reader, one parse thread,
 * two batches of prefetch. Knob flags are bounded by the bounds their stages publish, so anything the
 * command line accepts, the pipeline can start with.
 *
 * @param seconds how long to run
 * @param numParallelReads initial parallelism of {@code read}
 * @param numParallelCalls initial parallelism of {@code parse}
 * @param prefetch initial output buffer of {@code batch}, in batches
 * @param readLatencyMillis simulated storage latency per block
 * @param batchSize records per batch
 * @param dataDir where the table's block files live (generated if missing)
 * @param help whether {@code --help} was asked for (then nothing else should run)
 */
record SeedOptions(int seconds, int numParallelReads, int numParallelCalls, int prefetch, int readLatencyMillis,
                   int batchSize, Path dataDir, boolean help) {

    static final int MAX_READS = 128;
    static final int MAX_CALLS = 256;
    static final int MAX_PREFETCH = 4096;

    static final CommandLine COMMAND_LINE = CommandLine.builder("java -jar seed-pipeline.jar")
            .intFlag("--seconds", 30, 1, Integer.MAX_VALUE, "how long to run")
            .intFlag("--num-parallel-reads", 1, 1, MAX_READS, "reader threads (parallelism of stage read)")
            .intFlag("--num-parallel-calls", 1, 1, MAX_CALLS, "parse threads (parallelism of stage parse)")
            .intFlag("--prefetch", 2, 1, MAX_PREFETCH, "batches buffered ahead of the trainer")
            // 0 is allowed here (unlike the knobs): it turns the simulated remote storage into local disk.
            .intFlag("--read-latency-ms", 30, 0, 60_000, "simulated storage latency per block read")
            .intFlag("--batch-size", 2000, 1, 1_000_000, "records per training batch")
            .stringFlag("--data-dir", "PATH", "seed-data", "where the table is, generated on first run")
            .build();

    /** @throws UsageException with a one-line message naming the bad flag and what it accepts */
    static SeedOptions parse(String... args) throws UsageException {
        CommandLine.Parsed parsed = COMMAND_LINE.parse(args);
        return new SeedOptions(parsed.intValue("--seconds"), parsed.intValue("--num-parallel-reads"),
                parsed.intValue("--num-parallel-calls"), parsed.intValue("--prefetch"),
                parsed.intValue("--read-latency-ms"), parsed.intValue("--batch-size"),
                Path.of(parsed.stringValue("--data-dir")), parsed.helpRequested());
    }
}
