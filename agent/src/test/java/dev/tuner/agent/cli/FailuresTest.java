package dev.tuner.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.AttachOperationFailedException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * Each way into a JVM that fails gets its own line that names the pid and says what to do. The
 * exception messages are the JDK's own (17 and 25), as seen against real targets.
 */
class FailuresTest {
    private static ProcessFacts facts(boolean exists, String user, Boolean jvm, Boolean attachable, boolean perfData) {
        return new ProcessFacts(42, exists, user, "java", jvm, attachable, perfData);
    }

    private static void says(CliException e, String... parts) {
        assertEquals(1, e.status());
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + part + "' in: " + e.getMessage());
        }
        assertTrue(e.getMessage().contains("42"), "names the pid: " + e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    @Test
    void aPidWithNoProcess() {
        says(Failures.precheck(facts(false, null, null, false, false), "me", "status 42"),
                "no process has pid 42", "java -jar tuner.jar list");
    }

    @Test
    void aJvmOfAnotherUserIsRefusedBeforeTheAttachSignal() {
        says(Failures.precheck(facts(true, "root", true, false, true), "nobody", "stop 42 --keep"),
                "user 'root'", "runs as 'nobody'", "sudo -u root java -jar tuner.jar stop 42 --keep");
    }

    @Test
    void rootMayAttachToAnyUsersJvm() {
        assertNull(Failures.precheck(facts(true, "nobody", true, true, true), "root", "status 42"));
    }

    @Test
    void aProcessThatIsNotAJvmIsNeverSentTheAttachSignal() {
        ProcessFacts sleep = new ProcessFacts(42, true, "me", "sleep", false, false, false);
        assertNull(Failures.precheck(new ProcessFacts(42, true, "me", "java", null, true, false), "me", "status 42"),
                "a JVM whose memory map cannot be read is tried when the attach API lists it");
        says(Failures.precheck(sleep, "me", "status 42"), "pid 42 (sleep) is not a Java process");
    }

    @Test
    void aJvmWithPerfDataThatTheAttachApiDoesNotListHasAttachDisabled() {
        says(Failures.precheck(facts(true, "me", true, false, true), "me", "attach 42"),
                "-XX:+DisableAttachMechanism", "restart it without that flag", "-javaagent:tuner.jar");
    }

    @Test
    void aJvmNotAskedAboutIsWorthTrying() {
        assertNull(Failures.precheck(facts(true, "me", true, null, true), "me", "status 42"),
                "the attach itself says whether it refuses");
    }

    @Test
    void anAttachableJvmOrOneWithoutPerfDataIsWorthTrying() {
        assertNull(Failures.precheck(facts(true, "me", true, true, true), "me", "status 42"));
        assertNull(Failures.precheck(facts(true, "me", true, false, false), "me", "status 42"), "-XX:-UsePerfData");
    }

    @Test
    void aProcessThatCannotBeToldAJvmAndIsNotListedIsRefused() {
        says(Failures.precheck(facts(true, "me", null, false, false), "me", "status 42"),
                "not a JVM this user can attach to");
    }

    @Test
    void attachFailures() {
        says(Failures.ofAttach(42, new AttachNotSupportedException("The VM does not support the attach mechanism"),
                "status 42"), "-XX:+DisableAttachMechanism");
        says(Failures.ofAttach(42, new AttachNotSupportedException("Unable to open socket file /tmp/.java_pid42: target"
                + " process 42 doesn't respond within 10500ms or HotSpot VM not loaded"), "status 42"),
                "did not answer", "try again");
        says(Failures.ofAttach(42, new IOException("Operation not permitted"), "status 42"),
                "another user", "java -jar tuner.jar status 42 as that user");
        says(Failures.ofAttach(42, new IOException("Connection refused"), "status 42"),
                "attaching to pid 42 failed (IOException: Connection refused)");
    }

    @Test
    void loadFailures() {
        says(Failures.ofLoad(42, new AgentLoadException("Failed to load agent library: java.lang.module.FindException:"
                + " Module java.instrument not found"), "/x/tuner.jar"), "without the java.instrument module",
                "--add-modules java.instrument");
        says(Failures.ofLoad(42, new AgentLoadException("Failed to load agent library: Dynamic agent loading is not"
                + " enabled. Use -XX:+EnableDynamicAgentLoading to launch target VM."), "/x/tuner.jar"),
                "-XX:-EnableDynamicAgentLoading", "restart it with -javaagent:tuner.jar");
        says(Failures.ofLoad(42, new AgentLoadException("Agent JAR not found or no Agent-Class attribute"),
                "/x/tuner.jar"), "could not load /x/tuner.jar", "where the JVM's user can read it");
        says(Failures.ofLoad(42, new AgentInitializationException("Agent_OnAttach failed", 1), "/x/tuner.jar"),
                "failed to start inside pid 42", "stderr");
    }

    @Test
    void jmxFailures() {
        says(Failures.ofJmx(42, new AttachOperationFailedException("java.lang.module.FindException: Module"
                + " jdk.management.agent not found"), "/tmp/t.jsonl"), "without the jdk.management.agent module",
                "java -jar tuner.jar log /tmp/t.jsonl");
        says(Failures.ofJmx(42, new IOException("Connection reset"), null),
                "cannot reach the tuner in pid 42 over its local JMX connector (IOException: Connection reset)");
    }

    @Test
    void noTunerSaysHowToStartOne() {
        says(Failures.noTuner(42), "no tuner runs in pid 42", "java -jar tuner.jar attach 42");
    }
}
