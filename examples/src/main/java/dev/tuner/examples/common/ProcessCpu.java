package dev.tuner.examples.common;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * CPU time used by this whole process (all threads, JIT and GC included), which is what {@code top}
 * shows as the process's %CPU: the figure the incident was about.
 */
public final class ProcessCpu {
    private final com.sun.management.OperatingSystemMXBean os;
    private final int cores;

    private ProcessCpu(com.sun.management.OperatingSystemMXBean os, int cores) {
        this.os = os;
        this.cores = cores;
    }

    /**
     * The process CPU of this JVM.
     *
     * @throws IllegalStateException on a JVM without {@code com.sun.management} (not HotSpot/OpenJDK)
     */
    public static ProcessCpu ofThisJvm() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (!(os instanceof com.sun.management.OperatingSystemMXBean)) {
            throw new IllegalStateException("this JVM does not report process CPU time (no com.sun.management)");
        }
        return new ProcessCpu((com.sun.management.OperatingSystemMXBean) os, Runtime.getRuntime().availableProcessors());
    }

    /** CPU nanoseconds used by the process since it started; -1 where the platform cannot tell. */
    public long cpuNanos() {
        return os.getProcessCpuTime();
    }

    /** The cores this JVM may use (container-aware {@code availableProcessors()}). */
    public int cores() {
        return cores;
    }
}
