package dev.tuner.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/** Numbers as a person reads them in a terminal: shares as percentages, rates with sensible digits. */
final class Format {
    private Format() {
    }

    /** 0.873 -> {@code 87%}; null or negative -> {@code ?}. */
    static String percent(JsonNode share) {
        if (share == null || !share.isNumber() || share.asDouble() < 0) {
            return "?";
        }
        return Math.round(share.asDouble() * 100) + "%";
    }

    /** Items per second: {@code 3.2/s}, {@code 812/s}; null -> {@code ?}. */
    static String rate(JsonNode rate) {
        if (rate == null || !rate.isNumber()) {
            return "?";
        }
        return number(rate.asDouble()) + "/s";
    }

    /** A count or amount with one decimal below 10, none above. */
    static String number(double v) {
        if (!Double.isFinite(v)) {
            return "?";
        }
        if (Math.abs(v) < 10 && v != Math.rint(v)) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.0f", v);
    }

    /** A knob value and its bounds: {@code 8 (1..64)}; prefetch -1 -> {@code -}. */
    static String knob(JsonNode value, JsonNode min, JsonNode max) {
        if (value == null || !value.isNumber() || value.asInt() < 0) {
            return "-";
        }
        String bounds = min != null && max != null && min.isNumber() && max.isNumber()
                ? " (" + min.asInt() + ".." + max.asInt() + ")" : "";
        return value.asInt() + bounds;
    }

    /**
     * A limit as the log, {@code status} and the diagnose report write it ({@code FactJson.limit}), in one
     * line: {@code lock: ledger is lock-bound ...}; {@code ?} when there is none.
     */
    static String limit(JsonNode limit) {
        if (limit == null || !limit.isObject()) {
            return "?";
        }
        return text(limit, "kind", "?") + ": " + text(limit, "message", "?");
    }

    /** Text of a field, or {@code fallback} when missing or null. */
    static String text(JsonNode node, String field, String fallback) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() ? fallback : v.asText();
    }
}
