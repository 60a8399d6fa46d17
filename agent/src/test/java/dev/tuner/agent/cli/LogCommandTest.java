package dev.tuner.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a tuning log file: whole, cut, corrupt, and followed as it grows. */
class LogCommandTest {
    static final String START = "{\"ts\":\"2026-11-25T12:00:01Z\",\"event\":\"start\",\"pid\":42,\"java\":\"17\","
            + "\"cores\":2,\"target\":0.9,\"mode\":\"tune\",\"interval_ms\":1000}";
    static final String WARNING = "{\"ts\":\"2026-11-25T12:00:02Z\",\"event\":\"warning\",\"message\":\"hello\"}";
    static final String STOP = "{\"ts\":\"2026-11-25T12:00:03Z\",\"event\":\"stop\",\"restored\":true,\"final\":{}}";

    @TempDir
    Path dir;

    private Path file(String content) throws Exception {
        Path file = dir.resolve("t.jsonl");
        Files.writeString(file, content);
        return file;
    }

    @Test
    void aWholeLogIsATableWithAHeading() throws Exception {
        Path file = file(START + "\n" + WARNING + "\n" + STOP + "\n");
        Run run = Run.of("log", file.toString());
        assertEquals(0, run.status(), run::toString);
        assertEquals(List.of("tuning log " + file + " (times UTC, 2026-11-25)", LogView.HEADER,
                "12:00:01  start      pid 42, Java 17, 2 cores, target 90%, tune mode, every 1000 ms",
                "12:00:02  warning    hello",
                "12:00:03  stop       restored the settings it found: no stages"), run.out());
        assertTrue(run.err().isEmpty(), run::toString);
    }

    @Test
    void aCorruptLineIsNamedByNumberAfterWhatCameBefore() throws Exception {
        Path file = file(START + "\n\n" + WARNING + "\n{\"ts\":\"2026-11-25T12:00:02Z\",\"event\" 17}\n" + STOP + "\n");
        Run run = Run.of("log", file.toString());
        assertEquals(1, run.status(), run::toString);
        assertEquals(4, run.out().size(), run::toString);
        assertEquals(1, run.err().size(), run::toString);
        assertTrue(run.why().startsWith("tuner: line 4 of " + file + " is not a tuning-log event (not JSON: "),
                run::toString);
        assertTrue(run.why().endsWith("the 2 events before it are shown above: the log is cut or corrupt there, and"
                + " the rest is not read"), run::toString);
    }

    @Test
    void aLogCutMidLineIsReadUpToTheCut() throws Exception {
        Path file = file(START + "\n" + WARNING.substring(0, 30));
        Run run = Run.of("log", file.toString());
        assertEquals(1, run.status(), run::toString);
        assertEquals(3, run.out().size(), run::toString);
        assertTrue(run.why().startsWith("tuner: line 2 of "), run::toString);
    }

    @Test
    void jsonThatIsNotAnEventIsABadLine() throws Exception {
        Run run = Run.of("log", file(START + "\n[1,2]\n").toString());
        assertEquals(1, run.status());
        assertTrue(run.why().contains("line 2") && run.why().contains("(not a JSON object)"), run::toString);
        run = Run.of("log", file("{\"ts\":\"2026-11-25T12:00:01Z\"}\n").toString());
        assertEquals(1, run.status());
        assertTrue(run.why().contains("line 1") && run.why().contains("(it lacks event)"), run::toString);
        run = Run.of("log", file(START + " {}\n").toString());
        assertEquals(1, run.status());
        assertTrue(run.why().contains("line 1") && run.why().contains("not JSON"), run::toString);
    }

    @Test
    void aMissingFileSaysWhereTheAgentWritesIt() {
        Run run = Run.of("log", dir.resolve("nope.jsonl").toString());
        assertEquals(1, run.status());
        assertTrue(run.why().contains("no tuning log at") && run.why().contains("status <pid> shows where"),
                run::toString);
    }

    @Test
    void anEmptyFileSaysSo() throws Exception {
        Run run = Run.of("log", file("").toString());
        assertEquals(0, run.status());
        assertTrue(run.out().get(0).endsWith("is empty: the agent has not written to it yet"), run::toString);
    }

    @Test
    void followPrintsLinesAsTheyArriveAndEndsAtStop() throws Exception {
        Path file = file(START + "\n" + WARNING.substring(0, 20));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread writer = new Thread(() -> {
            try {
                waitFor(out, "start");
                Files.writeString(file, WARNING.substring(20) + "\n", StandardOpenOption.APPEND);
                waitFor(out, "hello");
                Files.writeString(file, STOP + "\n" + WARNING + "\n", StandardOpenOption.APPEND);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        writer.setDaemon(true);
        writer.start();
        int status = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                 PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
                return Main.run(new String[] {"log", file.toString(), "--follow"}, o, e);
            }
        });
        writer.join(Duration.ofSeconds(10).toMillis());
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        List<String> lines = List.of(out.toString(StandardCharsets.UTF_8).split("\\R"));
        assertEquals(5, lines.size(), lines::toString);
        assertTrue(lines.get(3).endsWith("warning    hello"), lines::toString);
        assertTrue(lines.get(4).contains("stop "), "ends at the stop event, not after it: " + lines);
    }

    private static void waitFor(ByteArrayOutputStream out, String text) throws InterruptedException {
        while (!out.toString(StandardCharsets.UTF_8).contains(text)) {
            Thread.sleep(20);
        }
    }
}
