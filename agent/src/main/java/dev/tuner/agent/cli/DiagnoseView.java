package dev.tuner.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuner.engine.Fmt;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A diagnosis report (the target's {@code dev.tuner.agent.diagnose.Report} JSON) as a person reads it,
 * in the order the incident was read: cores busy against available; the {@code top -H} view of the
 * threads, grouped by stage or pool; the top CPU frames per group; the top lock sites; the stages and
 * the verdict; the settings to use, as the tuner's options and, where the app's command line gives them
 * away, as the app's own flags. Pure: JSON in, lines out.
 */
final class DiagnoseView {
    /** Threads shown per group; the rest are summed in one line. */
    static final int THREADS_PER_GROUP = 8;

    private DiagnoseView() {
    }

    static List<String> render(JsonNode r, Path jar) {
        List<String> lines = new ArrayList<>();
        long pid = r.path("pid").asLong();
        String tuner = Format.text(r, "tuner", null);
        lines.add("pid " + pid + "  Java " + Format.text(r, "java", "?") + "  watched " + Format.number(r.path("seconds")
                .asDouble()) + " s; diagnose changed nothing" + (tuner == null ? " (no tuner runs here)"
                : " (a tuner runs here: " + tuner + ")"));
        JsonNode moved = r.path("knobs_moved");
        if (moved.isArray() && !moved.isEmpty()) {
            List<String> m = new ArrayList<>();
            moved.forEach(n -> m.add(n.asText()));
            lines.add("knobs moved during the window by the running tuner, not by diagnose: " + String.join(", ", m));
        }
        lines.add("");
        lines.add(cores(r.path("cpu")));
        lines.add("");
        threads(r, lines);
        lines.add("");
        frames(r, lines);
        lines.add("");
        locks(r, lines);
        lines.add("");
        verdict(r, lines);
        lines.add("");
        settings(r, pid, jar, lines);
        return lines;
    }

    /** {@code cores: 0.41 busy of 2 (21%); the JVM sees 2 processors, 2 online, no CPU quota; ...} */
    static String cores(JsonNode c) {
        double busy = c.path("cores_busy").asDouble();
        double cores = c.path("cores").asDouble();
        StringBuilder sb = new StringBuilder("cores: " + Fmt.number(busy) + " busy of " + Fmt.number(cores) + " ("
                + Math.round(cores > 0 ? 100 * busy / cores : 0) + "%)");
        sb.append("; the JVM sees ").append(c.path("available_processors").asInt()).append(" processors");
        int online = c.path("online_cpus").asInt(-1);
        if (online > 0) {
            sb.append(", the machine has ").append(online).append(" online");
        }
        JsonNode quota = c.get("quota");
        if (quota != null && quota.isObject()) {
            sb.append(", CPU quota ").append(Fmt.number(quota.path("cores").asDouble())).append(" cores (")
                    .append(Format.text(quota, "source", "?")).append(')');
        } else {
            sb.append(", no CPU quota");
        }
        if (c.path("machine_load").isNumber() && c.path("machine_load").asDouble() >= 0) {
            sb.append("; machine ").append(Format.percent(c.get("machine_load"))).append(" busy");
        }
        if (c.path("jvm_native_cores").isNumber()) {
            sb.append("; GC, JIT and other JVM native threads ").append(Fmt.number(c.get("jvm_native_cores").asDouble()));
        }
        return sb.toString();
    }

    private static void threads(JsonNode r, List<String> lines) {
        lines.add("threads (top -H over the window: share of samples in each state, IO the part of RUN in a native read"
                + " or poll; CPU in % of one core):");
        Table table = new Table("GROUP", "THREAD", "S", ">%CPU", ">RUN", ">IO", ">BLOCKED", ">WAIT", ">TIMED");
        Map<String, List<JsonNode>> groups = new LinkedHashMap<>();
        r.path("threads").forEach(t -> groups.computeIfAbsent(Format.text(t, "group", "?"), g -> new ArrayList<>()).add(t));
        groups.forEach((group, members) -> {
            boolean fold = group.startsWith("(");
            int shown = fold ? 0 : Math.min(THREADS_PER_GROUP, members.size());
            for (int i = 0; i < shown; i++) {
                JsonNode t = members.get(i);
                table.row(i == 0 ? group : "", Format.text(t, "name", "?"), LogView.shortState(Format.text(t, "state", "?")),
                        cpu(t.path("cpu").asDouble()), Format.percent(t.get("runnable")),
                        Format.percent(t.path("native_wait")), Format.percent(t.get("blocked")),
                        Format.percent(t.get("waiting")), Format.percent(t.get("timed_waiting")));
            }
            if (members.size() > shown) {
                List<JsonNode> rest = members.subList(shown, members.size());
                table.row(shown == 0 ? group : "", (shown == 0 ? "" : "and ") + rest.size() + (shown == 0 ? "" : " more")
                                + " thread" + (rest.size() == 1 ? "" : "s"), "", cpu(rest.stream().mapToDouble(t -> t.path("cpu").asDouble()).sum()),
                        mean(rest, "runnable"), mean(rest, "native_wait"), mean(rest, "blocked"), mean(rest, "waiting"),
                        mean(rest, "timed_waiting"));
            }
        });
        lines.addAll(table.lines("  "));
    }

    private static String cpu(double cores) {
        return Math.round(cores * 100) + "%";
    }

    private static String mean(List<JsonNode> rows, String field) {
        return Math.round(100 * rows.stream().mapToDouble(t -> t.path(field).asDouble()).average().orElse(0)) + "%";
    }

    private static void frames(JsonNode r, List<String> lines) {
        lines.add("top CPU frames (" + Format.text(r, "hot_frames_source", "?") + "):");
        JsonNode hot = r.path("hot_frames");
        Table table = new Table("GROUP", ">SHARE", ">SAMPLES", "FRAME");
        for (Map.Entry<String, JsonNode> group : hot.properties()) {
            boolean first = true;
            for (JsonNode f : group.getValue()) {
                table.row(first ? group.getKey() : "", Format.percent(f.get("share")), Format.text(f, "samples", "?"),
                        Format.text(f, "frame", "?"));
                first = false;
            }
        }
        if (table.isEmpty()) {
            lines.add("  none: no thread was seen running on a CPU");
        } else {
            lines.addAll(table.lines("  "));
        }
        JsonNode p = r.path("profiler");
        String note = Format.text(p, "note", null);
        if (note != null) {
            lines.add("  note: " + note);
        }
    }

    private static void locks(JsonNode r, List<String> lines) {
        lines.add("top lock sites (" + Format.text(r, "locks_source", "?") + "):");
        Table table = new Table("GROUP", ">WAITED", ">SHARE", "LOCK", "KIND", "ACQUIRED AT");
        for (Map.Entry<String, JsonNode> group : r.path("locks").properties()) {
            boolean first = true;
            for (JsonNode s : group.getValue()) {
                table.row(first ? group.getKey() : "", first ? Format.percent(r.path("locks_waited").get(group.getKey()))
                                : "", Format.percent(s.get("share")), Format.text(s, "lock", "?"),
                        Format.text(s, "kind", "?"), Format.text(s, "frame", "?"));
                first = false;
            }
        }
        if (table.isEmpty()) {
            lines.add("  none: no thread was seen waiting on a contended lock");
        } else {
            lines.addAll(table.lines("  "));
            lines.add("  (WAITED: share of the group's thread time spent waiting on locks; SHARE: this lock's part of it)");
        }
    }

    private static void verdict(JsonNode r, List<String> lines) {
        JsonNode stages = r.path("stages");
        if (stages.isObject() && !stages.isEmpty()) {
            lines.add("stages (over the window):");
            Table table = new Table("STAGE", ">PARALLELISM", ">PREFETCH", ">THROUGHPUT", "LABEL", ">BUSY", ">IN-WAIT",
                    ">OUT-WAIT", ">LOCK");
            for (Map.Entry<String, JsonNode> e : stages.properties()) {
                JsonNode s = e.getValue();
                table.row(e.getKey(), Format.text(s, "parallelism", "?"),
                        s.path("prefetch").asInt(-1) < 0 ? "-" : s.get("prefetch").asText(), Format.rate(s.get("throughput")),
                        Format.text(s, "label", "-"), Format.percent(s.get("busy")), Format.percent(s.get("input_wait")),
                        Format.percent(s.get("output_wait")), Format.percent(s.get("lock_share")));
            }
            lines.addAll(table.lines("  "));
            lines.add("");
        }
        lines.add("verdict:");
        r.path("verdict").forEach(v -> lines.add("  " + v.asText()));
    }

    private static void settings(JsonNode r, long pid, Path jar, List<String> lines) {
        JsonNode recommended = r.path("recommended");
        JsonNode decisions = r.path("decisions");
        if (!decisions.isArray() || decisions.isEmpty()) {
            JsonNode limit = r.get("limit");
            boolean stages = r.path("stages").isObject() && !r.path("stages").isEmpty();
            lines.add("recommended settings: " + (!stages ? "none: no tunable stage was found"
                    : "none to change" + (limit != null && limit.isObject()
                    ? " (" + Format.limit(limit) + ")" : "")));
            return;
        }
        lines.add("recommended settings (the tuner's model, in advise mode; tuning live verifies each and rolls back what"
                + " does not pay):");
        Table table = new Table("STAGE", "KNOB", ">NOW", ">SET TO");
        for (JsonNode d : decisions) {
            table.row(Format.text(d, "stage", "?"), Format.text(d, "knob", "?"), Format.text(d, "from", "?"),
                    Format.text(d, "to", "?"));
        }
        lines.addAll(table.lines("  "));
        lines.add("  as tuner options: java -jar " + jar + " attach " + pid + "   (sets and verifies them live; add"
                + " mode=advise to only log them)");
        lines.add("                    or at launch: java -javaagent:" + jar + " ...   (static settings: "
                + StatusView.recommended(recommended) + ")");
        JsonNode flags = r.path("app_flags");
        if (flags.isArray() && !flags.isEmpty()) {
            List<String> parts = new ArrayList<>();
            for (JsonNode f : flags) {
                parts.add(Format.text(f, "flag", "?") + " " + Format.text(f, "recommended", "?") + " (now "
                        + Format.text(f, "current", "?") + ", for " + Format.text(f, "stage", "?") + " "
                        + Format.text(f, "knob", "?") + ")");
            }
            lines.add("  as the app's flags (guessed: the flag's name contains the stage's name; check before use): "
                    + String.join(", ", parts));
        } else {
            lines.add("  as the app's flags: the tuner cannot know this app's flag names, and no flag on its command line"
                    + " names a stage; set the knobs above with the app's own configuration");
        }
    }
}
