package dev.tuner.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Fixed tuning-log lines in, the exact lines a person reads out. */
class LogViewTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static List<String> render(String json) throws Exception {
        return LogView.render(MAPPER.readTree(json));
    }

    @Test
    void start() throws Exception {
        assertEquals(List.of("12:00:01  start      pid 42, Java 17.0.15, 2 cores, target 90%, tune mode, every 1000 ms,"
                        + " attached; options target=0.9"),
                render("{\"ts\":\"2026-11-25T12:00:01.5Z\",\"event\":\"start\",\"pid\":42,\"java\":\"17.0.15\","
                        + "\"cores\":2.0,\"target\":0.9,\"mode\":\"tune\",\"interval_ms\":1000,\"attached\":true,"
                        + "\"options\":\"target=0.9\"}"));
    }

    @Test
    void discoverShowsKnobsAndBounds() throws Exception {
        assertEquals(List.of("12:00:01  discover   seed/read (jmx): parallelism 1 (1..128), prefetch 16 (1..4096)"),
                render("{\"ts\":\"2026-11-25T12:00:01Z\",\"event\":\"discover\",\"stage\":\"seed/read\",\"source\":\"jmx\","
                        + "\"parallelism\":1,\"min_parallelism\":1,\"max_parallelism\":128,\"prefetch\":16,"
                        + "\"min_prefetch\":1,\"max_prefetch\":4096}"));
        assertEquals(List.of("12:00:01  discover   seed/train (jmx): parallelism 1 (1..1), prefetch -"),
                render("{\"ts\":\"2026-11-25T12:00:01Z\",\"event\":\"discover\",\"stage\":\"seed/train\",\"source\":\"jmx\","
                        + "\"parallelism\":1,\"min_parallelism\":1,\"max_parallelism\":1,\"prefetch\":-1,"
                        + "\"min_prefetch\":-1,\"max_prefetch\":-1}"));
    }

    @Test
    void aSampleIsOneCondensedLine() throws Exception {
        assertEquals(List.of("12:00:02  sample     cpu  32% (0.6 cores)  read p1 f16 33/s io-bound | train p1 8.6/s"
                        + " starved | threads R6 T6 W3"),
                render("{\"ts\":\"2026-11-25T12:00:02Z\",\"event\":\"sample\",\"cpu\":0.3204,\"cores_busy\":0.6408,"
                        + "\"threads\":{\"RUNNABLE\":6,\"TIMED_WAITING\":6,\"WAITING\":3},\"stages\":{"
                        + "\"seed/read\":{\"parallelism\":1,\"prefetch\":16,\"throughput\":33.1,\"label\":\"io-bound\"},"
                        + "\"seed/train\":{\"parallelism\":1,\"prefetch\":-1,\"throughput\":8.55,\"label\":\"starved\"}}}"));
    }

    @Test
    void stagesOfSeveralPipelinesKeepTheirFullNames() throws Exception {
        assertEquals(List.of("12:00:02  sample     cpu   5%  a/x p2 10/s | b/y p3 ? cpu-bound"),
                render("{\"ts\":\"2026-11-25T12:00:02Z\",\"event\":\"sample\",\"cpu\":0.05,\"stages\":{"
                        + "\"a/x\":{\"parallelism\":2,\"throughput\":10,\"label\":null},"
                        + "\"b/y\":{\"parallelism\":3,\"throughput\":null,\"label\":\"cpu-bound\"}}}"));
    }

    @Test
    void aDecisionIsStageKnobFromToAndTheReason() throws Exception {
        String line = "{\"ts\":\"2026-11-25T12:00:03Z\",\"event\":\"decision\",\"stage\":\"seed/read\","
                + "\"knob\":\"parallelism\",\"from\":1,\"to\":5,\"reason\":\"seed/read is io-bound\",\"applied\":%s}";
        assertEquals(List.of("12:00:03  decision   seed/read parallelism 1 -> 5: seed/read is io-bound"),
                render(String.format(line, "true")));
        assertEquals(List.of("12:00:03  decision   seed/read parallelism 1 -> 5: seed/read is io-bound (advise: not"
                + " applied)"), render(String.format(line, "false")));
    }

    @Test
    void verifyAndRollback() throws Exception {
        assertEquals(List.of("12:00:05  verify     seed/read parallelism 1 -> 5 kept: throughput 32/s -> 111/s"
                        + " (expected 101/s)"),
                render("{\"ts\":\"2026-11-25T12:00:05Z\",\"event\":\"verify\",\"stage\":\"seed/read\",\"knob\":"
                        + "\"parallelism\",\"expected\":101.2,\"measured\":111.4,\"before\":32.0,\"from\":1,\"to\":5}"));
        assertEquals(List.of("12:00:07  rollback   seed/parse parallelism 2 -> 4 rolled back: throughput 110/s ->"
                        + " 108/s, expected 200/s. throughput did not follow"),
                render("{\"ts\":\"2026-11-25T12:00:07Z\",\"event\":\"rollback\",\"stage\":\"seed/parse\",\"knob\":"
                        + "\"parallelism\",\"expected\":200,\"measured\":108,\"before\":110,\"from\":2,\"to\":4,"
                        + "\"reason\":\"throughput did not follow\"}"));
    }

    @Test
    void aVerificationSaysTheWindowsAndTheNoiseItRestedOn() throws Exception {
        assertEquals(List.of("12:00:05  verify     seed/read parallelism 1 -> 5 kept: throughput 32/s -> 111/s"
                        + " (expected 101/s); 3 intervals against 2 before, noise 1.2% an interval"),
                render("{\"ts\":\"2026-11-25T12:00:05Z\",\"event\":\"verify\",\"stage\":\"seed/read\",\"knob\":"
                        + "\"parallelism\",\"expected\":101.2,\"measured\":111.4,\"before\":32.0,\"from\":1,\"to\":5,"
                        + "\"intervals\":3,\"before_intervals\":2,\"noise\":0.012}"));
    }

    @Test
    void aRetuneSaysWhatMoved() throws Exception {
        assertEquals(List.of("12:00:05  retune     the throughput of pipeline seed moved -50%"),
                render("{\"ts\":\"2026-11-25T12:00:05Z\",\"event\":\"retune\",\"reason\":"
                        + "\"the throughput of pipeline seed moved -50%\"}"));
    }

    @Test
    void convergedSaysTheLimitAndTheRecommendedSettingsOnContinuationLines() throws Exception {
        assertEquals(List.of(
                        "12:00:09  converged  cpu 88%, throughput seed/read 120/s, seed/train 30/s, after 3 rounds",
                        "                     limit target: utilization reached the target",
                        "                     recommended: seed/read parallelism=4 prefetch=64; seed/train parallelism=1"),
                render("{\"ts\":\"2026-11-25T12:00:09Z\",\"event\":\"converged\",\"cpu\":0.88,\"throughput\":{"
                        + "\"seed/read\":120.4,\"seed/train\":30.1},\"limit\":{\"kind\":\"target\",\"stage\":null,"
                        + "\"message\":\"utilization reached the target\"},\"recommended\":{\"seed/read\":{"
                        + "\"parallelism\":4,\"prefetch\":64},\"seed/train\":{\"parallelism\":1}},\"rounds\":3}"));
    }

    @Test
    void locksNameTheTopSiteAndTheOthersOnContinuationLines() throws Exception {
        assertEquals(List.of("12:00:08  locks      lb/post: app.Books (monitor) at app.Books.post, 90% of the lock wait"
                        + " (workers waited 67% of a 1.5 s lock recording)",
                        "                     also java.util.concurrent.locks.ReentrantLock (lock) at app.Work.run, 10% of"
                                + " the lock wait"),
                render("{\"ts\":\"2026-11-25T12:00:08Z\",\"event\":\"locks\",\"stage\":\"lb/post\",\"lock\":"
                        + "\"app.Books\",\"frame\":\"app.Books.post\",\"share\":0.9,\"wait_share\":0.6656,\"threads\":5,"
                        + "\"window_ms\":1500,\"source\":\"async-profiler\",\"sites\":[{\"lock\":\"app.Books\",\"kind\":"
                        + "\"monitor\",\"frame\":\"app.Books.post\",\"share\":0.9,\"wait_ms\":4000},{\"lock\":"
                        + "\"java.util.concurrent.locks.ReentrantLock\",\"kind\":\"lock\",\"frame\":\"app.Work.run\","
                        + "\"share\":0.1,\"wait_ms\":400}]}"));
        assertEquals(List.of("12:00:08  locks      lb/post: no contended lock seen (workers waited 0% of a 1.5 s lock"
                        + " recording)"),
                render("{\"ts\":\"2026-11-25T12:00:08Z\",\"event\":\"locks\",\"stage\":\"lb/post\",\"lock\":null,"
                        + "\"frame\":null,\"share\":0,\"wait_share\":0,\"window_ms\":1500,\"sites\":[]}"));
    }

    @Test
    void updateWarningErrorAndStop() throws Exception {
        assertEquals(List.of("12:00:10  update     options target=0.5; now in effect: target=0.5,interval=1s"),
                render("{\"ts\":\"2026-11-25T12:00:10Z\",\"event\":\"update\",\"options\":{\"target\":\"0.5\"},"
                        + "\"effective\":\"target=0.5,interval=1s\"}"));
        assertEquals(List.of("12:00:11  warning    dropped stage x/y"),
                render("{\"ts\":\"2026-11-25T12:00:11Z\",\"event\":\"warning\",\"message\":\"dropped stage x/y\"}"));
        assertEquals(List.of("12:00:12  stop       restored the settings it found: seed/read p1 f16, seed/train p1"),
                render("{\"ts\":\"2026-11-25T12:00:12Z\",\"event\":\"stop\",\"restored\":true,\"kept\":false,\"final\":{"
                        + "\"seed/read\":{\"parallelism\":1,\"prefetch\":16},\"seed/train\":{\"parallelism\":1}}}"));
        assertEquals(List.of("12:00:12  stop       kept the tuned settings: seed/read p4 f64"),
                render("{\"ts\":\"2026-11-25T12:00:12Z\",\"event\":\"stop\",\"restored\":false,\"kept\":true,\"final\":{"
                        + "\"seed/read\":{\"parallelism\":4,\"prefetch\":64}}}"));
        assertEquals(List.of("12:00:12  stop       not restored (the JVM is exiting): seed/read p4 f64"),
                render("{\"ts\":\"2026-11-25T12:00:12Z\",\"event\":\"stop\",\"restored\":false,\"reason\":"
                        + "\"the JVM is exiting\",\"final\":{\"seed/read\":{\"parallelism\":4,\"prefetch\":64}}}"));
    }

    @Test
    void anUnknownEventShowsItsFields() throws Exception {
        assertEquals(List.of("12:00:13  profile    file=\"x.jfr\" seconds=5"),
                render("{\"ts\":\"2026-11-25T12:00:13Z\",\"event\":\"profile\",\"file\":\"x.jfr\",\"seconds\":5}"));
    }
}
