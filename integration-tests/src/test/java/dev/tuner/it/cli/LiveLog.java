package dev.tuner.it.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** A tuning log still being written: waits for an event to appear (a safety-net timeout, not a measurement). */
final class LiveLog {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private LiveLog() {
    }

    /** The events written so far; a last line still being written is left out. */
    static List<JsonNode> events(Path file) throws IOException {
        List<JsonNode> events = new ArrayList<>();
        if (!Files.exists(file)) {
            return events;
        }
        for (String line : Files.readAllLines(file)) {
            try {
                events.add(MAPPER.readTree(line));
            } catch (IOException partial) {
                break;
            }
        }
        return events;
    }

    /** The first event matching {@code wanted}; fails the test if none comes within {@code timeout}. */
    static JsonNode await(Path file, Predicate<JsonNode> wanted, Duration timeout, String what) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (JsonNode e : events(file)) {
                if (wanted.test(e)) {
                    return e;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " in " + file + " within " + timeout + "; events: "
                        + events(file).stream().map(e -> e.path("event").asText()).toList());
            }
            Thread.sleep(100);
        }
    }

    static Predicate<JsonNode> event(String name) {
        return e -> name.equals(e.path("event").asText());
    }
}
