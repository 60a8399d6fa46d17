package dev.tuner.examples.common;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Prints one line a second while a run goes on, so a person can watch throughput, CPU and the knobs
 * move (e.g. while an agent tunes them):
 * {@code t=3s records/s=16512 cpu=0.41 cores (20% of 2) read=1 parse=1 prefetch=2}.
 *
 * <p>It keeps every sample it took, and {@link #stop()} turns them into the run's {@link RunSummary}.
 * Ticks run on one daemon thread named {@code progress}; {@link #start()} and {@link #stop()} are
 * meant to be called once each, from the thread that owns the run.
 */
public final class ProgressPrinter {
    private final PrintStream out;
    private final String unit;
    private final LongSupplier items;
    private final Supplier<String> details;
    private final ProcessCpu cpu;
    private final List<RateSample> samples = new ArrayList<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "progress");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param out where the lines go (stdout in the examples)
     * @param items the monotonic count of items finished (e.g. records the trainer consumed)
     * @param details appended to each line, e.g. the current knob values; must be cheap and not block
     * @param cpu the process CPU source
     */
    public ProgressPrinter(PrintStream out, LongSupplier items, Supplier<String> details, ProcessCpu cpu) {
        this(out, "records", items, details, cpu);
    }

    /**
     * @param unit what an item is called in the lines ({@code records/s=}, {@code items/s=})
     */
    public ProgressPrinter(PrintStream out, String unit, LongSupplier items, Supplier<String> details, ProcessCpu cpu) {
        this.out = out;
        this.unit = unit;
        this.items = items;
        this.details = details;
        this.cpu = cpu;
    }

    /** Takes the start sample now and prints a line every second from now on. */
    public void start() {
        synchronized (samples) {
            samples.add(sample());
        }
        ticker.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    /** Stops printing (waiting for a tick in progress), takes the end sample and summarises the run. */
    public RunSummary stop() throws InterruptedException {
        ticker.shutdown();
        ticker.awaitTermination(5, TimeUnit.SECONDS);
        synchronized (samples) {
            samples.add(sample());
            return RunSummary.of(samples);
        }
    }

    private void tick() {
        // A throwing tick would silently cancel every later one, so nothing may escape.
        try {
            RateSample now = sample();
            RateSample previous;
            RateSample first;
            synchronized (samples) {
                previous = samples.get(samples.size() - 1);
                first = samples.get(0);
                samples.add(now);
            }
            double cores = now.coresBusySince(previous);
            out.printf(Locale.ROOT, "t=%ds %s/s=%d cpu=%.2f cores (%d%% of %d) %s%n",
                    Math.round(now.secondsSince(first)), unit, Math.round(now.itemsPerSecondSince(previous)),
                    cores, Math.round(100 * cores / cpu.cores()), cpu.cores(), details.get());
        } catch (RuntimeException e) {
            out.println("progress: cannot report: " + e);
        }
    }

    private RateSample sample() {
        return new RateSample(System.nanoTime(), items.getAsLong(), cpu.cpuNanos());
    }
}
