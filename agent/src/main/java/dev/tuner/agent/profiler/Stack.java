package dev.tuner.agent.profiler;

import java.util.List;

/**
 * One distinct stack of a profile, split by thread: the thread's name as async-profiler saw it, its
 * frames from the outermost ({@code Thread.run}) to the leaf, and the weight recorded for it (samples,
 * or nanoseconds of lock wait).
 *
 * <p>Frames are as async-profiler names them, with the package separator turned into dots
 * ({@code com.acme.Ledger.post}); a lock profile's leaf is the lock's class ({@code com.acme.Ledger}).
 */
public record Stack(String thread, List<String> frames, long weight) {
    public Stack {
        frames = List.copyOf(frames);
    }

    /** The innermost frame, or {@code null} for an empty stack. */
    public String leaf() {
        return frames.isEmpty() ? null : frames.get(frames.size() - 1);
    }
}
