package dev.tuner.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuner.agent.config.AgentOptions;
import dev.tuner.agent.log.LogListener;
import dev.tuner.agent.log.TuningLog;
import dev.tuner.agent.profiler.LockWatch;
import dev.tuner.agent.profiler.Profiler;
import dev.tuner.agent.sampling.AgentCpu;
import dev.tuner.agent.stages.FoundSettings;
import dev.tuner.agent.stages.StageReading;
import dev.tuner.agent.status.StopReport;
import dev.tuner.pipeline.Pipeline;
import dev.tuner.stage.Emitter;
import dev.tuner.stage.StageConfig;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A session's lifecycle on a real pipeline in this JVM: it starts and tunes, an update reaches it, a stop
 * puts back every knob it changed (or keeps them), and a new session on the same shared parts tunes again
 * and still restores what was found before the first change.
 */
class TuningSessionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String READ = "sessiontest/read";

    @TempDir
    Path dir;
    private final AtomicBoolean done = new AtomicBoolean();
    private Pipeline<Void> pipeline;
    private TuningLog log;
    private TuningSession.Shared shared;

    @BeforeEach
    void start() throws Exception {
        // One reader asleep 2 ms an item starves a sink that does nothing: the tuner raises the reader.
        Iterator<Integer> endless = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return !done.get();
            }

            @Override
            public Integer next() {
                return 1;
            }
        };
        pipeline = Pipeline.from("sessiontest", endless)
                .stage("read", StageConfig.parallelism(1).withParallelismBounds(1, 16).withDaemonWorkers(true),
                        (Integer i, Emitter<Integer> out) -> {
                            Thread.sleep(2);
                            out.emit(i);
                        })
                .sink("use", StageConfig.parallelism(1).withDaemonWorkers(true), i -> { });
        pipeline.start();
        log = TuningLog.open(dir.resolve("session.jsonl"), ProcessHandle.current().pid());
        LogListener events = new LogListener(log);
        AgentCpu cpu = new AgentCpu();
        shared = new TuningSession.Shared(events, new LockWatch(Profiler.shared(), () -> false, events, cpu), cpu,
                new FoundSettings(), ManagementFactory.getPlatformMBeanServer());
    }

    @AfterEach
    void close() {
        done.set(true);
        pipeline.close();
        log.close();
    }

    @Test
    void aStopRestoresWhatTheSessionChangedAndANewSessionTunesAgain() throws Exception {
        AgentOptions options = AgentOptions.parse("interval=200ms,cores=2");
        TuningSession first = TuningSession.begin(options, true, shared, () -> { });
        JsonNode raise = await(e -> e.path("event").asText().equals("decision") && READ.equals(e.path("stage").asText()));
        assertEquals(1, raise.get("from").asInt(), raise::toString);
        assertTrue(raise.get("to").asInt() > 1, raise::toString);

        first.update(AgentOptions.parse("interval=300ms,cores=2,target=0.8"));
        assertEquals(0.8, first.controller().settings().target(), 1e-9, "the update reached the controller");

        StopReport stop = first.stop(false);
        assertTrue(stop.restored(), stop::toString);
        assertFalse(stop.kept());
        assertTrue(stop.before().get(READ).parallelism() > 1, stop::toString);
        assertEquals(new StageReading.KnobSettings(1, 16), stop.after().get(READ), stop::toString);
        assertEquals(1, pipeline.stage("read").parallelism(), "the stage itself is back at 1");

        int decided = count(e -> e.path("event").asText().equals("decision"));
        TuningSession second = TuningSession.begin(options, true, shared, () -> { });
        await(e -> e.path("event").asText().equals("decision") && READ.equals(e.path("stage").asText()),
                decided + 1);
        StopReport kept = second.stop(true);
        assertTrue(kept.kept());
        assertFalse(kept.restored());
        assertTrue(pipeline.stage("read").parallelism() > 1, "--keep leaves the tuned value");
        assertEquals(kept.before(), kept.after());
    }

    /** The first log event that matches, waiting up to 30 s for it. */
    private JsonNode await(Predicate<JsonNode> wanted) throws Exception {
        return await(wanted, 1);
    }

    /** The {@code nth} log event that matches, waiting up to 30 s for it. */
    private JsonNode await(Predicate<JsonNode> wanted, int nth) throws Exception {
        long until = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < until) {
            List<JsonNode> matching = events().stream().filter(wanted).toList();
            if (matching.size() >= nth) {
                return matching.get(nth - 1);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no event #" + nth + " of the kind wanted in 30 s; the log: " + events());
    }

    private int count(Predicate<JsonNode> wanted) throws Exception {
        return (int) events().stream().filter(wanted).count();
    }

    private List<JsonNode> events() throws Exception {
        List<JsonNode> all = new ArrayList<>();
        for (String line : Files.readAllLines(log.path())) {
            if (!line.isBlank()) {
                all.add(JSON.readTree(line));
            }
        }
        return all;
    }
}
