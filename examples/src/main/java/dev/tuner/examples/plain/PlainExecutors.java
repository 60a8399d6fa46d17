package dev.tuner.examples.plain;

import dev.tuner.examples.common.ExampleMain;
import dev.tuner.examples.common.NamedThreads;
import dev.tuner.examples.common.ProcessCpu;
import dev.tuner.examples.common.ProgressPrinter;
import dev.tuner.examples.common.RunSummary;
import java.io.PrintStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A data job written the way most are, with nothing but the JDK: fixed thread pools from
 * {@link Executors#newFixedThreadPool}, joined by bounded {@link BlockingQueue}s. It has never heard of
 * a tuner; its jar holds no tuner class.
 *
 * <pre>
 *   etl-feed --(a read task and a parse task per block)--&gt; etl-read pool: fetch from the remote store
 *            --fetched (16)--&gt; etl-parse pool: parse (CPU) --parsed (64)--&gt; etl-sink
 * </pre>
 *
 * A read task waits on the store's round trip, then puts the block on {@code fetched} (waiting for room
 * when parsing lags); a parse task takes a block from {@code fetched} (waiting when reading lags),
 * parses it and puts the result on {@code parsed}. At most 256 blocks are in flight. The defaults are
 * the misconfiguration: one reader against a 20 ms store holds the job to ~50 blocks/s on a tenth of
 * a core, while the parse thread sits in {@code take()}.
 *
 * <p>Output: one line a second on stdout ({@code t=3s items/s=... cpu=... read=1 parse=1 (max 1/1)}: the
 * pools' core sizes, then their maximum sizes, read from the pools so a tuner's changes show), then
 * {@code RESULT items_per_s=N last10s_items_per_s=M cpu_cores=C}. Exit status 0 after a full run, 2 for a
 * usage error (one line on stderr), 1 if a task failed.
 *
 * <p>Calibration on a quiet 2-core machine, {@code --seconds 20}: defaults ~48 items/s on 0.1 cores;
 * the job is CPU-bound from about 16 readers and 2 parsers (see {@code bench/pools} for the sweep).
 */
public final class PlainExecutors {
    static final String NAME = "plain-executors";
    static final String UNIT = "items";
    private static final int FETCHED_CAPACITY = 16;
    private static final int PARSED_CAPACITY = 64;
    private static final int IN_FLIGHT = 256;

    private PlainExecutors() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the job as the command line says and reports on {@code out}.
     *
     * @return the exit status: 0 after a full run, 2 on a usage error, 1 on any other failure; in every
     *     non-zero case exactly one line went to {@code err}
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        return ExampleMain.run(NAME, args, out, err, PlainOptions::parse, PlainOptions::help,
                PlainOptions.COMMAND_LINE.usage(), PlainExecutors::runJob);
    }

    private static int runJob(PlainOptions options, PrintStream out, PrintStream err) throws InterruptedException {
        ProcessCpu cpu = ProcessCpu.ofThisJvm();
        RemoteStore store = new RemoteStore(options.readLatencyMillis());
        Parser parser = new Parser(options.parsePasses());
        ThreadPoolExecutor readPool = (ThreadPoolExecutor) Executors.newFixedThreadPool(options.readers(),
                new NamedThreads("etl-read"));
        ThreadPoolExecutor parsePool = (ThreadPoolExecutor) Executors.newFixedThreadPool(options.parsers(),
                new NamedThreads("etl-parse"));
        BlockingQueue<long[]> fetched = new ArrayBlockingQueue<>(FETCHED_CAPACITY);
        BlockingQueue<Long> parsed = new ArrayBlockingQueue<>(PARSED_CAPACITY);
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        AtomicLong done = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();

        Thread feeder = daemon("etl-feed", () -> {
            for (long id = 0; ; id++) {
                inFlight.acquire();
                long block = id;
                readPool.execute(guarded(failure, () -> fetched.put(store.fetch(block))));
                parsePool.execute(guarded(failure, () -> parsed.put(parser.parse(fetched.take()))));
            }
        }, failure);
        Thread sink = daemon("etl-sink", () -> {
            long checksum = 0;
            while (true) {
                checksum ^= parsed.take();
                done.incrementAndGet();
                inFlight.release();
                if (checksum == 42) {
                    Thread.onSpinWait(); // keeps the checksum alive
                }
            }
        }, failure);

        out.printf("%s: pid=%d cores=%d read-latency=%dms parse-passes=%d readers=%d parsers=%d%n", NAME,
                ProcessHandle.current().pid(), cpu.cores(), options.readLatencyMillis(), options.parsePasses(),
                options.readers(), options.parsers());
        ProgressPrinter progress = new ProgressPrinter(out, UNIT, done::get,
                () -> "read=" + readPool.getCorePoolSize() + " parse=" + parsePool.getCorePoolSize() + " (max "
                        + readPool.getMaximumPoolSize() + "/" + parsePool.getMaximumPoolSize() + ")", cpu);
        progress.start();
        feeder.start();
        sink.start();
        ExampleMain.awaitDeadlineOrFailure(options.seconds(), failure);
        RunSummary summary = progress.stop();
        Throwable failed = failure.get(); // before the shutdown, whose rejections and interrupts are no failure
        feeder.interrupt();
        readPool.shutdownNow();
        parsePool.shutdownNow();
        return ExampleMain.finish(NAME, UNIT, summary, failed, out, err);
    }

    /** Work that may wait; an interrupt ends it quietly (the job is shutting down). */
    interface Step {
        void run() throws InterruptedException;
    }

    private static Runnable guarded(AtomicReference<Throwable> failure, Step step) {
        return () -> {
            try {
                step.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException | Error e) {
                failure.compareAndSet(null, e);
            }
        };
    }

    private static Thread daemon(String name, Step body, AtomicReference<Throwable> failure) {
        Thread t = new Thread(guarded(failure, body), name);
        t.setDaemon(true);
        return t;
    }
}
