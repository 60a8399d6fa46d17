package dev.tuner.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuner.agent.config.AgentOptions;
import dev.tuner.agent.log.LogListener;
import dev.tuner.agent.log.TuningLog;
import dev.tuner.agent.profiler.LockWatch;
import dev.tuner.agent.profiler.Profiler;
import dev.tuner.agent.sampling.AgentCpu;
import dev.tuner.agent.sampling.ProcessSampler;
import dev.tuner.agent.sampling.ThreadSampler;
import dev.tuner.agent.stages.StageReading;
import dev.tuner.agent.stages.StageSource;
import dev.tuner.engine.Controller;
import dev.tuner.engine.Knob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loop contains its own failures: each kind is logged once, and it gives up after five in a row. */
class TuningLoopTest {
    @TempDir
    Path dir;

    /** A source whose reading fails {@code failing} times, then works (and holds no stage). */
    private static final class Flaky implements StageSource {
        final AtomicInteger reads = new AtomicInteger();
        final int failing;

        Flaky(int failing) {
            this.failing = failing;
        }

        @Override
        public List<StageReading> read() {
            if (reads.incrementAndGet() <= failing) {
                throw new IllegalStateException("the bean went away");
            }
            return List.of();
        }

        @Override
        public boolean apply(String stageId, Knob knob, int value) {
            return false;
        }

        @Override
        public boolean restore() {
            return true;
        }
    }

    private TuningLoop loop(TuningLog log, StageSource source, Runnable onGiveUp) throws Exception {
        LogListener events = new LogListener(log);
        ThreadSampler threads = new ThreadSampler();
        AgentCpu cpu = new AgentCpu();
        Controller controller = new Controller(AgentOptions.parse("cores=2").toSettings(false), (s, k, v) -> false,
                events);
        return new TuningLoop(List.of(source), threads, new ProcessSampler(threads, System::nanoTime, cpu::cpuNanos),
                controller, events, new LockWatch(Profiler.shared(), () -> false, events, cpu), cpu, 100, onGiveUp);
    }

    @Test
    void fiveFailingIntervalsInARowStopTheLoopAndSaySoOnce() throws Exception {
        try (TuningLog log = TuningLog.open(dir.resolve("t.jsonl"), 1)) {
            CountDownLatch gaveUp = new CountDownLatch(1);
            Flaky source = new Flaky(Integer.MAX_VALUE);
            TuningLoop loop = loop(log, source, gaveUp::countDown);
            loop.start();
            assertTrue(gaveUp.await(30, TimeUnit.SECONDS), "the loop gave up");
            Thread.sleep(300);
            assertEquals(TuningLoop.MAX_CONSECUTIVE_FAILURES, source.reads.get(), "no interval after giving up");
            assertEquals(TuningLoop.MAX_CONSECUTIVE_FAILURES, loop.failures());
            List<String> lines = Files.readAllLines(log.path());
            assertEquals(1, lines.stream().filter(l -> l.contains("an interval failed")).count(),
                    "one failure of one kind is logged once: " + lines);
            assertEquals(1, lines.stream().filter(l -> l.contains("stopping tuning after 5 failing intervals")).count(),
                    lines::toString);
            loop.stop();
        }
    }

    @Test
    void failuresThatStopBeforeFiveLeaveTheLoopRunning() throws Exception {
        try (TuningLog log = TuningLog.open(dir.resolve("t.jsonl"), 1)) {
            AtomicInteger gaveUp = new AtomicInteger();
            Flaky source = new Flaky(TuningLoop.MAX_CONSECUTIVE_FAILURES - 1);
            TuningLoop loop = loop(log, source, gaveUp::incrementAndGet);
            loop.start();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (source.reads.get() < TuningLoop.MAX_CONSECUTIVE_FAILURES + 3 && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            loop.stop();
            assertTrue(source.reads.get() >= TuningLoop.MAX_CONSECUTIVE_FAILURES + 3, "it went on reading");
            assertEquals(0, gaveUp.get());
            assertEquals(TuningLoop.MAX_CONSECUTIVE_FAILURES - 1, loop.failures());
        }
    }
}
