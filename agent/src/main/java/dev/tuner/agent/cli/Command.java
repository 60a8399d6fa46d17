package dev.tuner.agent.cli;

import java.io.PrintStream;
import java.util.List;

/** One word of the command line ({@code list}, {@code attach}, ...). */
interface Command {
    String name();

    /** Its arguments, as the usage text shows them, e.g. {@code <pid> [--json]}. */
    String arguments();

    /** What it does, in a few words, for the usage text. */
    String summary();

    /**
     * Runs it; what it shows goes to {@code out}, notes to {@code err}.
     *
     * @return the exit status when it ran (0, or 1 after it printed what went wrong)
     * @throws CliException when it cannot do its job: one line, then exit 1 (or 2 with the usage text)
     */
    int run(List<String> args, PrintStream out, PrintStream err) throws CliException;
}
