package dev.tuner.agent.config;

import dev.tuner.engine.Settings;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent's options: {@code k=v} pairs separated by commas, the same for {@code -javaagent:} and
 * {@code attach}. Immutable. {@link #parse} refuses an unknown key or a bad value with an
 * {@link OptionsException} whose message names it and says what is accepted.
 *
 * <p>Keys: {@code target} (0.9; a share of the cores in (0, 1]), {@code cores} (the JVM's
 * container-aware count), {@code interval} (1s; 100ms..60s), {@code log} (file path, default
 * {@code tuner-<pid>.jsonl} in the working directory), {@code mode} (tune|advise),
 * {@code max-threads} (256), {@code prefetch-memory} (10% of the max heap; e.g. 64m, 1g),
 * {@code pools} (glob patterns for discovered JDK pools, {@code !} to exclude, separated by {@code ;}
 * or {@code |}), {@code profiler} (auto|off).
 */
public final class AgentOptions {
    public static final List<String> KEYS = List.of("target", "cores", "interval", "log", "mode", "max-threads",
            "prefetch-memory", "pools", "profiler");
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s)?");
    private static final Pattern SIZE = Pattern.compile("(\\d+)([kmg]?)b?", Pattern.CASE_INSENSITIVE);

    public enum Mode { TUNE, ADVISE }

    public enum Profiler { AUTO, OFF }

    private final Map<String, String> given;
    private final double target;
    private final Double cores;
    private final long intervalMillis;
    private final String log;
    private final Mode mode;
    private final int maxThreads;
    private final Long prefetchMemoryBytes;
    private final List<String> pools;
    private final Profiler profiler;

    private AgentOptions(Map<String, String> given) throws OptionsException {
        this.given = Collections.unmodifiableMap(new LinkedHashMap<>(given));
        this.target = given.containsKey("target") ? parseTarget(given.get("target")) : Settings.DEFAULT_TARGET;
        this.cores = given.containsKey("cores") ? parseCores(given.get("cores")) : null;
        this.intervalMillis = given.containsKey("interval") ? parseInterval(given.get("interval")) : 1000;
        this.log = given.containsKey("log") ? parseLog(given.get("log")) : null;
        this.mode = given.containsKey("mode") ? parseEnum("mode", given.get("mode"), Mode.class) : Mode.TUNE;
        this.maxThreads = given.containsKey("max-threads") ? parseMaxThreads(given.get("max-threads")) : Settings.DEFAULT_MAX_THREADS;
        this.prefetchMemoryBytes = given.containsKey("prefetch-memory")
                ? parseSize(given.get("prefetch-memory")) : null;
        this.pools = given.containsKey("pools") ? parsePools(given.get("pools")) : List.of();
        this.profiler = given.containsKey("profiler")
                ? parseEnum("profiler", given.get("profiler"), Profiler.class) : Profiler.AUTO;
    }

    /** The defaults. */
    public static AgentOptions defaults() {
        try {
            return new AgentOptions(Map.of());
        } catch (OptionsException e) {
            throw new AssertionError(e);
        }
    }

    /** Parses {@code k=v,k=v}; {@code null} or blank means all defaults. */
    public static AgentOptions parse(String text) throws OptionsException {
        Map<String, String> given = new LinkedHashMap<>();
        if (text != null && !text.isBlank()) {
            for (String pair : text.split(",", -1)) {
                String trimmed = pair.trim();
                int eq = trimmed.indexOf('=');
                if (eq <= 0) {
                    throw new OptionsException("option '" + trimmed + "' is not key=value; accepted keys: "
                            + String.join(", ", KEYS) + " (e.g. target=0.9,interval=1s)");
                }
                String key = trimmed.substring(0, eq).trim().toLowerCase(Locale.ROOT);
                String value = trimmed.substring(eq + 1).trim();
                if (!KEYS.contains(key)) {
                    throw new OptionsException("unknown option '" + key + "'; accepted keys: " + String.join(", ", KEYS));
                }
                if (given.containsKey(key)) {
                    throw new OptionsException("option '" + key + "' is given twice; give each option once");
                }
                given.put(key, value);
            }
        }
        return new AgentOptions(given);
    }

    /** These options with {@code update}'s explicitly given keys laid over them (a second attach). */
    public AgentOptions merge(AgentOptions update) {
        Map<String, String> merged = new LinkedHashMap<>(given);
        merged.putAll(update.given);
        try {
            return new AgentOptions(merged);
        } catch (OptionsException e) {
            throw new AssertionError("both were valid", e);
        }
    }

    private static double parseTarget(String value) throws OptionsException {
        double target = parseDouble("target", value, "a share of the cores in (0, 1], e.g. target=0.9");
        if (!(target > 0 && target <= 1)) {
            throw new OptionsException("target=" + value + " is out of range: give a share of the cores in (0, 1],"
                    + " e.g. target=0.9");
        }
        return target;
    }

    private static double parseCores(String value) throws OptionsException {
        double cores = parseDouble("cores", value, "a positive number of cores, e.g. cores=8");
        if (!(cores > 0) || Double.isInfinite(cores)) {
            throw new OptionsException("cores=" + value + " is out of range: give a positive number of cores,"
                    + " e.g. cores=8");
        }
        return cores;
    }

    private static long parseInterval(String value) throws OptionsException {
        Matcher m = DURATION.matcher(value.trim().toLowerCase(Locale.ROOT));
        String accepted = "a duration from 100ms to 60s, e.g. interval=1s or interval=500ms";
        if (!m.matches()) {
            throw new OptionsException("interval=" + value + " is not a duration: give " + accepted);
        }
        double amount = Double.parseDouble(m.group(1));
        long millis = Math.round("ms".equals(m.group(2)) ? amount : amount * 1000);
        if (millis < 100 || millis > 60_000) {
            throw new OptionsException("interval=" + value + " is out of range: give " + accepted);
        }
        return millis;
    }

    private static String parseLog(String value) throws OptionsException {
        if (value.isBlank()) {
            throw new OptionsException("log= is empty: give a file path, e.g. log=/tmp/tuner.jsonl");
        }
        return value;
    }

    private static int parseMaxThreads(String value) throws OptionsException {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1 && n <= 100_000) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new OptionsException("max-threads=" + value + " is not accepted: give a whole number from 1 to 100000,"
                + " e.g. max-threads=256");
    }

    private static long parseSize(String value) throws OptionsException {
        Matcher m = SIZE.matcher(value.trim());
        if (!m.matches()) {
            throw new OptionsException("prefetch-memory=" + value + " is not a size: give bytes with an optional"
                    + " k, m or g suffix, e.g. prefetch-memory=64m");
        }
        long amount = Long.parseLong(m.group(1));
        long unit = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 1024L;
            case "m" -> 1024L * 1024;
            case "g" -> 1024L * 1024 * 1024;
            default -> 1L;
        };
        if (amount <= 0 || amount > Long.MAX_VALUE / unit) {
            throw new OptionsException("prefetch-memory=" + value + " is out of range: give a positive size,"
                    + " e.g. prefetch-memory=64m");
        }
        return amount * unit;
    }

    private static List<String> parsePools(String value) throws OptionsException {
        List<String> patterns = new ArrayList<>();
        for (String p : value.split("[;|]")) {
            String trimmed = p.trim();
            if (!trimmed.isEmpty()) {
                if (!trimmed.replace("!", "").matches("[A-Za-z0-9._*?-]+")) {
                    throw new OptionsException("pools=" + value + " has a bad pattern '" + trimmed + "': use thread-name"
                            + " globs with * and ?, ! to exclude, separated by ; (e.g. pools=etl-*;!etl-audit*)");
                }
                patterns.add(trimmed);
            }
        }
        return List.copyOf(patterns);
    }

    private static double parseDouble(String key, String value, String accepted) throws OptionsException {
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new OptionsException(key + "=" + value + " is not a number: give " + accepted);
        }
    }

    private static <E extends Enum<E>> E parseEnum(String key, String value, Class<E> type) throws OptionsException {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value.trim())) {
                return e;
            }
        }
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            names.add(e.name().toLowerCase(Locale.ROOT));
        }
        throw new OptionsException(key + "=" + value + " is not accepted: give one of " + String.join(", ", names));
    }

    /**
     * The engine's settings these options ask for: the one mapping from the agent's options to the engine.
     *
     * @param attached the app ran before the agent came: no waiting for its JIT, which would be compiling
     *                 the agent's own code, not the app's
     */
    public Settings toSettings(boolean attached) {
        Settings.Builder settings = Settings.builder()
                .target(target)
                .cores(cores())
                .maxThreads(maxThreads)
                .prefetchMemoryBytes(prefetchMemoryBytes())
                .advise(mode == Mode.ADVISE);
        if (attached) {
            settings.maxJitWaitIntervals(0);
        }
        return settings.build();
    }

    /** The options as they were given (key to raw value), for the log's {@code update} event. */
    public Map<String, String> given() {
        return given;
    }

    public double target() {
        return target;
    }

    /** Cores to count: the option, or the JVM's container-aware {@code availableProcessors()}. */
    public double cores() {
        return cores != null ? cores : Runtime.getRuntime().availableProcessors();
    }

    public long intervalMillis() {
        return intervalMillis;
    }

    /** The log path given, or {@code null} for the default. */
    public String log() {
        return log;
    }

    public Mode mode() {
        return mode;
    }

    public int maxThreads() {
        return maxThreads;
    }

    /** The prefetch memory budget in bytes: the option, or 10% of the max heap. */
    public long prefetchMemoryBytes() {
        return prefetchMemoryBytes != null ? prefetchMemoryBytes : Runtime.getRuntime().maxMemory() / 10;
    }

    public List<String> pools() {
        return pools;
    }

    public Profiler profiler() {
        return profiler;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        given.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ",").append(k).append('=').append(v));
        return sb.toString();
    }
}
