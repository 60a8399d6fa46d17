package dev.tuner.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One tuning-log event (DESIGN.md, "The tuning log") as a line a person reads: the time (UTC), the
 * event, and what happened — a decision as {@code stage knob from -> to: reason}, a sample condensed to
 * utilization and per stage {@code p<parallelism> f<prefetch> <throughput>/s <label>}. A converged
 * verdict takes continuation lines. Pure: JSON in, lines out; unknown events are shown as their JSON.
 */
final class LogView {
    static final String HEADER = String.format("%-8s  %-9s  %s", "TIME", "EVENT", "WHAT");
    private static final String CONTINUATION = " ".repeat(21);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    private LogView() {
    }

    /** The date of the first event, for the heading ({@code times are UTC}). */
    static String date(JsonNode event) {
        Instant at = instant(event);
        return at == null ? "?" : DATE.format(at);
    }

    static List<String> render(JsonNode e) {
        String event = Format.text(e, "event", "?");
        List<String> more = new ArrayList<>();
        String what = switch (event) {
            case "start" -> start(e);
            case "discover" -> Format.text(e, "stage", "?") + " (" + Format.text(e, "source", "?") + "): parallelism "
                    + Format.knob(e.get("parallelism"), e.get("min_parallelism"), e.get("max_parallelism"))
                    + ", prefetch " + Format.knob(e.get("prefetch"), e.get("min_prefetch"), e.get("max_prefetch"));
            case "lost" -> Format.text(e, "stage", "?") + " (" + Format.text(e, "source", "?") + ")"
                    + (e.has("reason") ? ": " + Format.text(e, "reason", "") : "");
            case "sample" -> sample(e);
            case "decision" -> change(e) + ": " + Format.text(e, "reason", "?")
                    + (e.has("applied") && !e.get("applied").asBoolean() ? " (advise: not applied)" : "");
            case "verify" -> change(e) + " kept: throughput " + Format.rate(e.get("before")) + " -> "
                    + Format.rate(e.get("measured")) + " (expected " + Format.rate(e.get("expected")) + ")" + evidence(e);
            case "rollback" -> change(e) + " rolled back: throughput " + Format.rate(e.get("before")) + " -> "
                    + Format.rate(e.get("measured")) + ", expected " + Format.rate(e.get("expected")) + evidence(e)
                    + (e.has("reason") ? ". " + Format.text(e, "reason", "") : "");
            case "retune" -> Format.text(e, "reason", "?");
            case "converged" -> converged(e, more);
            case "update" -> update(e);
            case "stop" -> stop(e);
            case "warning", "error" -> Format.text(e, "message", "?");
            case "locks" -> locks(e, more);
            default -> rest(e);
        };
        Instant at = instant(e);
        List<String> lines = new ArrayList<>();
        lines.add(String.format("%-8s  %-9s  %s", at == null ? "?" : TIME.format(at), event, what));
        for (String line : more) {
            lines.add(CONTINUATION + line);
        }
        return lines;
    }

    private static String start(JsonNode e) {
        return "pid " + Format.text(e, "pid", "?") + ", Java " + Format.text(e, "java", "?") + ", "
                + Format.number(e.path("cores").asDouble()) + " cores, target " + Format.percent(e.get("target"))
                + ", " + Format.text(e, "mode", "?") + " mode, every " + Format.text(e, "interval_ms", "?") + " ms"
                + (e.path("attached").asBoolean() ? ", attached" : e.has("attached") ? ", at launch" : "")
                + (Format.text(e, "options", "").isEmpty() ? "" : "; options " + Format.text(e, "options", ""));
    }

    /** {@code ; 4 intervals against 2 before, noise 1.2% an interval}, when the verification says. */
    private static String evidence(JsonNode e) {
        if (!e.hasNonNull("intervals")) {
            return "";
        }
        return "; " + Format.text(e, "intervals", "?") + " intervals against " + Format.text(e, "before_intervals", "?")
                + " before" + (e.hasNonNull("noise") ? ", noise " + dev.tuner.engine.Fmt.smallPercent(e.get("noise").asDouble()) + " an interval" : "");
    }

    /** {@code seed/read parallelism 1 -> 8} */
    private static String change(JsonNode e) {
        return Format.text(e, "stage", "?") + " " + Format.text(e, "knob", "?") + " " + Format.text(e, "from", "?")
                + " -> " + Format.text(e, "to", "?");
    }

    private static String sample(JsonNode e) {
        StringBuilder sb = new StringBuilder("cpu ").append(String.format("%4s", Format.percent(e.get("cpu"))));
        if (e.has("cores_busy")) {
            sb.append(" (").append(Format.number(e.path("cores_busy").asDouble())).append(" cores)");
        }
        JsonNode stages = e.path("stages");
        String prefix = commonPipeline(stages);
        boolean first = true;
        for (Map.Entry<String, JsonNode> stage : stages.properties()) {
            JsonNode s = stage.getValue();
            String name = prefix != null ? stage.getKey().substring(prefix.length()) : stage.getKey();
            sb.append(first ? "  " : " | ").append(name)
                    .append(" p").append(Format.text(s, "parallelism", "?"));
            if (s.path("prefetch").asInt(-1) >= 0) {
                sb.append(" f").append(s.get("prefetch").asText());
            }
            sb.append(' ').append(Format.rate(s.get("throughput")));
            String label = Format.text(s, "label", "");
            if (!label.isEmpty()) {
                sb.append(' ').append(label);
            }
            first = false;
        }
        JsonNode threads = e.path("threads");
        if (threads.isObject() && threads.size() > 0) {
            sb.append(" | threads");
            for (Map.Entry<String, JsonNode> state : threads.properties()) {
                sb.append(' ').append(shortState(state.getKey())).append(state.getValue().asText());
            }
        }
        return sb.toString();
    }

    /** {@code RUNNABLE} -> {@code R}, {@code TIMED_WAITING} -> {@code T}... as in {@code top -H}'s spirit. */
    static String shortState(String state) {
        return switch (state) {
            case "RUNNABLE" -> "R";
            case "BLOCKED" -> "B";
            case "WAITING" -> "W";
            case "TIMED_WAITING" -> "T";
            case "NEW" -> "N";
            case "TERMINATED" -> "X";
            default -> state + "=";
        };
    }

    /** {@code seed/} when every stage id starts with it, so samples show just {@code read}, {@code parse}... */
    private static String commonPipeline(JsonNode stages) {
        String prefix = null;
        for (Map.Entry<String, JsonNode> stage : stages.properties()) {
            String id = stage.getKey();
            int slash = id.indexOf('/');
            if (slash < 0) {
                return null;
            }
            String p = id.substring(0, slash + 1);
            if (prefix == null) {
                prefix = p;
            } else if (!prefix.equals(p)) {
                return null;
            }
        }
        return prefix;
    }

    private static String converged(JsonNode e, List<String> more) {
        StringBuilder sb = new StringBuilder("cpu ").append(Format.percent(e.get("cpu")));
        JsonNode throughput = e.path("throughput");
        if (throughput.isObject() && throughput.size() > 0) {
            List<String> rates = new ArrayList<>();
            for (Map.Entry<String, JsonNode> stage : throughput.properties()) {
                rates.add(stage.getKey() + " " + Format.rate(stage.getValue()));
            }
            sb.append(", throughput ").append(String.join(", ", rates));
        }
        if (e.has("rounds")) {
            sb.append(", after ").append(e.get("rounds").asText()).append(" rounds");
        }
        JsonNode limit = e.path("limit");
        if (!limit.isMissingNode()) {
            more.add("limit " + Format.limit(limit));
        }
        more.add("recommended: " + StatusView.recommended(e.path("recommended")));
        return sb.toString();
    }

    private static String update(JsonNode e) {
        List<String> changed = new ArrayList<>();
        for (Map.Entry<String, JsonNode> o : e.path("options").properties()) {
            changed.add(o.getKey() + "=" + o.getValue().asText());
        }
        return "options " + (changed.isEmpty() ? "(none: resume)" : String.join(",", changed))
                + (e.has("effective") ? "; now in effect: " + Format.text(e, "effective", "") : "");
    }

    private static String stop(JsonNode e) {
        String what;
        if (e.path("kept").asBoolean()) {
            what = "kept the tuned settings: ";
        } else if (e.path("restored").asBoolean()) {
            what = "restored the settings it found: ";
        } else if (e.has("reason")) {
            what = "not restored (" + Format.text(e, "reason", "") + "): ";
        } else {
            what = "NOT all restored (a stage went away or refused the value): ";
        }
        List<String> stages = new ArrayList<>();
        for (Map.Entry<String, JsonNode> stage : e.path("final").properties()) {
            JsonNode s = stage.getValue();
            stages.add(stage.getKey() + " p" + Format.text(s, "parallelism", "?")
                    + (s.has("prefetch") ? " f" + s.get("prefetch").asText() : ""));
        }
        return what + (stages.isEmpty() ? "no stages" : String.join(", ", stages));
    }

    /** {@code lb/work: app.Ledger (monitor) at app.Ledger.post, 93% of its lock wait (workers waited 61% of 1.5 s)} */
    private static String locks(JsonNode e, List<String> more) {
        String stage = Format.text(e, "stage", "?");
        JsonNode sites = e.path("sites");
        String window = "workers waited " + Format.percent(e.get("wait_share")) + " of a "
                + Format.number(e.path("window_ms").asDouble() / 1000) + " s lock recording";
        if (!sites.isArray() || sites.isEmpty()) {
            return stage + ": no contended lock seen (" + window + ")";
        }
        for (int i = 1; i < sites.size(); i++) {
            more.add("also " + site(sites.get(i)));
        }
        return stage + ": " + site(sites.get(0)) + " (" + window + ")";
    }

    private static String site(JsonNode site) {
        String frame = Format.text(site, "frame", null);
        return Format.text(site, "lock", "?") + " (" + Format.text(site, "kind", "?") + ")"
                + (frame == null ? "" : " at " + frame) + ", " + Format.percent(site.get("share")) + " of the lock wait";
    }

    private static String rest(JsonNode e) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, JsonNode> field : e.properties()) {
            if (!field.getKey().equals("ts") && !field.getKey().equals("event")) {
                sb.append(sb.length() == 0 ? "" : " ").append(field.getKey()).append('=').append(field.getValue());
            }
        }
        return sb.toString();
    }

    private static Instant instant(JsonNode e) {
        try {
            return Instant.parse(Format.text(e, "ts", ""));
        } catch (DateTimeParseException ex) {
            return null;
        }
    }
}
