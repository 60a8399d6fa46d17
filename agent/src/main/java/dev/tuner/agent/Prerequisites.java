package dev.tuner.agent;

/**
 * What the agent needs from the JVM it enters, checked before it writes a line or starts a thread: a
 * runtime made with jlink may lack the modules behind process CPU time and thread CPU time.
 */
final class Prerequisites {
    private Prerequisites() {
    }

    /** One sentence naming what is missing and what to do, or {@code null} when all is there. */
    static String missing() {
        if (ModuleLayer.boot().findModule("jdk.management").isEmpty()) {
            return "this JVM lacks the jdk.management module, which reports process and thread CPU time;"
                    + " run the app on a full JDK or add --add-modules jdk.management to its jlink image";
        }
        if (!(java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean)) {
            return "this JVM does not report process CPU time (no com.sun.management.OperatingSystemMXBean)";
        }
        return null;
    }
}
