package dev.tuner.examples.plain;

import dev.tuner.examples.common.CommandLine;
import dev.tuner.examples.common.UsageException;

/**
 * The plain-executors app's command line. The defaults are the misconfiguration to be found: one reader
 * thread against a 20 ms store, one parse thread.
 *
 * @param seconds how long to run
 * @param readers initial (fixed) size of the {@code etl-read} pool
 * @param parsers initial (fixed) size of the {@code etl-parse} pool
 * @param readLatencyMillis round trip per block to the store
 * @param parsePasses CPU per block (rounds over its values)
 * @param help whether {@code --help} was asked for (then nothing else should run)
 */
record PlainOptions(int seconds, int readers, int parsers, int readLatencyMillis, int parsePasses, boolean help) {

    static final CommandLine COMMAND_LINE = CommandLine.builder("java -jar plain-executors.jar")
            .intFlag("--seconds", 30, 1, Integer.MAX_VALUE, "how long to run")
            .intFlag("--readers", 1, 1, 1024, "threads of the etl-read pool")
            .intFlag("--parsers", 1, 1, 1024, "threads of the etl-parse pool")
            .intFlag("--read-latency-ms", 20, 0, 60_000, "round trip per block to the remote store")
            .intFlag("--parse-passes", 400, 1, 1_000_000, "CPU per block: rounds over its 2048 values")
            .build();

    /** @throws UsageException with a one-line message naming the bad flag and what it accepts */
    static PlainOptions parse(String... args) throws UsageException {
        CommandLine.Parsed parsed = COMMAND_LINE.parse(args);
        return new PlainOptions(parsed.intValue("--seconds"), parsed.intValue("--readers"),
                parsed.intValue("--parsers"), parsed.intValue("--read-latency-ms"), parsed.intValue("--parse-passes"),
                parsed.helpRequested());
    }
}
