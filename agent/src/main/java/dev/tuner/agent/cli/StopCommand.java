package dev.tuner.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code stop <pid> [--keep]}: stops tuning in a live JVM; every knob goes back to the value the agent
 * found, unless {@code --keep}. Prints each knob as it was tuned and as it is now; the tuning log gets
 * a {@code stop} event. The agent stays loaded, idle: a later attach resumes tuning.
 */
final class StopCommand implements Command {
    @Override
    public String name() {
        return "stop";
    }

    @Override
    public String arguments() {
        return "<pid> [--keep]";
    }

    @Override
    public String summary() {
        return "stop tuning and restore the settings it found (--keep: leave the tuned ones)";
    }

    @Override
    public int run(List<String> raw, PrintStream out, PrintStream err) throws CliException {
        Args args = Args.parse(name(), raw, Set.of("--keep"));
        long pid = args.pid(0);
        args.atMost(1);
        boolean keep = args.has("--keep");
        try (Target target = Target.attach(pid, name() + " " + pid);
             TunerConnection tuner = target.tuner()) {
            JsonNode status = StatusCommand.parse(pid, tuner.statusJson());
            if ("stopped".equals(Format.text(status, "state", ""))) {
                JsonNode last = parseStop(pid, tuner.lastStopJson());
                out.println("the tuner in pid " + pid + " was already stopped"
                        + (last == null ? "" : " (at " + Format.text(last, "at", "?") + ")")
                        + "; nothing changed. java -jar tuner.jar attach " + pid + " resumes tuning");
                return 0;
            }
            tuner.stop(keep);
            JsonNode stop = parseStop(pid, tuner.lastStopJson());
            if (stop == null) {
                throw CliException.failure("the tuner in pid " + pid + " did not report its stop; read the end of its"
                        + " log: java -jar tuner.jar log " + Format.text(status, "log", "<file>"));
            }
            List<String> lines = render(pid, stop);
            lines.forEach(out::println);
            out.println("the tuning log ends with a stop event: " + Format.text(status, "log", "?"));
            if (!keep && !stop.path("restored").asBoolean()) {
                err.println("tuner: some knobs in pid " + pid + " could not be set back (a stage went away or refused"
                        + " the value): the table shows where each stands; set them by hand or restart the job");
                return CliException.FAILURE;
            }
            return 0;
        }
    }

    private static JsonNode parseStop(long pid, String json) throws CliException {
        return json == null ? null : StatusCommand.parse(pid, json);
    }

    /** The stop as a table: each stage's knobs as tuned (before) and as they are now (final). */
    static List<String> render(long pid, JsonNode stop) {
        boolean kept = stop.path("kept").asBoolean();
        List<String> lines = new ArrayList<>();
        lines.add(kept ? "stopped the tuner in pid " + pid + "; kept the tuned settings (--keep):"
                : "stopped the tuner in pid " + pid + "; restored the settings it found:");
        Table table = new Table("STAGE", "KNOB", ">TUNED", ">NOW", "");
        JsonNode before = stop.path("before");
        JsonNode after = stop.path("final");
        for (Map.Entry<String, JsonNode> stage : after.properties()) {
            for (String knob : List.of("parallelism", "prefetch")) {
                JsonNode now = stage.getValue().get(knob);
                if (now == null) {
                    continue;
                }
                JsonNode was = before.path(stage.getKey()).get(knob);
                String tuned = was == null ? "?" : was.asText();
                String mark = was != null && was.asInt() != now.asInt() ? (kept ? "" : "restored") : "";
                table.row(stage.getKey(), knob, tuned, now.asText(), mark);
            }
        }
        if (table.isEmpty()) {
            lines.add("  (no stages: nothing to restore)");
        } else {
            lines.addAll(table.lines("  "));
        }
        return lines;
    }
}
