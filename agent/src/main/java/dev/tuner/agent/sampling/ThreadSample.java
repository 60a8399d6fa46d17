package dev.tuner.agent.sampling;

import dev.tuner.engine.LockSite;
import java.lang.management.ThreadInfo;

/**
 * One look at one thread, classified once for the tuner's sampler and {@code diagnose} alike: what it was
 * doing ({@link WorkerActivity}: running, idle in its pool, starved in a take, backpressured in a put,
 * waiting on a lock, in I/O or asleep, some other wait), whether it sat in a native wait while RUNNABLE, and
 * for a lock wait, the lock and the frame where the app asked for it.
 *
 * @param state    the JVM's thread state
 * @param activity what it was doing
 * @param top      its innermost frame, or {@code null} when the stack was not taken (or empty)
 * @param lock     for {@link WorkerActivity#LOCK}, the lock and where it is taken; {@code null} otherwise
 */
public record ThreadSample(Thread.State state, WorkerActivity activity, StackTraceElement top, LockSite lock) {
    /** Classifies a thread from its info (with as many frames as the caller asked for). */
    public static ThreadSample of(ThreadInfo info) {
        StackTraceElement[] stack = info.getStackTrace();
        WorkerActivity activity = WorkerActivity.of(info);
        LockSite lock = activity == WorkerActivity.LOCK ? lockSite(info) : null;
        return new ThreadSample(info.getThreadState(), activity, stack.length == 0 ? null : stack[0], lock);
    }

    /** RUNNABLE in the JVM's eyes but asleep in the kernel in a native I/O call (in {@code top -H}: S). */
    public boolean nativeWait() {
        return state == Thread.State.RUNNABLE && activity == WorkerActivity.IO;
    }

    /** RUNNABLE and not in a native wait: on a core, or waiting for one. */
    public boolean onCpu() {
        return state == Thread.State.RUNNABLE && !nativeWait();
    }

    /**
     * The lock a thread waits for: its class (a java.util.concurrent lock without its inner sync class) and
     * the first frame outside the lock machinery ({@link LockSite#isMachinery}), with its source position
     * where the stack has one ({@code com.acme.Ledger.post(Ledger.java:42)}).
     */
    static LockSite lockSite(ThreadInfo info) {
        String lock = LockSite.lockClassOf(info.getLockInfo() == null ? "an unknown lock"
                : info.getLockInfo().getClassName());
        for (StackTraceElement frame : info.getStackTrace()) {
            String method = frame.getClassName() + "." + frame.getMethodName();
            if (!LockSite.isMachinery(method)) {
                return new LockSite(lock, method + position(frame), 0, 1, LockSite.FoundBy.THREAD_DUMPS);
            }
        }
        return new LockSite(lock, null, 0, 1, LockSite.FoundBy.THREAD_DUMPS);
    }

    /**
     * {@code (Ledger.java:42)}: without the class loader and module that {@link StackTraceElement#toString()}
     * puts in front ({@code app//}), which say nothing to a person; empty where the frame has no file.
     */
    private static String position(StackTraceElement frame) {
        String file = frame.getFileName();
        return file == null ? "" : "(" + file + (frame.getLineNumber() > 0 ? ":" + frame.getLineNumber() : "") + ")";
    }
}
