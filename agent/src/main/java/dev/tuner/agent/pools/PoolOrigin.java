package dev.tuner.agent.pools;

import java.util.Set;

/**
 * Whose a pool is. The JDK's own pools (RMI, the JMX connector, HttpClient, CompletableFuture's delayer,
 * the common ForkJoinPool, virtual threads' carriers) and the agent's are never touched, not even listed.
 *
 * <p>When the pool's constructor ran under the agent, its creator (the first frame below the pool's
 * constructors and {@code Executors}) says it: a class of the JDK's class loaders, or of the agent. A
 * pool created before the agent arrived has no known creator; then the classes it was built from tell:
 * a thread factory or worker thread class of the JDK other than the public defaults every app uses, or a
 * pool class of the JDK other than the public pool classes.
 */
enum PoolOrigin {
    APP, JDK, AGENT;

    private static final String AGENT_PACKAGE = "dev.tuner.agent.";
    /** JDK classes any app's pools are built from: they say nothing about whose the pool is. */
    private static final Set<String> PUBLIC_JDK = Set.of(
            "java.util.concurrent.ThreadPoolExecutor",
            "java.util.concurrent.ScheduledThreadPoolExecutor",
            "java.util.concurrent.ForkJoinPool",
            "java.util.concurrent.Executors$DefaultThreadFactory",
            "java.util.concurrent.Executors$PrivilegedThreadFactory",
            "java.util.concurrent.ForkJoinPool$DefaultForkJoinWorkerThreadFactory",
            "java.util.concurrent.ForkJoinWorkerThread",
            "java.lang.Thread");

    /**
     * @param creator       class name of the code that created the pool, {@code ""} when it could not be
     *                      told, {@code null} when the pool predates the agent
     * @param createdByJdk  whether that class came from the JDK's class loaders
     * @param parts         the pool's class, its thread factory's class and a worker thread's class
     */
    static PoolOrigin of(String creator, boolean createdByJdk, Class<?>... parts) {
        if (creator != null && !creator.isEmpty()) {
            if (creator.startsWith(AGENT_PACKAGE)) {
                return AGENT;
            }
            return createdByJdk ? JDK : APP;
        }
        for (Class<?> part : parts) {
            if (part == null) {
                continue;
            }
            if (part.getName().startsWith(AGENT_PACKAGE)) {
                return AGENT;
            }
            if (fromJdk(part) && !PUBLIC_JDK.contains(part.getName())) {
                return JDK;
            }
        }
        return APP;
    }

    /** Loaded by the bootstrap or platform class loader: part of the runtime, not of the app. */
    static boolean fromJdk(Class<?> type) {
        ClassLoader loader = type.getClassLoader();
        return loader == null || loader == ClassLoader.getPlatformClassLoader();
    }
}
