package dev.tuner.agent.config;

/** A bad agent option; the message is one line that names it and says what is accepted. */
public final class OptionsException extends Exception {
    public OptionsException(String message) {
        super(message);
    }
}
