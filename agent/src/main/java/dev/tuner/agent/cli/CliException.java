package dev.tuner.agent.cli;

/**
 * Why a command ended without doing its job, as one line a person can act on, and the exit status that
 * goes with it: {@link #USAGE} (2, the command line itself is wrong: the usage text follows the line)
 * or {@link #FAILURE} (1, anything else).
 */
final class CliException extends Exception {
    static final int FAILURE = 1;
    static final int USAGE = 2;

    private final int status;

    private CliException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The command line is wrong: exit 2, and the usage text is printed after the line. */
    static CliException usage(String message) {
        return new CliException(USAGE, message, null);
    }

    /** Anything else went wrong: exit 1. */
    static CliException failure(String message) {
        return new CliException(FAILURE, message, null);
    }

    static CliException failure(String message, Throwable cause) {
        return new CliException(FAILURE, message, cause);
    }

    int status() {
        return status;
    }
}
