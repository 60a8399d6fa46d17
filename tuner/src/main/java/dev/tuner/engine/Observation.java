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
 * @param threadStates  every thread of the process by state, at the end of the interval
 * @param stages        stage observations, in snapshot order
 */
public record Observation(
        double seconds,
        double cores,
        double coresBusy,
        double overheadCores,
        long liveHeapBytes,
        Map<String, Integer> threadStates,
        List<StageObservation> stages) {

    public Observation {
        threadStates = Map.copyOf(threadStates);
        stages = List.copyOf(stages);
    }

    /** Process CPU, as a share of the cores, from which workers may wait for a core. */
    public static final double CONTENDED = 0.8;
    /** Machine-wide CPU share from which workers may wait for a core whatever this process uses. */
    public static final double MACHINE_BUSY = 0.9;

    /** The interval between two snapshots; a stage missing from either end is left out. */
    public static Observation between(ProcessSnapshot before, ProcessSnapshot after, double cores) {
        double seconds = Math.max(1e-9, (after.nanoTime() - before.nanoTime()) / 1e9);
        double coresBusy = Math.max(0, after.processCpuNanos() - before.processCpuNanos()) / 1e9 / seconds;
        double overhead = Math.max(0, after.overheadCpuNanos() - before.overheadCpuNanos()) / 1e9 / seconds;
        // Waits for a core only happen when cores are scarce; otherwise measured busy time is the service time.
        boolean contended = coresBusy >= CONTENDED * cores || after.machineLoad() >= MACHINE_BUSY;
        List<StageObservation> stages = new ArrayList<>();
        for (StageSnapshot now : after.stages()) {
            StageSnapshot then = before.stage(now.id());
            if (then != null) {
                stages.add(StageObservation.between(then, now, seconds, contended));
            }
        }
        return new Observation(seconds, cores, coresBusy, Math.min(overhead, coresBusy), after.liveHeapBytes(),
                after.threadStates(), stages);
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
