package dev.tuner.agent.diagnose;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuner.agent.config.AgentInfo;
import dev.tuner.agent.log.FactJson;
import dev.tuner.agent.profiler.Attribution;
import dev.tuner.agent.stages.StageReading;
import dev.tuner.engine.Converged;
import dev.tuner.engine.Decision;
import dev.tuner.engine.Diagnosis;
import dev.tuner.engine.Label;
import dev.tuner.engine.LockSite;
import dev.tuner.engine.Observation;
import dev.tuner.engine.StageObservation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.tuner.agent.log.FactJson.number;

/**
 * What a diagnosis window found, as one JSON object (the {@code diagnose} command's {@code --json}, and
 * what its table is drawn from). Fields, in the order a person reads them:
 * <ul>
 *   <li>{@code pid}, {@code java}, {@code version}, {@code seconds}, {@code tuner} (the running tuner's
 *       mode or state, null when none runs), {@code changed} (always false: diagnose changed nothing),
 *       {@code knobs_moved} (knobs that moved during the window: a running tuner's doing);</li>
 *   <li>{@code cpu}: {@code cores_busy}, {@code cores} (what the tuner counts), {@code available_processors},
 *       {@code online_cpus}, {@code quota} ({@code cores}, {@code source}) or null, {@code machine_load},
 *       {@code jvm_native_cores} (GC, JIT and VM threads: process CPU no Java thread accounts for);</li>
 *   <li>{@code threads}: one object per thread ({@code group}, {@code name}, {@code id}, {@code state} it was
 *       most often in, {@code cpu} in cores, {@code runnable}, {@code blocked}, {@code waiting},
 *       {@code timed_waiting} as shares of samples, and {@code native_wait}: the part of {@code runnable}
 *       spent in a native read, poll or accept, which {@code top -H} shows as sleeping), grouped: stages first, then the app's pools by CPU,
 *       then the JVM's, JMX's and the tuner's own;</li>
 *   <li>{@code stages}: per stage its knobs, throughput, label and time shares; {@code bottlenecks} per pipeline;</li>
 *   <li>{@code hot_frames} per group ({@code frame}, {@code share}, {@code samples}) and {@code hot_frames_source};
 *       {@code locks} per group ({@code lock}, {@code kind}, {@code frame}, {@code share}, {@code wait_ms}) and
 *       {@code locks_source}; {@code locks_waited} per group (the share of its threads' time spent waiting on
 *       locks while they were watched); {@code profiler} ({@code enabled}, {@code cpu_event}, {@code lock_recorded},
 *       {@code unavailable}, {@code note});</li>
 *   <li>{@code verdict}: sentences; {@code decisions} the engine would take (advise: none applied);
 *       {@code recommended} per stage the knobs that change; {@code limit} when it would change nothing;
 *       {@code app_flags} (guessed from the command line, see {@link AppFlags}) and {@code command}.</li>
 * </ul>
 */
public final class Report {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    record Cpu(double coresBusy, double cores, int availableProcessors, int onlineCpus, CpuQuota quota,
               double machineLoad, double jvmNativeCores) {
    }

    record Profiling(boolean enabled, String note, String unavailable, String cpuEvent, boolean lockRecorded,
                     String hotSource, String lockSource) {
    }

    private final ObjectNode json;

    Report(double seconds, String tuner, Cpu cpu, List<ThreadWatch.Seen> threads, List<StageReading> first,
           List<StageReading> last, Observation obs, Diagnosis diagnosis, Map<String, List<Attribution.HotFrame>> hot,
           Map<String, List<LockSite>> locks, Map<String, Double> lockWait, Profiling profiling,
           List<Decision> decisions, Converged converged,
           List<String> verdict, List<AppFlags.Flag> flags, String command) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("pid", ProcessHandle.current().pid());
        root.put("java", Runtime.version().toString());
        root.put("version", AgentInfo.version());
        number(root, "seconds", seconds);
        root.put("tuner", tuner);
        root.put("changed", false);
        root.set("knobs_moved", moved(first, last));

        ObjectNode c = root.putObject("cpu");
        number(c, "cores_busy", cpu.coresBusy());
        number(c, "cores", cpu.cores());
        c.put("available_processors", cpu.availableProcessors());
        c.put("online_cpus", cpu.onlineCpus());
        if (cpu.quota() == null) {
            c.putNull("quota");
        } else {
            ObjectNode q = c.putObject("quota");
            number(q, "cores", cpu.quota().cores());
            q.put("source", cpu.quota().source());
        }
        number(c, "machine_load", cpu.machineLoad());
        number(c, "jvm_native_cores", cpu.jvmNativeCores());

        ArrayNode rows = root.putArray("threads");
        for (ThreadWatch.Seen t : ordered(threads, first, seconds)) {
            ObjectNode row = rows.addObject();
            row.put("group", t.group);
            row.put("name", t.name);
            row.put("id", t.id);
            row.put("state", t.usual().name());
            number(row, "cpu", t.cpuNanos() / 1e9 / seconds);
            number(row, "runnable", t.share(Thread.State.RUNNABLE));
            number(row, "native_wait", t.nativeWait());
            number(row, "blocked", t.share(Thread.State.BLOCKED));
            number(row, "waiting", t.share(Thread.State.WAITING));
            number(row, "timed_waiting", t.share(Thread.State.TIMED_WAITING));
        }

        ObjectNode stages = root.putObject("stages");
        List<StageObservation> byName = new ArrayList<>(obs.stages());
        byName.sort(Comparator.comparing(StageObservation::id));
        for (StageObservation s : byName) {
            ObjectNode st = stages.putObject(s.id());
            st.put("parallelism", s.now().parallelism());
            st.put("prefetch", s.now().prefetch());
            number(st, "throughput", s.throughput());
            Label label = diagnosis.label(s.id());
            st.put("label", label == null ? null : label.wireName());
            number(st, "busy", s.busyFraction());
            number(st, "input_wait", s.inputWaitFraction());
            number(st, "output_wait", s.outputWaitFraction());
            number(st, "cpu_share", s.cpuShare());
            number(st, "lock_share", s.lockShare());
            st.put("lock_site", s.now().lockSite() == null ? null : s.now().lockSite().describeWithEvidence());
        }
        ObjectNode bottlenecks = root.putObject("bottlenecks");
        diagnosis.bottlenecks().forEach((pipeline, b) -> bottlenecks.put(pipeline, b.wireName()));

        ObjectNode hotNode = root.putObject("hot_frames");
        hot.forEach((group, frames) -> {
            ArrayNode list = hotNode.putArray(group);
            for (Attribution.HotFrame f : frames) {
                ObjectNode n = list.addObject();
                n.put("frame", f.frame());
                number(n, "share", f.share());
                n.put("samples", f.samples());
            }
        });
        root.put("hot_frames_source", profiling.hotSource());
        ObjectNode lockNode = root.putObject("locks");
        locks.forEach((group, sites) -> {
            ArrayNode list = lockNode.putArray(group);
            for (LockSite site : sites) {
                ObjectNode n = list.addObject();
                n.put("lock", site.lockClass());
                n.put("kind", site.kind());
                n.put("frame", site.frame());
                number(n, "share", site.share());
                number(n, "wait_ms", site.waitNanos() / 1e6);
            }
        });
        root.put("locks_source", profiling.lockSource());
        ObjectNode waited = root.putObject("locks_waited");
        lockWait.forEach((group, share) -> number(waited, group, share));
        ObjectNode p = root.putObject("profiler");
        p.put("enabled", profiling.enabled());
        p.put("cpu_event", profiling.cpuEvent());
        p.put("lock_recorded", profiling.lockRecorded());
        p.put("unavailable", profiling.unavailable());
        p.put("note", profiling.note());

        ArrayNode words = root.putArray("verdict");
        verdict.forEach(words::add);
        ArrayNode ds = root.putArray("decisions");
        for (Decision d : decisions) {
            FactJson.decision(ds.addObject(), d);
        }
        root.set("recommended", FactJson.recommended(changes(decisions)));
        if (converged == null) {
            root.putNull("limit");
        } else {
            root.set("limit", FactJson.limit(converged.limit()));
        }
        ArrayNode appFlags = root.putArray("app_flags");
        for (AppFlags.Flag f : flags) {
            ObjectNode n = appFlags.addObject();
            n.put("stage", f.stage());
            n.put("knob", f.knob());
            n.put("flag", f.flag());
            n.put("current", f.current());
            n.put("recommended", f.recommended());
        }
        root.put("command", command);
        this.json = root;
    }

    /** Per stage, each knob the decisions change and its final value. */
    static Map<String, Map<String, Integer>> changes(List<Decision> decisions) {
        Map<String, Map<String, Integer>> changes = new LinkedHashMap<>();
        for (Decision d : decisions) {
            changes.computeIfAbsent(d.stage(), s -> new LinkedHashMap<>()).put(d.knob().wireName(), d.to());
        }
        return changes;
    }

    /** Stages first (by name), then the app's other groups by CPU, then housekeeping. */
    private static List<ThreadWatch.Seen> ordered(List<ThreadWatch.Seen> threads, List<StageReading> stages,
                                                  double seconds) {
        Map<String, Integer> stageOrder = new LinkedHashMap<>();
        stages.stream().map(StageReading::id).sorted().forEach(id -> stageOrder.putIfAbsent(id, stageOrder.size()));
        Map<String, Long> groupCpu = new LinkedHashMap<>();
        threads.forEach(t -> groupCpu.merge(t.group, t.cpuNanos(), Long::sum));
        List<ThreadWatch.Seen> sorted = new ArrayList<>(threads);
        sorted.sort(Comparator
                .comparingInt((ThreadWatch.Seen t) -> stageOrder.containsKey(t.group) ? 0
                        : ThreadGroups.isHousekeeping(t.group) ? 2 : 1)
                .thenComparingInt(t -> stageOrder.getOrDefault(t.group, 0))
                .thenComparingLong(t -> -groupCpu.get(t.group))
                .thenComparing(t -> t.group)
                .thenComparingLong(t -> -t.cpuNanos())
                .thenComparing(t -> t.name));
        return sorted;
    }

    private static ArrayNode moved(List<StageReading> first, List<StageReading> last) {
        ArrayNode moved = MAPPER.createArrayNode();
        Map<String, StageReading> before = new LinkedHashMap<>();
        first.forEach(r -> before.put(r.id(), r));
        for (StageReading now : last) {
            StageReading then = before.get(now.id());
            if (then == null) {
                continue;
            }
            if (then.parallelism() != now.parallelism()) {
                moved.add(now.id() + " parallelism " + then.parallelism() + " -> " + now.parallelism());
            }
            if (then.prefetch() != now.prefetch()) {
                moved.add(now.id() + " prefetch " + then.prefetch() + " -> " + now.prefetch());
            }
        }
        return moved;
    }

    /** The report as one line of JSON. */
    public String toJson() {
        return json.toString();
    }

    ObjectNode json() {
        return json;
    }
}
