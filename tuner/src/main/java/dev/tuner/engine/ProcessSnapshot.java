package dev.tuner.engine;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the engine is handed once per interval: the process's CPU, its threads, and every stage.
 *
 * @param nanoTime          when it was taken, on the engine's clock
 * @param processCpuNanos   cumulative CPU time of the whole process
 * @param overheadCpuNanos  cumulative CPU time that does not scale with the pipelines' throughput (JIT
 *                          compilation, the agent itself); subtracted before the CPU budget is shared out
 * @param liveHeapBytes     heap in use after the last collection; -1 if unknown. With the buffered item
 *                          counts it bounds the bytes an item costs, for the prefetch memory budget
 * @param machineLoad       share of the whole machine's CPUs busy over the last interval, all processes
 *                          counted, in [0, 1]; -1 if unknown. A busy machine makes waits for a core
 *                          likely even when this process uses little CPU
 * @param threadStates      every live thread of the process by {@link Thread.State} name (the top -H view)
 * @param stages            the stages found at this instant
 */
public record ProcessSnapshot(
        long nanoTime,
        long processCpuNanos,
        long overheadCpuNanos,
        long liveHeapBytes,
        double machineLoad,
        Map<String, Integer> threadStates,
        List<StageSnapshot> stages) {

    public ProcessSnapshot {
        threadStates = threadStates == null ? Map.of() : Map.copyOf(threadStates);
        stages = List.copyOf(Objects.requireNonNull(stages, "stages"));
    }

    public StageSnapshot stage(String id) {
        for (StageSnapshot stage : stages) {
            if (stage.id().equals(id)) {
                return stage;
            }
        }
        return null;
    }
}
