package dev.tuner.pipeline;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuner.stage.Await;
import dev.tuner.stage.StageConfig;
import java.lang.management.ManagementFactory;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import javax.management.MBeanServer;
import javax.management.ObjectName;
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

    @Test
    void closingAStalePipelineLeavesTheBeanOfTheOneThatReplacedIt() throws Exception {
        ObjectName sink = dev.tuner.stage.StageBean.objectName("lifecycle-stale", "sink");
        Pipeline<Void> stale = Pipeline.from("lifecycle-stale", List.of(1, 2, 3).iterator())
                .sink("sink", StageConfig.single(), item -> { }).start();
        assertTrue(stale.awaitCompletion(10, TimeUnit.SECONDS), "finished, not closed");
        Pipeline<Void> live = Pipeline.from("lifecycle-stale", endless())
                .sink("sink", StageConfig.single(), item -> Thread.sleep(1)).start(); // replaces the stale bean
        try {
            stale.close();
            assertTrue(ManagementFactory.getPlatformMBeanServer().isRegistered(sink),
                    "the live pipeline's stage is still published");
        } finally {
            live.close();
        }
        assertFalse(ManagementFactory.getPlatformMBeanServer().isRegistered(sink));
    }

    @Test
    void aStartRefusedHalfWayWithdrawsWhatItPublished() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Pipeline<Void> holder = Pipeline.from("lifecycle-half", endless())
                .sink("b", StageConfig.single(), item -> Thread.sleep(1)).start();
        try {
            Pipeline<Void> refused = Pipeline.from("lifecycle-half", endless())
                    .stage("a", StageConfig.parallelism(1), (Integer item, dev.tuner.stage.Emitter<Integer> out) -> out.emit(item))
                    .sink("b", StageConfig.single(), item -> { });
            assertThrows(IllegalStateException.class, refused::start);
            assertFalse(server.isRegistered(dev.tuner.stage.StageBean.objectName("lifecycle-half", "a")),
                    "stage a, published before b was refused, is withdrawn");
        } finally {
            holder.close();
        }
        Pipeline<Void> again = Pipeline.from("lifecycle-half", endless())
                .stage("a", StageConfig.parallelism(1), (Integer item, dev.tuner.stage.Emitter<Integer> out) -> out.emit(item))
                .sink("b", StageConfig.single(), item -> Thread.sleep(1)).start();
        again.close();
    }
}
