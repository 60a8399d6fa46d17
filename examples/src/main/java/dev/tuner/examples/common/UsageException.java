package dev.tuner.examples.common;

/**
 * A bad command line. The message is exactly one line that names the offending flag (or argument)
 * and says what is accepted, so a program can print it to stderr as is and exit with status 2.
 */
public final class UsageException extends Exception {
    public UsageException(String oneLine) {
        super(oneLine);
    }
}
