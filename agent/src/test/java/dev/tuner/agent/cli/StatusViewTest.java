package dev.tuner.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tuner's status JSON in, the exact table out; and a stop as tuned-versus-now rows. */
class StatusViewTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void statusIsReadableAtAGlance() throws Exception {
        String json = "{\"pid\":42,\"java\":\"17.0.15\",\"version\":\"0.1.0\",\"state\":\"converged\",\"mode\":\"tune\","
                + "\"target\":0.9,\"cores\":2.0,\"log\":\"/tmp/t.jsonl\",\"options\":\"target=0.9\",\"rounds\":2,"
                + "\"failures\":0,\"utilization\":0.873,\"cores_busy\":1.746,\"stages\":{"
                + "\"seed/read\":{\"source\":\"jmx\",\"parallelism\":4,\"min_parallelism\":1,\"max_parallelism\":128,"
                + "\"prefetch\":64,\"min_prefetch\":1,\"max_prefetch\":4096,\"throughput\":130.2,\"label\":\"io-bound\"},"
                + "\"seed/train\":{\"source\":\"jmx\",\"parallelism\":1,\"min_parallelism\":1,\"max_parallelism\":1,"
                + "\"prefetch\":-1,\"min_prefetch\":-1,\"max_prefetch\":-1,\"throughput\":8.61,\"label\":\"starved\"}},"
                + "\"decisions\":[{\"round\":1,\"stage\":\"seed/read\",\"knob\":\"parallelism\",\"from\":1,\"to\":4,"
                + "\"reason\":\"seed/read is io-bound\",\"applied\":true},{\"round\":2,\"stage\":\"seed/read\","
                + "\"knob\":\"prefetch\",\"from\":16,\"to\":64,\"reason\":\"its buffer ran dry\",\"applied\":true}],"
                + "\"converged\":{\"limit\":{\"kind\":\"target\",\"stage\":null,\"message\":\"utilization reached the target\","
                + "\"figures\":{\"utilization\":0.87}},\"recommended\":{"
                + "\"seed/read\":{\"parallelism\":4,\"prefetch\":64}}}}";
        assertEquals(List.of(
                "pid 42  Java 17.0.15  tuner 0.1.0  state converged (tune mode, 2 rounds, 0 failures)",
                "utilization 87% of 2 cores (1.7 busy), target 90%",
                "options target=0.9",
                "log /tmp/t.jsonl",
                "",
                "STAGE       SOURCE  PARALLELISM  PREFETCH      THROUGHPUT  LABEL",
                "seed/read   jmx     4 (1..128)   64 (1..4096)       130/s  io-bound",
                "seed/train  jmx     1 (1..1)     -                  8.6/s  starved",
                "",
                "last decisions:",
                "  ROUND  STAGE      KNOB         FROM  TO  REASON",
                "      1  seed/read  parallelism     1   4  seed/read is io-bound",
                "      2  seed/read  prefetch       16  64  its buffer ran dry",
                "",
                "converged: target: utilization reached the target",
                "recommended: seed/read parallelism=4 prefetch=64"), StatusView.render(MAPPER.readTree(json)));
    }

    @Test
    void beforeTheFirstIntervalItSaysWhatIsMissing() throws Exception {
        String json = "{\"pid\":42,\"java\":\"25\",\"version\":\"0.1.0\",\"state\":\"starting\",\"mode\":\"advise\","
                + "\"target\":0.5,\"cores\":2.0,\"log\":\"/tmp/t.jsonl\",\"options\":\"\",\"rounds\":0,\"failures\":0,"
                + "\"decisions\":[]}";
        assertEquals(List.of(
                "pid 42  Java 25  tuner 0.1.0  state starting (advise mode, 0 rounds, 0 failures)",
                "utilization not measured yet (the first interval is still running), target 50%",
                "options (defaults)",
                "log /tmp/t.jsonl",
                "",
                "no stages found yet (an app publishes them as dev.tuner:type=Stage MXBeans)",
                "",
                "no decision yet"), StatusView.render(MAPPER.readTree(json)));
    }

    @Test
    void aStopShowsEachKnobAsTunedAndAsItIsNow() throws Exception {
        String json = "{\"at\":\"2026-11-25T12:00:00Z\",\"kept\":false,\"restored\":true,"
                + "\"before\":{\"seed/read\":{\"parallelism\":4,\"prefetch\":64},\"seed/train\":{\"parallelism\":1}},"
                + "\"final\":{\"seed/read\":{\"parallelism\":1,\"prefetch\":16},\"seed/train\":{\"parallelism\":1}}}";
        assertEquals(List.of(
                "stopped the tuner in pid 42; restored the settings it found:",
                "  STAGE       KNOB         TUNED  NOW",
                "  seed/read   parallelism      4    1  restored",
                "  seed/read   prefetch        64   16  restored",
                "  seed/train  parallelism      1    1"), StopCommand.render(42, MAPPER.readTree(json)));
        String kept = json.replace("\"kept\":false,\"restored\":true", "\"kept\":true,\"restored\":false")
                .replace("\"final\":{\"seed/read\":{\"parallelism\":1,\"prefetch\":16}",
                        "\"final\":{\"seed/read\":{\"parallelism\":4,\"prefetch\":64}");
        assertEquals(List.of(
                "stopped the tuner in pid 42; kept the tuned settings (--keep):",
                "  STAGE       KNOB         TUNED  NOW",
                "  seed/read   parallelism      4    4",
                "  seed/read   prefetch        64   64",
                "  seed/train  parallelism      1    1"), StopCommand.render(42, MAPPER.readTree(kept)));
    }
}
