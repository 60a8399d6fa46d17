package dev.tuner.examples.seed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuner.examples.common.UsageException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SeedOptionsTest {

    @Test
    void defaultsAreTheIncidents() throws UsageException {
        SeedOptions options = SeedOptions.parse();
        assertEquals(30, options.seconds());
        assertEquals(1, options.numParallelReads());
        assertEquals(1, options.numParallelCalls());
        assertEquals(2, options.prefetch());
        assertEquals(30, options.readLatencyMillis());
        assertEquals(2000, options.batchSize());
        assertEquals(Path.of("seed-data"), options.dataDir());
        assertFalse(options.help());
    }

    @Test
    void theHandFixParses() throws UsageException {
        SeedOptions options = SeedOptions.parse("--seconds", "15", "--num-parallel-reads", "16",
                "--num-parallel-calls", "2", "--prefetch", "100", "--read-latency-ms", "0", "--batch-size", "7",
                "--data-dir", "/tmp/t");
        assertEquals(new SeedOptions(15, 16, 2, 100, 0, 7, Path.of("/tmp/t"), false), options);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "--num-parallel-calls 0  | --num-parallel-calls expects an integer from 1 to 256, got 0",
            "--num-parallel-reads x  | --num-parallel-reads expects an integer from 1 to 128, got 'x'",
            "--num-parallel-reads 200| --num-parallel-reads expects an integer from 1 to 128, got 200",
            "--prefetch              | --prefetch needs a value: an integer from 1 to 4096",
            "--seconds -1            | --seconds expects an integer >= 1, got -1",
            "--batch-size 0          | --batch-size expects an integer from 1 to 1000000, got 0",
            "--read-latency-ms -5    | --read-latency-ms expects an integer from 0 to 60000, got -5",
            "--num-parallel-read 4   | unknown flag --num-parallel-read; accepted flags: --seconds,"
                    + " --num-parallel-reads, --num-parallel-calls, --prefetch, --read-latency-ms, --batch-size,"
                    + " --data-dir, --help",
    })
    void badInputIsRejectedWithOneLine(String args, String expected) {
        UsageException e = assertThrows(UsageException.class, () -> SeedOptions.parse(args.trim().split(" +")));
        assertEquals(expected, e.getMessage());
    }

    @Test
    void runPrintsExactlyOneLineToStderrAndReturnsTwoOnBadInput() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = SeedPipeline.run(new String[] {"--seconds", "soon"}, print(out), print(err));
        assertEquals(2, status);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        String message = err.toString(StandardCharsets.UTF_8);
        assertEquals("seed-pipeline: --seconds expects an integer >= 1, got 'soon'" + System.lineSeparator(), message);
    }

    @Test
    void helpPrintsUsageAndReturnsZeroWithoutRunning() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, SeedPipeline.run(new String[] {"--help"}, print(out), print(err)));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("--num-parallel-calls N"));
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }
}
