package dev.tuner.agent.diagnose;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which group a thread belongs to in the {@code top -H} view: its stage when it is a stage's worker;
 * otherwise its pool, read from its name ({@code pool-1-thread-3} and {@code pool-1-thread-7} are
 * {@code pool-1-thread-*}); the JVM's own housekeeping, the JMX connection and the tuner each fold into
 * one group, so the app's threads stand out. Pure.
 */
final class ThreadGroups {
    static final String JVM = "(jvm)";
    static final String JMX = "(jmx)";
    static final String TUNER = "(tuner)";
    private static final Pattern NUMBERED = Pattern.compile("^(.*?[^\\d\\s\\-_#:.])[\\-_#:. ]*\\d+$");

    private ThreadGroups() {
    }

    /**
     * @param name  the thread's name
     * @param stage its stage's id when it is a stage's worker, else {@code null}
     */
    static String of(String name, String stage) {
        if (stage != null) {
            return stage;
        }
        if (name.startsWith("tuner-")) {
            return TUNER;
        }
        if (name.startsWith("RMI ") || name.startsWith("JMX ") || name.startsWith("RMI-")) {
            return JMX;
        }
        if (isJvm(name)) {
            return JVM;
        }
        Matcher m = NUMBERED.matcher(name);
        if (m.matches()) {
            return m.group(1) + "-*";
        }
        return name;
    }

    /** Housekeeping threads every JVM has. */
    static boolean isJvm(String name) {
        return switch (name) {
            case "Reference Handler", "Finalizer", "Signal Dispatcher", "Attach Listener", "Common-Cleaner",
                 "Notification Thread", "DestroyJavaVM", "Service Thread",
                 "Monitor Deflation Thread", "Sweeper thread", "Java2D Disposer" -> true;
            default -> name.startsWith("C1 CompilerThread") || name.startsWith("C2 CompilerThread")
                    || name.startsWith("process reaper");
        };
    }

    /** JVM, JMX and tuner threads: shown folded, one row each. */
    static boolean isHousekeeping(String group) {
        return group.equals(JVM) || group.equals(JMX) || group.equals(TUNER);
    }
}
