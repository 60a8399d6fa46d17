package dev.tuner.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuner.stage.Await;
import dev.tuner.stage.Emitter;
import dev.tuner.stage.Stage;
import dev.tuner.stage.StageBean;
import dev.tuner.stage.StageConfig;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import javax.management.Attribute;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The JMX contract of DESIGN.md, read and written the way the agent does: through the MBeanServer by name. */
class StageBeanJmxTest {
    private static final String PIPELINE = "jmxtest";
    /** Attribute -> Java type name as MBeanAttributeInfo reports it for an MXBean. */
    private static final Map<String, String> CONTRACT = new TreeMap<>(Map.ofEntries(
            Map.entry("Parallelism", "int"), Map.entry("MinParallelism", "int"), Map.entry("MaxParallelism", "int"),
            Map.entry("Prefetch", "int"), Map.entry("MinPrefetch", "int"), Map.entry("MaxPrefetch", "int"),
            Map.entry("ItemsProcessed", "long"), Map.entry("BusyNanos", "long"),
            Map.entry("InputWaitNanos", "long"), Map.entry("OutputWaitNanos", "long"),
            Map.entry("Buffered", "int"), Map.entry("WorkerThreadIds", "[J")));
    private static final Set<String> WRITABLE = Set.of("Parallelism", "Prefetch");

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final AtomicBoolean stopSource = new AtomicBoolean();
    private Pipeline<Void> pipeline;
    private ObjectName read;
    private ObjectName write;

    /** An endless, gently paced source, ended by {@link #stopSource}. */
    private Iterator<Integer> source() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return !stopSource.get();
            }

            @Override
            public Integer next() {
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return next++;
            }
        };
    }

    @BeforeEach
    void build() throws Exception {
        read = StageBean.objectName(PIPELINE, "read");
        write = StageBean.objectName(PIPELINE, "write");
        assertEquals(new ObjectName("dev.tuner:type=Stage,pipeline=" + PIPELINE + ",name=read"), read);
        pipeline = Pipeline.from(PIPELINE, source())
                .stage("read", StageConfig.parallelism(2).withParallelismBounds(1, 8).withPrefetch(4)
                        .withPrefetchBounds(1, 64), (Integer i, Emitter<Integer> out) -> out.emit(i))
                .sink("write", StageConfig.parallelism(1).withParallelismBounds(1, 4), i -> { });
    }

    @AfterEach
    void close() {
        stopSource.set(true);
        pipeline.close();
    }

    @Test
    void startPublishesEachStageAndCloseWithdrawsThem() throws Exception {
        ObjectName all = new ObjectName("dev.tuner:type=Stage,pipeline=" + PIPELINE + ",*");
        assertFalse(server.isRegistered(read), "nothing is published before start");
        pipeline.start();
        assertEquals(Set.of(read, write), server.queryNames(all, null));
        assertTrue(server.isInstanceOf(read, "dev.tuner.stage.StageMXBean") || server.isRegistered(read));
        pipeline.close();
        assertEquals(Set.of(), server.queryNames(all, null));
        pipeline.close(); // idempotent
    }

    @Test
    void publishFalseRegistersNothing() throws Exception {
        stopSource.set(true);
        Pipeline<Void> quiet = Pipeline.from("jmxquiet", source()).publish(false)
                .sink("s", StageConfig.single(), i -> { });
        try {
            quiet.start();
            assertFalse(server.isRegistered(StageBean.objectName("jmxquiet", "s")));
        } finally {
            quiet.close();
        }
    }

    @Test
    void theBeanHasExactlyTheContractAttributesAndOnlyTheKnobsAreWritable() throws Exception {
        pipeline.start();
        for (ObjectName name : new ObjectName[] {read, write}) {
            MBeanInfo info = server.getMBeanInfo(name);
            Map<String, String> types = Arrays.stream(info.getAttributes())
                    .collect(Collectors.toMap(MBeanAttributeInfo::getName, MBeanAttributeInfo::getType, (a, b) -> a, TreeMap::new));
            assertEquals(CONTRACT, types, name + " attributes and types");
            for (MBeanAttributeInfo attribute : info.getAttributes()) {
                assertTrue(attribute.isReadable(), attribute.getName());
                assertEquals(WRITABLE.contains(attribute.getName()), attribute.isWritable(), attribute.getName() + " writable");
            }
            assertEquals(0, info.getOperations().length, "no operations: " + Arrays.toString(info.getOperations()));
            assertEquals("true", String.valueOf(info.getDescriptor().getFieldValue("mxbean")));
            for (String attribute : CONTRACT.keySet()) {
                server.getAttribute(name, attribute); // every one readable by name
            }
        }
    }

    @Test
    void readingTheAttributesGivesTheStagesValues() throws Exception {
        pipeline.start();
        assertEquals(2, server.getAttribute(read, "Parallelism"));
        assertEquals(1, server.getAttribute(read, "MinParallelism"));
        assertEquals(8, server.getAttribute(read, "MaxParallelism"));
        assertEquals(4, server.getAttribute(read, "Prefetch"));
        assertEquals(1, server.getAttribute(read, "MinPrefetch"));
        assertEquals(64, server.getAttribute(read, "MaxPrefetch"));
        Await.until("items flow", () -> longAttr(write, "ItemsProcessed") > 10 && longAttr(read, "ItemsProcessed") > 10);
        Stage<?, ?> stage = pipeline.stage("read");
        assertTrue(longAttr(read, "BusyNanos") > 0);
        assertTrue(longAttr(read, "InputWaitNanos") > 0, "the paced source makes the first stage wait");
        assertTrue(longAttr(read, "OutputWaitNanos") >= 0);
        int buffered = (Integer) server.getAttribute(read, "Buffered");
        assertTrue(buffered >= 0 && buffered <= 4, "buffered " + buffered);
        // Counters are monotonic.
        long items = longAttr(read, "ItemsProcessed");
        Await.until("items keep flowing", () -> longAttr(read, "ItemsProcessed") > items);
        assertTrue(stage.counters().itemsProcessed() >= items);
    }

    @Test
    void aSinkReportsNoPrefetch() throws Exception {
        pipeline.start();
        assertEquals(-1, server.getAttribute(write, "Prefetch"));
        assertEquals(-1, server.getAttribute(write, "MinPrefetch"));
        assertEquals(-1, server.getAttribute(write, "MaxPrefetch"));
        assertEquals(0, server.getAttribute(write, "Buffered"));
        assertRejected(write, "Prefetch", 4);
        assertEquals(-1, server.getAttribute(write, "Prefetch"));
    }

    @Test
    void settingParallelismThroughTheServerResizesThePool() throws Exception {
        pipeline.start();
        Await.until("2 workers", () -> ids(read).length == 2);
        assertWorkersAreTheStagesThreads(read, "jmxtest-read-");

        server.setAttribute(read, new Attribute("Parallelism", 5));
        assertEquals(5, server.getAttribute(read, "Parallelism"));
        assertEquals(5, pipeline.stage("read").parallelism());
        assertEquals(5, ids(read).length, "growing is immediate");
        assertWorkersAreTheStagesThreads(read, "jmxtest-read-");

        server.setAttribute(read, new Attribute("Parallelism", 1));
        assertEquals(1, server.getAttribute(read, "Parallelism"));
        Await.until("surplus workers left", () -> ids(read).length == 1, () -> Arrays.toString(ids(read)));
        assertWorkersAreTheStagesThreads(read, "jmxtest-read-");

        server.setAttribute(write, new Attribute("Parallelism", 4));
        assertEquals(4, ids(write).length);
        assertWorkersAreTheStagesThreads(write, "jmxtest-write-");
    }

    @Test
    void settingPrefetchThroughTheServerResizesTheBuffer() throws Exception {
        pipeline.start();
        server.setAttribute(read, new Attribute("Prefetch", 32));
        assertEquals(32, server.getAttribute(read, "Prefetch"));
        assertEquals(32, pipeline.stage("read").output().capacity());
        server.setAttribute(read, new Attribute("Prefetch", 1));
        assertEquals(1, pipeline.stage("read").output().capacity());
    }

    @Test
    void outOfBoundsWritesAreRejectedAndChangeNothing() throws Exception {
        pipeline.start();
        assertRejected(read, "Parallelism", 0);
        assertRejected(read, "Parallelism", 9);
        assertRejected(read, "Parallelism", -3);
        assertRejected(write, "Parallelism", 5);
        assertRejected(read, "Prefetch", 0);
        assertRejected(read, "Prefetch", 65);
        assertEquals(2, server.getAttribute(read, "Parallelism"));
        assertEquals(1, server.getAttribute(write, "Parallelism"));
        assertEquals(4, server.getAttribute(read, "Prefetch"));
        // Bounds themselves are read-only.
        assertThrows(Exception.class, () -> server.setAttribute(read, new Attribute("MaxParallelism", 100)));
        assertEquals(8, server.getAttribute(read, "MaxParallelism"));
    }

    private void assertRejected(ObjectName name, String attribute, int value) {
        Exception e = assertThrows(Exception.class, () -> server.setAttribute(name, new Attribute(attribute, value)),
                attribute + "=" + value + " on " + name);
        Throwable root = e;
        while (root.getCause() != null && !(root instanceof IllegalArgumentException)) {
            root = root.getCause();
        }
        assertTrue(root instanceof IllegalArgumentException, attribute + "=" + value + " rejected with " + e);
    }

    private long longAttr(ObjectName name, String attribute) {
        try {
            return (Long) server.getAttribute(name, attribute);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private long[] ids(ObjectName name) {
        try {
            return (long[]) server.getAttribute(name, "WorkerThreadIds");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private void assertWorkersAreTheStagesThreads(ObjectName name, String prefix) {
        long[] ids = ids(name);
        ThreadInfo[] infos = ManagementFactory.getThreadMXBean().getThreadInfo(ids);
        for (int i = 0; i < ids.length; i++) {
            // A surplus worker may just have left (null info); a live one is named after its stage.
            if (infos[i] != null) {
                assertTrue(infos[i].getThreadName().startsWith(prefix), infos[i].getThreadName());
            }
        }
        long[] sorted = ids.clone();
        Arrays.sort(sorted);
        assertArrayEquals(Arrays.stream(sorted).distinct().toArray(), sorted, "ids are distinct");
    }
}
