package dev.tuner.examples.lockbound;

import dev.tuner.examples.common.CommandLine;
import dev.tuner.examples.common.UsageException;

/**
 * The lock-bound app's command line.
 *
 * @param seconds how long to run
 * @param threads initial (fixed) size of the {@code ledger} pool
 * @param insideRounds CPU per task under the ledger's monitor
 * @param outsideRounds CPU per task outside it
 * @param help whether {@code --help} was asked for (then nothing else should run)
 */
record LockBoundOptions(int seconds, int threads, int insideRounds, int outsideRounds, boolean help) {

    static final CommandLine COMMAND_LINE = CommandLine.builder("java -jar lock-bound.jar")
            .intFlag("--seconds", 30, 1, Integer.MAX_VALUE, "how long to run")
            .intFlag("--threads", 2, 1, 1024, "threads of the ledger pool")
            .intFlag("--inside", 1_900_000, 0, 100_000_000, "CPU per task inside the ledger's monitor (rounds)")
            .intFlag("--outside", 100_000, 0, 100_000_000, "CPU per task outside it (rounds)")
            .build();

    /** @throws UsageException with a one-line message naming the bad flag and what it accepts */
    static LockBoundOptions parse(String... args) throws UsageException {
        CommandLine.Parsed parsed = COMMAND_LINE.parse(args);
        return new LockBoundOptions(parsed.intValue("--seconds"), parsed.intValue("--threads"),
                parsed.intValue("--inside"), parsed.intValue("--outside"), parsed.helpRequested());
    }
}
