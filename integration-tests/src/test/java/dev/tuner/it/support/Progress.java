package dev.tuner.it.support;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The example apps' once-a-second lines ({@code records/s=N} or {@code items/s=N}, then the knobs they run
 * with, {@code name=N}), as numbers.
 */
public final class Progress {
    private static final Pattern RATE = Pattern.compile("(?:records|items)/s=(\\d+)");
    private static final Pattern RESULT = Pattern.compile("^RESULT (?:records|items)_per_s=(\\d+)");

    private Progress() {
    }

    /** Rates in the order printed. */
    public static List<Long> rates(List<String> stdout) {
        List<Long> rates = new ArrayList<>();
        for (String line : stdout) {
            Matcher m = RATE.matcher(line);
            if (!line.startsWith("RESULT") && m.find()) {
                rates.add(Long.parseLong(m.group(1)));
            }
        }
        return rates;
    }

    /** The value of {@code knob=N} in each progress line the app printed, in order. */
    public static List<Integer> knob(List<String> stdout, String knob) {
        Pattern p = Pattern.compile("(?:records|items)/s=\\d+ .*\\b" + Pattern.quote(knob) + "=(\\d+)");
        List<Integer> values = new ArrayList<>();
        for (String line : stdout) {
            Matcher m = p.matcher(line);
            if (m.find()) {
                values.add(Integer.parseInt(m.group(1)));
            }
        }
        return values;
    }

    /** The {@code RESULT ..._per_s=N} figure, if printed. */
    public static OptionalDouble result(List<String> stdout) {
        for (String line : stdout) {
            Matcher m = RESULT.matcher(line);
            if (m.find()) {
                return OptionalDouble.of(Double.parseDouble(m.group(1)));
            }
        }
        return OptionalDouble.empty();
    }

    public static double mean(List<Long> values, int from, int to) {
        return values.subList(Math.max(0, from), Math.min(values.size(), to)).stream()
                .mapToLong(Long::longValue).average().orElse(0);
    }
}
