package dev.tuner.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuner.it.support.Artifacts;
import dev.tuner.it.support.Jvm;
import dev.tuner.it.support.Progress;
import dev.tuner.it.support.TuningLogFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The incident's pipeline started under {@code -javaagent:tuner.jar}: the agent finds its stages, raises
 * what starves the trainer, and says why; throughput and utilization climb.
 */
class SeedUnderAgentTest {
    static final Path DATA = Path.of("target", "seed-data").toAbsolutePath();

    @TempDir
    Path dir;

    static List<String> seedArgs(Path log, String agentOptions, int seconds) {
        String agent = "-javaagent:" + Artifacts.agentJar() + "=log=" + log + (agentOptions.isEmpty() ? "" : "," + agentOptions);
        return List.of(agent, "-jar", Artifacts.seedJar().toString(), "--seconds", String.valueOf(seconds),
                "--data-dir", DATA.toString());
    }

    @Test
    void theAgentTunesTheIncidentLiveAndExplainsEveryStep() throws Exception {
        Path logFile = dir.resolve("tuner.jsonl");
        // 60 s: two or three rounds of 3-5 s each, then the verdict waits until the window shows utilization
        // inside the band (up to 30 intervals when it sits near an edge: the level wanders by a point or two).
        try (Jvm jvm = Jvm.start(Jvm.defaultJavaHome(), dir, seedArgs(logFile, "", 60))) {
            assertEquals(0, jvm.waitFor(Duration.ofSeconds(90)), jvm::describe);
            List<String> out = jvm.stdoutLines();
            assertTrue(Progress.result(out).isPresent(), jvm::describe);

            TuningLogFile log = TuningLogFile.read(logFile);
            JsonNode start = log.first("start");
            assertEquals(jvm.pid(), start.get("pid").asLong());
            assertEquals("tune", start.get("mode").asText());
            Set<String> discovered = log.events("discover").stream().filter(e -> e.get("source").asText().equals("jmx"))
                    .map(e -> e.get("stage").asText()).collect(Collectors.toSet());
            assertEquals(Set.of("seed/read", "seed/parse", "seed/batch", "seed/train"), discovered);
            // The seed's own plain JDK pools are found too, with no code: the trainer's compute pool and the
            // progress printer's scheduled pool.
            Set<String> pools = log.events("discover").stream().filter(e -> e.get("source").asText().equals("executor"))
                    .map(e -> e.get("stage").asText()).collect(Collectors.toSet());
            assertEquals(Set.of("trainer-compute", "progress"), pools);

            List<JsonNode> decisions = log.events("decision");
            assertFalse(decisions.isEmpty(), "no decision: " + log.names());
            for (JsonNode d : decisions) {
                assertTrue(d.get("reason").asText().length() > 30, "a reason a person understands: " + d);
                assertTrue(d.get("applied").asBoolean(), d::toString);
            }
            assertTrue(decisions.stream().anyMatch(d -> d.get("stage").asText().equals("seed/read")
                    && d.get("knob").asText().equals("parallelism") && d.get("to").asInt() > d.get("from").asInt()),
                    "the starving reader is raised: " + decisions);
            assertTrue(log.events("decision").size() <= 12, "a few rounds, not a crawl: " + decisions.size());

            // Every verdict on a round rests on a window of intervals, and says which and with what noise.
            for (JsonNode v : log.events("verify")) {
                assertTrue(v.get("intervals").asInt() >= 2 && v.get("before_intervals").asInt() >= 2, v::toString);
                assertTrue(v.get("noise").asDouble() > 0, v::toString);
            }

            JsonNode converged = log.first("converged");
            assertTrue(converged.get("recommended").get("seed/read").get("parallelism").asInt() > 1, converged::toString);
            assertFalse(converged.get("limit").get("message").asText().isBlank());

            // The cores are used: the last seconds' utilization nears the target (0.15 under it is three dead
            // bands). Not a ratio to the first samples: before the first decision (2-3 s in) the JIT still burns
            // 0.3-0.9 of the cores untuned.
            double target = start.get("target").asDouble();
            List<JsonNode> samples = log.events("sample");
            double lateCpu = samples.subList(samples.size() - 5, samples.size()).stream()
                    .mapToDouble(s -> s.get("cpu").asDouble()).average().orElse(0);
            assertTrue(lateCpu >= target - 0.15, "utilization over the last 5 s nears the " + target + " target: "
                    + lateCpu);

            List<Long> rates = Progress.rates(out);
            double early = Progress.mean(rates, 0, 2);
            double late = Progress.mean(rates, rates.size() - 5, rates.size());
            assertTrue(late > 2 * early, "throughput rises: " + early + " -> " + late + " records/s\n" + jvm.describe());

            assertEquals("stop", log.all().get(log.all().size() - 1).get("event").asText(), "the log ends with stop");
        }
    }

    @Test
    void adviseModeDecidesAndExplainsButChangesNothing() throws Exception {
        Path logFile = dir.resolve("advise.jsonl");
        try (Jvm jvm = Jvm.start(Jvm.defaultJavaHome(), dir, seedArgs(logFile, "mode=advise", 8))) {
            assertEquals(0, jvm.waitFor(Duration.ofSeconds(60)), jvm::describe);
            TuningLogFile log = TuningLogFile.read(logFile);
            assertEquals("advise", log.first("start").get("mode").asText());
            List<JsonNode> decisions = log.events("decision");
            assertFalse(decisions.isEmpty(), log.names()::toString);
            decisions.forEach(d -> assertFalse(d.get("applied").asBoolean(), d::toString));
            List<JsonNode> withRead = log.events("sample").stream().filter(e -> e.get("stages").has("seed/read")).toList();
            assertFalse(withRead.isEmpty());
            for (JsonNode sample : withRead) {
                assertEquals(1, sample.get("stages").get("seed/read").get("parallelism").asInt(), sample::toString);
            }
            assertTrue(log.first("converged").get("recommended").get("seed/read").get("parallelism").asInt() > 1);
        }
    }

    @Test
    void theAgentAlsoTunesATargetRunningOnJava25() throws Exception {
        Path java25 = Jvm.java25Home();
        Assumptions.assumeTrue(java25 != null, "Temurin 25 is not installed here: the Java 25 part is skipped");
        Path logFile = dir.resolve("j25.jsonl");
        try (Jvm jvm = Jvm.start(java25, dir, seedArgs(logFile, "", 10))) {
            assertEquals(0, jvm.waitFor(Duration.ofSeconds(60)), jvm::describe);
            TuningLogFile log = TuningLogFile.read(logFile);
            assertTrue(log.first("start").get("java").asText().startsWith("25"), log.first("start")::toString);
            assertFalse(log.events("decision").isEmpty(), log.names()::toString);
        }
    }
}
