package dev.tuner.agent.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.tuner.engine.Diagnosis;
import dev.tuner.engine.Observation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TuningLogTest {
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void writesOneJsonObjectPerLineWithTimestampAndEventFirst(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub/t.jsonl");
        try (TuningLog log = TuningLog.open(file, 42)) {
            assertNull(log.fallbackReason());
            log.write("start", line -> line.put("pid", 42));
            log.write("warning", line -> line.put("message", "a\nb"));
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals(2, lines.size());
        JsonNode first = mapper.readTree(lines.get(0));
        assertEquals("ts", first.fieldNames().next());
        assertEquals("start", first.get("event").asText());
        assertEquals(42, first.get("pid").asInt());
        assertEquals("a\nb", mapper.readTree(lines.get(1)).get("message").asText());
    }

    @Test
    void anUnwritablePathFallsBackToATempFileAndSaysWhy(@TempDir Path dir) throws Exception {
        Path blocker = dir.resolve("not-a-dir");
        Files.writeString(blocker, "x");
        Path wanted = blocker.resolve("t.jsonl");
        try (TuningLog log = TuningLog.open(wanted, 7)) {
            assertNotEquals(wanted, log.path());
            assertTrue(log.fallbackReason().contains(wanted.toAbsolutePath().toString()), log.fallbackReason());
            assertTrue(log.fallbackReason().contains(log.path().toString()));
            log.write("start", line -> line.put("pid", 7));
            assertTrue(Files.readString(log.path()).contains("\"pid\":7"));
            Files.deleteIfExists(log.path());
        }
    }

    @Test
    void unknownNumbersAreWrittenAsNullNotNaN() throws Exception {
        var node = TuningLog.object();
        FactJson.number(node, "x", Double.NaN);
        FactJson.number(node, "y", 0.123456);
        assertTrue(node.get("x").isNull());
        assertEquals(0.1235, node.get("y").asDouble());
        mapper.readTree(node.toString());
    }

    @Test
    void aSampleCarriesTheMachineLoadWhereItIsKnownAndLeavesItOutWhereNot(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("t.jsonl");
        try (TuningLog log = TuningLog.open(file, 1)) {
            LogListener listener = new LogListener(log);
            Diagnosis none = new Diagnosis(Map.of(), Map.of());
            listener.onSample(new Observation(1, 2, 1.2, 0, -1, 0.83, Map.of(), List.of()), none);
            listener.onSample(new Observation(1, 2, 1.2, 0, -1, -1, Map.of(), List.of()), none);
        }
        List<String> lines = Files.readAllLines(file);
        JsonNode known = mapper.readTree(lines.get(0));
        assertEquals(0.83, known.get("machine").asDouble());
        assertEquals(0.6, known.get("cpu").asDouble());
        assertTrue(!mapper.readTree(lines.get(1)).has("machine"), lines.get(1));
    }
}
