package dev.tuner.stage;

/** Hands a stage's results downstream; waits while the output buffer is full. */
@FunctionalInterface
public interface Emitter<O> {
    void emit(O item) throws InterruptedException;
}
