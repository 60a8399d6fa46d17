package dev.tuner.it.pools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuner.it.support.Jvm;
import dev.tuner.it.support.LiveLog;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * What the pool tests share: waits and predicates on a tuning log read while it is written (see
 * {@link LiveLog}).
 */
final class PoolRun {
    static final Duration STARTUP = Duration.ofSeconds(90);
    static final Duration DECISION = Duration.ofSeconds(60);

    private PoolRun() {
    }

    /** Waits until {@code more} sample events were written after the ones there now. */
    static void awaitSamples(Path log, int more, Duration timeout, Jvm app) throws Exception {
        int target = LiveLog.events(log, "sample").size() + more;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (LiveLog.events(log, "sample").size() < target) {
            if (System.nanoTime() > deadline || !app.isAlive()) {
                throw new AssertionError(more + " more samples did not come within " + timeout + "\n" + app.describe());
            }
            Thread.sleep(100);
        }
    }

    /**
     * The JVM said nothing about how the agent put its helper on the bootstrap path: no "Sharing is only
     * supported for boot loader classes" (a jar appended there), no {@code sun.misc.Unsafe} warning (JDK 24+).
     */
    static void assertNothingPrintedForTheAgentsHelper(Jvm app) {
        for (String line : app.stderrLines()) {
            if (line.contains("Sharing is only supported") || line.contains("sun.misc.Unsafe")) {
                throw new AssertionError("the JVM warned about the agent's helper: " + line + "\n" + app.describe());
            }
        }
    }

    /** A decision that raises {@code stage}'s parallelism. */
    static Predicate<JsonNode> raise(String stage) {
        return e -> LiveLog.event("decision").test(e) && stage.equals(e.path("stage").asText())
                && e.path("to").asInt() > e.path("from").asInt();
    }

    /** Names of the stages discovered, in a sorted set. */
    static Set<String> discovered(Path log) throws IOException {
        Set<String> stages = new TreeSet<>();
        for (JsonNode e : LiveLog.events(log, "discover")) {
            stages.add(e.get("stage").asText());
        }
        return stages;
    }
}
