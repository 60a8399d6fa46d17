package dev.tuner.examples.seed;

import dev.tuner.pipeline.PipelineBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code train} sink: one SGD step of the {@link Model} per batch, computed on a fixed pool of
 * {@code trainer-compute-N} threads (one per available core, like a framework's intra-op pool). Each
 * batch's rows are split into one chunk per compute thread; the trainer waits for every chunk, applies
 * the step and counts the batch's records.
 *
 * <p>When the input pipeline cannot keep up, the compute threads sit parked on their queue (futex
 * waits, in {@code perf}) and the sink waits on an empty buffer: the incident's starving consumer.
 *
 * <p>Thread safety: {@link #accept} is called by one thread at a time (the sink runs on one worker);
 * {@link #recordsTrained()} may be read from any thread.
 */
final class Trainer implements PipelineBuilder.ItemConsumer<Batch>, AutoCloseable {
    private final Model model;
    private final ExecutorService compute;
    private final Model.Gradient[] gradients;
    private final AtomicLong records = new AtomicLong();

    /** @param threads size of the compute pool, at least 1 */
    Trainer(Model model, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("the trainer needs at least one compute thread, got " + threads);
        }
        this.model = model;
        this.gradients = new Model.Gradient[threads];
        for (int i = 0; i < threads; i++) {
            gradients[i] = new Model.Gradient();
        }
        AtomicInteger number = new AtomicInteger();
        this.compute = Executors.newFixedThreadPool(threads, task -> {
            Thread thread = new Thread(task, "trainer-compute-" + number.incrementAndGet());
            thread.setDaemon(true); // like the pipeline's workers: never what keeps the JVM alive
            return thread;
        });
    }

    @Override
    public void accept(Batch batch) throws InterruptedException, ExecutionException {
        int chunks = Math.min(gradients.length, batch.size());
        List<Callable<Void>> tasks = new ArrayList<>(chunks);
        for (int c = 0; c < chunks; c++) {
            int from = (int) ((long) batch.size() * c / chunks);
            int to = (int) ((long) batch.size() * (c + 1) / chunks);
            Model.Gradient gradient = gradients[c];
            tasks.add(() -> {
                gradient.clear();
                model.accumulate(batch, from, to, gradient);
                return null;
            });
        }
        for (Future<Void> done : compute.invokeAll(tasks)) {
            done.get(); // rethrows a chunk's failure, which fails the pipeline
        }
        model.apply(gradients, chunks);
        records.addAndGet(batch.size());
    }

    /** Records of every batch whose step has been applied, since the start. */
    long recordsTrained() {
        return records.get();
    }

    /** Stops the compute threads (a step in progress is abandoned) and waits briefly for them to leave. */
    @Override
    public void close() {
        compute.shutdownNow();
        try {
            compute.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // keep the caller's interrupt; the threads are daemons anyway
        }
    }
}
