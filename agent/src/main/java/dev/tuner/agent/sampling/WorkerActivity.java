package dev.tuner.agent.sampling;

import java.lang.management.ThreadInfo;
import java.util.regex.Pattern;

/**
 * What a sampled worker thread is doing, from its state and top frames. Only {@link #RUNNING} is demand
 * for a core; every other kind is a wait the log names and the engine must not take for work:
 * <ul>
 *   <li>{@link #IDLE}: in its pool's own wait for work ({@code ThreadPoolExecutor.getTask},
 *       {@code ForkJoinPool.awaitWork}), which the pool's counters already count as input wait;</li>
 *   <li>{@link #STARVED}: parked in a queue's take or poll (on its {@code notEmpty} condition): waiting
 *       for input from upstream;</li>
 *   <li>{@link #BACKPRESSURED}: parked in a queue's put or offer (on {@code notFull}): waiting for room
 *       downstream;</li>
 *   <li>{@link #LOCK}: BLOCKED on a monitor, or parked on a lock another thread holds;</li>
 *   <li>{@link #IO}: in {@code Thread.sleep}, or RUNNABLE inside a native I/O call (a socket read);</li>
 *   <li>{@link #OTHER}: any other wait ({@code Object.wait}, a condition, a future).</li>
 * </ul>
 * A queue is any class named {@code ...Queue}, {@code ...Deque} or {@code ...Buffer} (and their inner
 * classes); which end the thread waits at is told by the queue method the caller called.
 */
public enum WorkerActivity {
    RUNNING("running"), IDLE("idle"), STARVED("starved"), BACKPRESSURED("backpressured"), LOCK("lock"), IO("io"),
    OTHER("other");

    /** Native methods that wait for the outside world, compiled once: checked per RUNNABLE thread per look. */
    private static final Pattern IO_METHOD = Pattern.compile("(?i)read|write|poll|accept|connect|recv|send|wait|sleep");

    private final String wireName;

    WorkerActivity(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Off the CPU by the thread's own doing, inside its work: what the engine counts as off-CPU time. */
    public boolean offCpuInWork() {
        return this == LOCK || this == IO || this == OTHER;
    }

    /** Waiting at one end of a queue. */
    public boolean inQueue() {
        return this == STARVED || this == BACKPRESSURED || this == IDLE;
    }

    public static WorkerActivity of(ThreadInfo info) {
        StackTraceElement[] stack = info.getStackTrace();
        Thread.State state = info.getThreadState();
        WorkerActivity queue = queueWait(stack, info.getLockOwnerId() != -1);
        if (queue != null) {
            return queue;
        }
        if (waitsOnLock(info)) {
            return LOCK;
        }
        if (state == Thread.State.RUNNABLE) {
            return inNativeIo(info) ? IO : RUNNING;
        }
        if (state == Thread.State.NEW || state == Thread.State.TERMINATED) {
            return RUNNING;
        }
        return sleeping(stack) ? IO : OTHER;
    }

    /**
     * The queue end the thread waits at, or {@code null}: among the lock machinery and queue frames on top,
     * the outermost queue frame is the method the caller called; the caller tells a pool's own wait for work.
     * A wait for the queue's own lock (an owner is known) is lock contention, not a full or empty queue.
     */
    static WorkerActivity queueWait(StackTraceElement[] stack, boolean lockOwned) {
        int i = 0;
        int api = -1;
        while (i < stack.length && (machinery(stack[i]) || isQueue(stack[i].getClassName()))) {
            if (isQueue(stack[i].getClassName())) {
                api = i; // queues park through the lock machinery and back (SynchronousQueue: node, pool, queue)
            }
            i++;
        }
        if (i < stack.length && isPoolWait(stack[i])) {
            return IDLE; // getTask under a queue's take, or ForkJoinPool.awaitWork parking directly
        }
        if (api < 0) {
            return null;
        }
        if (lockOwned) {
            return null;
        }
        String method = stack[api].getMethodName();
        if (method.startsWith("take") || method.startsWith("poll") || method.startsWith("remove")
                || method.startsWith("drain")) {
            return STARVED;
        }
        if (method.startsWith("put") || method.startsWith("offer") || method.startsWith("add")
                || method.startsWith("transfer") || method.startsWith("emit")) {
            return BACKPRESSURED;
        }
        return null;
    }

    /**
     * A RUNNABLE thread that is off the CPU all the same: inside a native I/O call (a socket read or a poll
     * shows RUNNABLE while the thread sleeps in the kernel). Asked of RUNNABLE threads only.
     */
    static boolean inNativeIo(ThreadInfo info) {
        StackTraceElement[] stack = info.getStackTrace();
        if (stack.length == 0 || !stack[0].isNativeMethod()) {
            return false;
        }
        String cls = stack[0].getClassName();
        return cls.startsWith("java.io.") || cls.startsWith("java.net.") || cls.startsWith("sun.nio.")
                || cls.startsWith("jdk.internal.net.") || IO_METHOD.matcher(stack[0].getMethodName()).find();
    }

    /** BLOCKED on a monitor, or parked on a lock some thread owns (waiting on a condition is not a lock wait). */
    static boolean waitsOnLock(ThreadInfo info) {
        Thread.State state = info.getThreadState();
        return state == Thread.State.BLOCKED
                || (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING) && info.getLockOwnerId() != -1;
    }

    private static boolean machinery(StackTraceElement frame) {
        String cls = frame.getClassName();
        return cls.startsWith("jdk.internal.misc.") || cls.startsWith("java.util.concurrent.locks.")
                || cls.startsWith("sun.misc.")
                || cls.equals("java.lang.Object") && frame.getMethodName().startsWith("wait")
                || cls.equals("java.util.concurrent.ForkJoinPool") && frame.getMethodName().endsWith("anagedBlock");
    }

    private static boolean isPoolWait(StackTraceElement frame) {
        String cls = frame.getClassName();
        String method = frame.getMethodName();
        return cls.equals("java.util.concurrent.ThreadPoolExecutor") && method.equals("getTask")
                || cls.equals("java.util.concurrent.ForkJoinPool") && method.equals("awaitWork");
    }

    static boolean isQueue(String cls) {
        return cls.endsWith("Queue") || cls.contains("Queue$") || cls.endsWith("Deque") || cls.contains("Deque$")
                || cls.endsWith("Buffer") || cls.contains("Buffer$");
    }

    private static boolean sleeping(StackTraceElement[] stack) {
        for (int i = 0; i < Math.min(3, stack.length); i++) {
            if (stack[i].getClassName().equals("java.lang.Thread") && stack[i].getMethodName().startsWith("sleep")) {
                return true;
            }
        }
        return false;
    }
}
