package dev.tuner.agent.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
        LogListener.number(node, "x", Double.NaN);
        LogListener.number(node, "y", 0.123456);
        assertTrue(node.get("x").isNull());
        assertEquals(0.1235, node.get("y").asDouble());
        mapper.readTree(node.toString());
    }
}
