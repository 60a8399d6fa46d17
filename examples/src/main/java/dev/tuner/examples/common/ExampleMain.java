package dev.tuner.examples.common;

import java.io.PrintStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * The exit-status contract every example's {@code main} keeps: 0 after a full run (or {@code --help}),
 * 2 on a usage error, 1 on any other failure; in every non-zero case exactly one line, prefixed with the
 * program's name, goes to {@code err} and no stack trace does.
 */
public final class ExampleMain {
    private ExampleMain() {
    }

    /** Parses the command line; a {@link UsageException} says what is wrong in one line. */
    @FunctionalInterface
    public interface Parser<O> {
        O parse(String[] args) throws UsageException;
    }

    /** Runs the job on parsed options and returns its exit status. */
    @FunctionalInterface
    public interface Job<O> {
        int run(O options, PrintStream out, PrintStream err) throws InterruptedException;
    }

    /**
     * Waits until {@code seconds} have passed or a task has failed, whichever comes first.
     */
    public static void awaitDeadlineOrFailure(int seconds, AtomicReference<Throwable> failure) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline && failure.get() == null) {
            Thread.sleep(Math.min(100, Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))));
        }
    }

    /**
     * The end of a run: the RESULT line and status 0, or one line naming the task that failed and status 1.
     *
     * @param failed the first task failure, read before the job's pools were shut down (their rejections and
     *               interrupts are no failure), or {@code null}
     */
    public static int finish(String name, String unit, RunSummary summary, Throwable failed, PrintStream out,
                             PrintStream err) {
        if (failed != null) {
            err.println(name + ": a task failed: " + failed);
            return 1;
        }
        out.println(summary.resultLine(unit));
        out.flush();
        return 0;
    }

    /**
     * @param name  the program's name, the prefix of every error line
     * @param usage the text {@code --help} prints
     * @param help  whether the parsed options ask for help
     */
    public static <O> int run(String name, String[] args, PrintStream out, PrintStream err, Parser<O> parser,
                              Predicate<O> help, String usage, Job<O> job) {
        O options;
        try {
            options = parser.parse(args);
        } catch (UsageException e) {
            err.println(name + ": " + e.getMessage());
            return 2;
        }
        if (help.test(options)) {
            out.print(usage);
            return 0;
        }
        try {
            return job.run(options, out, err);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println(name + ": interrupted");
            return 1;
        } catch (RuntimeException e) {
            // E.g. stages that cannot be published over JMX: still one line, not a stack trace.
            err.println(name + ": " + e);
            return 1;
        }
    }
}
