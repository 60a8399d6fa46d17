package dev.tuner.agent.diagnose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ThreadGroupsTest {
    @Test
    void aStageWorkerIsItsStageAndAPoolIsItsNameWithoutTheNumber() {
        assertEquals("seed/read", ThreadGroups.of("seed-read-1", "seed/read"));
        assertEquals("pool-1-thread-*", ThreadGroups.of("pool-1-thread-3", null));
        assertEquals("ledger-*", ThreadGroups.of("ledger-12", null));
        assertEquals("ForkJoinPool.commonPool-worker-*", ThreadGroups.of("ForkJoinPool.commonPool-worker-1", null));
        assertEquals("main", ThreadGroups.of("main", null));
        assertEquals("ledger-feed", ThreadGroups.of("ledger-feed", null));
    }

    @Test
    void theJvmsJmxsAndTheTunersOwnThreadsFoldIntoOneGroupEach() {
        assertEquals(ThreadGroups.JVM, ThreadGroups.of("Reference Handler", null));
        assertEquals(ThreadGroups.JVM, ThreadGroups.of("C2 CompilerThread0", null));
        assertEquals(ThreadGroups.JMX, ThreadGroups.of("RMI TCP Connection(2)-127.0.0.1", null));
        assertEquals(ThreadGroups.JMX, ThreadGroups.of("JMX server connection timeout 21", null));
        assertEquals(ThreadGroups.TUNER, ThreadGroups.of("tuner-diagnose", null));
        assertTrue(ThreadGroups.isHousekeeping(ThreadGroups.TUNER));
    }
}
