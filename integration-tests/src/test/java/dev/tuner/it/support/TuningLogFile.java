package dev.tuner.it.support;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A tuning log read back: every line must be one JSON object with {@code ts} (ISO-8601) and
 * {@code event} and the fields DESIGN.md requires for that event.
 */
public final class TuningLogFile {
    /**
     * docs/DESIGN.md, "The tuning log": the fields each event must carry, read from the table there, so the
     * design and what the tests hold the agent to are one text.
     */
    public static final Map<String, List<String>> REQUIRED = Artifacts.logSchema();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final List<JsonNode> events;

    private TuningLogFile(List<JsonNode> events) {
        this.events = events;
    }

    /** Reads and checks every line; fails the test on the first that breaks the schema. */
    public static TuningLogFile read(Path file) throws IOException {
        assertTrue(Files.exists(file), "no tuning log at " + file);
        List<JsonNode> events = new ArrayList<>();
        int number = 0;
        for (String line : Files.readAllLines(file)) {
            number++;
            JsonNode node;
            try {
                node = MAPPER.readTree(line);
            } catch (IOException e) {
                throw new AssertionError("line " + number + " is not JSON: " + line, e);
            }
            if (node == null || !node.isObject()) {
                fail("line " + number + " is not a JSON object: " + line);
            }
            check(node, number, line);
            events.add(node);
        }
        return new TuningLogFile(events);
    }

    private static void check(JsonNode node, int number, String line) {
        assertTrue(node.hasNonNull("ts") && node.hasNonNull("event"), "line " + number + " lacks ts or event: " + line);
        Instant.parse(node.get("ts").asText());
        String event = node.get("event").asText();
        List<String> required = REQUIRED.get(event);
        assertTrue(required != null, "line " + number + " has an unknown event '" + event + "'");
        for (String field : required) {
            assertTrue(node.has(field), "line " + number + " (" + event + ") lacks '" + field + "': " + line);
        }
    }

    public List<JsonNode> all() {
        return events;
    }

    public List<JsonNode> events(String event) {
        return events.stream().filter(e -> e.get("event").asText().equals(event)).toList();
    }

    public JsonNode first(String event) {
        return events(event).stream().findFirst()
                .orElseThrow(() -> new AssertionError("no '" + event + "' event in the log; events: " + names()));
    }

    public List<String> names() {
        return events.stream().map(e -> e.get("event").asText()).toList();
    }
}
