package dev.tuner.engine;

import java.util.Locale;

/** Numbers as a person reads them in a log line. */
public final class Fmt {
    private Fmt() {
    }

    /** Items per second: {@code 950/s}, {@code 16.7k/s}, {@code 1.20M/s}. */
    public static String rate(double perSecond) {
        if (perSecond >= 1e6) {
            return String.format(Locale.ROOT, "%.2fM/s", perSecond / 1e6);
        }
        if (perSecond >= 1e4) {
            return String.format(Locale.ROOT, "%.1fk/s", perSecond / 1e3);
        }
        if (perSecond >= 100) {
            return String.format(Locale.ROOT, "%.0f/s", perSecond);
        }
        return String.format(Locale.ROOT, "%.1f/s", perSecond);
    }

    /** A duration given in seconds: {@code 31 ms}, {@code 4.2 ms}, {@code 850 us}, {@code 1.3 s}. */
    public static String duration(double seconds) {
        if (seconds >= 1) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        if (seconds >= 0.01) {
            return String.format(Locale.ROOT, "%.0f ms", seconds * 1e3);
        }
        if (seconds >= 0.001) {
            return String.format(Locale.ROOT, "%.1f ms", seconds * 1e3);
        }
        return String.format(Locale.ROOT, "%.0f us", seconds * 1e6);
    }

    /** A share as a percentage: {@code 97%}. */
    public static String percent(double share) {
        return String.format(Locale.ROOT, "%.0f%%", share * 100);
    }

    /** A change as a signed percentage: {@code +12%}, {@code -3%}. */
    public static String signedPercent(double share) {
        return String.format(Locale.ROOT, "%+.0f%%", share * 100);
    }

    /** A change small or large, to the resolution it is measured at: {@code +0.4%}, {@code -3.5%}, {@code +120%}. */
    public static String change(double share) {
        return Math.abs(share) < 0.1 ? String.format(Locale.ROOT, "%+.1f%%", share * 100) : signedPercent(share);
    }

    /** A small share to one decimal under 10%: {@code 0.8%}, {@code 2.5%}, {@code 12%}. */
    public static String smallPercent(double share) {
        return Math.abs(share) < 0.1 ? String.format(Locale.ROOT, "%.1f%%", share * 100) : percent(share);
    }

    /** A number with two significant decimals at most: {@code 1.8}, {@code 12}. */
    public static String number(double value) {
        if (Math.abs(value) >= 10) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        return String.format(Locale.ROOT, "%.2f", value).replaceAll("\\.?0+$", "");
    }
}
