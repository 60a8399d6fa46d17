package dev.tuner.agent.pools;

import dev.tuner.agent.pools.boot.PoolRegistry;
import java.util.ArrayList;
import java.util.List;

/**
 * What the agent knows of one pool beyond the registry's record: its name and origin once told, and the
 * time of workers that left (folded in so the registry does not keep dead threads). Guarded by the
 * {@link ExecutorStageSource} that reads it.
 */
final class PoolView {
    final PoolRegistry.Pool pool;
    String name;
    PoolOrigin origin;
    boolean dropped;
    private long retiredWaited;
    private long retiredAlive;

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
        long waited = retiredWaited;
        long alive = retiredAlive;
        long[] buf = new long[3];
        List<Long> ids = new ArrayList<>();
        for (PoolRegistry.Worker w : pool.workers()) {
            w.read(now, buf);
            if (buf[2] == 1 || !w.thread.isAlive()) {
                retiredWaited += buf[0];
                retiredAlive += buf[1];
                pool.forget(w);
            } else {
                ids.add(w.thread.getId());
            }
            waited += buf[0];
            alive += buf[1];
        }
        long[] threadIds = new long[ids.size()];
        for (int i = 0; i < threadIds.length; i++) {
            threadIds[i] = ids.get(i);
        }
        return new Time(waited, alive, threadIds);
    }
}
