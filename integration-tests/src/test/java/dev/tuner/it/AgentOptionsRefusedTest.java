package dev.tuner.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuner.it.support.Artifacts;
import dev.tuner.it.support.Jvm;
import dev.tuner.it.support.Progress;
import dev.tuner.it.support.TuningLogFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad input at launch: one clear line on stderr, no agent, and the app runs untouched. */
class AgentOptionsRefusedTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "foo=1       | unknown option 'foo'",
        "target=2    | target=2 is out of range",
        "interval=-1 | interval=-1 is not a duration",
        "garbage     | option 'garbage' is not key=value",
    })
    void aMalformedOptionKeepsTheAgentOutAndTheAppRuns(String option, String named) throws Exception {
        List<String> args = List.of("-javaagent:" + Artifacts.agentJar() + "=" + option, "-jar",
                Artifacts.seedJar().toString(), "--seconds", "3", "--data-dir", SeedUnderAgentTest.DATA.toString());
        try (Jvm jvm = Jvm.start(Jvm.defaultJavaHome(), dir, args)) {
            assertEquals(0, jvm.waitFor(Duration.ofSeconds(60)), jvm::describe);
            List<String> tunerLines = jvm.stderrLines().stream().filter(l -> l.startsWith("tuner:")).toList();
            assertEquals(1, tunerLines.size(), jvm::describe);
            assertTrue(tunerLines.get(0).contains(named), tunerLines.get(0));
            assertTrue(tunerLines.get(0).contains("the app runs untouched"), tunerLines.get(0));
            assertTrue(Progress.result(jvm.stdoutLines()).isPresent(), jvm::describe);
            try (Stream<Path> files = Files.list(dir)) {
                assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".jsonl")), "no log, no agent");
            }
        }
    }

    @Test
    void anUnwritableLogPathGoesToATempFileThatIsNamed() throws Exception {
        Path notADir = dir.resolve("plain-file");
        Files.writeString(notADir, "x");
        Path wanted = notADir.resolve("tuner.jsonl");
        List<String> args = List.of("-javaagent:" + Artifacts.agentJar() + "=log=" + wanted, "-jar",
                Artifacts.seedJar().toString(), "--seconds", "4", "--data-dir", SeedUnderAgentTest.DATA.toString());
        try (Jvm jvm = Jvm.start(Jvm.defaultJavaHome(), dir, args)) {
            assertEquals(0, jvm.waitFor(Duration.ofSeconds(60)), jvm::describe);
            String warning = jvm.stderrLines().stream().filter(l -> l.contains("cannot write the tuning log"))
                    .findFirst().orElseThrow(() -> new AssertionError(jvm.describe()));
            assertTrue(warning.contains(wanted.toString()), warning);
            String temp = warning.substring(warning.indexOf("writing it to ") + "writing it to ".length(),
                    warning.indexOf(" instead"));
            TuningLogFile log = TuningLogFile.read(Path.of(temp));
            assertTrue(log.first("warning").get("message").asText().contains(wanted.toString()));
            assertEquals(jvm.pid(), log.first("start").get("pid").asLong());
            Files.deleteIfExists(Path.of(temp));
        }
    }
}
