package dev.tuner.agent.log;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuner.agent.profiler.LockWatch;
import dev.tuner.agent.stages.SourceKind;
import dev.tuner.agent.stages.StageReading;
import dev.tuner.agent.stages.StageSource;
import dev.tuner.engine.Converged;
import dev.tuner.engine.Decision;
import dev.tuner.engine.Diagnosis;
import dev.tuner.engine.Knob;
import dev.tuner.engine.Label;
import dev.tuner.engine.LockSite;
import dev.tuner.engine.Observation;
import dev.tuner.engine.StageObservation;
import dev.tuner.engine.Taken;
import dev.tuner.engine.TuningListener;
import dev.tuner.engine.Verification;
import java.util.Map;
import java.util.function.Function;

import static dev.tuner.agent.log.FactJson.number;

/** Writes what the controller and the stage sources report to the tuning log, in DESIGN.md's schema. */
public final class LogListener implements TuningListener, StageSource.StageEvents, LockWatch.Listener {
    private final TuningLog log;
    private volatile Function<String, Map<String, Double>> workerTime = stage -> Map.of();

    public LogListener(TuningLog log) {
        this.log = log;
    }

    /**
     * Where {@code sample} events take each stage's {@code worker_time}: the share of its sampled worker
     * time by what the workers were doing (running, idle, starved, backpressured, lock, io, other).
     */
    public void workerTimeFrom(Function<String, Map<String, Double>> shares) {
        this.workerTime = shares;
    }

    @Override
    public void onSample(Observation obs, Diagnosis diagnosis) {
        log.write("sample", line -> {
            number(line, "cpu", obs.utilization());
            number(line, "cores_busy", obs.coresBusy());
            // The whole machine's load, so a reader can tell an interval a neighbour took from one the JVM slowed in.
            if (obs.machineLoad() >= 0) {
                number(line, "machine", obs.machineLoad());
            }
            ObjectNode threads = line.putObject("threads");
            obs.threadStates().forEach(threads::put);
            ObjectNode stages = line.putObject("stages");
            for (StageObservation s : obs.stages()) {
                ObjectNode stage = stages.putObject(s.id());
                stage.put("parallelism", s.now().parallelism());
                stage.put("prefetch", s.now().prefetch());
                number(stage, "throughput", s.throughput());
                Label label = diagnosis.label(s.id());
                stage.put("label", label == null ? null : label.wireName());
                number(stage, "busy", s.busyFraction());
                number(stage, "input_wait", s.inputWaitFraction());
                number(stage, "output_wait", s.outputWaitFraction());
                number(stage, "busy_per_item_ms", s.busyPerItem() * 1e3);
                number(stage, "cpu_share", s.cpuShare());
                number(stage, "lock_share", s.lockShare());
                stage.put("buffered", s.now().buffered());
                Map<String, Double> sampled = workerTime.apply(s.id());
                if (!sampled.isEmpty()) {
                    ObjectNode time = stage.putObject("worker_time");
                    sampled.forEach((kind, share) -> number(time, kind, share));
                }
            }
            ObjectNode bottlenecks = line.putObject("bottlenecks");
            diagnosis.bottlenecks().forEach((pipeline, b) -> bottlenecks.put(pipeline, b.wireName()));
        });
    }

    @Override
    public void onDecision(Decision d, boolean applied) {
        log.write("decision", line -> FactJson.decision(line, new Taken(d, applied)));
    }

    @Override
    public void onVerification(Verification v) {
        Decision d = v.decision();
        log.write(v.kept() ? "verify" : "rollback", line -> {
            line.put("stage", d.stage());
            line.put("knob", d.knob().wireName());
            number(line, "expected", v.expected());
            number(line, "measured", v.measured());
            number(line, "before", v.before());
            line.put("round", d.round());
            line.put("from", d.from());
            line.put("to", d.to());
            Verification.Evidence e = v.evidence();
            line.put("intervals", e.afterIntervals());
            line.put("before_intervals", e.beforeIntervals());
            number(line, "noise", e.noise());
            number(line, "gain", e.gain());
            number(line, "gain_error", e.gainError());
            number(line, "needed", e.needed());
            number(line, "cpu", e.utilization());
            if (!v.kept()) {
                line.put("cause", v.cause().wireName());
                line.put("reason", v.why() + "; " + d.stage() + " " + d.knob().wireName() + " goes back to "
                        + d.from() + (d.knob() == Knob.PARALLELISM ? ", remembered as its ceiling" : ""));
            }
        });
    }

    @Override
    public void onConverged(Converged c) {
        log.write("converged", line -> {
            number(line, "cpu", c.utilization());
            ObjectNode throughput = line.putObject("throughput");
            c.throughput().forEach((stage, rate) -> number(throughput, stage, rate));
            line.set("limit", FactJson.limit(c.limit()));
            line.set("recommended", FactJson.recommended(c.recommended()));
            line.put("rounds", c.rounds());
            line.put("intervals", c.intervals());
        });
    }

    @Override
    public void onRetune(String reason) {
        log.write("retune", line -> line.put("reason", reason));
    }

    @Override
    public void onWarning(String message) {
        warning(message);
    }

    @Override
    public void discovered(StageReading s) {
        log.write("discover", line -> {
            line.put("stage", s.id());
            line.put("source", s.source().wireName());
            knobs(line, s);
        });
    }

    @Override
    public void lost(String stageId, SourceKind source, String why) {
        log.write("lost", line -> {
            line.put("stage", stageId);
            line.put("source", source.wireName());
            line.put("reason", why);
        });
    }

    @Override
    public void dropped(String stageId, SourceKind source, String why) {
        log.write("warning", line -> {
            line.put("message", "dropped stage " + stageId + ": " + why + "; tuning goes on without it");
            line.put("stage", stageId);
            line.put("source", source.wireName());
        });
    }

    /**
     * {@code locks}: a lock recording of a stage's workers. {@code lock}, {@code frame} and {@code share}
     * are its top site's (null, null, 0 when none was seen); {@code sites} the top few, most wait first.
     */
    @Override
    public void locks(LockWatch.LockReport report) {
        log.write("locks", line -> {
            line.put("stage", report.stage());
            LockSite top = report.sites().isEmpty() ? null : report.sites().get(0);
            line.put("lock", top == null ? null : top.lockClass());
            line.put("frame", top == null ? null : top.frame());
            number(line, "share", top == null ? 0 : top.share());
            number(line, "wait_share", report.waitShare());
            line.put("threads", report.threads());
            line.put("window_ms", report.windowMillis());
            line.put("source", "async-profiler");
            ArrayNode sites = line.putArray("sites");
            for (LockSite site : report.sites()) {
                ObjectNode node = sites.addObject();
                node.put("lock", site.lockClass());
                node.put("kind", site.kind());
                node.put("frame", site.frame());
                number(node, "share", site.share());
                number(node, "wait_ms", site.waitNanos() / 1e6);
            }
        });
    }

    @Override
    public void warning(String message) {
        log.write("warning", line -> line.put("message", message));
    }

    public void error(String message) {
        log.write("error", line -> line.put("message", message));
    }

    static void knobs(ObjectNode line, StageReading s) {
        line.put("parallelism", s.parallelism());
        line.put("min_parallelism", s.minParallelism());
        line.put("max_parallelism", s.maxParallelism());
        line.put("prefetch", s.prefetch());
        line.put("min_prefetch", s.minPrefetch());
        line.put("max_prefetch", s.maxPrefetch());
    }
}
