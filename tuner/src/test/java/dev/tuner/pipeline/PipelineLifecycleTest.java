package dev.tuner.pipeline;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuner.stage.Await;
import dev.tuner.stage.StageConfig;
import java.lang.management.ManagementFactory;
import java.util.Iterator;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PipelineLifecycleTest {

    private static Iterator<Integer> endless() {
        return IntStream.iterate(0, i -> i + 1).iterator();
    }

    @Test
    void closedBeforeFinishingIsNotReportedAsCompleted() throws Exception {
        Pipeline<Void> p = Pipeline.from("lifecycle-close", endless()).publish(false)
                .sink("sink", StageConfig.single(), item -> Thread.sleep(1)).start();
        p.close();
        assertFalse(p.awaitCompletion(1, TimeUnit.SECONDS));
    }

    @Test
    void aWorkerInterruptedFromOutsideFailsThePipelineInsteadOfLosingItsItemQuietly() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        AtomicReference<Thread> worker = new AtomicReference<>();
        Pipeline<Void> p = Pipeline.from("lifecycle-interrupt", endless()).publish(false)
                .sink("sink", StageConfig.single(), item -> {
                    worker.set(Thread.currentThread());
                    inside.countDown();
                    Thread.sleep(TimeUnit.MINUTES.toMillis(1));
                }).start();
        try {
            Await.latch("a worker holds an item", inside);
            worker.get().interrupt();
            ExecutionException e = assertThrows(ExecutionException.class, () -> p.awaitCompletion(10, TimeUnit.SECONDS));
            assertInstanceOf(InterruptedException.class, e.getCause());
        } finally {
            p.close();
        }
    }

    @Test
    void aLiveStageKeepsItsNameAStaleOneIsReplaced() throws Exception {
        Pipeline<Void> first = Pipeline.from("lifecycle-names", endless())
                .sink("sink", StageConfig.single(), item -> Thread.sleep(1)).start();
        try {
            Pipeline<Void> twin = Pipeline.from("lifecycle-names", endless())
                    .sink("sink", StageConfig.single(), item -> { });
            IllegalStateException e = assertThrows(IllegalStateException.class, twin::start);
            assertTrue(e.getMessage().contains("already published by a running pipeline"), e.getMessage());
        } finally {
            first.close();
        }
        // Closed (and unregistered), the name is free again.
        Pipeline<Void> again = Pipeline.from("lifecycle-names", endless())
                .sink("sink", StageConfig.single(), item -> Thread.sleep(1)).start();
        try {
            assertTrue(ManagementFactory.getPlatformMBeanServer().isRegistered(
                    dev.tuner.stage.StageBean.objectName("lifecycle-names", "sink")));
        } finally {
            again.close();
        }
    }
}
