package dev.tuner.agent.pools;

import dev.tuner.agent.sampling.AgentCpu;
import java.lang.instrument.Instrumentation;
import java.util.function.Consumer;

/**
 * Instruments the JDK's pools, once per agent. At launch it runs on the caller's thread (the agent's own
 * {@code tuner-start}: no one waits for it, and pools the app creates next see the constructor advice);
 * attached, on a thread of its own ({@code tuner-pools}), since an attach waits for {@code agentmain} and
 * Byte Buddy takes about a second. Either way its CPU counts as the agent's. Where the pools cannot be
 * instrumented: one warning, and the agent goes on with JMX stages only.
 */
public final class PoolsInstall {
    private PoolsInstall() {
    }

    /**
     * @param ownThread install on a new daemon thread and return at once
     * @param ready     called with the instrumented pools, on the installing thread; not called on failure
     */
    public static void start(Instrumentation instrumentation, boolean ownThread, AgentCpu cpu,
                             Consumer<String> warnings, Consumer<ExecutorPools> ready) {
        Runnable install = cpu.counted(() -> {
            ExecutorPools installed;
            try {
                installed = ExecutorPools.install(instrumentation);
            } catch (Exception | LinkageError e) {
                warnings.accept(cannot(e));
                return;
            }
            ready.accept(installed);
        });
        if (!ownThread) {
            install.run();
            return;
        }
        Thread thread = new Thread(install, "tuner-pools");
        thread.setDaemon(true);
        // Whatever escapes (an Error) is the agent's to report in its log, never a stack trace in the app's stderr.
        thread.setUncaughtExceptionHandler((t, e) -> warnings.accept(cannot(e)));
        thread.start();
    }

    private static String cannot(Throwable e) {
        return "plain JDK pools will not be found (" + e + "); stages published over JMX are tuned as usual";
    }
}
