package dev.tuner.sim;

import dev.tuner.engine.Settings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The convergence benchmark (bench/convergence): random pipelines on 2, 8, 30, 64 and 128 simulated
 * cores, plus the incident's pipeline on 30, each run under the engine's Controller (target 0.9,
 * defaults otherwise) and under the +1 hill climber, and compared with the optimum found by
 * {@link OptimumSearch} (utilization at most 0.95, the engine's default 256-thread budget).
 *
 * <p>Two noise models, each run over the same pipelines: {@code jvm}, the headline, a machine with
 * {@link JvmNoise#calibrated()} noise whose bursts are scaled per pipeline by a factor log-uniform in
 * [{@value #BURST_LOW}, {@value #BURST_HIGH}] (the quieter and the GC-heavy apps), and {@code ideal}, the
 * per-item noise alone, which averages away within an interval. The optimum is searched on the same
 * machine as the run.
 *
 * <p>Figures per run: decisions to reach 95% of the optimum (the rounds in force when throughput first
 * held >= 0.95 x optimum over 3 intervals; a run that never does counts as {@value #ROUND_CAP}), final
 * throughput / optimum and utilization overshoot above the target, both over the last {@value #STEADY} s
 * (with JVM noise a 10-s mean of utilization still moves by 0.03-0.06 of the cores on the noisiest
 * pipelines, with nothing changed: a shorter window would measure the noise, not the tuner).
 *
 * <p>Options: {@code --pipelines N} (200), {@code --seed S}, {@code --cores 2,8,30,64,128},
 * {@code --seconds T} (60), {@code --threads K} (2), {@code --worst K} (5: the runs printed in detail),
 * {@code --show INDEX@CORES} (print one run's spec and the controller's log, then exit).
 */
public final class ConvergenceBench {
    static final int ROUND_CAP = 20;
    static final double TARGET = 0.9;
    static final double BAND = 0.05;
    static final double REACH = 0.95;
    static final double STEADY = 20;
    static final int INCIDENT_CORES = 30;
    static final double BURST_LOW = 0.5;
    static final double BURST_HIGH = 2.5;

    /** A noise model: its name and the machine noise of pipeline {@code index}. */
    record NoiseModel(String name, java.util.function.LongFunction<JvmNoise> noiseOf) {
        static NoiseModel jvm(long seed) {
            return new NoiseModel("jvm", index -> {
                java.util.SplittableRandom r = new java.util.SplittableRandom(seed * 7919 + index);
                double f = Math.exp(Math.log(BURST_LOW) + (Math.log(BURST_HIGH) - Math.log(BURST_LOW)) * r.nextDouble());
                return JvmNoise.calibrated().scaled(f);
            });
        }

        static NoiseModel ideal() {
            return new NoiseModel("ideal", index -> JvmNoise.NONE);
        }
    }

    /** Every run of one noise model. */
    record Campaign(NoiseModel model, List<Run> runs, Run incident) {
        List<Run> all() {
            List<Run> all = new ArrayList<>(runs);
            all.add(incident);
            return all;
        }
    }

    private ConvergenceBench() {
    }

    /** One pipeline on one core count, under both tuners. */
    record Run(int index, int cores, PipelineSpec spec, OptimumSearch.Result optimum, Outcome controller,
               Outcome climber) {
    }

    /** One tuner's figures on one pipeline. */
    record Outcome(int decisions, boolean reached, double ratio, double overshoot, double utilization, int rounds,
                   int after, String verdict, List<String> log, Simulation.Result trace) {
    }

    public static void main(String[] args) throws Exception {
        int pipelines = 200;
        long seed = 20240611L;
        int[] coreCounts = {2, 8, 30, 64, 128};
        double seconds = 60;
        int threads = 2;
        int worst = 5;
        String show = null;
        String noise = "both";
        String csv = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--pipelines" -> pipelines = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--cores" -> coreCounts = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--worst" -> worst = Integer.parseInt(args[++i]);
                case "--show" -> show = args[++i];
                case "--noise" -> noise = args[++i];
                case "--csv" -> csv = args[++i];
                default -> {
                    System.err.println("convergence: unknown option " + args[i] + "; options: --pipelines N --seed S"
                            + " --cores a,b,c --seconds T --threads K --worst K --show INDEX@CORES --noise jvm|ideal|both");
                    System.exit(2);
                }
            }
        }
        List<NoiseModel> models = switch (noise) {
            case "jvm" -> List.of(NoiseModel.jvm(seed));
            case "ideal" -> List.of(NoiseModel.ideal());
            case "both" -> List.of(NoiseModel.jvm(seed), NoiseModel.ideal());
            default -> {
                System.err.println("convergence: --noise takes jvm, ideal or both, got " + noise);
                System.exit(2);
                yield List.of();
            }
        };
        if (show != null) {
            String[] parts = show.split("@");
            int cores = Integer.parseInt(parts[1]);
            boolean incident = parts[0].equals("incident");
            int index = incident ? -1 : Integer.parseInt(parts[0]);
            PipelineSpec spec = incident ? RandomPipelines.incident(cores) : RandomPipelines.generate(seed, index, cores);
            for (NoiseModel model : models) {
                System.out.println("noise model " + model.name() + ": " + model.noiseOf().apply(index));
                print(evaluate(index, cores, spec, seed, 60, model), true);
            }
            return;
        }

        long started = System.nanoTime();
        System.out.printf(Locale.ROOT, "convergence benchmark: %d random pipelines x cores %s + the incident on %d cores; "
                        + "seed %d, %.0f s simulated each, target %.2f, optimum at utilization <= %.2f; %d threads;"
                        + " noise models %s%n",
                pipelines, Arrays.toString(coreCounts), INCIDENT_CORES, seed, seconds, TARGET, TARGET + BAND, threads,
                models.stream().map(NoiseModel::name).toList());
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        List<Campaign> campaigns = new ArrayList<>();
        for (NoiseModel model : models) {
            campaigns.add(campaign(pool, model, pipelines, coreCounts, seed, seconds));
        }
        pool.shutdown();
        double elapsed = (System.nanoTime() - started) / 1e9;
        if (csv != null) {
            writeCsv(java.nio.file.Path.of(csv), campaigns);
        }

        StringBuilder result = new StringBuilder();
        for (Campaign c : campaigns) {
            String figures = report(c, coreCounts, worst);
            if (result.length() == 0) {
                result.append(figures);
            } else {
                result.append(' ').append(figures.replaceAll("(\\w+)=", c.model().name() + "_$1="));
            }
        }
        System.out.printf(Locale.ROOT, "%nelapsed %.1f s%n", elapsed);
        System.out.println("RESULT noise=" + campaigns.get(0).model().name() + " " + result);
    }

    private static Campaign campaign(ExecutorService pool, NoiseModel model, int pipelines, int[] coreCounts, long seed,
                                     double seconds) throws Exception {
        List<Future<Run>> futures = new ArrayList<>();
        for (int cores : coreCounts) {
            for (int i = 0; i < pipelines; i++) {
                final int index = i;
                final int c = cores;
                futures.add(pool.submit(() -> evaluate(index, c, RandomPipelines.generate(seed, index, c), seed, seconds,
                        model)));
            }
        }
        Future<Run> incident = pool.submit(() -> evaluate(-1, INCIDENT_CORES, RandomPipelines.incident(INCIDENT_CORES),
                seed, 60, model));
        List<Run> runs = new ArrayList<>();
        for (Future<Run> f : futures) {
            runs.add(f.get());
        }
        return new Campaign(model, runs, incident.get());
    }

    /** One line per run and noise model: the figures behind the tables, for a closer look. */
    private static void writeCsv(java.nio.file.Path file, List<Campaign> campaigns) throws java.io.IOException {
        List<String> lines = new ArrayList<>();
        lines.add("noise,index,cores,ratio,utilization,decisions,reached,rounds,after,optimum_utilization,feasible,verdict");
        for (Campaign c : campaigns) {
            for (Run r : c.all()) {
                Outcome o = r.controller;
                lines.add(String.format(Locale.ROOT, "%s,%d,%d,%.4f,%.4f,%d,%b,%d,%d,%.4f,%b,\"%s\"", c.model().name(),
                        r.index, r.cores, o.ratio, o.utilization, o.decisions, o.reached, o.rounds, o.after,
                        r.optimum.utilization(), r.optimum.feasible(), o.verdict.replace('"', '\'')));
            }
        }
        java.nio.file.Files.write(file, lines);
    }

    /** Prints one noise model's tables and worst runs; returns its figures as {@code k=v ...}. */
    private static String report(Campaign campaign, int[] coreCounts, int worst) {
        List<Run> runs = campaign.runs();
        Run incident = campaign.incident();
        List<Run> all = campaign.all();
        System.out.println();
        System.out.println("==== noise model: " + campaign.model().name() + " ====");
        System.out.println("decisions: rounds until throughput first held >= 95% of the optimum (3-interval mean);"
                + " a run that never got there counts as the cap of " + ROUND_CAP + " (column 'miss').");
        System.out.println("ratio: throughput / optimum over the last " + num(STEADY) + " s; over: utilization above the"
                + " target over the last " + num(STEADY) + " s, as a share of the cores (max over runs); after: decision"
                + " rounds after the first verdict, median/p95;");
        System.out.println("nofit: pipelines where no setting keeps utilization <= "
                + String.format(Locale.ROOT, "%.2f", TARGET + BAND) + " (the optimum is then the least-utilization setting found; they are left out of 'over').");
        System.out.println();
        String head = String.format(Locale.ROOT, "%-8s %4s %5s | %-50s | %-42s", "cores", "runs", "nofit",
                "controller: dec med/p95  miss  ratio med/p5   over after", "hill climber: dec med/p95  miss  ratio med/p5   over");
        System.out.println(head);
        System.out.println("-".repeat(head.length()));
        for (int cores : coreCounts) {
            List<Run> row = runs.stream().filter(r -> r.cores == cores).toList();
            System.out.println(row(String.valueOf(cores), row));
        }
        System.out.println(row("incident", List.of(incident)));
        System.out.println(row("all", all));
        System.out.println();

        Outcome ic = incident.controller;
        Simulation.Result incidentTrace = ic.trace;
        double startCores = incidentTrace.intervals().get(0).coresBusy();
        int toTarget = incidentTrace.roundsToReach(Simulation.Interval::coresBusy, 27, 3);
        double finalCores = incidentTrace.meanCoresBusy(STEADY);
        System.out.printf(Locale.ROOT, "incident on %d cores: %.2f cores busy untuned, %s decision rounds to >= 27 cores (3-interval mean), "
                        + "%.2f cores busy over the last 20 s; throughput %.0f%% of the optimum (%s)%n",
                INCIDENT_CORES, startCores, toTarget < 0 ? "never (cap " + ROUND_CAP + ")" : String.valueOf(toTarget),
                finalCores, 100 * ic.ratio, incident.optimum.parallelism());
        for (String line : ic.log) {
            System.out.println("    " + line);
        }

        double[] reachedDec = all.stream().filter(r -> r.controller.reached).mapToDouble(r -> r.controller.decisions).toArray();
        double[] reachedHc = all.stream().filter(r -> r.climber.reached).mapToDouble(r -> r.climber.decisions).toArray();
        System.out.printf(Locale.ROOT, "%nruns that reached 95%% of the optimum: controller %d, decisions median %s p95 %s max %s;"
                        + " hill climber %d, decisions median %s p95 %s max %s%n",
                reachedDec.length, num(percentile(reachedDec, 50)), num(percentile(reachedDec, 95)),
                num(percentile(reachedDec, 100)), reachedHc.length, num(percentile(reachedHc, 50)),
                num(percentile(reachedHc, 95)), num(percentile(reachedHc, 100)));
        System.out.println();
        System.out.println("controller runs that never reached 95% of the optimum, by the limit it named last"
                + " (count, median ratio, median utilization):");
        java.util.Map<String, List<Run>> misses = new java.util.TreeMap<>();
        for (Run r : all) {
            if (!r.controller.reached) {
                String v = r.controller.verdict;
                misses.computeIfAbsent(v.contains(":") ? v.substring(0, v.indexOf(':')) : v, k -> new ArrayList<>()).add(r);
            }
        }
        misses.forEach((kind, rs) -> System.out.printf(Locale.ROOT, "  %-14s %4d  ratio %.2f  util %.2f  e.g. %s%n", kind,
                rs.size(), percentile(rs.stream().mapToDouble(r -> r.controller.ratio).toArray(), 50),
                percentile(rs.stream().mapToDouble(r -> r.controller.utilization).toArray(), 50),
                String.join(" ", rs.stream().limit(4).map(r -> "#" + r.index + "@" + r.cores).toList())));

        System.out.println();
        System.out.println("worst controller runs by final throughput / optimum:");
        all.stream().filter(r -> r.index >= 0).sorted((a, b) -> Double.compare(a.controller.ratio, b.controller.ratio))
                .limit(worst).forEach(r -> print(r, false));
        System.out.println("most controller decisions to reach 95%:");
        all.stream().filter(r -> r.index >= 0).sorted((a, b) -> Integer.compare(b.controller.decisions, a.controller.decisions))
                .limit(worst).forEach(r -> print(r, false));
        System.out.println("largest controller overshoot (pipelines where a setting fits within the cap):");
        all.stream().filter(r -> r.index >= 0)
                .sorted((a, b) -> Double.compare(overshoot(b, b.controller), overshoot(a, a.controller)))
                .limit(worst).forEach(r -> print(r, false));
        System.out.println("most controller decisions after the first verdict:");
        all.stream().filter(r -> r.index >= 0).sorted((a, b) -> Integer.compare(b.controller.after, a.controller.after))
                .limit(worst).forEach(r -> print(r, false));

        double[] dec = all.stream().mapToDouble(r -> r.controller.decisions).toArray();
        double[] ratio = all.stream().mapToDouble(r -> r.controller.ratio).toArray();
        double[] after = all.stream().mapToDouble(r -> r.controller.after).toArray();
        double maxOver = all.stream().mapToDouble(r -> overshoot(r, r.controller)).max().orElse(0);
        return String.format(Locale.ROOT, "pipelines=%d median_decisions=%s p95_decisions=%s p5_optimal_ratio=%.3f "
                        + "max_overshoot=%.3f seed30_decisions=%d seed30_cores=%.2f p95_decisions_after=%s",
                all.size(), num(percentile(dec, 50)), num(percentile(dec, 95)), percentile(ratio, 5), maxOver,
                toTarget < 0 ? ROUND_CAP : toTarget, finalCores, num(percentile(after, 95)));
    }

    private static String num(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String row(String label, List<Run> runs) {
        long nofit = runs.stream().filter(r -> !r.optimum.feasible()).count();
        return String.format(Locale.ROOT, "%-8s %4d %5d | %s | %s", label, runs.size(), nofit,
                figures(runs, Run::controller, true), figures(runs, Run::climber, false));
    }

    /** Steady-state overshoot, counted only where some setting fits within the cap. */
    static double overshoot(Run run, Outcome outcome) {
        return run.optimum.feasible() ? outcome.overshoot : 0;
    }

    private static String figures(List<Run> runs, java.util.function.Function<Run, Outcome> which, boolean after) {
        List<Outcome> outcomes = runs.stream().map(which).toList();
        double[] dec = outcomes.stream().mapToDouble(Outcome::decisions).toArray();
        double[] ratio = outcomes.stream().mapToDouble(Outcome::ratio).toArray();
        double[] later = outcomes.stream().mapToDouble(Outcome::after).toArray();
        long miss = outcomes.stream().filter(o -> !o.reached).count();
        double over = runs.stream().mapToDouble(r -> overshoot(r, which.apply(r))).max().orElse(0);
        return String.format(Locale.ROOT, "%12s %5s %5d  %5.2f %5.2f  %6.3f", num(percentile(dec, 50)),
                num(percentile(dec, 95)), miss, percentile(ratio, 50), percentile(ratio, 5), over)
                + (after ? String.format(Locale.ROOT, " %3s/%-3s", num(percentile(later, 50)), num(percentile(later, 95))) : "");
    }

    /** Nearest-rank percentile. */
    static double percentile(double[] values, double p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static long runSeed(long familySeed, int index, int cores) {
        return familySeed * 31 + index * 1_000_003L + cores;
    }

    static Run evaluate(int index, int cores, PipelineSpec spec, long familySeed, double seconds, NoiseModel model) {
        long seed = runSeed(familySeed, index, cores);
        MachineSpec machine = MachineSpec.builder(cores).jvmNoise(model.noiseOf().apply(index)).build();
        OptimumSearch.Result optimum = new OptimumSearch(machine, spec, seed, TARGET + BAND, 256).search();
        Settings settings = Settings.builder().cores(cores).target(TARGET).build();

        SimulatedProcess process = new SimulatedProcess(machine, spec, seed);
        ControllerTuner controller = new ControllerTuner(settings, process);
        Simulation.Result ctl = Simulation.run(process, controller, seconds);
        List<String> log = controller.recorder().events().stream().map(Recorder.Event::toString).toList();
        String verdict = controller.recorder().converged().isEmpty() ? "not converged"
                : controller.recorder().converged().get(controller.recorder().converged().size() - 1).limit().toString();
        Outcome c = outcome(ctl, optimum.throughput(), verdict, log, decisionsAfterFirstVerdict(controller.recorder()));

        SimulatedProcess process2 = new SimulatedProcess(machine, spec, seed);
        HillClimber climber = new HillClimber(process2, cores, TARGET);
        Simulation.Result hc = Simulation.run(process2, climber, seconds);
        Outcome h = outcome(hc, optimum.throughput(), "", List.of(), 0);
        return new Run(index, cores, spec, optimum, c, h);
    }

    /** Decision rounds begun after the first converged verdict (spurious re-tunes, on a steady load). */
    static int decisionsAfterFirstVerdict(Recorder recorder) {
        if (recorder.converged().isEmpty()) {
            return 0;
        }
        double first = recorder.events().stream().filter(e -> e.kind().equals("converged")).findFirst()
                .map(Recorder.Event::time).orElse(Double.NaN);
        return (int) recorder.decisions().stream().filter(d -> d.time() > first)
                .mapToInt(d -> d.decision().round()).distinct().count();
    }

    private static Outcome outcome(Simulation.Result r, double optimum, String verdict, List<String> log, int after) {
        int reached = r.roundsToReach(i -> i.throughput(0), REACH * optimum, 3);
        double ratio = optimum > 0 ? r.meanThroughput(0, STEADY) / optimum : Double.NaN;
        double util = r.meanUtilization(STEADY);
        return new Outcome(reached < 0 ? ROUND_CAP : Math.min(ROUND_CAP, reached), reached >= 0, ratio,
                Math.max(0, util - TARGET), util, r.finalRounds(), after, verdict, log, r);
    }

    private static void print(Run r, boolean full) {
        Outcome c = r.controller;
        System.out.printf(Locale.ROOT, "  #%d on %d cores: controller ratio %.2f, %d rounds (%s 95%%: %s, %d after the"
                        + " first verdict), util %.3f; hill climber ratio %.2f util %.3f, %d rounds; %s%n    verdict: %s%n",
                r.index, r.cores, c.ratio, c.rounds, c.reached ? "reached" : "never reached", c.reached ? c.decisions : "-",
                c.after, c.utilization, r.climber.ratio, r.climber.utilization, r.climber.rounds, r.optimum, c.verdict);
        String spec = r.spec.toString().replace("\n", "\n    ");
        System.out.println("    " + spec);
        if (full) {
            for (String line : c.log) {
                System.out.println("    " + line);
            }
        }
    }
}
