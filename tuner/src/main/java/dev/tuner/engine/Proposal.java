package dev.tuner.engine;

/**
 * A knob change a policy proposes, before the controller numbers it into a {@link Decision}.
 *
 * @param expected the stage's throughput the model expects afterwards, items/s
 */
record Proposal(String stage, Knob knob, int from, int to, String reason, double expected) {
    Decision toDecision(int round) {
        return new Decision(round, stage, knob, from, to, reason, expected);
    }
}
