package dev.tuner.engine;

/** Applies a decision to the real stage (through JMX in the agent, directly in the simulator). */
@FunctionalInterface
public interface Actuator {
    /**
     * Sets {@code knob} of {@code stage} to {@code value}.
     *
     * @return false if it could not (the stage vanished, its setter threw): the controller forgets the
     *         change, and the caller is expected to have reported why
     */
    boolean apply(String stage, Knob knob, int value);
}
