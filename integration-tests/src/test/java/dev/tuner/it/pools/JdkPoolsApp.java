package dev.tuner.it.pools;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

/**
 * A fixture app (no tuner class; run from the test classes) that keeps the JDK's own pools busy next to
 * two of its own: its fixed pool {@code app-work-N} calls a local HTTP server through {@link HttpClient}
 * (whose default executor is the JDK's cached pool), schedules on {@link CompletableFuture#delayedExecutor}
 * (the JDK's delayer pool), sums in parallel streams (the common pool), and hands small sums to a
 * {@link ForkJoinPool} of its own. Prints {@code t=Ns items/s=N} once a second; runs {@code args[0]} seconds.
 */
public final class JdkPoolsApp {
    private JdkPoolsApp() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        HttpClient client = HttpClient.newHttpClient();
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
        AtomicInteger names = new AtomicInteger(1);
        ExecutorService work = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "app-work-" + names.getAndIncrement());
            t.setDaemon(true);
            return t;
        });
        ForkJoinPool sums = new ForkJoinPool(2);
        AtomicLong done = new AtomicLong();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long nextPrint = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        long lastCount = 0;
        int t = 0;
        while (System.nanoTime() < deadline) {
            work.submit(() -> {
                try {
                    client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
                } catch (IOException | InterruptedException e) {
                    return;
                }
                CompletableFuture.runAsync(done::incrementAndGet,
                        CompletableFuture.delayedExecutor(1, TimeUnit.MILLISECONDS));
            }).get();
            sums.submit(() -> LongStream.range(0, 10_000).sum()).get();
            if (LongStream.range(0, 20_000).parallel().sum() < 0) {
                throw new AssertionError();
            }
            if (System.nanoTime() > nextPrint) {
                long now = done.get();
                System.out.println("t=" + (++t) + "s items/s=" + (now - lastCount));
                lastCount = now;
                nextPrint += TimeUnit.SECONDS.toNanos(1);
            }
        }
        System.out.println("RESULT items_per_s=" + done.get() / Math.max(1, seconds));
        server.stop(0);
        System.exit(0);
    }
}
