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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An app that publishes its own stages under the JMX contract, with no tuner class on its classpath
 * (only the integration tests' own classes), is found and tuned like one built on the library.
 */
class ContractUnderAgentTest {
    /** A progress line's fetch parallelism ({@code t=3s items/s=245 fetch=1 transform=1 ...}). */

    @TempDir
    Path dir;

    private Jvm start(Path log, int seconds, String... appArgs) throws Exception {
        List<String> args = new ArrayList<>(List.of("-javaagent:" + Artifacts.agentJar() + "=log=" + log,
                "-cp", Artifacts.fixtureClasses().toString(), "dev.tuner.it.fixture.ContractOnlyApp",
                "--seconds", String.valueOf(seconds)));
        args.addAll(List.of(appArgs));
        return Jvm.start(Jvm.defaultJavaHome(), dir, args);
    }

    @Test
    void theContractAloneIsEnoughToBeTuned() throws Exception {
        Path logFile = dir.resolve("contract.jsonl");
        try (Jvm jvm = start(logFile, 15)) {
            assertEquals(0, jvm.waitFor(Duration.ofSeconds(60)), jvm::describe);
            TuningLogFile log = TuningLogFile.read(logFile);
            Set<String> found = log.events("discover").stream()
                    .filter(e -> e.get("source").asText().equals("jmx"))
                    .map(e -> e.get("stage").asText()).collect(Collectors.toSet());
            assertEquals(Set.of("contract/fetch", "contract/transform"), found);
            List<JsonNode> decisions = log.events("decision");
            assertTrue(decisions.stream().anyMatch(d -> d.get("stage").asText().equals("contract/fetch")
                    && d.get("to").asInt() > d.get("from").asInt()), decisions::toString);
            // Every decision is applied, but one the app's shutdown overtook: after its last second it stops its
            // stages and unregisters their beans, and the agent, its setter refused, loses (or drops) the stage
            // at once.
            List<JsonNode> gone = new ArrayList<>(log.events("lost"));
            log.events("warning").stream().filter(w -> w.get("message").asText().startsWith("dropped stage "))
                    .forEach(gone::add);
            for (JsonNode d : decisions) {
                if (!d.get("applied").asBoolean()) {
                    Instant at = Instant.parse(d.get("ts").asText());
                    String stage = d.get("stage").asText();
                    assertTrue(gone.stream().anyMatch(g -> (stage.equals(g.path("stage").asText())
                                    || g.path("message").asText().startsWith("dropped stage " + stage + ":"))
                                    && !Instant.parse(g.get("ts").asText()).isBefore(at)
                                    && Duration.between(at, Instant.parse(g.get("ts").asText())).toMillis() <= 2_000),
                            "a decision not applied while its stage ran: " + d + "; lost or dropped: " + gone);
                }
            }

            // The app itself ran what was decided: it reports more fetch threads than the one it starts with,
            // and every count above one is a value a fetch decision set (a rollback returns to an earlier one).
            Set<Integer> decided = decisions.stream()
                    .filter(d -> d.get("stage").asText().equals("contract/fetch")
                            && d.get("knob").asText().equals("parallelism"))
                    .map(d -> d.get("to").asInt()).collect(Collectors.toSet());
            List<Integer> raised = Progress.knob(jvm.stdoutLines(), "fetch").stream().filter(n -> n > 1).toList();
            assertFalse(raised.isEmpty(), "the app reports more than one fetch thread\n" + jvm.describe());
            assertTrue(decided.containsAll(raised), "fetch threads the app reports " + raised
                    + " are ones the decisions set " + decided + "\n" + jvm.describe());
        }
    }

    @Test
    void aStageWhoseSetterThrowsIsDroppedOnceAndTuningGoesOn() throws Exception {
        Path logFile = dir.resolve("refuse.jsonl");
        try (Jvm jvm = start(logFile, 12, "--refuse-knobs", "transform")) {
            assertEquals(0, jvm.waitFor(Duration.ofSeconds(60)), jvm::describe);
            TuningLogFile log = TuningLogFile.read(logFile);
            List<JsonNode> dropped = log.events("warning").stream()
                    .filter(w -> w.get("message").asText().startsWith("dropped stage contract/transform")).toList();
            assertEquals(1, dropped.size(), log.names()::toString);
            assertTrue(dropped.get(0).get("message").asText().contains("refuses to change"), dropped::toString);
            // Tuning goes on: fetch keeps being tuned and sampled; transform is no longer sampled.
            assertTrue(log.events("decision").stream().anyMatch(d -> d.get("stage").asText().equals("contract/fetch")
                    && d.get("applied").asBoolean()));
            JsonNode last = log.events("sample").get(log.events("sample").size() - 1);
            assertTrue(last.get("stages").has("contract/fetch"), last::toString);
            assertFalse(last.get("stages").has("contract/transform"), last::toString);
            assertTrue(log.events("error").isEmpty(), () -> log.events("error").toString());
        }
    }
}
