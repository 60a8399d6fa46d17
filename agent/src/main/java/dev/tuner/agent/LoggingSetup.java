package dev.tuner.agent;

/**
 * Configures the agent's own SLF4J (slf4j-simple, relocated into the agent jar, so these property
 * names are the relocated ones and never touch the app's logging): short lines on stderr.
 */
final class LoggingSetup {
    private static final String PREFIX = "org.slf4j.simpleLogger.";

    private LoggingSetup() {
    }

    static void configure() {
        setIfAbsent(PREFIX + "showThreadName", "false");
        setIfAbsent(PREFIX + "showLogName", "false");
        setIfAbsent(PREFIX + "showShortLogName", "false");
        setIfAbsent(PREFIX + "defaultLogLevel", "info");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
