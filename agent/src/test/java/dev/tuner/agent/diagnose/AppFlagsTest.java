package dev.tuner.agent.diagnose;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AppFlagsTest {
    private static final Map<String, Map<String, Integer>> SEED = Map.of(
            "seed/read", Map.of("parallelism", 8),
            "seed/parse", Map.of("parallelism", 2),
            "seed/batch", Map.of("prefetch", 64));

    @Test
    void aNumericFlagWhoseNameHoldsAStagesNameIsThatStagesKnob() {
        assertEquals(List.of(new AppFlags.Flag("seed/read", "parallelism", "--num-parallel-reads", "1", 8),
                        new AppFlags.Flag("seed/batch", "prefetch", "--batch-queue", "2", 64)),
                AppFlags.match("seed-pipeline.jar --seconds 30 --num-parallel-reads 1 --num-parallel-calls=1"
                        + " --batch-queue=2 --data-dir /tmp/x", SEED));
    }

    @Test
    void flagsNotOnTheCommandLineAreNotGuessed() {
        assertEquals(List.of(), AppFlags.match("seed-pipeline.jar --seconds 30 --data-dir /tmp/x", SEED));
        assertEquals(List.of(), AppFlags.match(null, SEED));
        assertEquals(List.of(), AppFlags.match("app.jar --read 1", Map.of("seed/read", Map.of("prefetch", 4))),
                "a knob that does not change is not guessed");
    }
}
