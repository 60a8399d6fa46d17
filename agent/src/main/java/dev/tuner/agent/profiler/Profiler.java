package dev.tuner.agent.profiler;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import one.profiler.AsyncProfiler;

/**
 * async-profiler inside this JVM, shared by everything in the agent: one recording at a time, because
 * async-profiler is one per process.
 *
 * <p>The native library is loaded lazily, once, on the first {@link #available()} or {@link #start}
 * (see {@link NativeLibrary} for where it comes from); a failure to load is remembered with its reason
 * and never retried (the JVM's one instance says so once on stderr), and everything that would have
 * used a profile works from ThreadMXBean data instead. {@link #shared()} is the JVM's one instance;
 * tests build their own over a fake {@link Engine}.
 *
 * <p>Recordings are split by thread ({@code threads}) and read back as {@code collapsed} stacks. A CPU
 * recording tries {@code cpu} (perf events), then {@code itimer}, then {@code ctimer}, and says which one
 * ran: perf events are refused where {@code perf_event_paranoid} or a container forbids them. A lock
 * recording is {@code event=lock} with a {@value #LOCK_THRESHOLD} sampling threshold, weighted by
 * nanoseconds of wait. Every command runs with {@code loglevel=error}: the app's stderr is not ours.
 *
 * <p>Thread-safe.
 */
public final class Profiler {
    /** What a recording samples. */
    public enum Mode { CPU, LOCK }

    /** The CPU events in the order they are tried. */
    static final List<String> CPU_EVENTS = List.of("cpu", "itimer", "ctimer");
    /** CPU sampling interval: 100 samples a second per busy core. */
    static final String CPU_INTERVAL = "10ms";
    /** A lock sample each time this much wait has accumulated: bounds the cost on a contended lock. */
    static final String LOCK_THRESHOLD = "1ms";
    private static final String QUIET = "loglevel=error";

    /** async-profiler's {@code execute}, behind an interface so tests can drive the logic without it. */
    interface Engine {
        String execute(String command) throws Exception;
    }

    /** Loads the engine; called at most once. */
    interface Loader {
        Engine load() throws NativeLibrary.Unavailable;
    }

    /** Why a recording could not start or be read. */
    public static final class Failure extends Exception {
        Failure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Loads at most once, so a library that does not load is said once on the app's stderr. */
    private static final Profiler SHARED = new Profiler(() -> {
        try {
            AsyncProfiler profiler = NativeLibrary.load();
            return profiler::execute;
        } catch (NativeLibrary.Unavailable e) {
            System.err.println("tuner: " + e.getMessage() + "; the tuner goes on with ThreadMXBean data alone");
            throw e;
        }
    });

    private final Loader loader;
    private boolean loaded;
    private Engine engine;
    private String unavailable;
    private Session current;

    Profiler(Loader loader) {
        this.loader = loader;
    }

    /** The JVM's profiler. */
    public static Profiler shared() {
        return SHARED;
    }

    /** Whether async-profiler runs in this JVM; loads it on the first call. */
    public synchronized boolean available() {
        if (!loaded) {
            loaded = true;
            try {
                engine = loader.load();
            } catch (NativeLibrary.Unavailable e) {
                unavailable = e.getMessage();
            } catch (RuntimeException | LinkageError e) {
                unavailable = "async-profiler does not load (" + e + ")";
            }
        }
        return engine != null;
    }

    /** Why async-profiler does not run here, or {@code null} if it does (or was never asked for). */
    public synchronized String unavailableReason() {
        return unavailable;
    }

    /** Whether a recording runs now. */
    public synchronized boolean busy() {
        return current != null;
    }

    /**
     * Starts a recording, or returns {@code null} when one already runs (ask again later).
     *
     * @throws Failure when async-profiler is unavailable, or refuses to start (e.g. someone else started
     *                 it in this JVM)
     */
    public synchronized Session start(Mode mode) throws Failure {
        if (!available()) {
            throw new Failure(unavailable, null);
        }
        if (current != null) {
            return null;
        }
        List<String> refusals = new ArrayList<>();
        for (String event : mode == Mode.CPU ? CPU_EVENTS : List.of("lock")) {
            String args = mode == Mode.CPU
                    ? "start,event=" + event + ",interval=" + CPU_INTERVAL + ",threads,cstack=no," + QUIET
                    : "start,event=lock,lock=" + LOCK_THRESHOLD + ",threads," + QUIET;
            try {
                engine.execute(args);
                current = new Session(mode, event, System.nanoTime());
                return current;
            } catch (Exception e) {
                String why = String.valueOf(e.getMessage()).strip();
                if (why.toLowerCase(Locale.ROOT).contains("already started")) {
                    throw new Failure("async-profiler is already recording in this JVM (started by someone else?)", e);
                }
                refusals.add(event + ": " + why);
            }
        }
        throw new Failure("async-profiler refused to record (" + String.join("; ", refusals) + ")", null);
    }

    private synchronized Recording finish(Session session) throws Failure {
        if (current != session) {
            throw new IllegalStateException("this recording is over");
        }
        current = null;
        long millis = (System.nanoTime() - session.started) / 1_000_000;
        try {
            engine.execute("stop," + QUIET);
            String dump = engine.execute((session.mode == Mode.LOCK ? "collapsed,total,norm," : "collapsed,norm,") + QUIET);
            return new Recording(session.mode, session.event, millis, Collapsed.parse(dump));
        } catch (Exception e) {
            throw new Failure("async-profiler failed to stop or dump its " + session.event + " recording (" + e + ")", e);
        }
    }

    /** A recording in progress; {@link #stop()} ends it and reads it back, {@link #close()} just ends it. */
    public final class Session implements AutoCloseable {
        private final Mode mode;
        private final String event;
        private final long started;

        private Session(Mode mode, String event, long started) {
            this.mode = mode;
            this.event = event;
            this.started = started;
        }

        /** The event it records: {@code cpu}, {@code itimer}, {@code ctimer} or {@code lock}. */
        public String event() {
            return event;
        }

        /** Ends the recording and reads it back. */
        public Recording stop() throws Failure {
            synchronized (Profiler.this) {
                return finish(this);
            }
        }

        /** Ends the recording if {@link #stop()} did not, dropping what it recorded. */
        @Override
        public void close() {
            synchronized (Profiler.this) {
                if (current == this) { // not stopped yet: the profiler's current session is this one
                    try {
                        finish(this);
                    } catch (Failure | RuntimeException ignored) {
                        // nothing to report it to: the recording is dropped either way
                    }
                }
            }
        }
    }

    /**
     * What one recording saw.
     *
     * @param event   the async-profiler event that ran ({@code cpu}, {@code itimer}, {@code ctimer}, {@code lock})
     * @param millis  how long it ran
     * @param stacks  its stacks by thread; weights are samples (CPU) or nanoseconds of wait (lock)
     */
    public record Recording(Mode mode, String event, long millis, List<Stack> stacks) {
        public Recording {
            stacks = List.copyOf(stacks);
        }
    }
}
