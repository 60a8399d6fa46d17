package dev.tuner.agent.log;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuner.agent.stages.StageReading;
import dev.tuner.engine.Decision;
import dev.tuner.engine.Limit;
import dev.tuner.engine.Taken;
import java.util.Map;

/**
 * The one place the engine's typed facts (a decision, a limit, recommended settings) become JSON. The
 * tuning log, {@code status --json} (the Tuner MXBean) and the {@code diagnose} report all write them
 * through here, so a program that reads one reads them all; DESIGN.md's log schema names the fields.
 */
public final class FactJson {
    private FactJson() {
    }

    /** A decision's fields: the stage, the knob, from, to, the reason, its round and what it is expected to bring. */
    public static void decision(ObjectNode node, Decision d) {
        node.put("stage", d.stage());
        node.put("knob", d.knob().wireName());
        node.put("from", d.from());
        node.put("to", d.to());
        node.put("reason", d.reason());
        node.put("round", d.round());
        number(node, "expected", d.expected());
    }

    /** A decision as taken: its fields and whether it was applied (false when its apply failed, or in advise mode). */
    public static void decision(ObjectNode node, Taken taken) {
        decision(node, taken.decision());
        node.put("applied", taken.applied());
    }

    /**
     * A limit: {@code kind}, {@code stage} (null for the whole process), {@code message}, and the numbers it
     * rests on under {@code figures}, by {@link Limit.Figure#wireName()}.
     */
    public static ObjectNode limit(Limit limit) {
        ObjectNode node = TuningLog.object();
        node.put("kind", limit.kind().wireName());
        node.put("stage", limit.stage());
        node.put("message", limit.message());
        ObjectNode figures = node.putObject("figures");
        limit.figures().forEach((figure, value) -> number(figures, figure.wireName(), value));
        return node;
    }

    /** Per stage, each knob to set and its value: {@code {"p/read": {"parallelism": 6}}}. */
    public static ObjectNode recommended(Map<String, Map<String, Integer>> recommended) {
        ObjectNode node = TuningLog.object();
        recommended.forEach((stage, knobs) -> {
            ObjectNode s = node.putObject(stage);
            knobs.forEach(s::put);
        });
        return node;
    }

    /**
     * Per stage, its knob settings (prefetch only where it has one): the {@code final} of the log's stop
     * event, and the {@code before}/{@code final} of the Tuner MXBean's last stop.
     */
    public static ObjectNode settings(Map<String, StageReading.KnobSettings> settings) {
        ObjectNode node = TuningLog.object();
        settings.forEach((stage, knobs) -> {
            ObjectNode s = node.putObject(stage);
            s.put("parallelism", knobs.parallelism());
            if (knobs.prefetch() >= 0) {
                s.put("prefetch", knobs.prefetch());
            }
        });
        return node;
    }

    /** A number rounded to 4 decimals; JSON has no NaN or infinity, so an unknown number is written as null. */
    public static void number(ObjectNode node, String key, double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            node.putNull(key);
        } else {
            node.put(key, Math.round(value * 1e4) / 1e4);
        }
    }
}
