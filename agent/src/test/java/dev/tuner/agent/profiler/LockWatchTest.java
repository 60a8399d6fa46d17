package dev.tuner.agent.profiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuner.agent.sampling.AgentCpu;
import dev.tuner.agent.stages.SourceKind;
import dev.tuner.agent.stages.StageReading;
import dev.tuner.engine.Bottleneck;
import dev.tuner.engine.Diagnosis;
import dev.tuner.engine.Label;
import dev.tuner.engine.LockSite;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LockWatchTest {
    private final CountDownLatch stop = new CountDownLatch(1);
    private Thread worker;
    private Thread other;
    private final List<LockWatch.LockReport> reports = new CopyOnWriteArrayList<>();
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final LockWatch.Listener listener = new LockWatch.Listener() {
        @Override
        public void locks(LockWatch.LockReport report) {
            reports.add(report);
        }

        @Override
        public void warning(String message) {
            warnings.add(message);
        }
    };

    @BeforeEach
    void workers() {
        worker = parked("lw-work-1");
        other = parked("lw-sink-1");
    }

    @AfterEach
    void release() throws InterruptedException {
        stop.countDown();
        worker.join();
        other.join();
    }

    private Thread parked(String name) {
        Thread t = new Thread(() -> {
            try {
                stop.await();
            } catch (InterruptedException ignored) {
                // ends the test thread
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private List<StageReading> readings() {
        return List.of(reading("lw/work", worker), reading("lw/sink", other));
    }

    private static StageReading reading(String id, Thread thread) {
        return new StageReading(id, "lw", SourceKind.JMX, 2, 1, 8, -1, -1, -1, 0, 0, 0, 0, 0, new long[] {thread.getId()}, null);
    }

    private static Diagnosis lockBound(String stage) {
        return new Diagnosis(Map.of(stage, Label.LOCK_BOUND), Map.of("lw", Bottleneck.stage(stage)));
    }

    private static final String DUMP = """
            [lw-work-1 tid=11];java/lang/Thread.run;app/Work.apply;app/Ledger.post;app.Ledger_[i] 300000000
            [lw-work-1 tid=11];java/lang/Thread.run;app/Work.apply;app.Other_[i] 100000000
            [main tid=1];app/Main.main;app.Ledger_[i] 999
            """;

    private static void awaitIdle(LockWatch watch) throws Exception {
        watch.awaitIdle(10, TimeUnit.SECONDS);
    }

    @Test
    void aLockBoundStageIsProfiledOnceInItsWindowAndItsLockTakesPrecedence() throws Exception {
        ProfilerTest.FakeEngine engine = new ProfilerTest.FakeEngine(Set.of(), DUMP);
        AtomicLong clock = new AtomicLong();
        try (LockWatch watch = new LockWatch(new Profiler(() -> engine), () -> true, listener, new AgentCpu(), clock::get, 10)) {
            watch.afterSample(new Diagnosis(Map.of("lw/work", Label.CPU_BOUND), Map.of()), readings());
            awaitIdle(watch);
            assertTrue(engine.commands.isEmpty(), "nothing lock-bound, no recording: " + engine.commands);

            watch.afterSample(lockBound("lw/work"), readings());
            awaitIdle(watch);
            assertEquals(1, reports.size(), reports::toString);
            LockWatch.LockReport report = reports.get(0);
            assertEquals("lw/work", report.stage());
            assertEquals(1, report.threads());
            assertEquals(new LockSite("app.Ledger", "app.Ledger.post", 300000000, 0.75, LockSite.FoundBy.PROFILER), report.sites().get(0));
            assertEquals("app.Ledger (monitor) at app.Ledger.post [async-profiler: 75% of the lock wait]",
                    watch.lockSite("lw/work").describeWithEvidence());
            assertNull(watch.lockSite("lw/sink"));

            watch.afterSample(lockBound("lw/work"), readings());
            awaitIdle(watch);
            assertEquals(1, reports.size(), "at most once per stage per " + LockWatch.REPEAT_MINUTES + " minutes");

            clock.addAndGet(TimeUnit.MINUTES.toNanos(LockWatch.REPEAT_MINUTES));
            watch.afterSample(lockBound("lw/work"), readings());
            awaitIdle(watch);
            assertEquals(2, reports.size(), reports::toString);
            assertTrue(warnings.isEmpty(), warnings::toString);
        }
    }

    @Test
    void profilerOffMeansNoRecording() throws Exception {
        ProfilerTest.FakeEngine engine = new ProfilerTest.FakeEngine(Set.of(), DUMP);
        AtomicBoolean enabled = new AtomicBoolean(false);
        try (LockWatch watch = new LockWatch(new Profiler(() -> engine), enabled::get, listener, new AgentCpu(), System::nanoTime, 10)) {
            watch.afterSample(lockBound("lw/work"), readings());
            awaitIdle(watch);
            assertTrue(engine.commands.isEmpty(), engine.commands::toString);
            assertNull(watch.lockSite("lw/work"));
        }
    }

    @Test
    void aLibraryThatDoesNotLoadIsOneWarningAndNeverTriedAgain() throws Exception {
        AtomicInteger loads = new AtomicInteger();
        Profiler profiler = new Profiler(() -> {
            loads.incrementAndGet();
            throw new NativeLibrary.Unavailable("async-profiler's library /nowhere.so does not exist", null);
        });
        AtomicLong clock = new AtomicLong();
        try (LockWatch watch = new LockWatch(profiler, () -> true, listener, new AgentCpu(), clock::get, 10)) {
            watch.afterSample(lockBound("lw/work"), readings());
            awaitIdle(watch);
            clock.addAndGet(TimeUnit.HOURS.toNanos(1));
            watch.afterSample(lockBound("lw/sink"), readings());
            awaitIdle(watch);
            assertEquals(List.of("async-profiler's library /nowhere.so does not exist; lock sites come from thread dumps"
                    + " (ThreadMXBean) only and tuning goes on"), warnings);
            assertEquals(1, loads.get());
            assertTrue(reports.isEmpty());
        }
    }
}
