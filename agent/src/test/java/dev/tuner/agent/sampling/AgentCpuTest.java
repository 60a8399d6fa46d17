package dev.tuner.agent.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AgentCpuTest {
    /** Spins until its own thread has used {@code nanos} of CPU; returns what it used. */
    private static long burn(long nanos) {
        var threads = ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        long used;
        do {
            used = threads.getCurrentThreadCpuTime() - start;
        } while (used < nanos);
        return used;
    }

    @Test
    void countsAHelperWhileItRunsAndAfterItEnded() throws Exception {
        AgentCpu cpu = new AgentCpu();
        assertEquals(0, cpu.cpuNanos());
        CountDownLatch burnt = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicLong used = new AtomicLong();
        Thread helper = new Thread(cpu.counted(() -> {
            used.set(burn(50_000_000L));
            burnt.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        helper.start();
        assertTrue(burnt.await(30, TimeUnit.SECONDS));
        long whileRunning = cpu.cpuNanos();
        assertTrue(whileRunning >= used.get(), "running: " + whileRunning + " < " + used.get());
        release.countDown();
        helper.join();
        long afterEnd = cpu.cpuNanos();
        assertTrue(afterEnd >= whileRunning, "an ended thread keeps its CPU: " + afterEnd + " < " + whileRunning);
        assertTrue(afterEnd < whileRunning + 50_000_000L, "waiting costs no CPU: " + afterEnd);
    }

    @Test
    void aThreadNotCountedIsNotSeen() throws Exception {
        AgentCpu cpu = new AgentCpu();
        Thread other = new Thread(() -> burn(20_000_000L));
        other.start();
        other.join();
        assertEquals(0, cpu.cpuNanos());
    }
}
