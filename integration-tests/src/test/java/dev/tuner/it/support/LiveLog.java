package dev.tuner.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * A tuning log read while it is still being written, for waiting on an event. Unlike {@link TuningLogFile}
 * it checks no schema, and it leaves out a last line still being written. Its timeouts are safety nets
 * for a test that would otherwise hang, never measurements.
 */
public final class LiveLog {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final long POLL_MILLIS = 100;

    private LiveLog() {
    }

    /**
     * The events written to {@code log} so far, in order; none while the file does not exist. Reading stops
     * at the first line that is not JSON: the last one, still being written.
     */
    public static List<JsonNode> events(Path log) throws IOException {
        List<JsonNode> events = new ArrayList<>();
        if (!Files.exists(log)) {
            return events;
        }
        for (String line : Files.readAllLines(log)) {
            try {
                events.add(MAPPER.readTree(line));
            } catch (IOException partial) {
                break;
            }
        }
        return events;
    }

    /** The events written to {@code log} so far whose {@code event} field is {@code name}, in order. */
    public static List<JsonNode> events(Path log, String name) throws IOException {
        return events(log).stream().filter(event(name)).toList();
    }

    /** Matches the events whose {@code event} field is {@code name}. */
    public static Predicate<JsonNode> event(String name) {
        return e -> name.equals(e.path("event").asText());
    }

    /**
     * The first event in {@code log} matching {@code wanted}, waited for. Fails the test, naming {@code what}
     * and the events seen, if none comes within {@code timeout}.
     */
    public static JsonNode await(Path log, Predicate<JsonNode> wanted, Duration timeout, String what)
            throws IOException, InterruptedException {
        return awaitWhile(log, wanted, timeout, what, null);
    }

    /**
     * As {@link #await(Path, Predicate, Duration, String)}, for a log that {@code app} writes: also fails as
     * soon as {@code app} has exited without writing a matching event, and every failure shows what
     * {@code app} printed.
     */
    public static JsonNode await(Path log, Predicate<JsonNode> wanted, Duration timeout, String what, Jvm app)
            throws IOException, InterruptedException {
        return awaitWhile(log, wanted, timeout, what, Objects.requireNonNull(app, "app"));
    }

    /** Polls {@code log} until an event matches; {@code app}, when not null, is the JVM that must stay alive. */
    private static JsonNode awaitWhile(Path log, Predicate<JsonNode> wanted, Duration timeout, String what, Jvm app)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            // Decided before reading, so an event written just before the deadline or the exit still counts.
            boolean lastLook = System.nanoTime() - deadline > 0 || (app != null && !app.isAlive());
            List<JsonNode> events = events(log);
            for (JsonNode e : events) {
                if (wanted.test(e)) {
                    return e;
                }
            }
            if (lastLook) {
                throw new AssertionError("no " + what + " in " + log + " within " + timeout + "; events: "
                        + events.stream().map(e -> e.path("event").asText()).toList()
                        + (app == null ? "" : "\n" + app.describe()));
            }
            Thread.sleep(POLL_MILLIS);
        }
    }
}
