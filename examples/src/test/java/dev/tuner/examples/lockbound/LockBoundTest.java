package dev.tuner.examples.lockbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuner.examples.common.UsageException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LockBoundTest {

    @Test
    void defaultsAreTwoThreadsOnMostlyLockedWork() throws UsageException {
        assertEquals(new LockBoundOptions(30, 2, 1_900_000, 100_000, false), LockBoundOptions.parse());
    }

    @Test
    void badInputIsOneLineOnStderrAndStatusTwo() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = LockBound.run(new String[] {"--threads"}, new PrintStream(out, true), new PrintStream(err, true));
        assertEquals(2, status);
        assertEquals("lock-bound: --threads needs a value: an integer from 1 to 1024" + System.lineSeparator(),
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aShortRunPostsEveryTaskToTheLedger() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = LockBound.run(new String[] {"--seconds", "2", "--threads", "3", "--inside", "100", "--outside",
            "10"}, new PrintStream(out, true), new PrintStream(err, true));
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, text + err);
        assertTrue(text.lines().anyMatch(l -> l.matches("t=\\d+s items/s=\\d+ cpu=.* threads=3")), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("RESULT items_per_s=")), text);
    }

    @Test
    void postingCountsEntries() {
        Ledger ledger = new Ledger(3);
        ledger.post(1);
        ledger.post(2);
        assertEquals(2, ledger.entries());
    }
}
