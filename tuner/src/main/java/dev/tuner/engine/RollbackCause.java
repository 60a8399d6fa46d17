package dev.tuner.engine;

/** Why a round's raises on a pipeline were rolled back. */
public enum RollbackCause {
    /** Throughput did not rise by what the round had to buy. */
    NO_GAIN("no-gain"),
    /** It paid, but the experiment took utilization over the band: the step is too coarse. */
    OVERSHOT("overshot");

    private final String wireName;

    RollbackCause(String wireName) {
        this.wireName = wireName;
    }

    /** The name the log's {@code rollback} event gives it ({@code cause}). */
    public String wireName() {
        return wireName;
    }
}
