package dev.tuner.agent.pools;

import dev.tuner.agent.pools.boot.PoolRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.loading.ClassInjector;
import net.bytebuddy.utility.JavaModule;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.none;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Puts the advice into the JDK's pools, once per JVM.
 *
 * <ol>
 *   <li>The {@code boot} package ({@link PoolRegistry} and its nested classes, nothing else) is read from
 *       the agent's jar and defined in the bootstrap class loader, so advice inlined into {@code java.base}
 *       can call it; {@code java.base} is given a read edge to it. Defined directly by {@link BootDefiner},
 *       not by appending a jar to the bootstrap class path (the JVM then drops class data sharing for
 *       every later class and prints a warning into the app's output), nor by Byte Buddy's
 *       {@code ClassInjector.UsingUnsafe} (it calls {@code sun.misc.Unsafe}, which prints four warning
 *       lines on JDK 24+). The append is the fallback if direct definition fails.</li>
 *   <li>Byte Buddy (relocated in tuner.jar, so an app's own Byte Buddy is never touched) retransforms
 *       {@code ThreadPoolExecutor} and {@code ForkJoinPool} with advice only: no class format change, no
 *       new member, so it works on classes loaded long before the agent arrived.</li>
 * </ol>
 *
 * Pools created after this see their constructor advice (their creator is known, and the JDK's own are
 * ignored at once); pools that existed before are found when a worker next asks for a task.
 */
final class PoolInstrumentation {
    static final String BOOT_PACKAGE = "dev/tuner/agent/pools/boot/";
    /** Named, not linked: the agent must not load the class itself before the bootstrap class path has it. */
    static final String REGISTRY = "dev.tuner.agent.pools.boot.PoolRegistry";

    private final ResettableClassFileTransformer transformer;
    private final AtomicLong failures;
    private final AtomicReference<Throwable> firstFailure;

    private PoolInstrumentation(ResettableClassFileTransformer transformer, AtomicLong failures,
                                AtomicReference<Throwable> firstFailure) {
        this.transformer = transformer;
        this.failures = failures;
        this.firstFailure = firstFailure;
    }

    /**
     * Installs the advice.
     *
     * @throws Exception when anything fails; then nothing is left half done that the app could notice
     *                   (at worst a helper class sits unused on the bootstrap class path)
     */
    static PoolInstrumentation install(Instrumentation inst) throws Exception {
        if (!inst.isRetransformClassesSupported()) {
            throw new IllegalStateException("this JVM cannot retransform classes");
        }
        Class<?> registry = bootRegistry(inst);
        inst.redefineModule(Object.class.getModule(), Set.of(registry.getModule()), Map.of(), Map.of(), Set.of(),
                Map.of());
        AtomicLong failures = new AtomicLong();
        AtomicReference<Throwable> first = new AtomicReference<>();
        AgentBuilder.Listener listener = new AgentBuilder.Listener.Adapter() {
            @Override
            public void onError(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded,
                                Throwable throwable) {
                failures.incrementAndGet();
                first.compareAndSet(null, throwable);
            }
        };
        ResettableClassFileTransformer transformer = safely(() -> new AgentBuilder.Default())
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(new AgentBuilder.RedefinitionStrategy.DiscoveryStrategy.Explicit(ThreadPoolExecutor.class,
                        ForkJoinPool.class))
                .with(AgentBuilder.RedefinitionStrategy.Listener.ErrorEscalating.FAIL_FAST)
                .with(listener)
                .ignore(none())
                .type(named(ThreadPoolExecutor.class.getName()))
                .transform(PoolInstrumentation::threadPoolExecutor)
                .type(named(ForkJoinPool.class.getName()))
                .transform(PoolInstrumentation::forkJoinPool)
                .installOn(inst);
        if (failures.get() > 0) {
            transformer.reset(inst, AgentBuilder.RedefinitionStrategy.RETRANSFORMATION);
            throw new IllegalStateException("instrumenting the JDK's pools failed: " + first.get(), first.get());
        }
        return new PoolInstrumentation(transformer, failures, first);
    }

    /**
     * Builds with Byte Buddy's "safe" mode on: its agent builder otherwise prepares class injection it never
     * uses here through {@code sun.misc.Unsafe}, which prints four warning lines into the app's output on
     * JDK 24+. The property is the relocated copy's own (the shade plugin renamed it with the package), so
     * an app's own Byte Buddy never sees it; it is read once, when that class initializes, and removed after.
     */
    private static <T> T safely(java.util.function.Supplier<T> build) {
        String property = ClassInjector.UsingUnsafe.SAFE_PROPERTY;
        boolean set = System.getProperty(property) == null;
        if (set) {
            System.setProperty(property, "true");
        }
        try {
            return build.get();
        } finally {
            if (set) {
                System.clearProperty(property);
            }
        }
    }

    private static DynamicType.Builder<?> threadPoolExecutor(DynamicType.Builder<?> builder, TypeDescription type,
                                                             ClassLoader loader, JavaModule module,
                                                             java.security.ProtectionDomain domain) {
        return builder
                .visit(Advice.to(PoolAdvice.Created.class).on(isConstructor()))
                .visit(Advice.to(PoolAdvice.TaskWait.class).on(named("getTask").and(takesArguments(0))));
    }

    private static DynamicType.Builder<?> forkJoinPool(DynamicType.Builder<?> builder, TypeDescription type,
                                                       ClassLoader loader, JavaModule module,
                                                       java.security.ProtectionDomain domain) {
        return builder
                .visit(Advice.to(PoolAdvice.Created.class).on(isConstructor()))
                .visit(Advice.to(PoolAdvice.ForkJoinWait.class).on(named("awaitWork")));
    }

    /** Transformation failures after installation (a class the JVM refused), for the log. */
    long failures() {
        return failures.get();
    }

    Throwable firstFailure() {
        return firstFailure.get();
    }

    /**
     * The registry as the bootstrap class loader has it: appended there from the agent's jar unless an
     * earlier agent in this JVM did already. It must be the very class the agent's own code links to,
     * or the agent would read counters nobody writes.
     */
    private static Class<?> bootRegistry(Instrumentation inst) throws Exception {
        Class<?> found = bootClass();
        if (found == null) {
            Map<String, byte[]> classes = new java.util.TreeMap<>();
            bootClasses().forEach((entry, bytes) -> classes.put(
                    entry.substring(0, entry.length() - ".class".length()).replace('/', '.'), bytes));
            try {
                BiConsumer<String, byte[]> definer = bootDefiner(inst);
                classes.forEach(definer);
            } catch (Exception | LinkageError e) {
                if (bootClass() != null) {
                    throw new IllegalStateException("defining the registry in the bootstrap loader half failed", e);
                }
                inst.appendToBootstrapClassLoaderSearch(new JarFile(bootJar().toFile()));
            }
            found = bootClass();
            if (found == null) {
                throw new IllegalStateException("the bootstrap class loader does not see " + REGISTRY);
            }
        }
        if (found != PoolRegistry.class) {
            throw new IllegalStateException(PoolRegistry.class.getName() + " was loaded by "
                    + PoolRegistry.class.getClassLoader() + " before it reached the bootstrap class path");
        }
        return found;
    }

    /**
     * A {@link BootDefiner} loaded by a class loader of its own (parent: the bootstrap loader), whose unnamed
     * module alone is given {@code jdk.internal.misc}: the edge dies with that loader's use, and the app's
     * class path (the agent's own unnamed module) gains nothing.
     */
    @SuppressWarnings("unchecked")
    private static BiConsumer<String, byte[]> bootDefiner(Instrumentation inst) throws Exception {
        String name = BootDefiner.class.getName();
        byte[] bytes;
        try (InputStream in = PoolInstrumentation.class.getClassLoader()
                .getResourceAsStream(name.replace('.', '/') + ".class")) {
            if (in == null) {
                throw new IllegalStateException("cannot read " + name);
            }
            bytes = in.readAllBytes();
        }
        OneClassLoader loader = new OneClassLoader();
        Class<?> type = loader.define(name, bytes);
        inst.redefineModule(Object.class.getModule(), Set.of(), Map.of("jdk.internal.misc", Set.of(type.getModule())),
                Map.of(), Set.of(), Map.of());
        return (BiConsumer<String, byte[]>) type.getConstructor().newInstance();
    }

    /** Defines one class; its parent is the bootstrap loader, so that class sees {@code java.base} only. */
    private static final class OneClassLoader extends ClassLoader {
        OneClassLoader() {
            super("tuner-boot-definer", null);
        }

        Class<?> define(String name, byte[] bytes) {
            return defineClass(name, bytes, 0, bytes.length);
        }
    }

    private static Class<?> bootClass() {
        try {
            return Class.forName(REGISTRY, false, null); // by name: PoolRegistry.class here would load the wrong copy
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    /** A temporary jar with the {@code boot} package's classes, copied from where the agent's classes are. */
    static Path bootJar() throws IOException, URISyntaxException {
        Map<String, byte[]> classes = bootClasses();
        Path jar = Files.createTempFile("tuner-boot-", ".jar");
        jar.toFile().deleteOnExit();
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            for (Map.Entry<String, byte[]> e : classes.entrySet()) {
                out.putNextEntry(new JarEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        return jar;
    }

    /** Entry name to bytes of every class in the boot package. */
    static Map<String, byte[]> bootClasses() throws IOException, URISyntaxException {
        CodeSource source = PoolInstrumentation.class.getProtectionDomain().getCodeSource();
        if (source == null) {
            throw new IllegalStateException("cannot tell where the agent's classes are");
        }
        Path where = Paths.get(source.getLocation().toURI());
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(where)) {
            Path dir = where.resolve(BOOT_PACKAGE);
            try (Stream<Path> files = Files.list(dir)) {
                files.map(p -> BOOT_PACKAGE + p.getFileName()).filter(n -> n.endsWith(".class")).forEach(names::add);
            }
        } else {
            try (JarFile jar = new JarFile(where.toFile())) {
                for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                    String name = e.nextElement().getName();
                    if (name.startsWith(BOOT_PACKAGE) && name.endsWith(".class")
                            && name.indexOf('/', BOOT_PACKAGE.length()) < 0) {
                        names.add(name);
                    }
                }
            }
        }
        if (names.isEmpty()) {
            throw new IllegalStateException("no " + BOOT_PACKAGE + " classes in " + where);
        }
        Map<String, byte[]> classes = new java.util.TreeMap<>();
        ClassLoader loader = PoolInstrumentation.class.getClassLoader();
        for (String name : names) {
            try (InputStream in = loader.getResourceAsStream(name)) {
                if (in == null) {
                    throw new IllegalStateException("cannot read " + name);
                }
                classes.put(name, in.readAllBytes());
            }
        }
        return classes;
    }
}
