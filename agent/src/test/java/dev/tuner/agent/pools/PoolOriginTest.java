package dev.tuner.agent.pools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import org.junit.jupiter.api.Test;

class PoolOriginTest {

    @Test
    void aKnownCreatorDecides() {
        assertEquals(PoolOrigin.APP, PoolOrigin.of("com.acme.Etl", false, ThreadPoolExecutor.class));
        assertEquals(PoolOrigin.JDK, PoolOrigin.of("sun.rmi.transport.tcp.TCPTransport", true,
                ThreadPoolExecutor.class));
        assertEquals(PoolOrigin.AGENT, PoolOrigin.of("dev.tuner.agent.Something", false, ThreadPoolExecutor.class));
    }

    @Test
    void thePublicDefaultsSayNothingAboutAPoolThatPredatesTheAgent() {
        ThreadFactory defaults = Executors.defaultThreadFactory();
        assertEquals(PoolOrigin.APP, PoolOrigin.of(null, false, ThreadPoolExecutor.class, defaults.getClass(),
                Thread.class));
        assertEquals(PoolOrigin.APP, PoolOrigin.of(null, false, ForkJoinPool.class,
                ForkJoinPool.defaultForkJoinWorkerThreadFactory.getClass(), ForkJoinWorkerThread.class));
        // Any class of the app's class loaders (not this test's own: it is in the agent's package).
        assertEquals(PoolOrigin.APP, PoolOrigin.of(null, false, ThreadPoolExecutor.class, Test.class, Thread.class));
    }

    @Test
    void aJdkFactoryOrThreadClassOfItsOwnMarksTheJdksPool() throws Exception {
        Class<?> jdkFactory = Class.forName("java.util.concurrent.CompletableFuture$Delayer$DaemonThreadFactory");
        assertEquals(PoolOrigin.JDK, PoolOrigin.of(null, false, ThreadPoolExecutor.class, jdkFactory, Thread.class));
        Class<?> innocuous = Class.forName("jdk.internal.misc.InnocuousThread");
        assertEquals(PoolOrigin.JDK, PoolOrigin.of(null, false, ThreadPoolExecutor.class, null, innocuous));
        assertEquals(PoolOrigin.JDK, PoolOrigin.of("", false, ThreadPoolExecutor.class, jdkFactory, Thread.class),
                "a creator that could not be told is no creator");
    }

    @Test
    void theAgentsOwnClassesMarkItsPools() {
        assertEquals(PoolOrigin.AGENT, PoolOrigin.of(null, false, ThreadPoolExecutor.class, PoolOriginTest.class,
                Thread.class));
    }
}
