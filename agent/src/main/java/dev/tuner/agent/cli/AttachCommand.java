package dev.tuner.agent.cli;

import dev.tuner.agent.Agent;
import dev.tuner.agent.config.AgentOptions;
import dev.tuner.agent.config.OptionsException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.CodeSource;
import java.util.List;
import java.util.Set;

/**
 * {@code attach <pid> [k=v,...]}: loads tuner.jar (the jar this command runs from) into a live JVM. The
 * options are checked before the target is touched. A second attach updates the running agent's
 * options (the agent logs {@code update}); it never starts a second agent.
 */
final class AttachCommand implements Command {
    /** The first release that warns about agents loaded at run time (JEP 451). */
    static final int WARNS_FROM = 21;

    @Override
    public String name() {
        return "attach";
    }

    @Override
    public String arguments() {
        return "<pid> [k=v,...]";
    }

    @Override
    public String summary() {
        return "load the tuner into a running JVM (again: update its options)";
    }

    @Override
    public int run(List<String> raw, PrintStream out, PrintStream err) throws CliException {
        Args args = Args.parse(name(), raw, Set.of());
        long pid = args.pid(0);
        String options = String.join(",", args.words().subList(1, args.words().size()));
        AgentOptions parsed;
        try {
            parsed = AgentOptions.parse(options);
        } catch (OptionsException e) {
            throw CliException.usage("bad option for attach: " + e.getMessage() + "; pid " + pid + " was not touched");
        }
        options = withAbsoluteLog(parsed, options);
        Path jar = ownJar();
        try (Target target = Target.attach(pid, name() + " " + pid + (options.isEmpty() ? "" : " " + options))) {
            String before = target.tunerVersion();
            boolean wasStopped = "stopped".equals(target.tunerState());
            int feature = target.javaFeature();
            target.loadAgent(jar, options);
            String version = target.tunerVersion();
            if (version == null) {
                throw CliException.failure("the tuner did not start in pid " + pid + ": its reason is on that JVM's"
                        + " stderr (the app runs on untouched); fix it and attach again");
            }
            String log = target.tunerLog();
            if (before == null) {
                out.println("attached tuner " + version + " to pid " + pid + " (Java " + target.javaVersion() + ", "
                        + ListCommand.main(target.command()) + "): tuning to "
                        + Math.round(parsed.target() * 100) + "% of the cores"
                        + (parsed.mode() == AgentOptions.Mode.ADVISE ? " in advise mode (decides, changes nothing)" : ""));
            } else {
                out.println("updated the tuner " + before + " already in pid " + pid + ": "
                        + (options.isEmpty() ? "no options changed" : options)
                        + (wasStopped ? "; it was stopped and tunes again, from the settings it finds now" : "")
                        + " (no second agent is loaded; the log records an update event)");
                if (parsed.given().containsKey("log")) {
                    err.println("tuner: note: log= takes effect only when the agent starts; pid " + pid
                            + " keeps writing to " + log);
                }
            }
            out.println("tuning log: " + log + "  (read it: java -jar tuner.jar log " + log + " --follow)");
            if (feature >= WARNS_FROM) {
                err.println("tuner: note: Java " + feature + " prints a warning in pid " + pid + " about a dynamically"
                        + " loaded agent; launching it with -XX:+EnableDynamicAgentLoading silences it");
            }
            return 0;
        }
    }

    /**
     * The options to send, with a relative {@code log=} made absolute here: the person typing it means
     * their own working directory, not the target's.
     */
    static String withAbsoluteLog(AgentOptions parsed, String options) {
        String log = parsed.log();
        if (log == null || Paths.get(log).isAbsolute()) {
            return options;
        }
        StringBuilder sb = new StringBuilder();
        parsed.given().forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ",").append(k).append('=')
                .append(k.equals("log") ? Paths.get(v).toAbsolutePath().toString() : v));
        return sb.toString();
    }

    /** The tuner.jar this command runs from, which the target loads. */
    static Path ownJar() throws CliException {
        try {
            CodeSource source = Agent.class.getProtectionDomain().getCodeSource();
            Path path = source == null ? null : Paths.get(source.getLocation().toURI());
            if (path != null && Files.isRegularFile(path) && path.toString().endsWith(".jar")) {
                return path.toAbsolutePath();
            }
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            // reported below
        }
        throw CliException.failure("attach must run from tuner.jar, which it loads into the target: java -jar"
                + " tuner.jar attach <pid>");
    }
}
