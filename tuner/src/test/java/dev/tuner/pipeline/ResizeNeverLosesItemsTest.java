package dev.tuner.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tuner.stage.Await;
import dev.tuner.stage.Stage;
import dev.tuner.stage.StageConfig;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The key property: resizing never loses or duplicates an item. N numbered items go through
 * source -> identity -> fan-out (item i becomes i % 4 items: zero to three) -> sink while a separate
 * thread changes every stage's parallelism and every buffer's prefetch at random, hundreds of times,
 * down to 1, and now and then stalls the sink so that upstream workers wait for room across several
 * wait slices. Every expected output must arrive exactly once, and nothing else.
 */
class ResizeNeverLosesItemsTest {
    private static final int N = 200_000;
    private static final int FAN = 4;
    /** The source waits at this many checkpoints until the resizer has done that many rounds. */
    private static final int MIN_RESIZE_ROUNDS = 400;
    private static final int MAX_PARALLELISM = 6;
    private static final int MAX_PREFETCH = 64;
    private static final long SEED = 0x5EED_2024L;
    /** Every this many resize rounds the resizer also stalls the sink for a while (8 times in all) ... */
    private static final int STALL_EVERY_ROUNDS = 50;
    /** ... longer than a worker's wait slice, so upstream workers wait for room across several slices. */
    private static final long STALL_MILLIS = 120;

    /** Item i of the source becomes this many outputs of the fan-out stage: 0, 1, 2 or 3. */
    private static int fanOut(int i) {
        return i % FAN;
    }

    @ParameterizedTest(name = "daemon workers: {0}")
    @ValueSource(booleans = {true, false})
    void everyItemArrivesExactlyOnceWhileKnobsChangeAtRandom(boolean daemonOrDefault) throws Exception {
        // true: the default config (daemon workers); false: explicitly non-daemon workers.
        StageConfig base = daemonOrDefault ? StageConfig.parallelism(2) : StageConfig.parallelism(2).withDaemonWorkers(false);
        StageConfig config = base.withParallelismBounds(1, MAX_PARALLELISM).withPrefetch(4).withPrefetchBounds(1, MAX_PREFETCH);

        AtomicInteger resizeRounds = new AtomicInteger();
        AtomicBoolean sourceDone = new AtomicBoolean();
        Iterator<Integer> source = new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                if (next >= N) {
                    sourceDone.set(true);
                }
                return next < N;
            }

            @Override
            public Integer next() {
                if (next >= N) {
                    throw new NoSuchElementException();
                }
                // Tie the resizer to the flow: at each checkpoint wait until it has done that many rounds,
                // so hundreds of resizes land while items are in flight, however fast either side runs.
                int checkpoint = (int) ((long) next * MIN_RESIZE_ROUNDS / N);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Await.SAFETY_SECONDS);
                while (resizeRounds.get() < checkpoint && System.nanoTime() - deadline < 0) {
                    LockSupport.parkNanos(50_000);
                }
                return next++;
            }
        };

        // Sink calls share the read lock; the resizer takes the write lock to stall the sink.
        ReentrantReadWriteLock sinkGate = new ReentrantReadWriteLock();
        AtomicInteger stalls = new AtomicInteger();
        AtomicIntegerArray identitySeen = new AtomicIntegerArray(N);
        AtomicIntegerArray arrived = new AtomicIntegerArray(N * FAN);
        AtomicInteger unexpected = new AtomicInteger();
        String name = "resize-" + (daemonOrDefault ? "default" : "nondaemon");
        Pipeline<Void> pipeline = Pipeline.from(name, source)
                .publish(false)
                .stage("identity", config, (Integer i, dev.tuner.stage.Emitter<Integer> out) -> {
                    identitySeen.incrementAndGet(i);
                    out.emit(i);
                })
                .stage("fanout", config, (Integer i, dev.tuner.stage.Emitter<Integer> out) -> {
                    for (int k = 0; k < fanOut(i); k++) {
                        out.emit(i * FAN + k);
                    }
                })
                .sink("sink", config, code -> {
                    sinkGate.readLock().lock();
                    sinkGate.readLock().unlock();
                    if (code < 0 || code >= N * FAN || code % FAN >= fanOut(code / FAN)) {
                        unexpected.incrementAndGet();
                    } else {
                        arrived.incrementAndGet(code);
                    }
                });
        List<Stage<?, ?>> stages = pipeline.stages();
        for (Stage<?, ?> stage : stages) {
            assertEquals(config.daemon(), stage.config().daemon());
        }

        AtomicReference<Throwable> resizerFailure = new AtomicReference<>();
        AtomicBoolean stop = new AtomicBoolean();
        int[] smallestParallelism = {Integer.MAX_VALUE};
        int[] smallestPrefetch = {Integer.MAX_VALUE};
        Thread resizer = new Thread(() -> {
            Random random = new Random(SEED);
            try {
                while (!stop.get()) {
                    for (Stage<?, ?> stage : stages) {
                        // One in four picks the floor, 1; otherwise anywhere within the bounds.
                        int p = random.nextInt(4) == 0 ? 1 : 1 + random.nextInt(MAX_PARALLELISM);
                        stage.setParallelism(p);
                        smallestParallelism[0] = Math.min(smallestParallelism[0], p);
                        if (stage.output() != null) {
                            int q = random.nextInt(4) == 0 ? 1 : 1 + random.nextInt(MAX_PREFETCH);
                            stage.setPrefetch(q);
                            smallestPrefetch[0] = Math.min(smallestPrefetch[0], q);
                        }
                    }
                    int round = resizeRounds.incrementAndGet();
                    if (round % STALL_EVERY_ROUNDS == 0 && round <= MIN_RESIZE_ROUNDS) {
                        sinkGate.writeLock().lock();
                        try {
                            stalls.incrementAndGet();
                            Thread.sleep(STALL_MILLIS);
                        } finally {
                            sinkGate.writeLock().unlock();
                        }
                    }
                    LockSupport.parkNanos(random.nextInt(200_000));
                }
            } catch (Throwable t) {
                resizerFailure.set(t);
            }
        }, "resizer");
        resizer.setDaemon(true);

        try {
            pipeline.start();
            resizer.start();
            assertTrue(pipeline.awaitCompletion(60, TimeUnit.SECONDS), "pipeline did not complete within the safety net");
        } finally {
            stop.set(true);
            Await.joined("resizer", resizer);
            pipeline.close();
        }
        assertNull(resizerFailure.get(), () -> "resizer failed: " + resizerFailure.get());
        assertTrue(sourceDone.get());
        assertTrue(resizeRounds.get() >= MIN_RESIZE_ROUNDS,
                "the source waits for the resizer, so at least " + MIN_RESIZE_ROUNDS + " rounds ran; got " + resizeRounds.get());
        assertEquals(MIN_RESIZE_ROUNDS / STALL_EVERY_ROUNDS, stalls.get(), "sink stalls");
        assertTrue(pipeline.stage("fanout").counters().outputWaitNanos() > 0);
        assertEquals(1, smallestParallelism[0], "parallelism went down to 1");
        assertEquals(1, smallestPrefetch[0], "prefetch went down to 1");

        List<String> wrong = new ArrayList<>();
        long expectedOutputs = 0;
        for (int i = 0; i < N; i++) {
            if (identitySeen.get(i) != 1 && wrong.size() < 10) {
                wrong.add("identity saw item " + i + " " + identitySeen.get(i) + " times");
            }
            for (int k = 0; k < FAN; k++) {
                int want = k < fanOut(i) ? 1 : 0;
                int got = arrived.get(i * FAN + k);
                if (got != want && wrong.size() < 10) {
                    wrong.add("output " + i + "." + k + " arrived " + got + " times, expected " + want);
                }
            }
            expectedOutputs += fanOut(i);
        }
        if (!wrong.isEmpty()) {
            fail("items lost or duplicated (first " + wrong.size() + "): " + wrong);
        }
        assertEquals(0, unexpected.get(), "outputs that should not exist");
        assertEquals(N, pipeline.stage("identity").counters().itemsProcessed());
        assertEquals(N, pipeline.stage("fanout").counters().itemsProcessed());
        assertEquals(expectedOutputs, pipeline.stage("sink").counters().itemsProcessed());
        assertEquals(N * 3L / 2, expectedOutputs);
        for (Stage<?, ?> stage : stages) {
            assertTrue(stage.isFinished(), stage.name() + " finished");
            assertTrue(stage.awaitTermination(Await.SAFETY_SECONDS, TimeUnit.SECONDS), stage.name() + " workers left");
            assertEquals(0, stage.workerThreadIds().length, stage.name() + " has no worker left");
            assertEquals(0, stage.buffered(), stage.name() + " left nothing buffered");
        }
    }
}
