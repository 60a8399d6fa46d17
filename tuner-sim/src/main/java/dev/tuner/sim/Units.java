package dev.tuner.sim;

import java.util.Locale;

/** Formatting for the simulator's descriptions. */
final class Units {
    private Units() {
    }

    static String duration(double seconds) {
        if (seconds == 0) {
            return "0";
        }
        if (seconds < 1e-3) {
            return String.format(Locale.ROOT, "%.1fus", seconds * 1e6);
        }
        if (seconds < 1) {
            return String.format(Locale.ROOT, "%.1fms", seconds * 1e3);
        }
        return String.format(Locale.ROOT, "%.2fs", seconds);
    }
}
