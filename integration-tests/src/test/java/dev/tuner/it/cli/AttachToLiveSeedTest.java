package dev.tuner.it.cli;

import static dev.tuner.it.support.LiveLog.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuner.it.support.Artifacts;
import dev.tuner.it.support.Jvm;
import dev.tuner.it.support.LiveLog;
import dev.tuner.it.support.TuningLogFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The user's path: the incident's pipeline already runs slowly; {@code list} finds it, {@code attach}
 * loads the tuner into it, decisions appear in the log, a second attach updates the target, {@code status}
 * shows it, {@code stop} puts every knob back exactly where it was (read by the test over JMX), and
 * {@code log} reads what happened. Also across JDKs: a Java 25 target, and the command line on 25.
 */
class AttachToLiveSeedTest {
    static final Duration DECISION_TIMEOUT = Duration.ofSeconds(45);
    /** The seed's generated table, shared with the other seed tests of this module. */
    static final Path DATA = Path.of("target", "seed-data").toAbsolutePath();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    /** The seed pipeline on {@code javaHome}, running (it printed its first rate) when this returns. */
    static Jvm startSeed(Path javaHome, Path dir) throws Exception {
        Jvm seed = Jvm.start(javaHome, dir, List.of("-jar", Artifacts.seedJar().toString(), "--seconds", "300",
                "--data-dir", DATA.toString()));
        assertTrue(seed.awaitOutput(l -> l.contains("records/s="), Duration.ofSeconds(90)), seed::describe);
        return seed;
    }

    static JsonNode json(String text) throws Exception {
        return MAPPER.readTree(text);
    }

    /** {@code pid} row of {@code list}: PID, JAVA, TUNER, MAIN. */
    static String[] listRow(TunerCli.Result list, long pid) {
        return list.out().stream().map(String::trim).filter(l -> l.startsWith(pid + " ")).findFirst()
                .map(l -> l.split("\\s{2,}")).orElseThrow(() -> new AssertionError("pid " + pid + " not listed:\n" + list));
    }

    /**
     * The {@code final} settings of a stop event in {@link StageKnobs#read()}'s form: the JMX stages
     * ({@code pipeline/name}; the seed's plain JDK pools are stages too, but not StageKnobs').
     */
    static Map<String, String> settings(JsonNode stages) {
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, JsonNode> s : stages.properties()) {
            if (!s.getKey().contains("/")) {
                continue;
            }
            out.put(s.getKey(), "parallelism=" + s.getValue().get("parallelism").asInt() + " prefetch="
                    + (s.getValue().has("prefetch") ? s.getValue().get("prefetch").asInt() : -1));
        }
        return out;
    }

    @Test
    void attachTunesTheLiveJobUpdateChangesTheTargetAndStopRestoresEveryKnob() throws Exception {
        Path log = dir.resolve("live.jsonl");
        try (Jvm seed = startSeed(Jvm.defaultJavaHome(), dir); StageKnobs knobs = StageKnobs.of(seed.pid())) {
            long pid = seed.pid();
            Map<String, String> before = knobs.read();
            assertEquals(List.of("seed/batch", "seed/parse", "seed/read", "seed/train"), List.copyOf(before.keySet()));

            String[] row = listRow(TunerCli.run("list"), pid);
            assertTrue(row[1].startsWith("17"), String.join("|", row));
            assertEquals("-", row[2], "no tuner yet: " + String.join("|", row));
            assertTrue(row[3].contains("seed-pipeline.jar"), String.join("|", row));

            TunerCli.Result attach = TunerCli.run("attach", String.valueOf(pid), "log=" + log);
            assertEquals(0, attach.status(), attach::toString);
            assertTrue(attach.stdout().startsWith("attached tuner "), attach::toString);
            assertTrue(attach.stdout().contains("tuning log: " + log), attach::toString);
            assertFalse(attach.err().stream().anyMatch(l -> l.contains("EnableDynamicAgentLoading")),
                    "no Java 21+ note for a Java 17 target: " + attach);

            try (TunerCli.Started follow = TunerCli.startIn(dir, "log", log.toString(), "--follow")) {
                JsonNode decision = LiveLog.await(log, event("decision"), DECISION_TIMEOUT, "decision");
                assertTrue(decision.get("applied").asBoolean(), decision::toString);

                row = listRow(TunerCli.run("list"), pid);
                assertTrue(row[2].endsWith("(tuning)"), "list shows the tuner: " + String.join("|", row));

                TunerCli.Result update = TunerCli.run("attach", String.valueOf(pid), "target=0.5");
                assertEquals(0, update.status(), update::toString);
                assertTrue(update.stdout().startsWith("updated the tuner "), update::toString);
                JsonNode updated = LiveLog.await(log, event("update"), Duration.ofSeconds(10), "update");
                assertEquals("0.5", updated.get("options").get("target").asText(), updated::toString);

                TunerCli.Result status = TunerCli.run("status", String.valueOf(pid));
                assertEquals(0, status.status(), status::toString);
                assertTrue(status.out().get(0).startsWith("pid " + pid + "  Java 17"), status::toString);
                assertTrue(status.out().get(1).endsWith("target 50%"), status::toString);
                assertTrue(status.out().contains("log " + log), status::toString);
                assertTrue(status.out().stream().anyMatch(l -> l.matches("STAGE\\s+SOURCE\\s+PARALLELISM\\s+PREFETCH"
                        + "\\s+THROUGHPUT\\s+LABEL")), status::toString);
                for (String stage : before.keySet()) {
                    assertTrue(status.out().stream().anyMatch(l -> l.startsWith(stage + " ")), stage + "\n" + status);
                }
                assertTrue(status.out().contains("last decisions:"), status::toString);

                TunerCli.Result asJson = TunerCli.run("status", String.valueOf(pid), "--json");
                assertEquals(0, asJson.status(), asJson::toString);
                assertEquals(1, asJson.out().size(), "one line: " + asJson);
                JsonNode s = json(asJson.stdout());
                assertEquals(pid, s.get("pid").asLong());
                assertEquals(0.5, s.get("target").asDouble(), 1e-9);
                assertEquals(log.toString(), s.get("log").asText());
                Set<String> stages = new TreeSet<>();
                s.get("stages").properties().forEach(e -> stages.add(e.getKey()));
                stages.removeIf(stage -> !stage.contains("/")); // the seed's plain JDK pools, found too
                assertEquals(before.keySet(), stages);
                assertFalse(s.get("decisions").isEmpty(), s::toString);
                s.get("decisions").forEach(d -> assertFalse(d.get("reason").asText().isBlank(), d::toString));

                TunerCli.Result stop = TunerCli.run("stop", String.valueOf(pid));
                assertEquals(0, stop.status(), stop::toString);
                assertTrue(stop.out().get(0).equals("stopped the tuner in pid " + pid + "; restored the settings it"
                        + " found:"), stop::toString);
                assertEquals(before, knobs.read(), "every knob back where it was before the agent arrived");

                TunerCli.Result followed = follow.await();
                assertEquals(0, followed.status(), "log --follow ends by itself at the stop event: " + followed);
                assertTrue(followed.out().stream().anyMatch(l -> l.contains(" decision ")), followed::toString);
                assertTrue(followed.out().get(followed.out().size() - 1).contains(" stop "), followed::toString);
            }

            TuningLogFile file = TuningLogFile.read(log);
            assertEquals(1, file.events("start").size(), "a second attach never starts a second agent: " + file.names());
            assertEquals(1, seed.stderrLines().stream().filter(l -> l.startsWith("tuner: tuning to")).count(),
                    seed::describe);
            JsonNode stopEvent = file.all().get(file.all().size() - 1);
            assertEquals("stop", stopEvent.get("event").asText());
            assertTrue(stopEvent.get("restored").asBoolean(), stopEvent::toString);
            assertEquals(before, settings(stopEvent.get("final")), stopEvent::toString);

            TunerCli.Result again = TunerCli.run("stop", String.valueOf(pid));
            assertEquals(0, again.status(), again::toString);
            assertTrue(again.stdout().contains("was already stopped"), again::toString);
            assertTrue(seed.isAlive(), "the job runs on: " + seed.describe());

            TunerCli.Result resume = TunerCli.run("attach", String.valueOf(pid));
            assertEquals(0, resume.status(), resume::toString);
            assertTrue(resume.stdout().contains("it was stopped and tunes again"), resume::toString);
            assertTrue(listRow(TunerCli.run("list"), pid)[2].endsWith("(tuning)"), "tuning again");
            TunerCli.Result finalStop = TunerCli.run("stop", String.valueOf(pid));
            assertEquals(0, finalStop.status(), finalStop::toString);
            assertEquals(before, knobs.read(), "still every knob where it was before the agent arrived");
            file = TuningLogFile.read(log);
            assertEquals(1, file.events("start").size(), file.names()::toString);

            readTheLogItWrote(log, file);
        }
    }

    /** {@code log} on the real log: every event a line; then the same log with line 5 cut in half. */
    private void readTheLogItWrote(Path log, TuningLogFile file) throws Exception {
        TunerCli.Result read = TunerCli.run("log", log.toString());
        assertEquals(0, read.status(), read::toString);
        assertTrue(read.out().get(0).startsWith("tuning log " + log + " (times UTC, "), read::toString);
        assertTrue(read.out().get(1).matches("TIME\\s+EVENT\\s+WHAT"), read::toString);
        List<String> body = read.out().subList(2, read.out().size()).stream().filter(l -> !l.startsWith(" ")).toList();
        assertEquals(file.all().size(), body.size(), "one line per event (plus continuation lines): " + read);
        JsonNode d = file.first("decision");
        String decisionLine = d.get("stage").asText() + " " + d.get("knob").asText() + " " + d.get("from").asInt()
                + " -> " + d.get("to").asInt() + ": " + d.get("reason").asText();
        assertTrue(body.stream().anyMatch(l -> l.matches("\\d\\d:\\d\\d:\\d\\d  decision   .*")
                && l.endsWith(decisionLine)), decisionLine + "\n" + read);
        assertTrue(body.stream().anyMatch(l -> l.contains(" update     options target=0.5")), read::toString);
        assertTrue(body.stream().anyMatch(l -> l.contains(" sample     cpu ")), read::toString);
        assertTrue(body.get(body.size() - 1).contains(" stop       restored the settings it found: "), read::toString);

        List<String> lines = Files.readAllLines(log);
        String fifth = lines.get(4);
        lines.set(4, fifth.substring(0, fifth.length() / 2));
        Path cut = dir.resolve("cut.jsonl");
        Files.write(cut, lines);
        TunerCli.Result bad = TunerCli.run("log", cut.toString());
        assertEquals(1, bad.status(), bad::toString);
        assertTrue(bad.why().startsWith("tuner: line 5 of " + cut + " is not a tuning-log event"), bad::toString);
        assertEquals(2 + 4, bad.out().stream().filter(l -> !l.startsWith(" ")).count(), "the 4 events before it: " + bad);
    }

    @Test
    void stopKeepLeavesTheTunedKnobsInPlace() throws Exception {
        Path log = dir.resolve("keep.jsonl");
        try (Jvm seed = startSeed(Jvm.defaultJavaHome(), dir); StageKnobs knobs = StageKnobs.of(seed.pid())) {
            long pid = seed.pid();
            Map<String, String> before = knobs.read();
            TunerCli.Result attach = TunerCli.run("attach", String.valueOf(pid), "log=" + log);
            assertEquals(0, attach.status(), attach::toString);
            JsonNode decision = LiveLog.await(log, event("decision"), DECISION_TIMEOUT, "decision");
            LiveLog.await(log, e -> "sample".equals(e.path("event").asText())
                    && Instant.parse(e.path("ts").asText()).isAfter(Instant.parse(decision.get("ts").asText())),
                    Duration.ofSeconds(20), "sample after the first decision");

            TunerCli.Result stop = TunerCli.run("stop", String.valueOf(pid), "--keep");
            assertEquals(0, stop.status(), stop::toString);
            assertTrue(stop.out().get(0).endsWith("kept the tuned settings (--keep):"), stop::toString);
            Map<String, String> after = knobs.read();
            assertNotEquals(before, after, "the tuned settings stay");
            JsonNode stopEvent = LiveLog.await(log, event("stop"), Duration.ofSeconds(10), "stop");
            assertTrue(stopEvent.get("kept").asBoolean(), stopEvent::toString);
            assertEquals(after, settings(stopEvent.get("final")), stopEvent::toString);
            assertEquals(after, knobs.read(), "and nothing moves them after the stop");
        }
    }

    @Test
    void aJava25TargetIsTunedFromTheCommandLineOn17() throws Exception {
        Path java25 = Jvm.java25Home();
        Assumptions.assumeTrue(java25 != null, "Temurin 25 is not installed here: the Java 25 target is skipped");
        Path log = dir.resolve("j25.jsonl");
        try (Jvm seed = startSeed(java25, dir); StageKnobs knobs = StageKnobs.of(seed.pid())) {
            long pid = seed.pid();
            Map<String, String> before = knobs.read();
            TunerCli.Result attach = TunerCli.run("attach", String.valueOf(pid), "log=" + log);
            assertEquals(0, attach.status(), attach::toString);
            assertEquals(1, attach.err().stream().filter(l -> l.contains("-XX:+EnableDynamicAgentLoading")).count(),
                    "one note about the JVM's warning: " + attach);
            assertTrue(attach.stdout().contains("(Java 25"), attach::toString);
            LiveLog.await(log, event("decision"), DECISION_TIMEOUT, "decision");

            TunerCli.Result status = TunerCli.run("status", String.valueOf(pid), "--json");
            assertEquals(0, status.status(), status::toString);
            assertTrue(json(status.stdout()).get("java").asText().startsWith("25"), status::toString);

            TunerCli.Result stop = TunerCli.run("stop", String.valueOf(pid));
            assertEquals(0, stop.status(), stop::toString);
            assertEquals(before, knobs.read());
        }
    }

    @Test
    void theCommandLineOnJava25TunesAJava17Target() throws Exception {
        Path java25 = Jvm.java25Home();
        Assumptions.assumeTrue(java25 != null, "Temurin 25 is not installed here: the command line on 25 is skipped");
        Path log = dir.resolve("cli25.jsonl");
        try (Jvm seed = startSeed(Jvm.defaultJavaHome(), dir); StageKnobs knobs = StageKnobs.of(seed.pid())) {
            long pid = seed.pid();
            Map<String, String> before = knobs.read();
            TunerCli.Result attach = TunerCli.runOn(java25, "attach", String.valueOf(pid), "log=" + log);
            assertEquals(0, attach.status(), attach::toString);
            assertFalse(attach.err().stream().anyMatch(l -> l.contains("EnableDynamicAgentLoading")), attach::toString);
            assertNotNull(LiveLog.await(log, event("decision"), DECISION_TIMEOUT, "decision"));

            TunerCli.Result status = TunerCli.runOn(java25, "status", String.valueOf(pid));
            assertEquals(0, status.status(), status::toString);
            assertTrue(status.out().get(0).startsWith("pid " + pid + "  Java 17"), status::toString);

            TunerCli.Result stop = TunerCli.runOn(java25, "stop", String.valueOf(pid));
            assertEquals(0, stop.status(), stop::toString);
            assertEquals(before, knobs.read());
        }
    }
}
