package dev.tuner.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The tuner's status ({@code TunerMXBean.getStatusJson()}) as a person reads it at a glance: who and
 * where, utilization against the target, one aligned row per stage, the last decisions with their
 * reasons, and the verdict once converged. Pure: JSON in, lines out.
 */
final class StatusView {
    private StatusView() {
    }

    static List<String> render(JsonNode s) {
        List<String> lines = new ArrayList<>();
        lines.add("pid " + Format.text(s, "pid", "?") + "  Java " + Format.text(s, "java", "?") + "  tuner "
                + Format.text(s, "version", "?") + "  state " + Format.text(s, "state", "?") + " ("
                + Format.text(s, "mode", "?") + " mode, " + Format.text(s, "rounds", "0") + " rounds, "
                + Format.text(s, "failures", "0") + " failures)");
        String utilization = s.has("utilization")
                ? Format.percent(s.get("utilization")) + " of " + Format.number(s.path("cores").asDouble()) + " cores ("
                + Format.number(s.path("cores_busy").asDouble()) + " busy)"
                : "not measured yet (the first interval is still running)";
        lines.add("utilization " + utilization + ", target " + Format.percent(s.get("target")));
        String options = Format.text(s, "options", "");
        lines.add("options " + (options.isEmpty() ? "(defaults)" : options));
        lines.add("log " + Format.text(s, "log", "?"));
        lines.add("");

        JsonNode stages = s.path("stages");
        if (stages.isObject() && stages.size() > 0) {
            Table table = new Table("STAGE", "SOURCE", "PARALLELISM", "PREFETCH", ">THROUGHPUT", "LABEL");
            for (Map.Entry<String, JsonNode> e : stages.properties()) {
                JsonNode st = e.getValue();
                table.row(e.getKey(), Format.text(st, "source", "?"),
                        Format.knob(st.get("parallelism"), st.get("min_parallelism"), st.get("max_parallelism")),
                        Format.knob(st.get("prefetch"), st.get("min_prefetch"), st.get("max_prefetch")),
                        Format.rate(st.get("throughput")), Format.text(st, "label", "-"));
            }
            lines.addAll(table.lines(""));
        } else {
            lines.add("no stages found yet (an app publishes them as dev.tuner:type=Stage MXBeans)");
        }
        lines.add("");

        JsonNode decisions = s.path("decisions");
        if (decisions.isArray() && decisions.size() > 0) {
            lines.add("last decisions:");
            Table table = new Table(">ROUND", "STAGE", "KNOB", ">FROM", ">TO", "REASON");
            for (JsonNode d : decisions) {
                String reason = Format.text(d, "reason", "");
                if (d.has("applied") && !d.get("applied").asBoolean()) {
                    reason += " (advise: not applied)";
                }
                table.row(Format.text(d, "round", "?"), Format.text(d, "stage", "?"), Format.text(d, "knob", "?"),
                        Format.text(d, "from", "?"), Format.text(d, "to", "?"), reason);
            }
            lines.addAll(table.lines("  "));
        } else {
            lines.add("no decision yet");
        }
        JsonNode converged = s.get("converged");
        if (converged != null && converged.isObject()) {
            lines.add("");
            lines.add("converged: " + Format.limit(converged.get("limit")));
            lines.add("recommended: " + recommended(converged.path("recommended")));
        }
        return lines;
    }

    /** {@code seed/read parallelism=8 prefetch=16; seed/parse parallelism=2} */
    static String recommended(JsonNode recommended) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, JsonNode> stage : recommended.properties()) {
            StringBuilder sb = new StringBuilder(stage.getKey());
            for (Map.Entry<String, JsonNode> knob : stage.getValue().properties()) {
                sb.append(' ').append(knob.getKey()).append('=').append(knob.getValue().asText());
            }
            parts.add(sb.toString());
        }
        return parts.isEmpty() ? "-" : String.join("; ", parts);
    }
}
