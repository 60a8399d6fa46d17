package dev.tuner.it.diagnose;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuner.it.support.Artifacts;
import dev.tuner.it.support.Jvm;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The apps the diagnose tests watch, started and read the way a person would. */
final class Targets {
    /** The seed's generated table, shared with the other seed tests of this module. */
    static final Path DATA = Path.of("target", "seed-data").toAbsolutePath();
    /** A seed progress line's knobs; a line still being written does not match yet. */
    static final Pattern SEED_KNOBS = Pattern.compile(
            "read=\\d+ parse=\\d+ prefetch=\\d+ \\(read\\.prefetch=\\d+ parse\\.prefetch=\\d+\\)");
    /** The lock-bound app's pool size on its progress lines. */
    static final Pattern THREADS = Pattern.compile("items/s=\\d+ .*threads=(\\d+)");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Targets() {
    }

    /** The seed pipeline, untuned (the incident's defaults), running when this returns. */
    static Jvm seed(Path javaHome, Path dir, List<String> jvmArgs, int seconds) throws Exception {
        List<String> args = new ArrayList<>(jvmArgs);
        args.addAll(List.of("-jar", Artifacts.seedJar().toString(), "--seconds", String.valueOf(seconds), "--data-dir",
                DATA.toString()));
        Jvm seed = Jvm.start(javaHome, dir, args);
        assertTrue(seed.awaitOutput(l -> SEED_KNOBS.matcher(l).find(), Duration.ofSeconds(90)), seed::describe);
        return seed;
    }

    /**
     * examples/lock-bound (a plain JDK pool, {@code ledger-1..N}, whose tasks queue on one {@code Ledger}
     * monitor) with {@code threads} pool threads, running (it printed a progress line) when this returns.
     */
    static Jvm lockBound(Path dir, List<String> jvmArgs, int seconds, int threads) throws Exception {
        List<String> args = new ArrayList<>(jvmArgs);
        args.addAll(List.of("-jar", Artifacts.examplesJar("lock-bound.jar").toString(), "--seconds",
                String.valueOf(seconds), "--threads", String.valueOf(threads)));
        Jvm app = Jvm.start(Jvm.defaultJavaHome(), dir, args);
        assertTrue(app.awaitOutput(l -> THREADS.matcher(l).find(), Duration.ofSeconds(60)), app::describe);
        return app;
    }

    /** Every match of {@code pattern}'s whole text on {@code lines}. */
    static List<String> matches(List<String> lines, Pattern pattern) {
        List<String> found = new ArrayList<>();
        for (String line : lines) {
            Matcher m = pattern.matcher(line);
            if (m.find()) {
                found.add(m.group());
            }
        }
        return found;
    }

    static JsonNode json(String text) throws IOException {
        return MAPPER.readTree(text);
    }
}
