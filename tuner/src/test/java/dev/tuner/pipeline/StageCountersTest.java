package dev.tuner.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuner.stage.Await;
import dev.tuner.stage.Emitter;
import dev.tuner.stage.Stage;
import dev.tuner.stage.StageConfig;
import dev.tuner.stage.StageCounters;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * What the counters of the JMX contract mean: items finished, time processing (busy), time waiting for
 * input and time waiting for room downstream. Every check is a relation between counters of one run
 * (one dominates the other by a wide margin), never an absolute time.
 */
class StageCountersTest {
    private static final int ITEMS = 50;
    private static final long SLEEP_MILLIS = 10;

    private static Iterator<Integer> items(int n) {
        return IntStream.range(0, n).boxed().iterator();
    }

    private static void sleep() throws InterruptedException {
        Thread.sleep(SLEEP_MILLIS);
    }

    private static String show(Stage<?, ?> stage) {
        StageCounters c = stage.counters();
        return stage.name() + "{items=" + c.itemsProcessed() + " busy=" + c.busyNanos() + " inputWait="
                + c.inputWaitNanos() + " outputWait=" + c.outputWaitNanos() + "}";
    }

    private static void complete(Pipeline<?> pipeline) throws Exception {
        try {
            assertTrue(pipeline.start().awaitCompletion(Await.SAFETY_SECONDS * 3, TimeUnit.SECONDS), "completion");
        } finally {
            pipeline.close();
        }
    }

    @Test
    void aStageThatWorksSlowlyIsBusyNotWaiting() throws Exception {
        Pipeline<Void> pipeline = Pipeline.from("counters-busy", items(ITEMS)).publish(false)
                .stage("slow", StageConfig.single(), (Integer i, Emitter<Integer> out) -> {
                    sleep();
                    out.emit(i);
                })
                .sink("sink", StageConfig.single(), i -> { });
        complete(pipeline);
        Stage<?, ?> slow = pipeline.stage("slow");
        StageCounters c = slow.counters();
        assertEquals(ITEMS, c.itemsProcessed(), show(slow));
        assertEquals(ITEMS, pipeline.stage("sink").counters().itemsProcessed());
        // The floor: each item slept at least SLEEP_MILLIS inside the function.
        assertTrue(c.busyNanos() >= ITEMS * TimeUnit.MILLISECONDS.toNanos(SLEEP_MILLIS), show(slow));
        assertTrue(c.busyNanos() > 5 * c.inputWaitNanos(), show(slow));
        assertTrue(c.busyNanos() > 5 * c.outputWaitNanos(), show(slow));
    }

    @Test
    void aStageBehindASlowProducerWaitsForInput() throws Exception {
        Pipeline<Void> pipeline = Pipeline.from("counters-starved", items(ITEMS)).publish(false)
                .stage("slow", StageConfig.single(), (Integer i, Emitter<Integer> out) -> {
                    sleep();
                    out.emit(i);
                })
                .stage("starved", StageConfig.single(), (Integer i, Emitter<Integer> out) -> out.emit(i))
                .sink("sink", StageConfig.single(), i -> { });
        complete(pipeline);
        Stage<?, ?> starved = pipeline.stage("starved");
        StageCounters c = starved.counters();
        assertEquals(ITEMS, c.itemsProcessed(), show(starved));
        assertTrue(c.inputWaitNanos() > 5 * c.busyNanos(), show(starved));
        assertTrue(c.inputWaitNanos() > 5 * c.outputWaitNanos(), show(starved));
        // And the slow stage itself is the busy one.
        assertTrue(pipeline.stage("slow").counters().busyNanos() > 5 * c.busyNanos(), show(pipeline.stage("slow")));
    }

    @Test
    void aSlowSourceShowsAsTheFirstStagesInputWait() throws Exception {
        Iterator<Integer> slowSource = new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < ITEMS;
            }

            @Override
            public Integer next() {
                try {
                    sleep();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return next++;
            }
        };
        Pipeline<Void> pipeline = Pipeline.from("counters-source", slowSource).publish(false)
                .stage("first", StageConfig.single(), (Integer i, Emitter<Integer> out) -> out.emit(i))
                .sink("sink", StageConfig.single(), i -> { });
        complete(pipeline);
        Stage<?, ?> first = pipeline.stage("first");
        StageCounters c = first.counters();
        assertEquals(ITEMS, c.itemsProcessed());
        assertTrue(c.inputWaitNanos() >= ITEMS * TimeUnit.MILLISECONDS.toNanos(SLEEP_MILLIS), show(first));
        assertTrue(c.inputWaitNanos() > 5 * c.busyNanos(), show(first));
    }

    @Test
    void aStageAheadOfASlowConsumerWaitsForRoomAndThatIsNotBusyTime() throws Exception {
        Pipeline<Void> pipeline = Pipeline.from("counters-backpressure", items(ITEMS)).publish(false)
                .stage("ahead", StageConfig.single().withPrefetch(1), (Integer i, Emitter<Integer> out) -> out.emit(i))
                .sink("slowsink", StageConfig.single(), i -> sleep());
        complete(pipeline);
        Stage<?, ?> ahead = pipeline.stage("ahead");
        StageCounters c = ahead.counters();
        assertEquals(ITEMS, c.itemsProcessed());
        assertTrue(c.outputWaitNanos() > 5 * c.busyNanos(), "output waits are excluded from busy: " + show(ahead));
        assertTrue(c.outputWaitNanos() > 5 * c.inputWaitNanos(), show(ahead));
    }

    @Test
    void aStageWhoseOutputIsNeverConsumedShowsOutputWaitWhileItWaits() throws Exception {
        // No sink, and nobody takes from the output: the stage fills its 2-item buffer, then its worker
        // waits for room forever. That wait must show in the counters while it lasts, or a tuner reading
        // deltas sees a stage that neither works nor waits.
        Pipeline<Integer> pipeline = Pipeline.from("counters-stuck", items(ITEMS)).publish(false)
                .stage("stuck", StageConfig.single().withPrefetch(2), (Integer i, Emitter<Integer> out) -> out.emit(i))
                .build();
        Stage<?, ?> stuck = pipeline.stage("stuck");
        StageCounters c = stuck.counters();
        try {
            pipeline.start();
            Await.until("the stuck stage shows output wait well above its busy time",
                    () -> c.outputWaitNanos() > 0 && c.outputWaitNanos() > 5 * c.busyNanos(), () -> show(stuck));
            long before = c.outputWaitNanos();
            Await.until("output wait keeps growing while the worker waits", () -> c.outputWaitNanos() > before,
                    () -> show(stuck));
            assertEquals(2, stuck.buffered());
            assertEquals(2, c.itemsProcessed(), "the third item is still held, waiting for room: " + show(stuck));
        } finally {
            pipeline.close();
        }
    }
}
