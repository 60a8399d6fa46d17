package dev.tuner.agent.sampling;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.DoubleSupplier;

/**
 * The whole machine's CPU share busy (all processes) between one call of {@link #load()} and the next
 * call on the same instance, read from the aggregate {@code cpu} line of {@code /proc/stat}.
 *
 * <p>Why not {@code OperatingSystemMXBean.getCpuLoad()}: on Linux the JDK keeps one set of previous
 * ticks for the whole JVM, so its answer covers the time since <em>anyone</em> in the process last
 * asked — the tuning loop, a diagnose window, the app's own monitoring. A reading taken milliseconds
 * after another one measured a few ticks and read 95-100% on a quiet machine. Each instance here keeps
 * its own previous ticks, so its window is exactly its caller's interval. Where {@code /proc/stat}
 * cannot be read (not Linux), and on the first call (no window yet), the JDK's figure is used.
 *
 * <p>Not thread-safe: one instance per sampling loop.
 */
public final class MachineCpu {
    private final Path procStat;
    private final DoubleSupplier fallback;
    private long previousBusy = -1;
    private long previousTotal = -1;

    /** @param fallback the machine load in [0, 1] (or negative if unknown) when /proc/stat gives none */
    public MachineCpu(Path procStat, DoubleSupplier fallback) {
        this.procStat = procStat;
        this.fallback = fallback;
    }

    /** The share of all CPUs busy since the previous call, in [0, 1], or -1 if unknown. */
    public double load() {
        long[] ticks = readTicks();
        if (ticks == null) {
            return clamp(fallback.getAsDouble());
        }
        long busy = ticks[0];
        long total = ticks[1];
        long dBusy = busy - previousBusy;
        long dTotal = total - previousTotal;
        boolean first = previousTotal < 0;
        previousBusy = busy;
        previousTotal = total;
        if (first || dTotal <= 0 || dBusy < 0) {
            return clamp(fallback.getAsDouble());
        }
        return clamp((double) dBusy / dTotal);
    }

    /** {busy, total} ticks of the aggregate cpu line, or null if the file cannot be read or parsed. */
    private long[] readTicks() {
        try {
            String text = Files.readString(procStat);
            int end = text.indexOf('\n');
            String line = end < 0 ? text : text.substring(0, end);
            return parseCpuLine(line);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * {@code cpu user nice system idle iowait irq softirq steal [guest guest_nice]}: idle and iowait are
     * not busy; guest time is already counted in user and nice, so it is left out of the total.
     */
    static long[] parseCpuLine(String line) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 5 || !f[0].equals("cpu")) {
            return null;
        }
        long total = 0;
        long idle = 0;
        int fields = Math.min(f.length - 1, 8);
        for (int i = 1; i <= fields; i++) {
            long v = Long.parseLong(f[i]);
            total += v;
            if (i == 4 || i == 5) {
                idle += v;
            }
        }
        return new long[] {total - idle, total};
    }

    private static double clamp(double load) {
        return load >= 0 && load <= 1 ? load : -1;
    }
}
