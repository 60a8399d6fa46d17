package dev.tuner.examples.lockbound;

import dev.tuner.examples.common.ExampleMain;
import dev.tuner.examples.common.NamedThreads;
import dev.tuner.examples.common.ProcessCpu;
import dev.tuner.examples.common.ProgressPrinter;
import dev.tuner.examples.common.RunSummary;
import java.io.PrintStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A plain-JDK job whose work is mostly inside one shared monitor: a fixed {@link ThreadPoolExecutor}
 * ({@code ledger-1}, {@code ledger-2}, ...) fed by one thread through a bounded work queue (a full queue
 * makes the feeder wait), where every task does a little work of its own and then most of its work in
 * {@code synchronized} {@link Ledger#post}. More threads than two only queue on the ledger's monitor:
 * a tuner should stop there and name the lock; a profiler should show it as the top lock site. No tuner
 * class is on its classpath.
 *
 * <p>Output: one line a second on stdout ({@code t=3s items/s=... cpu=... threads=2}, the pool's core
 * size), then {@code RESULT items_per_s=N last10s_items_per_s=M cpu_cores=C}. Exit status 0 after a full
 * run, 2 for a usage error (one line on stderr), 1 if a task failed.
 *
 * <p>With the defaults (tasks of ~5 ms, 95% of their CPU inside the monitor), on a 2-core machine: one
 * thread ~205 items/s on 1.0 core, two ~212/s on 1.07 cores (half their time BLOCKED on the ledger),
 * three or more no further gain. Tasks this long keep the work queue's own lock out of the picture.
 */
public final class LockBound {
    static final String NAME = "lock-bound";
    static final String UNIT = "items";
    private static final int QUEUE = 64;

    private LockBound() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * @return the exit status: 0 after a full run, 2 on a usage error, 1 on any other failure; in every
     *     non-zero case exactly one line went to {@code err}
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        return ExampleMain.run(NAME, args, out, err, LockBoundOptions::parse, LockBoundOptions::help,
                LockBoundOptions.COMMAND_LINE.usage(), LockBound::runJob);
    }

    private static int runJob(LockBoundOptions options, PrintStream out, PrintStream err) throws InterruptedException {
        ProcessCpu cpu = ProcessCpu.ofThisJvm();
        Ledger ledger = new Ledger(options.insideRounds());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(options.threads(), options.threads(), 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(QUEUE), new NamedThreads("ledger"), LockBound::waitForRoom);
        int outside = options.outsideRounds();
        Thread feeder = new Thread(() -> {
            try {
                for (long i = 0; !pool.isShutdown(); i++) {
                    long amount = i;
                    pool.execute(() -> {
                        try {
                            ledger.post(prepare(amount, outside));
                        } catch (RuntimeException | Error e) {
                            failure.compareAndSet(null, e);
                        }
                    });
                }
            } catch (RejectedExecutionException e) {
                // shut down
            }
        }, "ledger-feed");
        feeder.setDaemon(true);

        out.printf("%s: pid=%d cores=%d threads=%d inside=%d outside=%d%n", NAME, ProcessHandle.current().pid(),
                cpu.cores(), options.threads(), options.insideRounds(), options.outsideRounds());
        ProgressPrinter progress = new ProgressPrinter(out, UNIT, ledger::entries,
                () -> "threads=" + pool.getCorePoolSize(), cpu);
        progress.start();
        feeder.start();
        ExampleMain.awaitDeadlineOrFailure(options.seconds(), failure);
        RunSummary summary = progress.stop();
        Throwable failed = failure.get();
        pool.shutdownNow();
        return ExampleMain.finish(NAME, UNIT, summary, failed, out, err);
    }

    /** The task's own work, outside the monitor. */
    static long prepare(long amount, int rounds) {
        long h = amount;
        for (int i = 0; i < rounds; i++) {
            h = (h + i) * 0x9E3779B97F4A7C15L;
            h ^= h >>> 29;
        }
        return h;
    }

    /** A full work queue makes the submitter wait for room instead of failing. */
    private static void waitForRoom(Runnable task, ThreadPoolExecutor pool) {
        if (pool.isShutdown()) {
            throw new RejectedExecutionException("shut down");
        }
        try {
            pool.getQueue().put(task);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RejectedExecutionException("interrupted", e);
        }
    }
}
