package dev.tuner.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuner.agent.AgentEntry;
import dev.tuner.agent.jmx.DiagnosticsBean;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * {@code diagnose <pid> [--seconds N] [--json]}: watches a live JVM for N seconds (10) and prints what
 * the incident's engineers looked at, without changing anything: cores busy against available, thread
 * states per stage or pool, the hottest frames, the top lock sites, a verdict and the settings it
 * recommends ({@link DiagnoseView}). {@code --json} prints the target's report object as it is, one line.
 *
 * <p>How it changes nothing: the diagnosis runs inside the target ({@code dev.tuner:type=Diagnostics})
 * and only reads, the engine deciding in advise mode. When no tuner runs there, tuner.jar is loaded with
 * the argument {@code diagnose}, which publishes that bean and starts no tuner (no tuning loop, no log,
 * no instrumentation; {@code list} still shows no tuner). When a tuner runs, even in tune mode, the
 * diagnosis is its own read-only window beside it.
 */
final class DiagnoseCommand implements Command {
    static final int DEFAULT_SECONDS = 10;
    /** The first release that warns when a library calls System.load without native access (JEP 472). */
    static final int NATIVE_WARNS_FROM = 24;

    @Override
    public String name() {
        return "diagnose";
    }

    @Override
    public String arguments() {
        return "<pid> [--seconds N] [--json]";
    }

    @Override
    public String summary() {
        return "watch without changing anything: cores, thread states, hot frames, locks, the bottleneck, settings";
    }

    @Override
    public int run(List<String> raw, PrintStream out, PrintStream err) throws CliException {
        Args args = Args.parse(name(), raw, Set.of("--json"), Set.of("--seconds"));
        long pid = args.pid(0);
        args.atMost(1);
        int seconds = args.intValue("--seconds", DEFAULT_SECONDS, 1, DiagnosticsBean.MAX_SECONDS);
        String json;
        boolean loaded = false;
        int feature;
        try (Target target = Target.attach(pid, name() + " " + pid)) {
            feature = target.javaFeature();
            try (DiagnosticsConnection diagnostics = DiagnosticsConnection.open(pid, target.localJmxAddress())) {
                if (!diagnostics.published()) {
                    String tuner = target.tunerVersion();
                    if (tuner != null) {
                        throw CliException.failure("the tuner " + tuner + " running in pid " + pid + " has no diagnose:"
                                + " it predates this tuner.jar; status " + pid + " shows what it sees");
                    }
                    target.loadAgent(AttachCommand.ownJar(), AgentEntry.DIAGNOSE_ONLY);
                    loaded = true;
                    if (!diagnostics.published()) {
                        throw CliException.failure("the diagnostics did not start in pid " + pid + ": the reason is on"
                                + " that JVM's stderr (the app runs on untouched)");
                    }
                }
                json = diagnostics.diagnose(seconds);
            }
        }
        JsonNode report = StatusCommand.parse(pid, json);
        if (args.has("--json")) {
            out.println(json);
        } else {
            for (String line : DiagnoseView.render(report, jarForAdvice())) {
                out.println(line);
            }
        }
        boolean nativeLoaded = !report.path("profiler").path("cpu_event").isNull()
                || report.path("profiler").path("lock_recorded").asBoolean();
        if (loaded && feature >= AttachCommand.WARNS_FROM) {
            err.println("tuner: note: Java " + feature + " prints a warning in pid " + pid + " about a dynamically loaded"
                    + " agent" + (feature >= NATIVE_WARNS_FROM && nativeLoaded ? " and one about async-profiler's native"
                    + " library" : "") + "; launching it with -XX:+EnableDynamicAgentLoading" + (feature >= NATIVE_WARNS_FROM
                    && nativeLoaded ? " --enable-native-access=ALL-UNNAMED silences them" : " silences it"));
        }
        return 0;
    }

    /** tuner.jar's path for the commands the report suggests; just {@code tuner.jar} when run from classes. */
    private static Path jarForAdvice() {
        try {
            return AttachCommand.ownJar();
        } catch (CliException e) {
            return Path.of("tuner.jar");
        }
    }
}
