package dev.tuner.agent.diagnose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuner.agent.config.AgentOptions;
import dev.tuner.agent.profiler.Profiler;
import dev.tuner.agent.sampling.AgentCpu;
import dev.tuner.stage.StageMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicInteger;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A diagnosis window in this JVM: it reads a stage over JMX and never sets a knob. */
class DiagnosisWindowTest {
    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private ObjectName name;
    private final Busy stage = new Busy();
    private volatile boolean spin = true;
    private Thread worker;

    /** The JMX contract for one worker, always busy, an item a millisecond; its setters only count calls. */
    public class Busy implements StageMXBean {
        final AtomicInteger sets = new AtomicInteger();
        final long start = System.nanoTime();

        public int getParallelism() {
            return 1;
        }

        public void setParallelism(int p) {
            sets.incrementAndGet();
        }

        public int getMinParallelism() {
            return 1;
        }

        public int getMaxParallelism() {
            return 8;
        }

        public int getPrefetch() {
            return 4;
        }

        public void setPrefetch(int p) {
            sets.incrementAndGet();
        }

        public int getMinPrefetch() {
            return 1;
        }

        public int getMaxPrefetch() {
            return 64;
        }

        public long getItemsProcessed() {
            return (System.nanoTime() - start) / 1_000_000;
        }

        public long getBusyNanos() {
            return System.nanoTime() - start;
        }

        public long getInputWaitNanos() {
            return 0;
        }

        public long getOutputWaitNanos() {
            return 0;
        }

        public int getBuffered() {
            return 0;
        }

        public long[] getWorkerThreadIds() {
            return new long[] {worker.getId()};
        }
    }

    @BeforeEach
    void publish() throws Exception {
        worker = new Thread(() -> {
            long x = 0;
            while (spin) {
                x += System.nanoTime() % 7;
            }
            if (x == 42) {
                System.out.print("");
            }
        }, "unit-spin-1");
        worker.setDaemon(true);
        worker.start();
        name = new ObjectName("dev.tuner:type=Stage,pipeline=unit,name=spin");
        server.registerMBean(stage, name);
    }

    @AfterEach
    void unpublish() throws Exception {
        spin = false;
        server.unregisterMBean(name);
        worker.join();
    }

    @Test
    void aWindowReadsTheStageAndItsThreadsAndSetsNoKnob() throws Exception {
        Report report = new DiagnosisWindow(AgentOptions.defaults(), false, null, Profiler.shared(), new AgentCpu()).run(1);
        JsonNode r = report.json();

        assertEquals(0, stage.sets.get(), "diagnose never sets a knob");
        assertFalse(r.get("changed").asBoolean());
        assertEquals("cpu-bound", r.get("stages").get("unit/spin").get("label").asText(), r::toString);
        assertEquals("unit/spin", r.get("bottlenecks").get("unit").asText(), r::toString);
        JsonNode spinning = null;
        for (JsonNode t : r.get("threads")) {
            if (t.get("name").asText().equals("unit-spin-1")) {
                spinning = t;
            }
        }
        assertTrue(spinning != null && spinning.get("group").asText().equals("unit/spin"), r.get("threads")::toString);
        assertTrue(spinning.get("runnable").asDouble() > 0.5, spinning::toString);
        assertTrue(r.get("hot_frames_source").asText().startsWith("thread dumps"), r::toString);
        assertEquals("profiler=off: frames and locks come from thread dumps", r.get("profiler").get("note").asText());
        assertTrue(r.get("hot_frames").has("unit/spin"), r.get("hot_frames")::toString);
        assertFalse(r.get("verdict").isEmpty());
    }
}
