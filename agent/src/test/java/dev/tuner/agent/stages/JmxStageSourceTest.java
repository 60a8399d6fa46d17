package dev.tuner.agent.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuner.engine.Knob;
import java.util.ArrayList;
import java.util.List;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

class JmxStageSourceTest {
    private final MBeanServer server = MBeanServerFactory.newMBeanServer();
    private final List<String> events = new ArrayList<>();
    private final StageSource.StageEvents recorder = new StageSource.StageEvents() {
        @Override
        public void discovered(StageReading stage) {
            events.add("discover " + stage.id() + " p=" + stage.parallelism());
        }

        @Override
        public void lost(String stageId, SourceKind source, String why) {
            events.add("lost " + stageId);
        }

        @Override
        public void dropped(String stageId, SourceKind source, String why) {
            events.add("dropped " + stageId + ": " + why);
        }
    };

    /** A stage implementing the contract with nothing of ours: a plain MXBean. */
    public interface FakeStageMXBean {
        int getParallelism();

        void setParallelism(int p);

        int getMinParallelism();

        int getMaxParallelism();

        int getPrefetch();

        void setPrefetch(int p);

        int getMinPrefetch();

        int getMaxPrefetch();

        long getItemsProcessed();

        long getBusyNanos();

        long getInputWaitNanos();

        long getOutputWaitNanos();

        int getBuffered();

        long[] getWorkerThreadIds();
    }

    public static class FakeStage implements FakeStageMXBean {
        int parallelism = 2;
        int prefetch = 8;
        boolean failSetter;
        long items = 100;

        public int getParallelism() {
            return parallelism;
        }

        public void setParallelism(int p) {
            if (failSetter) {
                throw new IllegalStateException("pool is shutting down");
            }
            parallelism = p;
        }

        public int getMinParallelism() {
            return 1;
        }

        public int getMaxParallelism() {
            return 32;
        }

        public int getPrefetch() {
            return prefetch;
        }

        public void setPrefetch(int p) {
            prefetch = p;
        }

        public int getMinPrefetch() {
            return 1;
        }

        public int getMaxPrefetch() {
            return 64;
        }

        public long getItemsProcessed() {
            return items;
        }

        public long getBusyNanos() {
            return 5;
        }

        public long getInputWaitNanos() {
            return 6;
        }

        public long getOutputWaitNanos() {
            return 7;
        }

        public int getBuffered() {
            return prefetch;
        }

        public long[] getWorkerThreadIds() {
            return new long[] {Thread.currentThread().getId()};
        }
    }

    private FakeStage register(String pipeline, String name) throws Exception {
        FakeStage stage = new FakeStage();
        server.registerMBean(stage, new ObjectName("dev.tuner:type=Stage,pipeline=" + pipeline + ",name=" + name));
        return stage;
    }

    @Test
    void findsStagesRegisteredBeforeAndAfterAndReadsTheContract() throws Exception {
        register("p", "a");
        JmxStageSource source = new JmxStageSource(server, recorder);
        List<StageReading> first = source.read();
        assertEquals(1, first.size());
        StageReading a = first.get(0);
        assertEquals("p/a", a.id());
        assertEquals("p", a.pipeline());
        assertEquals(2, a.parallelism());
        assertEquals(32, a.maxParallelism());
        assertEquals(8, a.prefetch());
        assertEquals(100, a.itemsProcessed());
        assertEquals(7, a.outputWaitNanos());
        assertEquals(1, a.threadIds().length);

        register("p", "b");
        assertEquals(2, source.read().size());
        assertEquals(List.of("discover p/a p=2", "discover p/b p=2"), events);
        source.read();
        assertEquals(2, events.size(), "a stage is discovered once");
    }

    @Test
    void appliesKnobsAndRestoresWhatItFound() throws Exception {
        FakeStage stage = register("p", "a");
        JmxStageSource source = new JmxStageSource(server, recorder);
        source.read();
        assertTrue(source.apply("p/a", Knob.PARALLELISM, 12));
        assertTrue(source.apply("p/a", Knob.PREFETCH, 40));
        assertEquals(12, stage.parallelism);
        assertEquals(40, stage.prefetch);
        assertFalse(source.apply("p/nope", Knob.PARALLELISM, 3));
        assertTrue(source.restore());
        assertEquals(2, stage.parallelism);
        assertEquals(8, stage.prefetch);
    }

    @Test
    void aResumedAgentStillRestoresWhatItFoundBeforeItEverChangedAnything() throws Exception {
        FakeStage stage = register("p", "a");
        FoundSettings found = new FoundSettings();
        JmxStageSource first = new JmxStageSource(server, recorder, found);
        first.read();
        assertTrue(first.apply("p/a", Knob.PARALLELISM, 12));
        // stop --keep: nothing restored; then a new attach resumes with a fresh source.
        JmxStageSource resumed = new JmxStageSource(server, recorder, found);
        resumed.read();
        assertTrue(resumed.apply("p/a", Knob.PREFETCH, 40));
        assertTrue(resumed.restore());
        assertEquals(2, stage.parallelism, "the value found before the first change, not the kept one");
        assertEquals(8, stage.prefetch);
        stage.parallelism = 5; // the app's own change afterwards is not ours to undo
        assertTrue(resumed.restore());
        assertEquals(5, stage.parallelism);
    }

    @Test
    void aSetterThatThrowsDropsTheStageOnceAndTheRestGoesOn() throws Exception {
        FakeStage bad = register("p", "bad");
        register("p", "good");
        JmxStageSource source = new JmxStageSource(server, recorder);
        source.read();
        bad.failSetter = true;
        assertFalse(source.apply("p/bad", Knob.PARALLELISM, 4));
        assertTrue(events.stream().anyMatch(e -> e.startsWith("dropped p/bad: setting Parallelism=4 failed")
                && e.contains("pool is shutting down")), events::toString);
        List<StageReading> after = source.read();
        assertEquals(List.of("p/good"), after.stream().map(StageReading::id).toList());
        source.read();
        assertEquals(1, events.stream().filter(e -> e.startsWith("dropped")).count());
        assertTrue(source.apply("p/good", Knob.PARALLELISM, 4));
    }

    @Test
    void aVanishedBeanIsReportedLost() throws Exception {
        register("p", "a");
        JmxStageSource source = new JmxStageSource(server, recorder);
        source.read();
        server.unregisterMBean(new ObjectName("dev.tuner:type=Stage,pipeline=p,name=a"));
        assertTrue(source.read().isEmpty());
        assertTrue(events.contains("lost p/a"));
        assertFalse(source.apply("p/a", Knob.PARALLELISM, 3));
    }

    @Test
    void occupancyCountsFullAndEmptySamples() throws Exception {
        FakeStage stage = register("p", "a");
        JmxStageSource source = new JmxStageSource(server, recorder);
        source.read();
        source.tick();          // buffered 8 of 8: full
        stage.prefetch = 16;    // capacity seen at the last read stays 8, buffered now 16: still full
        source.tick();
        StageReading r = source.read().get(0);
        assertEquals(2, r.occupancy().samples());
        assertEquals(2, r.occupancy().full());
        assertEquals(0, r.occupancy().empty());
    }
}
