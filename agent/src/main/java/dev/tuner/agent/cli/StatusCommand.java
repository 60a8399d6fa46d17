package dev.tuner.agent.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;

/**
 * {@code status <pid> [--json]}: what the tuner in a live JVM is doing, read from
 * {@code dev.tuner:type=Tuner} over the JVM's local JMX connector. {@code --json} prints the tuner's
 * status object as it is, one line, for programs.
 */
final class StatusCommand implements Command {
    static final ObjectMapper MAPPER = new ObjectMapper();

    @Override
    public String name() {
        return "status";
    }

    @Override
    public String arguments() {
        return "<pid> [--json]";
    }

    @Override
    public String summary() {
        return "target, utilization, stages with their knobs, last decisions";
    }

    @Override
    public int run(List<String> raw, PrintStream out, PrintStream err) throws CliException {
        Args args = Args.parse(name(), raw, Set.of("--json"));
        long pid = args.pid(0);
        args.atMost(1);
        try (Target target = Target.attach(pid, name() + " " + pid);
             TunerConnection tuner = target.tuner()) {
            String json = tuner.statusJson();
            if (args.has("--json")) {
                out.println(json);
            } else {
                for (String line : StatusView.render(parse(pid, json))) {
                    out.println(line);
                }
            }
            return 0;
        }
    }

    static JsonNode parse(long pid, String json) throws CliException {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw CliException.failure("the tuner in pid " + pid + " answered with something that is not JSON ("
                    + e.getOriginalMessage() + "): is it the same version as this tuner.jar?", e);
        }
    }
}
