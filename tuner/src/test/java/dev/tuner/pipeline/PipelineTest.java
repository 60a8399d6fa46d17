package dev.tuner.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuner.stage.Await;
import dev.tuner.stage.Emitter;
import dev.tuner.stage.Stage;
import dev.tuner.stage.StageConfig;
import dev.tuner.stage.StageFunction;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PipelineTest {

    private static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().collect(Collectors.toList());
    }

    @Test
    void aSingleThreadedPipelineKeepsOrderAndCompletes() throws Exception {
        List<Integer> got = Collections.synchronizedList(new ArrayList<>());
        try (Pipeline<Void> pipeline = Pipeline.from("order", range(1000).iterator()).publish(false)
                .stage("double", StageConfig.single(), (Integer i, Emitter<Integer> out) -> out.emit(2 * i))
                .sink("collect", StageConfig.single(), got::add)) {
            assertTrue(pipeline.start().awaitCompletion(Await.SAFETY_SECONDS, TimeUnit.SECONDS));
            assertNull(pipeline.failure());
            assertEquals(range(1000).stream().map(i -> 2 * i).collect(Collectors.toList()), got);
            pipeline.stages().forEach(s -> assertTrue(s.isFinished(), s.name()));
        }
    }

    @Test
    void anOutputPipelineIsDrainedByTheApp() throws Exception {
        try (Pipeline<String> pipeline = Pipeline.from("output", range(50).iterator()).publish(false)
                .stage("show", StageConfig.parallelism(3), (Integer i, Emitter<String> out) -> out.emit("#" + i))
                .build()) {
            pipeline.start();
            List<String> got = new ArrayList<>();
            String item;
            while ((item = pipeline.output().poll(Await.SAFETY_SECONDS, TimeUnit.SECONDS)) != null) {
                got.add(item);
            }
            assertTrue(pipeline.output().isFinished());
            assertTrue(pipeline.awaitCompletion(Await.SAFETY_SECONDS, TimeUnit.SECONDS));
            Collections.sort(got);
            List<String> want = range(50).stream().map(i -> "#" + i).sorted().collect(Collectors.toList());
            assertEquals(want, got);
        }
    }

    @Test
    void aFunctionThatThrowsFailsThePipeline() throws Exception {
        IllegalStateException boom = new IllegalStateException("bad item 5");
        Pipeline<Void> pipeline = Pipeline.from("failing", range(1_000_000).iterator()).publish(false)
                .stage("explode", StageConfig.parallelism(2), (Integer i, Emitter<Integer> out) -> {
                    if (i == 5) {
                        throw boom;
                    }
                    out.emit(i);
                })
                .sink("sink", StageConfig.single(), i -> { });
        try {
            pipeline.start();
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> pipeline.awaitCompletion(Await.SAFETY_SECONDS, TimeUnit.SECONDS));
            assertSame(boom, e.getCause());
            assertSame(boom, pipeline.failure());
            for (Stage<?, ?> stage : pipeline.stages()) {
                assertTrue(stage.awaitTermination(Await.SAFETY_SECONDS, TimeUnit.SECONDS), stage.name() + " stopped");
                assertFalse(stage.isFinished(), stage.name() + " did not finish normally");
            }
        } finally {
            pipeline.close();
        }
    }

    @Test
    void aSinkThatThrowsFailsThePipeline() throws Exception {
        Pipeline<Void> pipeline = Pipeline.from("failing-sink", range(100).iterator()).publish(false)
                .stage("pass", StageConfig.single(), (Integer i, Emitter<Integer> out) -> out.emit(i))
                .sink("sink", StageConfig.single(), i -> {
                    if (i == 50) {
                        throw new java.io.IOException("disk full");
                    }
                });
        try {
            pipeline.start();
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> pipeline.awaitCompletion(Await.SAFETY_SECONDS, TimeUnit.SECONDS));
            assertEquals("disk full", e.getCause().getMessage());
        } finally {
            pipeline.close();
        }
    }

    @Test
    void finishIsCalledOnceAfterTheLastItemAndItsOutputArrives() throws Exception {
        // A batching stage: groups of 10, and finish() flushes the partial last group.
        List<List<Integer>> batches = Collections.synchronizedList(new ArrayList<>());
        StageFunction<Integer, List<Integer>> batcher = new StageFunction<>() {
            private final List<Integer> pending = new ArrayList<>();
            private int finishCalls;

            @Override
            public void process(Integer item, Emitter<List<Integer>> out) throws InterruptedException {
                pending.add(item);
                if (pending.size() == 10) {
                    out.emit(List.copyOf(pending));
                    pending.clear();
                }
            }

            @Override
            public void finish(Emitter<List<Integer>> out) throws InterruptedException {
                if (++finishCalls != 1) {
                    throw new IllegalStateException("finish called " + finishCalls + " times");
                }
                if (!pending.isEmpty()) {
                    out.emit(List.copyOf(pending));
                    pending.clear();
                }
            }
        };
        try (Pipeline<Void> pipeline = Pipeline.from("batching", range(25).iterator()).publish(false)
                .stage("batch", StageConfig.single(), batcher)
                .sink("collect", StageConfig.single(), batches::add)) {
            assertTrue(pipeline.start().awaitCompletion(Await.SAFETY_SECONDS, TimeUnit.SECONDS));
            assertEquals(List.of(range(10), range(20).subList(10, 20), range(25).subList(20, 25)), batches,
                    "finish() must flush the partial last batch before the output closes");
        }
    }

    @Test
    void stageNamesAreLookedUpAndValidated() {
        Pipeline<Void> pipeline = Pipeline.from("names", range(1).iterator()).publish(false)
                .stage("a", StageConfig.single(), (Integer i, Emitter<Integer> out) -> out.emit(i))
                .sink("b", StageConfig.single(), i -> { });
        assertEquals("a", pipeline.stage("a").name());
        assertEquals(-1, pipeline.stage("b").prefetch());
        assertThrows(IllegalArgumentException.class, () -> pipeline.stage("nope"));
        assertThrows(IllegalArgumentException.class, () -> Pipeline.from("bad name", range(1).iterator())
                .stage("x", StageConfig.single(), (Integer i, Emitter<Integer> out) -> out.emit(i)));
        assertThrows(IllegalArgumentException.class, () -> Pipeline.from("ok", range(1).iterator())
                .stage("x,type=Other", StageConfig.single(), (Integer i, Emitter<Integer> out) -> out.emit(i)));
    }

    @Test
    void startTwiceIsRejected() throws Exception {
        try (Pipeline<Void> pipeline = Pipeline.from("twice", range(3).iterator()).publish(false)
                .sink("sink", StageConfig.single(), i -> { })) {
            pipeline.start();
            assertThrows(IllegalStateException.class, pipeline::start);
            assertTrue(pipeline.awaitCompletion(Await.SAFETY_SECONDS, TimeUnit.SECONDS));
        }
    }
}
