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
 * <p>Figures per run: decisions to reach 95% of the optimum (the rounds in force when throughput first
 * held >= 0.95 x optimum over 3 intervals; a run that never does counts as {@value #ROUND_CAP}), final
 * throughput / optimum and utilization overshoot above the target, both over the last 10 s.
 *
 * <p>Options: {@code --pipelines N} (200), {@code --seed S}, {@code --cores 2,8,30,64,128},
 * {@code --seconds T} (45), {@code --threads K} (2), {@code --worst K} (5: the runs printed in detail),
 * {@code --show INDEX@CORES} (print one run's spec and the controller's log, then exit).
 */
public final class ConvergenceBench {
    static final int ROUND_CAP = 20;
    static final double TARGET = 0.9;
    static final double BAND = 0.05;
    static final double REACH = 0.95;
    static final double STEADY = 10;
    static final int INCIDENT_CORES = 30;

    private ConvergenceBench() {
    }

    /** One pipeline on one core count, under both tuners. */
    record Run(int index, int cores, PipelineSpec spec, OptimumSearch.Result optimum, Outcome controller,
               Outcome climber) {
    }

    /** One tuner's figures on one pipeline. */
    record Outcome(int decisions, boolean reached, double ratio, double overshoot, double utilization, int rounds,
                   String verdict, List<String> log, Simulation.Result trace) {
    }

    public static void main(String[] args) throws Exception {
        int pipelines = 200;
        long seed = 20240611L;
        int[] coreCounts = {2, 8, 30, 64, 128};
        double seconds = 45;
        int threads = 2;
        int worst = 5;
        String show = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--pipelines" -> pipelines = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--cores" -> coreCounts = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--worst" -> worst = Integer.parseInt(args[++i]);
                case "--show" -> show = args[++i];
                default -> {
                    System.err.println("convergence: unknown option " + args[i]
                            + "; options: --pipelines N --seed S --cores a,b,c --seconds T --threads K --worst K --show INDEX@CORES");
                    System.exit(2);
                }
            }
        }
        if (show != null) {
            String[] parts = show.split("@");
            int cores = Integer.parseInt(parts[1]);
            PipelineSpec spec = parts[0].equals("incident") ? RandomPipelines.incident(cores)
                    : RandomPipelines.generate(seed, Integer.parseInt(parts[0]), cores);
            Run run = evaluate(parts[0].equals("incident") ? -1 : Integer.parseInt(parts[0]), cores, spec, seed, 60);
            print(run, true);
            return;
        }

        long started = System.nanoTime();
        System.out.printf(Locale.ROOT, "convergence benchmark: %d random pipelines x cores %s + the incident on %d cores; "
                        + "seed %d, %.0f s simulated each, target %.2f, optimum at utilization <= %.2f; %d threads%n",
                pipelines, Arrays.toString(coreCounts), INCIDENT_CORES, seed, seconds, TARGET, TARGET + BAND, threads);
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        List<Future<Run>> futures = new ArrayList<>();
        final long familySeed = seed;
        final double runSeconds = seconds;
        for (int cores : coreCounts) {
            for (int i = 0; i < pipelines; i++) {
                final int index = i;
                final int c = cores;
                futures.add(pool.submit(() -> evaluate(index, c, RandomPipelines.generate(familySeed, index, c),
                        familySeed, runSeconds)));
            }
        }
        Future<Run> incidentFuture = pool.submit(() -> evaluate(-1, INCIDENT_CORES,
                RandomPipelines.incident(INCIDENT_CORES), familySeed, 60));
        List<Run> runs = new ArrayList<>();
        for (Future<Run> f : futures) {
            runs.add(f.get());
        }
        Run incident = incidentFuture.get();
        pool.shutdown();
        double elapsed = (System.nanoTime() - started) / 1e9;

        System.out.println();
        System.out.println("decisions: rounds until throughput first held >= 95% of the optimum (3-interval mean);"
                + " a run that never got there counts as the cap of " + ROUND_CAP + " (column 'miss').");
        System.out.println("ratio: throughput / optimum over the last 10 s; over: utilization above the target over the"
                + " last 10 s, as a share of the cores (max over runs);");
        System.out.println("nofit: pipelines where no setting keeps utilization <= "
                + String.format(Locale.ROOT, "%.2f", TARGET + BAND) + " (the optimum is then the least-utilization setting found; they are left out of 'over').");
        System.out.println();
        String head = String.format(Locale.ROOT, "%-8s %4s %5s | %-42s | %-42s", "cores", "runs", "nofit",
                "controller: dec med/p95  miss  ratio med/p5   over", "hill climber: dec med/p95  miss  ratio med/p5   over");
        System.out.println(head);
        System.out.println("-".repeat(head.length()));
        List<Run> all = new ArrayList<>(runs);
        all.add(incident);
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
                        + "%.2f cores busy over the last 10 s; throughput %.0f%% of the optimum (%s)%n",
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

        double[] dec = all.stream().mapToDouble(r -> r.controller.decisions).toArray();
        double[] ratio = all.stream().mapToDouble(r -> r.controller.ratio).toArray();
        double maxOver = all.stream().mapToDouble(r -> overshoot(r, r.controller)).max().orElse(0);
        System.out.printf(Locale.ROOT, "%nelapsed %.1f s%n", elapsed);
        System.out.printf(Locale.ROOT, "RESULT pipelines=%d median_decisions=%s p95_decisions=%s p5_optimal_ratio=%.3f "
                        + "max_overshoot=%.3f seed30_decisions=%d seed30_cores=%.2f%n",
                all.size(), num(percentile(dec, 50)), num(percentile(dec, 95)), percentile(ratio, 5), maxOver,
                toTarget < 0 ? ROUND_CAP : toTarget, finalCores);
    }

    private static String num(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String row(String label, List<Run> runs) {
        long nofit = runs.stream().filter(r -> !r.optimum.feasible()).count();
        return String.format(Locale.ROOT, "%-8s %4d %5d | %s | %s", label, runs.size(), nofit,
                figures(runs, Run::controller), figures(runs, Run::climber));
    }

    /** Steady-state overshoot, counted only where some setting fits within the cap. */
    static double overshoot(Run run, Outcome outcome) {
        return run.optimum.feasible() ? outcome.overshoot : 0;
    }

    private static String figures(List<Run> runs, java.util.function.Function<Run, Outcome> which) {
        List<Outcome> outcomes = runs.stream().map(which).toList();
        double[] dec = outcomes.stream().mapToDouble(Outcome::decisions).toArray();
        double[] ratio = outcomes.stream().mapToDouble(Outcome::ratio).toArray();
        long miss = outcomes.stream().filter(o -> !o.reached).count();
        double over = runs.stream().mapToDouble(r -> overshoot(r, which.apply(r))).max().orElse(0);
        return String.format(Locale.ROOT, "%12s %5s %5d  %5.2f %5.2f  %6.3f",
                num(percentile(dec, 50)), num(percentile(dec, 95)), miss, percentile(ratio, 50), percentile(ratio, 5), over);
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

    static Run evaluate(int index, int cores, PipelineSpec spec, long familySeed, double seconds) {
        long seed = runSeed(familySeed, index, cores);
        MachineSpec machine = MachineSpec.of(cores);
        OptimumSearch.Result optimum = new OptimumSearch(machine, spec, seed, TARGET + BAND, 256).search();
        Settings settings = Settings.builder().cores(cores).target(TARGET).build();

        SimulatedProcess process = new SimulatedProcess(machine, spec, seed);
        ControllerTuner controller = new ControllerTuner(settings, process);
        Simulation.Result ctl = Simulation.run(process, controller, seconds);
        List<String> log = controller.recorder().events().stream().map(Recorder.Event::toString).toList();
        String verdict = controller.recorder().converged().isEmpty() ? "not converged"
                : controller.recorder().converged().get(controller.recorder().converged().size() - 1).limit().toString();
        Outcome c = outcome(ctl, optimum.throughput(), verdict, log);

        SimulatedProcess process2 = new SimulatedProcess(machine, spec, seed);
        HillClimber climber = new HillClimber(process2, cores, TARGET);
        Simulation.Result hc = Simulation.run(process2, climber, seconds);
        Outcome h = outcome(hc, optimum.throughput(), "", List.of());
        return new Run(index, cores, spec, optimum, c, h);
    }

    private static Outcome outcome(Simulation.Result r, double optimum, String verdict, List<String> log) {
        int reached = r.roundsToReach(i -> i.throughput(0), REACH * optimum, 3);
        double ratio = optimum > 0 ? r.meanThroughput(0, STEADY) / optimum : Double.NaN;
        double util = r.meanUtilization(STEADY);
        return new Outcome(reached < 0 ? ROUND_CAP : Math.min(ROUND_CAP, reached), reached >= 0, ratio,
                Math.max(0, util - TARGET), util, r.finalRounds(), verdict, log, r);
    }

    private static void print(Run r, boolean full) {
        Outcome c = r.controller;
        System.out.printf(Locale.ROOT, "  #%d on %d cores: controller ratio %.2f, %d rounds (%s 95%%: %s), util %.3f; "
                        + "hill climber ratio %.2f util %.3f, %d rounds; %s%n    verdict: %s%n",
                r.index, r.cores, c.ratio, c.rounds, c.reached ? "reached" : "never reached", c.reached ? c.decisions : "-",
                c.utilization, r.climber.ratio, r.climber.utilization, r.climber.rounds, r.optimum, c.verdict);
        String spec = r.spec.toString().replace("\n", "\n    ");
        System.out.println("    " + spec);
        if (full) {
            for (String line : c.log) {
                System.out.println("    " + line);
            }
        }
    }
}
