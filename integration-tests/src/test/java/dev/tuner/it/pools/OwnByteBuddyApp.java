package dev.tuner.it.pools;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import net.bytebuddy.implementation.FixedValue;
import net.bytebuddy.matcher.ElementMatchers;

/**
 * A fixture app that brings its own, unrelocated Byte Buddy: it generates a class at run time and uses
 * it from the tasks of its pool {@code bb-app-N}. Under the agent (whose Byte Buddy is relocated) it must
 * run exactly as without. Prints the generated object's {@code toString()}, {@code items/s=N} lines and a
 * {@code RESULT} line; runs {@code args[0]} seconds.
 */
public final class OwnByteBuddyApp {
    static final String MADE = "made by the app's own Byte Buddy";

    private OwnByteBuddyApp() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Class<?> generated = new ByteBuddy().subclass(Object.class)
                .name("dev.tuner.it.pools.Generated")
                .method(ElementMatchers.named("toString")).intercept(FixedValue.value(MADE))
                .make()
                .load(OwnByteBuddyApp.class.getClassLoader(), ClassLoadingStrategy.Default.INJECTION)
                .getLoaded();
        System.out.println(generated.getDeclaredConstructor().newInstance());
        AtomicInteger names = new AtomicInteger(1);
        ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "bb-app-" + names.getAndIncrement());
            t.setDaemon(true);
            return t;
        });
        AtomicLong done = new AtomicLong();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long nextPrint = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        long last = 0;
        int t = 0;
        while (System.nanoTime() < end) {
            pool.submit(() -> {
                if (!MADE.equals(generated.getDeclaredConstructor().newInstance().toString())) {
                    throw new AssertionError("the generated class changed");
                }
                Thread.sleep(1);
                return done.incrementAndGet();
            }).get();
            if (System.nanoTime() > nextPrint) {
                System.out.println("t=" + (++t) + "s items/s=" + (done.get() - last));
                last = done.get();
                nextPrint += TimeUnit.SECONDS.toNanos(1);
            }
        }
        System.out.println("RESULT items_per_s=" + done.get() / Math.max(1, seconds));
        System.exit(0);
    }
}
