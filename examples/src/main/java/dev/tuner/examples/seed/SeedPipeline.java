package dev.tuner.examples.seed;

import dev.tuner.examples.common.ExampleMain;
import dev.tuner.examples.common.ProcessCpu;
import dev.tuner.examples.common.ProgressPrinter;
import dev.tuner.examples.common.RunSummary;
import dev.tuner.pipeline.Pipeline;
import dev.tuner.stage.StageConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The incident rebuilt in Java: a training job whose input pipeline reads blocks of CSV records from
 * a slow "remote table", parses them into feature vectors, batches them and feeds a trainer that
 * computes on a pool of one thread per core.
 *
 * <pre>
 *   blocks --read (num_parallel_reads)--&gt; bytes --parse (num_parallel_calls)--&gt; feature blocks
 *          --batch (1 worker, output prefetch = prefetch_size)--&gt; batches --train (sink)
 * </pre>
 *
 * Its stages are published over JMX as pipeline {@code seed}, stages {@code read}, {@code parse},
 * {@code batch}, {@code train}. With the incident's defaults (1 reader, 1 parse thread, prefetch 2) the
 * single reader's latency holds the job at a fraction of one core while the trainer's compute threads
 * sit parked; raising the knobs makes it CPU-bound on every core.
 *
 * <p>Output: one progress line a second on stdout ({@code t=3s records/s=... cpu=... read=1 parse=1
 * prefetch=2 ...}), then one {@code RESULT records_per_s=N last10s_records_per_s=M cpu_cores=C} line.
 * Exit status 0 after a full run, 2 for a usage error (one line on stderr), 1 if the pipeline failed.
 *
 * <p>Calibration ({@link Featurizer#CROSSED_FIELDS} and {@link Model#HIDDEN} set the CPU per record,
 * about 22 us: parse ~70%, train compute ~28%, read, batch and the rest ~2%), measured on a quiet
 * 2-core machine with {@code --seconds 15}:
 * <ul>
 *   <li>defaults (1 reader, 1 parse thread, prefetch 2): ~16,000 records/s on ~0.4 cores, held by
 *       the single reader's 30 ms per 500-record block;</li>
 *   <li>{@code --num-parallel-reads 16 --num-parallel-calls 2 --prefetch 100} (the incident's hand
 *       fix, scaled to 2 cores): ~79,000-89,000 records/s on ~1.95 cores, CPU-bound;</li>
 *   <li>{@code --num-parallel-reads 16 --num-parallel-calls 1}: ~57,000-60,000 records/s on ~1.4
 *       cores, held by the single parse thread.</li>
 * </ul>
 */
public final class SeedPipeline {
    static final String NAME = "seed";
    static final String READ = "read";
    static final String PARSE = "parse";
    static final String BATCH = "batch";
    static final String TRAIN = "train";
    /** Output buffers of read and parse, in blocks: the library's default, tunable like the rest. */
    private static final int BLOCK_PREFETCH = 16;
    private static final long MODEL_SEED = 42;

    private SeedPipeline() {
    }

    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        // Our threads are daemons; exiting here also makes the status independent of anyone else's.
        System.exit(status);
    }

    /**
     * Runs the pipeline as the command line says and reports on {@code out}.
     *
     * @return the exit status: 0 after a full run, 2 on a usage error, 1 on any other failure; in every
     *     non-zero case exactly one line went to {@code err}
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        return ExampleMain.run("seed-pipeline", args, out, err, SeedOptions::parse, SeedOptions::help,
                SeedOptions.COMMAND_LINE.usage(), SeedPipeline::prepareAndRun);
    }

    private static int prepareAndRun(SeedOptions options, PrintStream out, PrintStream err) throws InterruptedException {
        try {
            return runPipeline(options, out, err);
        } catch (IOException e) {
            err.println("seed-pipeline: cannot prepare the data under " + options.dataDir().toAbsolutePath() + ": " + e);
            return 1;
        }
    }

    private static int runPipeline(SeedOptions options, PrintStream out, PrintStream err)
            throws IOException, InterruptedException {
        List<Path> blocks = SeedData.ensure(options.dataDir());
        ProcessCpu cpu = ProcessCpu.ofThisJvm();
        try (Trainer trainer = new Trainer(new Model(MODEL_SEED), cpu.cores());
             Pipeline<Void> pipeline = build(options, blocks, trainer)) {
            out.printf("seed: pid=%d cores=%d table=%s (%d blocks x %d records) read-latency=%dms batch=%d%n",
                    ProcessHandle.current().pid(), cpu.cores(), options.dataDir(), blocks.size(),
                    SeedData.RECORDS_PER_BLOCK, options.readLatencyMillis(), options.batchSize());
            SeedKnobs knobs = new SeedKnobs(pipeline);
            ProgressPrinter progress = new ProgressPrinter(out, trainer::recordsTrained, knobs::describe, cpu);
            pipeline.start();
            progress.start();
            try {
                // The source never ends, so this returns at the deadline unless a stage failed.
                pipeline.awaitCompletion(options.seconds(), TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                progress.stop();
                err.println("seed-pipeline: the pipeline failed: " + e.getCause());
                return 1;
            }
            RunSummary summary = progress.stop();
            out.println(summary.resultLine());
            out.flush();
            return 0;
        }
    }

    /** The seed pipeline over {@code blocks}, ending in {@code trainer}; not started. */
    static Pipeline<Void> build(SeedOptions options, List<Path> blocks, Trainer trainer) {
        return Pipeline.from(NAME, new BlockSource(blocks))
                .stage(READ, StageConfig.parallelism(options.numParallelReads())
                                .withParallelismBounds(1, SeedOptions.MAX_READS)
                                .withPrefetch(BLOCK_PREFETCH)
                                .withPrefetchBounds(1, SeedOptions.MAX_PREFETCH),
                        new BlockReader(options.readLatencyMillis()))
                .stage(PARSE, StageConfig.parallelism(options.numParallelCalls())
                                .withParallelismBounds(1, SeedOptions.MAX_CALLS)
                                .withPrefetch(BLOCK_PREFETCH)
                                .withPrefetchBounds(1, SeedOptions.MAX_PREFETCH),
                        new BlockParser())
                .stage(BATCH, StageConfig.single()
                                .withPrefetch(options.prefetch())
                                .withPrefetchBounds(1, SeedOptions.MAX_PREFETCH),
                        new Batcher(options.batchSize()))
                .sink(TRAIN, StageConfig.single(), trainer);
    }
}
