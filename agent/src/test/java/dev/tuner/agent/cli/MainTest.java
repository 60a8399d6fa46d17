package dev.tuner.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The exit-status convention: 0 done, 2 usage error with the usage text, 1 failure; always one line first. */
class MainTest {
    /** No process has this pid: a command that went past its argument checks would say so instead. */
    static final String NO_SUCH_PID = "4000000001";

    @Test
    void noCommandIsAUsageError() {
        Run run = Run.of();
        assertEquals(2, run.status(), run::toString);
        assertEquals("tuner: no command given", run.why());
        assertTrue(run.err().get(1).startsWith("usage: java -jar tuner.jar"), run::toString);
    }

    @Test
    void helpPrintsTheUsageOnStdoutAndSucceeds() {
        Run run = Run.of("--help");
        assertEquals(0, run.status());
        assertTrue(run.out().get(0).startsWith("usage:"), run::toString);
        for (String command : List.of("list", "attach <pid> [k=v,...]", "status <pid> [--json]", "stop <pid> [--keep]",
                "diagnose", "log <file> [--follow]", "report")) {
            assertTrue(run.out().stream().anyMatch(l -> l.startsWith("  " + command)), command + "\n" + run);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "frob                         | tuner: unknown command 'frob'",
        "status                       | tuner: status needs the pid of a JVM",
        "status abc                   | tuner: 'abc' is not a pid",
        "status -5 --json             | tuner: '-5' is not a pid",
        "status " + NO_SUCH_PID + " --xml | tuner: unknown option '--xml' for status; it accepts --json",
        "stop " + NO_SUCH_PID + " --force | tuner: unknown option '--force' for stop; it accepts --keep",
        "stop 12 13                   | tuner: unexpected argument '13' for stop",
        "list --all                   | tuner: unknown option '--all' for list (it takes none)",
        "log                          | tuner: log needs the tuning log's file",
        "attach " + NO_SUCH_PID + " foo=1 | tuner: bad option for attach: unknown option 'foo'",
        "attach " + NO_SUCH_PID + " target=2 | tuner: bad option for attach: target=2 is out of range",
        "attach " + NO_SUCH_PID + " target=0.5 interval=50ms | tuner: bad option for attach: interval=50ms is out of range",
        "diagnose                     | tuner: diagnose needs the pid of a JVM",
        "diagnose " + NO_SUCH_PID + " --xml | tuner: unknown option '--xml' for diagnose; it accepts --json, --seconds N",
        "diagnose " + NO_SUCH_PID + " --seconds | tuner: --seconds needs a value, e.g. --seconds 10",
        "diagnose " + NO_SUCH_PID + " --seconds 0 | tuner: --seconds 0 is not accepted: give a whole number from 1 to 600",
        "diagnose " + NO_SUCH_PID + " --seconds=ten | tuner: --seconds ten is not accepted",
        "diagnose 12 13               | tuner: unexpected argument '13' for diagnose",
    })
    void aWrongCommandLineIsExit2WithOneLineNamingItAndTheUsage(String args, String line) {
        Run run = Run.of(args.trim().split("\\s+"));
        assertEquals(2, run.status(), run::toString);
        assertTrue(run.why().startsWith(line), run::toString);
        assertTrue(run.err().get(1).startsWith("usage: java -jar tuner.jar"), run::toString);
        assertTrue(run.out().isEmpty(), run::toString);
    }

    @Test
    void aBadAttachOptionSaysTheTargetWasNotTouched() {
        Run run = Run.of("attach", NO_SUCH_PID, "mode=fast");
        assertEquals(2, run.status());
        assertTrue(run.why().contains("mode=fast is not accepted") && run.why().endsWith("pid " + NO_SUCH_PID
                + " was not touched"), run::toString);
    }

    @ParameterizedTest
    @CsvSource({"report"})
    void commandsNotBuiltYetSaySoWithExit2(String command) {
        Run run = Run.of(command, "123");
        assertEquals(2, run.status());
        assertEquals(1, run.err().size(), run::toString);
        assertTrue(run.why().startsWith("tuner: " + command + " is not available yet"), run::toString);
    }

    @Test
    void aPidWithNoProcessIsAFailureThatSaysWhatToDo() {
        Run run = Run.of("status", NO_SUCH_PID);
        assertEquals(1, run.status());
        assertEquals(List.of("tuner: no process has pid " + NO_SUCH_PID
                + ": java -jar tuner.jar list shows the JVMs you can attach to"), run.err());
    }

    @Test
    void diagnoseAPidWithNoProcessIsAFailureThatSaysWhatToDo() {
        Run run = Run.of("diagnose", NO_SUCH_PID, "--seconds", "3");
        assertEquals(1, run.status());
        assertEquals(List.of("tuner: no process has pid " + NO_SUCH_PID
                + ": java -jar tuner.jar list shows the JVMs you can attach to"), run.err());
    }

    @Test
    void thisCommandsOwnPidIsRefused() {
        Run run = Run.of("status", String.valueOf(ProcessHandle.current().pid()));
        assertEquals(2, run.status(), run::toString);
        assertTrue(run.why().contains("is this command itself"), run::toString);
    }

    @Test
    void aRelativeLogPathMeansTheDirectoryOfThePersonTypingIt() throws Exception {
        String options = "target=0.5,log=out/t.jsonl";
        assertEquals("target=0.5,log=" + java.nio.file.Paths.get("out/t.jsonl").toAbsolutePath(),
                AttachCommand.withAbsoluteLog(dev.tuner.agent.config.AgentOptions.parse(options), options));
        assertEquals("log=/tmp/t.jsonl", AttachCommand.withAbsoluteLog(
                dev.tuner.agent.config.AgentOptions.parse("log=/tmp/t.jsonl"), "log=/tmp/t.jsonl"));
    }

    @Test
    void attachOutsideTunerJarSaysToRunItFromTheJar() throws Exception {
        CliException e = org.junit.jupiter.api.Assertions.assertThrows(CliException.class, AttachCommand::ownJar);
        assertEquals(1, e.status());
        assertTrue(e.getMessage().contains("java -jar tuner.jar attach"), e.getMessage());
    }
}
