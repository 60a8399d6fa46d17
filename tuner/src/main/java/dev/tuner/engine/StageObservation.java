package dev.tuner.engine;

import java.util.Collection;

/**
 * One stage over one interval, from the deltas of two {@link StageSnapshot}s.
 *
 * <p>Worker time is split into processing ({@code busy}), waiting for input and waiting for room
 * downstream; the fractions below are shares of their sum, so they add up to 1 whatever the
 * parallelism did during the interval. Per-item times are in seconds.
 *
 * @param now                the snapshot at the end of the interval (current knobs)
 * @param seconds            interval length
 * @param items              items finished in the interval
 * @param throughput         items per second
 * @param busyPerItem        {@code S}: processing time per item as measured (includes I/O waits inside
 *                           processing, and waits for a core when the CPU is oversubscribed); NaN without items
 * @param cpuPerItem         {@code c}: worker CPU time per item; NaN without items or when CPU is not measured
 * @param servicePerItem     {@code S0}: processing time per item when a worker gets a core whenever it
 *                           wants. When cores are contended it is {@code c + off-CPU wait per item}, at
 *                           most {@code S}; otherwise (or when either is not measured) {@code S} itself,
 *                           since sampled off-CPU time misses rare waits of a barely busy stage. The
 *                           model's Little's law uses this
 * @param busyFraction       share of worker time spent processing
 * @param inputWaitFraction  share of worker time waiting for input (starved)
 * @param outputWaitFraction share of worker time waiting for room downstream (backpressured)
 * @param cpuShare           {@code c / S0}: share of uncontended processing time on CPU, in [0, 1];
 *                           NaN when CPU is not measured
 * @param lockShare          share of processing time blocked on monitors or parked on locks, in [0, 1]
 * @param cpuCores           cores its workers used (worker CPU / interval); 0 when not measured
 * @param fullShare          share of buffer samples that found the output buffer full; NaN without samples
 * @param emptyShare         share of buffer samples that found the output buffer empty; NaN without samples
 */
public record StageObservation(
        StageSnapshot now,
        double seconds,
        long items,
        double throughput,
        double busyPerItem,
        double cpuPerItem,
        double servicePerItem,
        double busyFraction,
        double inputWaitFraction,
        double outputWaitFraction,
        double cpuShare,
        double lockShare,
        double cpuCores,
        double fullShare,
        double emptyShare) {

    private static final double NANOS = 1e9;

    /**
     * The observation of one stage between {@code before} and {@code after}, {@code seconds} apart;
     * {@code contended} when cores were scarce, so busy time may include waits for a core.
     */
    public static StageObservation between(StageSnapshot before, StageSnapshot after, double seconds,
                                           boolean contended) {
        long items = Math.max(0, after.itemsProcessed() - before.itemsProcessed());
        double busy = Math.max(0, after.busyNanos() - before.busyNanos()) / NANOS;
        double inWait = Math.max(0, after.inputWaitNanos() - before.inputWaitNanos()) / NANOS;
        double outWait = Math.max(0, after.outputWaitNanos() - before.outputWaitNanos()) / NANOS;
        boolean cpuMeasured = before.cpuNanos() >= 0 && after.cpuNanos() >= 0;
        double cpu = cpuMeasured ? Math.max(0, after.cpuNanos() - before.cpuNanos()) / NANOS : Double.NaN;
        double lock = before.lockNanos() >= 0 && after.lockNanos() >= 0
                ? Math.max(0, after.lockNanos() - before.lockNanos()) / NANOS : 0;

        double workerTime = busy + inWait + outWait;
        double busyFraction = workerTime > 0 ? busy / workerTime : 0;
        double inFraction = workerTime > 0 ? inWait / workerTime : 0;
        double outFraction = workerTime > 0 ? outWait / workerTime : 0;
        double busyPerItem = items > 0 ? busy / items : Double.NaN;
        double cpuPerItem = items > 0 && cpuMeasured ? cpu / items : Double.NaN;
        boolean offCpuMeasured = before.offCpuNanos() >= 0 && after.offCpuNanos() >= 0;
        double offCpu = offCpuMeasured ? Math.max(0, after.offCpuNanos() - before.offCpuNanos()) / NANOS : 0;
        double uncontended = contended && cpuMeasured && offCpuMeasured ? Math.min(busy, cpu + offCpu) : busy;
        double lockShare = uncontended > 0 ? Math.min(1, lock / uncontended) : 0;
        double servicePerItem = items > 0 ? uncontended / items : Double.NaN;
        double cpuShare = !cpuMeasured ? Double.NaN : uncontended > 0 ? Math.min(1, cpu / uncontended) : 0;
        long samples = after.occupancy().samples() - before.occupancy().samples();
        double fullShare = samples > 0 ? (double) (after.occupancy().full() - before.occupancy().full()) / samples
                : Double.NaN;
        double emptyShare = samples > 0 ? (double) (after.occupancy().empty() - before.occupancy().empty()) / samples
                : Double.NaN;
        return new StageObservation(after, seconds, items, seconds > 0 ? items / seconds : 0, busyPerItem, cpuPerItem,
                servicePerItem, busyFraction, inFraction, outFraction, cpuShare, lockShare,
                cpuMeasured && seconds > 0 ? cpu / seconds : 0, fullShare, emptyShare);
    }

    public String id() {
        return now.id();
    }

    public String pipeline() {
        return now.pipeline();
    }

    /** True when items flowed, so per-item times are known. */
    public boolean hasItems() {
        return items > 0 && !Double.isNaN(busyPerItem);
    }

    /** Workers busy on average, as measured: {@code throughput x S} (Little's law). */
    public double busyWorkers() {
        return hasItems() ? throughput * busyPerItem : 0;
    }

    /**
     * Workers this throughput needs when each gets a core whenever it wants: {@code throughput x S0}.
     * Below {@link #busyWorkers()} when the CPU is oversubscribed.
     */
    public double demand() {
        return hasItems() ? throughput * servicePerItem : 0;
    }

    /** Share of processing time on CPU, taking "not measured" as all CPU (the cautious assumption for a budget). */
    public double cpuShareOrAll() {
        return Double.isNaN(cpuShare) ? 1.0 : cpuShare;
    }

    /** Cores the workers of {@code stages} used together (a pipeline's CPU, as the stages measure it). */
    public static double cpuOf(Collection<StageObservation> stages) {
        return stages.stream().mapToDouble(StageObservation::cpuCores).sum();
    }
}
