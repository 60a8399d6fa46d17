package dev.tuner.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The process over one interval: CPU in cores and as a share of the cores the tuner may use, the
 * thread-state histogram, and every stage present at both ends of the interval.
 *
 * @param seconds       interval length
 * @param cores         cores the tuner counts (container-aware, or the {@code cores} option)
 * @param coresBusy     process CPU time / interval
 * @param overheadCores the part of {@code coresBusy} that does not scale with throughput (JIT, the agent)
 * @param liveHeapBytes heap in use after the last collection at the end of the interval; -1 if unknown
 * @param machineLoad   share of the whole machine's CPUs busy over the interval, all processes counted, in
 *                      [0, 1]; -1 if unknown
 * @param threadStates  every thread of the process by state, at the end of the interval
 * @param stages        stage observations, in snapshot order
 */
public record Observation(
        double seconds,
        double cores,
        double coresBusy,
        double overheadCores,
        long liveHeapBytes,
        double machineLoad,
        Map<String, Integer> threadStates,
        List<StageObservation> stages) {

    public Observation {
        threadStates = Map.copyOf(threadStates);
        stages = List.copyOf(stages);
    }

    /** The interval between two snapshots; a stage missing from either end is left out. */
    public static Observation between(ProcessSnapshot before, ProcessSnapshot after, double cores) {
        return between(before, after, cores, after.machineLoad());
    }

    /**
     * As {@link #between(ProcessSnapshot, ProcessSnapshot, double)}, with the machine's load over the span
     * given: a snapshot carries only its last interval's, and a span of several intervals takes their mean.
     */
    static Observation between(ProcessSnapshot before, ProcessSnapshot after, double cores, double machineLoad) {
        double seconds = Math.max(1e-9, (after.nanoTime() - before.nanoTime()) / 1e9);
        double coresBusy = Math.max(0, after.processCpuNanos() - before.processCpuNanos()) / 1e9 / seconds;
        double overhead = Math.max(0, after.overheadCpuNanos() - before.overheadCpuNanos()) / 1e9 / seconds;
        // Waits for a core only happen when cores are scarce; otherwise measured busy time is the service time.
        boolean contended = coresBusy >= Thresholds.CONTENDED * cores || machineLoad >= Thresholds.MACHINE_BUSY;
        List<StageObservation> stages = new ArrayList<>();
        for (StageSnapshot now : after.stages()) {
            StageSnapshot then = before.stage(now.id());
            if (then != null) {
                stages.add(StageObservation.between(then, now, seconds, contended));
            }
        }
        return new Observation(seconds, cores, coresBusy, Math.min(overhead, coresBusy), after.liveHeapBytes(),
                machineLoad, after.threadStates(), stages);
    }

    /**
     * True when other processes hold the cores this one would need to reach {@code aim}: the machine is
     * busy and its idle share is less than the utilization missing, so more threads here would only
     * compete for the same cores. (Shares of the machine and of the tuner's cores are taken as one: in a
     * container the machine's load says nothing of the quota, and this reads false or true as it falls.)
     */
    public boolean othersTakeTheCores(double aim) {
        return machineLoad >= Thresholds.MACHINE_BUSY && 1 - machineLoad < aim - utilization();
    }

    /** Process CPU as a share of {@link #cores()}. */
    public double utilization() {
        return coresBusy / cores;
    }

    public StageObservation stage(String id) {
        for (StageObservation stage : stages) {
            if (stage.id().equals(id)) {
                return stage;
            }
        }
        return null;
    }

    /** Stages grouped by pipeline, in first-seen order. */
    public Map<String, List<StageObservation>> byPipeline() {
        Map<String, List<StageObservation>> pipelines = new LinkedHashMap<>();
        for (StageObservation stage : stages) {
            pipelines.computeIfAbsent(stage.pipeline(), p -> new ArrayList<>()).add(stage);
        }
        return pipelines;
    }

    /** Items buffered in all stages' output buffers now. */
    public long totalBuffered() {
        long total = 0;
        for (StageObservation stage : stages) {
            total += Math.max(0, stage.now().buffered());
        }
        return total;
    }
}
