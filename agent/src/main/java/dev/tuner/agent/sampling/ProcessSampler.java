package dev.tuner.agent.sampling;

import dev.tuner.agent.stages.StageReading;
import dev.tuner.engine.LockSite;
import dev.tuner.engine.ProcessSnapshot;
import dev.tuner.engine.StageSnapshot;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Builds the {@link ProcessSnapshot} the engine is handed: process CPU, JIT time (overhead that does not
 * scale with throughput), live heap after GC, the thread-state histogram of the whole process, and each
 * stage joined with its threads' CPU and lock time.
 */
public final class ProcessSampler {
    private final com.sun.management.OperatingSystemMXBean os;
    private final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final ThreadSampler threadSampler;
    private final LongSupplier clock;
    private final LongSupplier ownCpuNanos;
    private final Function<String, LockSite> profiledLockSite;
    private final MachineCpu machine;

    /**
     * @param ownCpuNanos cumulative CPU of the agent's own threads, counted as overhead
     */
    public ProcessSampler(ThreadSampler threadSampler, LongSupplier clock, LongSupplier ownCpuNanos) {
        this(threadSampler, clock, ownCpuNanos, stage -> null);
    }

    /**
     * @param profiledLockSite a stage's lock as a profiler found it, or {@code null}: it takes precedence
     *                         over the one the thread sampler guessed from thread dumps
     */
    public ProcessSampler(ThreadSampler threadSampler, LongSupplier clock, LongSupplier ownCpuNanos,
                          Function<String, LockSite> profiledLockSite) {
        java.lang.management.OperatingSystemMXBean bean = ManagementFactory.getOperatingSystemMXBean();
        if (!(bean instanceof com.sun.management.OperatingSystemMXBean extended)) {
            throw new IllegalStateException("this JVM does not report process CPU time"
                    + " (com.sun.management.OperatingSystemMXBean is missing)");
        }
        this.os = extended;
        this.threadSampler = threadSampler;
        this.clock = clock;
        this.ownCpuNanos = ownCpuNanos;
        this.profiledLockSite = profiledLockSite;
        this.machine = new MachineCpu(Path.of("/proc/stat"), extended::getCpuLoad);
    }

    public ProcessSnapshot snapshot(List<StageReading> readings) {
        long now = clock.getAsLong();
        long cpu = os.getProcessCpuTime();
        List<StageSnapshot> stages = new ArrayList<>(readings.size());
        for (StageReading r : readings) {
            long cpuNanos = threadSampler.cpuNanos(r);
            // A JDK pool's tasks that wait on other queues: that time is input or output wait, not busy.
            ThreadSampler.QueueWaits inTask = threadSampler.inTaskWaits(r, cpuNanos);
            stages.add(new StageSnapshot(r.id(), r.pipeline(),
                    r.parallelism(), r.minParallelism(), r.maxParallelism(),
                    r.prefetch(), r.minPrefetch(), r.maxPrefetch(),
                    r.itemsProcessed(), r.busyNanos() - inTask.total(), r.inputWaitNanos() + inTask.inputNanos(),
                    r.outputWaitNanos() + inTask.outputNanos(), r.buffered(),
                    cpuNanos, threadSampler.offCpuNanos(r), threadSampler.lockNanos(r), threadSampler.states(r), r.occupancy(),
                    lockSite(r)));
        }
        return new ProcessSnapshot(now, cpu, overheadNanos(), liveHeapBytes(), machineLoad(), threadStates(), stages);
    }

    private LockSite lockSite(StageReading r) {
        LockSite profiled = profiledLockSite.apply(r.id());
        return profiled != null ? profiled : threadSampler.lockSite(r);
    }

    /** The whole machine's CPU load in [0, 1] since this sampler's previous snapshot, or -1 if unknown. */
    private double machineLoad() {
        return machine.load();
    }

    private long overheadNanos() {
        long jitNanos = jit != null && jit.isCompilationTimeMonitoringSupported()
                ? jit.getTotalCompilationTime() * 1_000_000L : 0;
        return jitNanos + Math.max(0, ownCpuNanos.getAsLong());
    }

    private static long liveHeapBytes() {
        long used = 0;
        boolean known = false;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() != MemoryType.HEAP || !pool.isCollectionUsageThresholdSupported()) {
                continue;
            }
            MemoryUsage afterGc = pool.getCollectionUsage();
            if (afterGc != null) {
                used += afterGc.getUsed();
                known = true;
            }
        }
        return known && used > 0 ? used : -1;
    }

    /** Every live thread by state: the top -H view. */
    public Map<String, Integer> threadStates() {
        Map<String, Integer> states = new TreeMap<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds(), 0)) {
            if (info != null) {
                states.merge(info.getThreadState().name(), 1, Integer::sum);
            }
        }
        return states;
    }
}
