package dev.tuner.agent.profiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ProfilerTest {
    /** async-profiler as a script: refuses the events in {@code refused}, dumps {@code dump}. */
    static final class FakeEngine implements Profiler.Engine {
        final List<String> commands = new ArrayList<>();
        final Set<String> refused;
        final String dump;

        FakeEngine(Set<String> refused, String dump) {
            this.refused = refused;
            this.dump = dump;
        }

        @Override
        public String execute(String command) {
            commands.add(command);
            for (String event : refused) {
                if (command.startsWith("start,event=" + event + ",")) {
                    throw new IllegalStateException("Perf events unavailable");
                }
            }
            return command.startsWith("collapsed") ? dump : "OK\n";
        }
    }

    @Test
    void cpuFallsBackToItimerThenCtimerWherePerfEventsAreRefused() throws Exception {
        FakeEngine engine = new FakeEngine(Set.of("cpu", "itimer"), "[w-1 tid=1];app.Main.spin 7\n");
        Profiler profiler = new Profiler(() -> engine);
        Profiler.Session session = profiler.start(Profiler.Mode.CPU);
        assertEquals("ctimer", session.event());
        assertTrue(profiler.busy());
        Profiler.Recording recording = session.stop();
        assertFalse(profiler.busy());
        assertEquals("ctimer", recording.event());
        assertEquals(List.of(new Stack("w-1", List.of("app.Main.spin"), 7)), recording.stacks());
        assertTrue(engine.commands.get(2).startsWith("start,event=ctimer,interval=10ms,threads,cstack=no"), engine.commands::toString);
        assertTrue(engine.commands.stream().allMatch(c -> c.endsWith("loglevel=error")), engine.commands::toString);
        assertEquals("collapsed,norm,loglevel=error", engine.commands.get(engine.commands.size() - 1));
    }

    @Test
    void aLockRecordingIsWeightedByWaitAndOneRecordingRunsAtATime() throws Exception {
        FakeEngine engine = new FakeEngine(Set.of(), "");
        Profiler profiler = new Profiler(() -> engine);
        Profiler.Session lock = profiler.start(Profiler.Mode.LOCK);
        assertEquals("start,event=lock,lock=1ms,threads,loglevel=error", engine.commands.get(0));
        assertNull(profiler.start(Profiler.Mode.CPU), "busy: one recording at a time");
        lock.close();
        assertEquals("stop,loglevel=error", engine.commands.get(1));
        assertNotNull(profiler.start(Profiler.Mode.CPU), "free again after close");
    }

    @Test
    void aLibraryThatDoesNotLoadIsReportedOnceAndNeverRetried() {
        AtomicInteger loads = new AtomicInteger();
        Profiler profiler = new Profiler(() -> {
            loads.incrementAndGet();
            throw new NativeLibrary.Unavailable("async-profiler's library /nowhere.so does not exist", null);
        });
        assertFalse(profiler.available());
        Profiler.Failure failure = assertThrows(Profiler.Failure.class, () -> profiler.start(Profiler.Mode.LOCK));
        assertEquals("async-profiler's library /nowhere.so does not exist", failure.getMessage());
        assertEquals("async-profiler's library /nowhere.so does not exist", profiler.unavailableReason());
        assertEquals(1, loads.get());
    }

    @Test
    void everyEventRefusedIsAFailureThatNamesThem() {
        Profiler profiler = new Profiler(() -> new FakeEngine(Set.of("cpu", "itimer", "ctimer"), ""));
        Profiler.Failure failure = assertThrows(Profiler.Failure.class, () -> profiler.start(Profiler.Mode.CPU));
        assertTrue(failure.getMessage().contains("cpu: Perf events unavailable; itimer:"), failure.getMessage());
        assertFalse(profiler.busy());
    }
}
