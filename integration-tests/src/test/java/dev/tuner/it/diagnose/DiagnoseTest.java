package dev.tuner.it.diagnose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuner.it.cli.StageKnobs;
import dev.tuner.it.cli.TunerCli;
import dev.tuner.it.support.Artifacts;
import dev.tuner.it.support.Jvm;
import dev.tuner.it.support.LiveLog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar tuner.jar diagnose <pid>} on live JVMs, as the incident's engineers would have run
 * it: it names the stage that starves the rest and the lock a pool queues on, recommends settings, and
 * changes nothing (knobs read over JMX and from the apps' own progress lines, before and after).
 */
class DiagnoseTest {
    @TempDir
    Path dir;

    @Test
    void onTheSeedItNamesTheReaderTheOthersStarveBehindAndRecommendMoreReadersChangingNothing() throws Exception {
        try (Jvm seed = Targets.seed(Jvm.defaultJavaHome(), dir, List.of(), 120); StageKnobs knobs = StageKnobs.of(seed.pid())) {
            long pid = seed.pid();
            Map<String, String> before = knobs.read();

            TunerCli.Result text = TunerCli.run("diagnose", String.valueOf(pid), "--seconds", "5");
            assertEquals(0, text.status(), text::toString);
            List<String> out = text.out();
            assertTrue(out.get(0).startsWith("pid " + pid + "  Java 17") && out.get(0).endsWith(
                    "diagnose changed nothing (no tuner runs here)"), text::toString);
            String all = text.stdout();
            int cores = all.indexOf("\ncores: ");
            int threads = all.indexOf("\nthreads (top -H");
            int frames = all.indexOf("\ntop CPU frames (");
            int locks = all.indexOf("\ntop lock sites (");
            int verdict = all.indexOf("\nverdict:");
            int settings = all.indexOf("\nrecommended settings");
            assertTrue(0 < cores && cores < threads && threads < frames && frames < locks && locks < verdict
                    && verdict < settings, "sections in the incident's order:\n" + text);
            for (String stage : before.keySet()) {
                assertTrue(out.stream().anyMatch(l -> l.startsWith("  " + stage + " ")), stage + " in the thread table\n"
                        + text);
            }
            assertTrue(out.stream().anyMatch(l -> l.contains("In pipeline seed, seed/read holds the rest")
                    && l.contains("starve behind it")), text::toString);
            assertTrue(out.stream().anyMatch(l -> l.matches("  seed/read\\s+parallelism\\s+1\\s+\\d+")
                    && Integer.parseInt(l.trim().split("\\s+")[3]) > 1), "more readers recommended:\n" + text);

            TunerCli.Result asJson = TunerCli.run("diagnose", String.valueOf(pid), "--seconds", "3", "--json");
            assertEquals(0, asJson.status(), asJson::toString);
            assertEquals(1, asJson.out().size(), "one line: " + asJson);
            JsonNode r = Targets.json(asJson.stdout());
            assertEquals(pid, r.get("pid").asLong());
            assertFalse(r.get("changed").asBoolean());
            assertTrue(r.get("tuner").isNull(), r::toString);
            assertEquals("seed/read", r.get("bottlenecks").get("seed").asText(), r::toString);
            assertTrue(r.get("recommended").get("seed/read").get("parallelism").asInt() > 1, r::toString);
            Set<String> starved = r.get("stages").properties().stream()
                    .filter(e -> "starved".equals(e.getValue().get("label").asText())).map(Map.Entry::getKey)
                    .collect(Collectors.toSet());
            assertFalse(starved.isEmpty(), "the consumers starve: " + r.get("stages"));
            assertTrue(r.get("cpu").get("cores_busy").asDouble() > 0, r::toString);
            assertTrue(r.get("threads").size() > 4, r::toString);

            assertEquals(before, knobs.read(), "diagnose changed no knob");
            List<String> seen = Targets.matches(seed.stdoutLines(), Targets.SEED_KNOBS);
            assertTrue(seen.size() >= 8, seed::describe);
            assertEquals(Set.of("read=1 parse=1 prefetch=2 (read.prefetch=16 parse.prefetch=16)"), Set.copyOf(seen),
                    "the seed's own progress lines show the knobs never moved");
            String listed = TunerCli.run("list").out().stream().filter(l -> l.trim().startsWith(pid + " ")).findFirst()
                    .orElseThrow();
            assertEquals("-", listed.trim().split("\\s{2,}")[2], "diagnose started no tuner: " + listed);
        }
    }

    @Test
    void onTheLockBoundAppItNamesTheMonitorsClassChangingNothing() throws Exception {
        try (Jvm app = Targets.lockBound(dir, List.of(), 120, 2)) {
            TunerCli.Result text = TunerCli.run("diagnose", String.valueOf(app.pid()), "--seconds", "5");
            assertEquals(0, text.status(), text::toString);
            List<String> out = text.out();
            int locks = out.indexOf(out.stream().filter(l -> l.startsWith("top lock sites (")).findFirst().orElseThrow());
            assertTrue(out.get(locks + 2).matches("  ledger-\\*\\s+\\d+%\\s+\\d+%\\s+dev\\.tuner\\.examples\\.lockbound\\.Ledger"
                    + "\\s+monitor\\s+dev\\.tuner\\.examples\\.lockbound\\.Ledger\\.post"), "the ledger pool's top lock:\n"
                    + text);
            assertTrue(out.stream().anyMatch(l -> l.contains("threads of ledger-* spent")
                    && l.contains("waiting for dev.tuner.examples.lockbound.Ledger (monitor)")), "the verdict names it:\n"
                    + text);

            assertTrue(app.awaitOutput(l -> Targets.THREADS.matcher(l).find() && app.stdoutLines().size() > 12,
                    Duration.ofSeconds(30)), app::describe);
            List<String> sizes = app.stdoutLines().stream().map(Targets.THREADS::matcher).filter(m -> m.find())
                    .map(m -> m.group(1)).distinct().toList();
            assertEquals(List.of("2"), sizes, "the pool kept its two threads: " + app.describe());
        }
    }

    @Test
    void aTunerInTuneModeGoesOnAndDiagnoseChangesNothingItself() throws Exception {
        Path log = dir.resolve("tuner.jsonl");
        // a tuner in tune mode whose first decision is minutes away: every knob that moves would be diagnose's
        List<String> agent = List.of("-javaagent:" + Artifacts.agentJar() + "=log=" + log + ",interval=60s");
        try (Jvm seed = Targets.seed(Jvm.defaultJavaHome(), dir, agent, 120); StageKnobs knobs = StageKnobs.of(seed.pid())) {
            // the agent starts on its own thread at launch: wait until it runs
            assertTrue(seed.awaitOutput(l -> l.startsWith("tuner: tuning to"), Duration.ofSeconds(60)), seed::describe);
            Map<String, String> before = knobs.read();
            TunerCli.Result run = TunerCli.run("diagnose", String.valueOf(seed.pid()), "--seconds", "3", "--json");
            assertEquals(0, run.status(), run::toString);
            JsonNode r = Targets.json(run.stdout());
            assertEquals("tune", r.get("tuner").asText(), r::toString);
            assertFalse(r.get("changed").asBoolean());
            assertTrue(r.get("knobs_moved").isEmpty(), r::toString);
            assertTrue(r.get("recommended").get("seed/read").get("parallelism").asInt() > 1, r::toString);
            assertEquals(before, knobs.read());
            assertTrue(LiveLog.events(log, "decision").isEmpty(), "no decision in the log");
        }
    }

    @Test
    void aJava25TargetIsDiagnosedFromTheCommandLineOn17() throws Exception {
        Path java25 = Jvm.java25Home();
        Assumptions.assumeTrue(java25 != null, "Temurin 25 is not installed here: the Java 25 target is skipped");
        try (Jvm seed = Targets.seed(java25, dir, List.of(), 120); StageKnobs knobs = StageKnobs.of(seed.pid())) {
            Map<String, String> before = knobs.read();
            TunerCli.Result run = TunerCli.run("diagnose", String.valueOf(seed.pid()), "--seconds", "4", "--json");
            assertEquals(0, run.status(), run::toString);
            JsonNode r = Targets.json(run.stdout());
            assertTrue(r.get("java").asText().startsWith("25"), r::toString);
            assertEquals("seed/read", r.get("bottlenecks").get("seed").asText(), r::toString);
            assertEquals(1, run.err().stream().filter(l -> l.contains("-XX:+EnableDynamicAgentLoading")).count(),
                    "one note about the JVM's warning: " + run);
            assertEquals(before, knobs.read());
        }
    }
}
