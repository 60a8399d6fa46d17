package dev.tuner.agent.diagnose;

import dev.tuner.engine.Bottleneck;
import dev.tuner.engine.Converged;
import dev.tuner.engine.Decision;
import dev.tuner.engine.Diagnosis;
import dev.tuner.engine.Fmt;
import dev.tuner.engine.Label;
import dev.tuner.engine.LockSite;
import dev.tuner.engine.Observation;
import dev.tuner.engine.StageObservation;
import dev.tuner.engine.Thresholds;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A diagnosis in plain words, the way the incident's engineers told it: how much of the machine the
 * process uses, then per pipeline which stage starves which and why (from the engine's labels and
 * bottleneck), the lock a lock-bound stage queues on, and what to change. Without tunable stages it
 * reads the threads alone: pools that queue on a lock, threads that run, threads that wait. Pure.
 */
final class Verdict {
    /** A group of threads worth a sentence: BLOCKED or on CPU at least this share of the time. */
    static final double NOTABLE = 0.2;
    /** A JIT share of the process CPU from which a window's per-item costs are suspect: the engine's own. */
    static final double JIT_BUSY = dev.tuner.engine.Thresholds.JIT_SETTLED;

    /**
     * What a verdict is drawn from.
     *
     * @param coresBusy   process CPU over the window, in cores
     * @param cores       the cores the tuner counts (the JVM's container-aware count, or {@code cores=})
     * @param quota       the container's CPU quota, or {@code null}
     * @param machineLoad the whole machine's CPU share busy, -1 if unknown
     * @param obs         the stages over the window (no stages: an empty observation)
     * @param locks       lock sites per thread group (stage or pool), most wait first
     * @param lockWait    per thread group, the share of its threads' time spent waiting on locks
     * @param decisions   what the engine would change (advise), in order
     * @param converged   its verdict when it would change nothing more, or {@code null}
     * @param jitShare    share of the process CPU the JIT compiler took in the window
     */
    record Facts(double seconds, double coresBusy, double cores, CpuQuota quota, double machineLoad,
                 Observation obs, Diagnosis diagnosis, List<ThreadWatch.Seen> threads,
                 Map<String, List<LockSite>> locks, Map<String, Double> lockWait, List<Decision> decisions,
                 Converged converged, double jitShare) {
    }

    private Verdict() {
    }

    static List<String> sentences(Facts f) {
        List<String> out = new ArrayList<>();
        out.add(cpu(f));
        if (f.obs().stages().isEmpty()) {
            out.add("No stage is published over JMX in this JVM (dev.tuner:type=Stage MXBeans), so this verdict reads"
                    + " its threads alone; JDK pools show as their threads' names.");
            out.addAll(threads(f));
        } else {
            f.obs().byPipeline().forEach((pipeline, stages) -> out.add(pipeline(f, pipeline, stages)));
        }
        out.add(recommendation(f));
        if (f.jitShare() >= JIT_BUSY && !f.decisions().isEmpty()) {
            out.add("The JIT compiler took " + Fmt.percent(f.jitShare()) + " of the process CPU during the window (the"
                    + " app, or this diagnosis, was still warming up): per-item costs may read high; a second diagnose"
                    + " confirms.");
        }
        return out;
    }

    private static String cpu(Facts f) {
        double share = f.cores() > 0 ? f.coresBusy() / f.cores() : 0;
        StringBuilder sb = new StringBuilder("The process kept " + Fmt.number(f.coresBusy()) + " of "
                + Fmt.number(f.cores()) + " cores busy (" + Fmt.percent(share) + ") over " + Fmt.number(f.seconds())
                + " s");
        if (f.quota() != null) {
            sb.append("; its ").append(f.quota().source()).append(" quota allows ").append(Fmt.number(f.quota().cores()))
                    .append(" cores");
        }
        double running = 0;
        int appThreads = 0;
        for (ThreadWatch.Seen t : f.threads()) {
            if (!ThreadGroups.isHousekeeping(t.group)) {
                appThreads++;
                running += t.running();
            }
        }
        if (appThreads > 0) {
            sb.append("; on average ").append(Fmt.number(running)).append(" of its ").append(appThreads)
                    .append(" app threads were running (RUNNABLE, not in a native read or poll) and the rest waited");
        }
        sb.append('.');
        if (f.machineLoad() >= Thresholds.MACHINE_BUSY && share < Thresholds.CONTENDED) {
            sb.append(" The machine was ").append(Fmt.percent(f.machineLoad()))
                    .append(" busy: other processes take the cores this one leaves.");
        }
        return sb.toString();
    }

    private static String pipeline(Facts f, String pipeline, List<StageObservation> stages) {
        Bottleneck held = f.diagnosis().bottleneck(pipeline);
        if (held == null || held == Bottleneck.IDLE) {
            return "Nothing flowed through pipeline " + pipeline + " during the window.";
        }
        if (held == Bottleneck.SOURCE) {
            return "Pipeline " + pipeline + " waits for its source: no stage is saturated and its stages mostly wait"
                    + " for input, so more workers would not help; the input is the limit.";
        }
        if (held == Bottleneck.CONSUMER) {
            return "Pipeline " + pipeline + " waits for whatever takes its output: its stages mostly wait for room"
                    + " downstream.";
        }
        String bottleneck = held.stageId();
        StageObservation b = f.obs().stage(bottleneck);
        Label label = f.diagnosis().label(bottleneck);
        int workers = b.now().parallelism();
        StringBuilder sb = new StringBuilder("In pipeline " + pipeline + ", " + bottleneck + " holds the rest: its "
                + workers + (workers == 1 ? " worker is" : " workers are") + " busy " + Fmt.percent(b.busyFraction())
                + " of the time");
        double onCpu = b.cpuShareOrAll();
        switch (label) {
            case IO_BOUND -> sb.append(", mostly off the CPU (").append(Fmt.percent(onCpu))
                    .append(" on it: waiting on I/O, a remote call or a sleep), so more workers would carry more.");
            case CPU_BOUND -> sb.append(", mostly on the CPU (").append(Fmt.percent(onCpu))
                    .append("), so it needs more workers, as far as the cores allow.");
            case LOCK_BOUND -> {
                sb.append(", but ").append(Fmt.percent(b.lockShare())).append(" of that is spent waiting on a lock");
                List<LockSite> sites = f.locks().get(bottleneck);
                if (sites != null && !sites.isEmpty()) {
                    sb.append(", ").append(sites.get(0).describe());
                }
                sb.append(": more workers would only queue on it; shorten or split what runs under it.");
            }
            default -> sb.append('.');
        }
        Map<String, Double> starved = new LinkedHashMap<>();
        Map<String, Double> pushedBack = new LinkedHashMap<>();
        for (StageObservation s : stages) {
            Label l = f.diagnosis().label(s.id());
            if (s.id().equals(bottleneck) || l == null) {
                continue;
            }
            if (l == Label.STARVED) {
                starved.put(s.id(), s.inputWaitFraction());
            } else if (l == Label.BACKPRESSURED) {
                pushedBack.put(s.id(), s.outputWaitFraction());
            }
        }
        if (!starved.isEmpty()) {
            sb.append(' ').append(list(starved.keySet())).append(starved.size() == 1 ? " starves" : " starve")
                    .append(" behind it: waiting for input ").append(percents(starved.values())).append(" of ")
                    .append(starved.size() == 1 ? "its" : "their").append(" time.");
        }
        if (!pushedBack.isEmpty()) {
            sb.append(' ').append(list(pushedBack.keySet())).append(pushedBack.size() == 1 ? " waits" : " wait")
                    .append(" for room in front of it (backpressured) ").append(percents(pushedBack.values()))
                    .append(" of the time.");
        }
        return sb.toString();
    }

    /** Without stages: the app's thread groups that queue on a lock or burn CPU, busiest first. */
    private static List<String> threads(Facts f) {
        Map<String, List<ThreadWatch.Seen>> groups = new LinkedHashMap<>();
        for (ThreadWatch.Seen t : f.threads()) {
            if (!ThreadGroups.isHousekeeping(t.group)) {
                groups.computeIfAbsent(t.group, g -> new ArrayList<>()).add(t);
            }
        }
        List<String> out = new ArrayList<>();
        groups.entrySet().stream()
                .sorted(Comparator.comparingDouble((Map.Entry<String, List<ThreadWatch.Seen>> e) -> -cpu(f, e.getValue())))
                .forEach(e -> {
                    String sentence = group(f, e.getKey(), e.getValue());
                    if (sentence != null) {
                        out.add(sentence);
                    }
                });
        if (out.isEmpty()) {
            out.add("None of its threads was blocked or busy for long: the app mostly waits.");
        }
        return out;
    }

    private static String group(Facts f, String group, List<ThreadWatch.Seen> members) {
        double blocked = members.stream().mapToDouble(t -> t.share(Thread.State.BLOCKED)).average().orElse(0);
        double waited = Math.max(blocked, f.lockWait().getOrDefault(group, 0.0));
        double cores = cpu(f, members);
        String who = members.size() == 1 ? "Thread " + members.get(0).name
                : "The " + members.size() + " threads of " + group;
        List<LockSite> sites = f.locks().get(group);
        if (waited >= NOTABLE && sites != null && !sites.isEmpty()) {
            return who + " spent " + Fmt.percent(waited) + " of " + (members.size() == 1 ? "its" : "their")
                    + " time waiting for " + sites.get(0).describe() + " (" + Fmt.percent(sites.get(0).share())
                    + " of the lock wait): they queue on one lock, so more threads would not help; shorten or split"
                    + " what runs under it.";
        }
        if (cores >= NOTABLE) {
            return who + " used " + Fmt.number(cores) + " cores.";
        }
        return null;
    }

    private static double cpu(Facts f, List<ThreadWatch.Seen> members) {
        return members.stream().mapToLong(ThreadWatch.Seen::cpuNanos).sum() / 1e9 / Math.max(1e-9, f.seconds());
    }

    private static String recommendation(Facts f) {
        if (f.obs().stages().isEmpty()) {
            return "With no tunable stage found there is no knob to recommend.";
        }
        if (!f.decisions().isEmpty()) {
            List<String> changes = new ArrayList<>();
            for (Decision d : f.decisions()) {
                changes.add(d.stage() + " " + d.knob().wireName() + " " + d.from() + " -> " + d.to());
            }
            Decision why = f.decisions().stream().filter(d -> f.diagnosis().bottlenecks().containsValue(Bottleneck.stage(d.stage())))
                    .findFirst().orElse(f.decisions().get(0));
            return "Recommended: " + String.join(", ", changes) + ". Why " + why.stage() + ": " + why.reason() + ".";
        }
        if (f.converged() != null) {
            return "No knob change is recommended: " + f.converged().limit().message() + ".";
        }
        return "No recommendation: nothing flowed through the stages during the window.";
    }

    private static String list(java.util.Collection<String> names) {
        List<String> l = new ArrayList<>(names);
        if (l.size() == 1) {
            return l.get(0);
        }
        return String.join(", ", l.subList(0, l.size() - 1)) + " and " + l.get(l.size() - 1);
    }

    private static String percents(java.util.Collection<Double> shares) {
        List<String> p = new ArrayList<>();
        shares.forEach(s -> p.add(Fmt.percent(s)));
        return list(p);
    }
}
