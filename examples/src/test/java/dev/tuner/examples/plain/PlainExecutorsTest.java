package dev.tuner.examples.plain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuner.examples.common.UsageException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PlainExecutorsTest {

    @Test
    void defaultsAreTheMisconfiguration() throws UsageException {
        assertEquals(new PlainOptions(30, 1, 1, 20, 400, false), PlainOptions.parse());
    }

    @Test
    void badInputIsOneLineOnStderrAndStatusTwo() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = PlainExecutors.run(new String[] {"--readers", "0"}, new PrintStream(out, true),
                new PrintStream(err, true));
        assertEquals(2, status);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        assertEquals("plain-executors: --readers expects an integer from 1 to 1024, got 0" + System.lineSeparator(),
                err.toString(StandardCharsets.UTF_8));
        assertThrows(UsageException.class, () -> PlainOptions.parse("extra"));
    }

    @Test
    void aShortRunPrintsRatesKnobsAndTheResult() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = PlainExecutors.run(new String[] {"--seconds", "2", "--readers", "2", "--parsers", "2",
            "--read-latency-ms", "1", "--parse-passes", "1"}, new PrintStream(out, true), new PrintStream(err, true));
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, text + err);
        assertTrue(text.lines().anyMatch(l -> l.matches("t=\\d+s items/s=\\d+ cpu=.* read=2 parse=2 \\(max 2/2\\)")), text);
        assertTrue(text.lines().anyMatch(l -> l.matches("RESULT items_per_s=[1-9]\\d* last10s_items_per_s=\\d+"
                + " cpu_cores=\\d+\\.\\d\\d")), text);
        assertFalse(err.toString(StandardCharsets.UTF_8).contains("failed"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void everyPassAndEveryValueCountsInTheSummary() {
        long[] block = {1, 2, 3};
        assertNotEquals(new Parser(1).parse(block), new Parser(2).parse(block), "a second pass is really done");
        assertNotEquals(new Parser(2).parse(block), new Parser(2).parse(new long[] {1, 2, 4}), "each value counts");
        assertThrows(IllegalArgumentException.class, () -> new Parser(0));
        assertThrows(IllegalArgumentException.class, () -> new RemoteStore(-1));
    }
}
