package dev.tuner.agent.pools;

import dev.tuner.agent.pools.boot.PoolRegistry;
import java.util.List;

/**
 * What the agent knows of one pool beyond the registry's record: its name once told, and whether it was dropped. Guarded
 * by the {@link ExecutorStageSource} that reads it.
 */
final class PoolView {
    final PoolRegistry.Pool pool;
    String name;
    boolean dropped;

    PoolView(PoolRegistry.Pool pool) {
        this.pool = pool;
    }

    /** Worker time now, summed over every worker seen: waiting for work, and alive in the pool. */
    record Time(long waitedNanos, long aliveNanos, long[] threadIds) {
        long busyNanos() {
            return Math.max(0, aliveNanos - waitedNanos);
        }
    }

    Time time(long now) {
        List<PoolRegistry.Worker> live = pool.workers(now);
        long[] buf = new long[3];
        pool.retired(buf);
        long waited = buf[0];
        long alive = buf[1];
        long[] threadIds = new long[live.size()];
        for (int i = 0; i < threadIds.length; i++) {
            PoolRegistry.Worker w = live.get(i);
            w.read(now, buf);
            waited += buf[0];
            alive += buf[1];
            threadIds[i] = w.thread.getId();
        }
        return new Time(waited, alive, threadIds);
    }
}
