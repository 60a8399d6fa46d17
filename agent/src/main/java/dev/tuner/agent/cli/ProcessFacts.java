package dev.tuner.agent.cli;

import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;

/**
 * What the operating system tells about a pid before anything is sent to it. Attaching sends SIGQUIT,
 * which kills a process that is not a JVM, so these facts decide whether to try at all.
 *
 * @param exists       a live process has this pid
 * @param user         its owner, or {@code null} if unknown
 * @param command      its executable's file name, or {@code null} if unknown
 * @param jvm          {@code TRUE} if it maps {@code libjvm}, {@code FALSE} if it does not, {@code null} if
 *                     its memory map cannot be read (another user, not Linux)
 * @param attachable   whether the attach API lists it (a HotSpot JVM this user may attach to, that accepts
 *                     attach); {@code null} when not asked, because {@code jvm} already says it is a JVM and
 *                     listing every JVM costs a few hundred milliseconds ({@code attach} itself then tells
 *                     a JVM that refuses attach)
 * @param perfData     it has a {@code hsperfdata} file: a HotSpot JVM that publishes its capabilities
 */
record ProcessFacts(long pid, boolean exists, String user, String command, Boolean jvm, Boolean attachable,
                    boolean perfData) {

    /** Reads the facts about {@code pid} now. */
    static ProcessFacts of(long pid) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (handle.isEmpty()) {
            return new ProcessFacts(pid, false, null, null, null, null, false);
        }
        ProcessHandle.Info info = handle.get().info();
        String user = info.user().orElse(null);
        String command = info.command().map(c -> Paths.get(c).getFileName().toString()).orElse(null);
        Boolean jvm = mapsLibjvm(pid);
        return new ProcessFacts(pid, true, user, command, jvm, Boolean.TRUE.equals(jvm) ? null : listed(pid),
                hasPerfData(pid, user));
    }

    /** Whether this command runs as root, who may attach to any user's JVM. */
    static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static Boolean mapsLibjvm(long pid) {
        Path maps = Paths.get("/proc", String.valueOf(pid), "maps");
        try {
            for (String line : Files.readAllLines(maps)) {
                if (line.endsWith("/libjvm.so")) {
                    return true;
                }
            }
            return false;
        } catch (IOException | SecurityException | java.io.UncheckedIOException e) {
            return null;
        }
    }

    private static boolean listed(long pid) {
        String id = String.valueOf(pid);
        for (VirtualMachineDescriptor d : VirtualMachine.list()) {
            if (d.id().equals(id)) {
                return true;
            }
        }
        return false;
    }

    /** A HotSpot JVM keeps {@code /tmp/hsperfdata_<user>/<pid>} unless started with -XX:-UsePerfData. */
    private static boolean hasPerfData(long pid, String user) {
        String name = String.valueOf(pid);
        if (user != null) {
            for (Path tmp : new Path[] {Paths.get("/proc", name, "root", "tmp"), Paths.get("/tmp")}) {
                if (Files.exists(tmp.resolve("hsperfdata_" + user).resolve(name))) {
                    return true;
                }
            }
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Paths.get("/tmp"), "hsperfdata_*")) {
            for (Path dir : dirs) {
                if (Files.exists(dir.resolve(name))) {
                    return true;
                }
            }
        } catch (IOException | SecurityException e) {
            // no /tmp to look in: not Linux, or not readable
        }
        return false;
    }
}
