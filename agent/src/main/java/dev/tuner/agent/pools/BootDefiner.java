package dev.tuner.agent.pools;

import java.lang.reflect.Method;
import java.util.function.BiConsumer;

/**
 * Defines a class in the bootstrap class loader through {@code jdk.internal.misc.Unsafe}. Loaded, once, by
 * a throwaway class loader of its own, whose unnamed module alone is given access to
 * {@code jdk.internal.misc} (see {@link PoolInstrumentation}): the app's class path gains no access, no
 * {@code sun.misc.Unsafe} warning is printed (JDK 24+), and class data sharing stays on (appending a jar
 * to the bootstrap class path turns it off for every later class and says so on the app's output).
 * Uses {@code java.base} only.
 */
public final class BootDefiner implements BiConsumer<String, byte[]> {
    private final Object unsafe;
    private final Method define;

    public BootDefiner() throws ReflectiveOperationException {
        Class<?> type = Class.forName("jdk.internal.misc.Unsafe");
        this.unsafe = type.getMethod("getUnsafe").invoke(null);
        this.define = type.getMethod("defineClass", String.class, byte[].class, int.class, int.class,
                ClassLoader.class, java.security.ProtectionDomain.class);
    }

    @Override
    public void accept(String name, byte[] bytes) {
        try {
            define.invoke(unsafe, name, bytes, 0, bytes.length, null, null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot define " + name + " in the bootstrap class loader", e);
        }
    }
}
