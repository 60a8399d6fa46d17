package dev.tuner.agent.profiler;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import one.profiler.AsyncProfiler;

/**
 * Finds async-profiler's native library for this JVM and loads it. In a fixed order: the file named by
 * the system property {@value #PROPERTY} when it is set (a test, or a build for a platform tuner.jar does
 * not carry); otherwise the copy for this platform at tuner.jar's root ({@code linux-x64},
 * {@code linux-arm64} or {@code macos}), copied to a temp file that is deleted as soon as it is loaded.
 *
 * <p>{@code one.profiler} is not relocated in tuner.jar: the library binds its native methods by that
 * class name. Whatever goes wrong (another OS or CPU, a C library the build does not run on, a file that
 * is missing or corrupt, native access denied by the JVM) is an {@link Unavailable} with a sentence
 * that says so; nothing here throws anything else.
 */
final class NativeLibrary {
    /** System property: the path of a libasyncProfiler to load instead of the one inside tuner.jar. */
    static final String PROPERTY = "dev.tuner.profiler.lib";

    /** The library could not be loaded; the message says why, for the log and for a person. */
    static final class Unavailable extends Exception {
        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private NativeLibrary() {
    }

    /** Loads the library (once per JVM: async-profiler keeps one instance) and returns the profiler. */
    static AsyncProfiler load() throws Unavailable {
        String override = System.getProperty(PROPERTY);
        if (override != null && !override.isBlank()) {
            return loadFrom(Paths.get(override), override + " (set by -D" + PROPERTY + ")");
        }
        String tag = platformTag(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
        if (tag == null) {
            throw new Unavailable("tuner.jar carries async-profiler for linux-x64, linux-arm64 and macOS only, and this"
                    + " JVM runs on " + System.getProperty("os.name") + "/" + System.getProperty("os.arch"), null);
        }
        Path extracted = extract(tag);
        try {
            return loadFrom(extracted, "tuner.jar's " + tag + "/libasyncProfiler.so");
        } finally {
            try {
                Files.deleteIfExists(extracted); // loaded or not, the mapping (if any) outlives the file
            } catch (IOException | SecurityException ignored) {
                // deleteOnExit below is the second chance
            }
        }
    }

    /**
     * The folder of tuner.jar that holds the library for this OS and CPU, or {@code null} where it has none.
     *
     * @param osName the {@code os.name} property
     * @param osArch the {@code os.arch} property
     */
    static String platformTag(String osName, String osArch) {
        String os = osName.toLowerCase(Locale.ROOT);
        String arch = osArch.toLowerCase(Locale.ROOT);
        if (os.contains("mac")) {
            return "macos"; // one universal binary
        }
        if (!os.contains("linux")) {
            return null;
        }
        return switch (arch) {
            case "amd64", "x86_64" -> "linux-x64";
            case "aarch64", "arm64" -> "linux-arm64";
            default -> null;
        };
    }

    private static Path extract(String tag) throws Unavailable {
        String resource = "/" + tag + "/libasyncProfiler.so";
        try (InputStream in = NativeLibrary.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new Unavailable("tuner.jar has no " + resource.substring(1) + " (a jar built without"
                        + " async-profiler?)", null);
            }
            Path file = Files.createTempFile("tuner-asprof-" + ProcessHandle.current().pid() + "-", ".so");
            file.toFile().deleteOnExit();
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException | SecurityException e) {
            throw new Unavailable("cannot copy async-profiler's library out of tuner.jar to a temp file ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
        }
    }

    private static AsyncProfiler loadFrom(Path file, String what) throws Unavailable {
        if (!Files.isRegularFile(file)) {
            throw new Unavailable("async-profiler's library " + what + " does not exist", null);
        }
        try {
            return AsyncProfiler.getInstance(file.toAbsolutePath().toString());
        } catch (Throwable t) { // UnsatisfiedLinkError, IllegalCallerException (--illegal-native-access=deny)...
            throw new Unavailable("async-profiler's library " + what + " does not load in this JVM ("
                    + t.getClass().getSimpleName() + ": " + firstLine(t.getMessage()) + ")", t);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no reason given";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
