package dev.tuner.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random pipelines for the convergence benchmark: 2-6 stages, each CPU-, I/O-, lock-bound or mixed,
 * fan-out 1-4, noisy, starting from small default-like knobs. The structure of pipeline {@code i}
 * depends only on the seed and {@code i}; what depends on the core count is scaled to it (a rate-limited
 * source delivers a fixed share of what the cores could carry; an external compute pool is as wide as
 * the machine).
 */
final class RandomPipelines {
    private RandomPipelines() {
    }

    enum Kind { CPU, IO, MIXED, LOCK }

    /** Pipeline {@code index} of the family {@code seed}, on {@code cores} cores. */
    static PipelineSpec generate(long seed, int index, double cores) {
        SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
        int n = 2 + rng.nextInt(5);
        boolean sink = rng.nextDouble() < 0.7;
        boolean external = rng.nextDouble() < 0.15;
        double sourceShare = rng.nextDouble() < 0.25 ? 0.2 + 0.6 * rng.nextDouble() : Double.NaN;
        double consumerShare = !sink && rng.nextDouble() < 0.3 ? 0.3 + 0.5 * rng.nextDouble() : Double.NaN;
        List<StageSpec> stages = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Kind kind = pick(rng);
            double cpu;
            double wait;
            double serial = 0;
            switch (kind) {
                case CPU -> {
                    cpu = logUniform(rng, 5e-6, 2e-3);
                    wait = cpu * 0.1 * rng.nextDouble();
                }
                case IO -> {
                    wait = logUniform(rng, 0.5e-3, 50e-3);
                    cpu = wait * logUniform(rng, 0.005, 0.1);
                }
                case MIXED -> {
                    cpu = logUniform(rng, 20e-6, 1e-3);
                    wait = cpu * (0.5 + 2.5 * rng.nextDouble());
                }
                default -> {
                    cpu = logUniform(rng, 10e-6, 500e-6);
                    serial = 0.05 + 0.35 * rng.nextDouble();
                    wait = cpu * 0.3 * rng.nextDouble();
                }
            }
            double u = rng.nextDouble();
            double fanOut = u < 0.55 ? 1 : u < 0.85 ? 2 + rng.nextInt(3) : 1.2 + 2.8 * rng.nextDouble();
            int initial = rng.nextDouble() < 0.6 ? 1 : 2 + rng.nextInt(3);
            int max = rng.nextDouble() < 0.8 ? 256 : new int[] {4, 8, 16, 32}[rng.nextInt(4)];
            initial = Math.min(initial, max);
            int prefetch = new int[] {1, 2, 4, 16, 64}[rng.nextInt(5)];
            int maxPrefetch = rng.nextDouble() < 0.7 ? 4096 : 1024;
            StageSpec.Builder b = StageSpec.builder("s" + i + "-" + kind.name().toLowerCase())
                    .cpu(cpu).waitTime(wait).serial(serial)
                    .noise(0.05 + 0.45 * rng.nextDouble())
                    .parallelism(initial, 1, max)
                    .bytesPerItem((long) logUniform(rng, 100, 1 << 20));
            boolean last = i == n - 1;
            if (!last) {
                b.fanOut(fanOut);
            }
            if (last && sink) {
                b.sink();
            } else {
                b.prefetch(prefetch, 1, maxPrefetch);
            }
            if (last && external) {
                b.externalCpu(logUniform(rng, 1e-3, 50e-3), (int) Math.max(1, cores));
            }
            stages.add(b.build());
        }
        PipelineSpec.Builder pb = PipelineSpec.builder("p" + index).stages(stages);
        PipelineSpec open = pb.build();
        if (!Double.isNaN(sourceShare) || !Double.isNaN(consumerShare)) {
            OptimumSearch bounds = new OptimumSearch(MachineSpec.of(cores), open, 0, 0.9, 256);
            double reachable = Math.min(bounds.cpuBound(), bounds.hardBound());
            if (!Double.isNaN(sourceShare)) {
                pb.source(SourceSpec.rate(sourceShare * reachable));
            }
            if (!Double.isNaN(consumerShare)) {
                StageSpec last = stages.get(n - 1);
                pb.consumerRate(consumerShare * reachable * open.itemsPerSourceItem(n - 1) * last.fanOut());
            }
        }
        return pb.build();
    }

    private static Kind pick(SplittableRandom rng) {
        double u = rng.nextDouble();
        return u < 0.35 ? Kind.CPU : u < 0.65 ? Kind.IO : u < 0.8 ? Kind.MIXED : Kind.LOCK;
    }

    private static double logUniform(SplittableRandom rng, double lo, double hi) {
        return Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * rng.nextDouble());
    }

    /** The incident: slow reads, one parser, batches of 2000 behind a prefetch of 2, a trainer with its own compute pool. */
    static PipelineSpec incident(int cores) {
        return PipelineSpec.builder("incident")
                .stage(StageSpec.builder("read").cpu(0.3e-3).waitTime(30e-3).noise(0.3).fanOut(500)
                        .parallelism(1, 1, 64).prefetch(16).bytesPerItem(1_000).build())
                .stage(StageSpec.builder("parse").cpu(12.5e-6).noise(0.2)
                        .parallelism(1, 1, 256).prefetch(16).bytesPerItem(1_000).build())
                .stage(StageSpec.builder("batch").cpu(0.5e-6).noise(0.1).fanOut(1.0 / 2000)
                        .parallelism(1, 1, 16).prefetch(2).bytesPerItem(2_000_000).build())
                .stage(StageSpec.builder("train").cpu(0.5e-3).externalCpu(150e-3, cores).noise(0.1)
                        .parallelism(1, 1, 1).sink().build())
                .build();
    }
}
