package dev.tuner.agent.cli;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import java.io.IOException;

/**
 * Turns what goes wrong on the way into a JVM into one line that names the pid and says what to do.
 * Pure: the facts and the exception in, the message out.
 */
final class Failures {
    static final String LIST = "java -jar tuner.jar list";

    private Failures() {
    }

    /**
     * Refuses a pid that cannot be attached to, before anything is sent to it; {@code null} if it is
     * worth trying.
     *
     * @param me      the user this command runs as
     * @param command the command words, e.g. {@code status 123}, for the "run it as" advice
     */
    static CliException precheck(ProcessFacts facts, String me, String command) {
        long pid = facts.pid();
        if (!facts.exists()) {
            return CliException.failure("no process has pid " + pid + ": " + LIST
                    + " shows the JVMs you can attach to");
        }
        if (facts.user() != null && !facts.user().equals(me) && !"root".equals(me)) {
            return otherUser(pid, facts.user(), me, command);
        }
        if (Boolean.FALSE.equals(facts.jvm())) {
            return CliException.failure("pid " + pid + (facts.command() == null ? "" : " (" + facts.command() + ")")
                    + " is not a Java process: " + LIST + " shows the JVMs you can attach to");
        }
        if (Boolean.FALSE.equals(facts.attachable()) && facts.perfData()) {
            return attachDisabled(pid);
        }
        if (facts.jvm() == null && Boolean.FALSE.equals(facts.attachable()) && !facts.perfData()) {
            return CliException.failure("pid " + pid + (facts.command() == null ? "" : " (" + facts.command() + ")")
                    + " is not a JVM this user can attach to: " + LIST + " shows the ones you can");
        }
        return null;
    }

    static CliException otherUser(long pid, String owner, String me, String command) {
        return CliException.failure("pid " + pid + " is a process of user '" + owner + "' and this command runs as '"
                + me + "': the attach API only reaches JVMs of the same user; run it as that user, e.g. sudo -u "
                + owner + " java -jar tuner.jar " + command);
    }

    static CliException attachDisabled(long pid) {
        return CliException.failure("the JVM in pid " + pid + " was started with -XX:+DisableAttachMechanism and refuses"
                + " every attach: restart it without that flag, or with -javaagent:tuner.jar to tune it from the start");
    }

    /** {@code VirtualMachine.attach} failed. */
    static CliException ofAttach(long pid, Throwable e, String command) {
        String message = String.valueOf(e.getMessage());
        if (e instanceof AttachNotSupportedException) {
            if (message.contains("does not support the attach mechanism")) {
                return attachDisabled(pid);
            }
            if (message.contains("respond") || message.contains("socket file")) {
                return CliException.failure("the JVM in pid " + pid + " did not answer the attach request (" + message
                        + "): it may be starting, exiting or paused; try again, and if it never answers start it with"
                        + " -javaagent:tuner.jar", e);
            }
        }
        if (e instanceof IOException && message.contains("Operation not permitted")) {
            return CliException.failure("pid " + pid + " refused the attach request (Operation not permitted): it runs"
                    + " as another user; run java -jar tuner.jar " + command + " as that user", e);
        }
        return CliException.failure("attaching to pid " + pid + " failed (" + describe(e) + "): check that it is a"
                + " running JVM of your user (" + LIST + ")", e);
    }

    /** {@code VirtualMachine.loadAgent} failed. */
    static CliException ofLoad(long pid, Throwable e, String jar) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("java.instrument")) {
            return CliException.failure("the JVM in pid " + pid + " runs without the java.instrument module (a jlink-ed"
                    + " runtime?), so no agent can be loaded into it: build its runtime with --add-modules"
                    + " java.instrument,java.management and start it with -javaagent:tuner.jar", e);
        }
        if (message.contains("EnableDynamicAgentLoading") || message.contains("Dynamic agent loading is not enabled")) {
            return CliException.failure("the JVM in pid " + pid + " was started with -XX:-EnableDynamicAgentLoading and"
                    + " refuses agents at run time: restart it with -javaagent:tuner.jar (or without that flag)", e);
        }
        if (e instanceof AgentLoadException && (message.contains("not found") || message.contains("Agent-Class")
                || message.contains("open"))) {
            return CliException.failure("the JVM in pid " + pid + " could not load " + jar + " (" + message + "): put"
                    + " tuner.jar where the JVM's user can read it and attach again", e);
        }
        if (e instanceof AgentInitializationException) {
            return CliException.failure("the tuner failed to start inside pid " + pid + " (" + message + "): its reason"
                    + " is on that JVM's stderr; the app runs on untouched", e);
        }
        return CliException.failure("loading the tuner into pid " + pid + " failed (" + describe(e) + "): its reason may"
                + " be on that JVM's stderr; the app runs on untouched", e);
    }

    /** Starting or reaching the target's local JMX connector failed. */
    static CliException ofJmx(long pid, Throwable e, String logFile) {
        String message = String.valueOf(e.getMessage());
        String readLog = logFile == null ? "" : "; its tuning log is " + logFile + " (java -jar tuner.jar log "
                + logFile + ")";
        if (message.contains("jdk.management.agent")) {
            return CliException.failure("the JVM in pid " + pid + " runs without the jdk.management.agent module (a"
                    + " jlink-ed runtime?), so status and stop cannot reach its tuner: add that module to its runtime"
                    + readLog, e);
        }
        return CliException.failure("cannot reach the tuner in pid " + pid + " over its local JMX connector ("
                + describe(e) + ")" + readLog, e);
    }

    /** The target runs no tuner. */
    static CliException noTuner(long pid) {
        return CliException.failure("no tuner runs in pid " + pid + ": start one with java -jar tuner.jar attach " + pid);
    }

    /** This Java has no attach API (a JRE, or a runtime without jdk.attach). */
    static CliException noAttachApi() {
        return CliException.failure("this Java (" + System.getProperty("java.home") + ") has no attach API (module"
                + " jdk.attach): run tuner.jar with a full JDK, e.g. /usr/lib/jvm/<jdk>/bin/java -jar tuner.jar");
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }
}
