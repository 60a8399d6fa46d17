package dev.tuner.examples.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommandLineTest {
    private final CommandLine commandLine = CommandLine.builder("demo")
            .intFlag("--seconds", 30, 1, Integer.MAX_VALUE, "how long")
            .intFlag("--threads", 1, 1, 128, "how many")
            .stringFlag("--dir", "PATH", "data", "where")
            .build();

    @Test
    void flagsNotGivenKeepTheirDefaults() throws UsageException {
        CommandLine.Parsed parsed = commandLine.parse();
        assertEquals(30, parsed.intValue("--seconds"));
        assertEquals(1, parsed.intValue("--threads"));
        assertEquals("data", parsed.stringValue("--dir"));
        assertFalse(parsed.helpRequested());
    }

    @Test
    void acceptsBothSpacedAndEqualsFormsAndTheLastRepeatWins() throws UsageException {
        CommandLine.Parsed parsed = commandLine.parse("--seconds", "5", "--threads=16", "--dir", "/tmp/x", "--seconds", "7");
        assertEquals(7, parsed.intValue("--seconds"));
        assertEquals(16, parsed.intValue("--threads"));
        assertEquals("/tmp/x", parsed.stringValue("--dir"));
    }

    @Test
    void helpIsAFlagNotAnError() throws UsageException {
        assertTrue(commandLine.parse("--threads", "2", "--help").helpRequested());
        assertTrue(commandLine.usage().contains("--threads N"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "--bogus 1           | unknown flag --bogus; accepted flags: --seconds, --threads, --dir, --help",
            "--seconds abc       | --seconds expects an integer >= 1, got 'abc'",
            "--seconds 1.5       | --seconds expects an integer >= 1, got '1.5'",
            "--seconds 0         | --seconds expects an integer >= 1, got 0",
            "--threads -3        | --threads expects an integer from 1 to 128, got -3",
            "--threads 129       | --threads expects an integer from 1 to 128, got 129",
            "--threads=          | --threads expects an integer from 1 to 128, got ''",
            "--threads           | --threads needs a value: an integer from 1 to 128",
            "--seconds --threads | --seconds needs a value: an integer >= 1",
            "--dir=              | --dir expects a non-empty path, got an empty string",
            "stray               | unexpected argument 'stray'; accepted flags: --seconds, --threads, --dir, --help",
    })
    void badInputIsOneLineThatNamesTheFlagAndWhatItAccepts(String args, String expected) {
        UsageException e = assertThrows(UsageException.class, () -> commandLine.parse(args.trim().split(" +")));
        assertEquals(expected, e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }
}
