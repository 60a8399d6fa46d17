package dev.tuner.examples.common;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The flags an example accepts and the parsing of {@code String[] args} against them.
 *
 * <p>Accepted forms: {@code --name value} and {@code --name=value}; a repeated flag keeps its last
 * value; {@code --help} or {@code -h} anywhere asks for {@link #usage()}. Everything else that is wrong
 * (an unknown flag, a missing value, a non-integer, an integer outside the flag's bounds, a positional
 * argument) is a {@link UsageException} whose one-line message names the flag and what it accepts.
 *
 * <p>Immutable once built; build with {@link #builder(String)}.
 */
public final class CommandLine {
    private final String program;
    private final Map<String, Flag> flags;

    private CommandLine(String program, Map<String, Flag> flags) {
        this.program = program;
        this.flags = Collections.unmodifiableMap(new LinkedHashMap<>(flags));
    }

    public static Builder builder(String program) {
        return new Builder(program);
    }

    /**
     * Parses {@code args}. Flags not given take their defaults.
     *
     * @throws UsageException with a one-line message on the first bad argument
     */
    public Parsed parse(String... args) throws UsageException {
        Map<String, Object> values = new HashMap<>();
        flags.values().forEach(flag -> values.put(flag.name, flag.defaultValue));
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                help = true;
                continue;
            }
            if (!arg.startsWith("--")) {
                throw new UsageException("unexpected argument '" + arg + "'; " + acceptedFlags());
            }
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (eq >= 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            Flag flag = flags.get(name);
            if (flag == null) {
                throw new UsageException("unknown flag " + name + "; " + acceptedFlags());
            }
            if (value == null) {
                // A following "--flag" is not a value: "--seconds --prefetch 4" means --seconds lacks one.
                if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                    throw new UsageException(name + " needs a value: " + flag.accepts());
                }
                value = args[++i];
            }
            values.put(name, flag.convert(value));
        }
        return new Parsed(values, help);
    }

    /** A multi-line description of the flags, for {@code --help}. */
    public String usage() {
        StringBuilder text = new StringBuilder("usage: ").append(program);
        flags.values().forEach(flag -> text.append(" [").append(flag.name).append(' ').append(flag.metavar).append(']'));
        text.append(System.lineSeparator());
        for (Flag flag : flags.values()) {
            text.append(String.format("  %-24s %s (%s; default %s)%n",
                    flag.name + " " + flag.metavar, flag.description, flag.accepts(), flag.defaultValue));
        }
        return text.toString();
    }

    private String acceptedFlags() {
        return "accepted flags: " + String.join(", ", flags.keySet()) + ", --help";
    }

    /** The values of one parse. */
    public static final class Parsed {
        private final Map<String, Object> values;
        private final boolean help;

        private Parsed(Map<String, Object> values, boolean help) {
            this.values = values;
            this.help = help;
        }

        /** True when {@code --help} or {@code -h} was given. */
        public boolean helpRequested() {
            return help;
        }

        /** The value of an integer flag (its default if not given). */
        public int intValue(String name) {
            return (Integer) value(name);
        }

        /** The value of a string flag (its default if not given). */
        public String stringValue(String name) {
            return (String) value(name);
        }

        private Object value(String name) {
            if (!values.containsKey(name)) {
                throw new IllegalArgumentException("no flag " + name);
            }
            return values.get(name);
        }
    }

    /** Declares the flags. */
    public static final class Builder {
        private final String program;
        private final Map<String, Flag> flags = new LinkedHashMap<>();

        private Builder(String program) {
            this.program = Objects.requireNonNull(program, "program");
        }

        /** An integer flag accepting values in [{@code min}, {@code max}]. */
        public Builder intFlag(String name, int defaultValue, int min, int max, String description) {
            if (defaultValue < min || defaultValue > max) {
                throw new IllegalArgumentException(name + ": default " + defaultValue + " outside [" + min + ", " + max + "]");
            }
            return add(new IntFlag(name, defaultValue, min, max, description));
        }

        /** A flag taking any non-empty string (e.g. a path). */
        public Builder stringFlag(String name, String metavar, String defaultValue, String description) {
            return add(new StringFlag(name, metavar, defaultValue, description));
        }

        private Builder add(Flag flag) {
            if (!flag.name.startsWith("--") || flag.name.contains("=")) {
                throw new IllegalArgumentException("flag names look like --name, got " + flag.name);
            }
            if (flags.putIfAbsent(flag.name, flag) != null) {
                throw new IllegalArgumentException("flag " + flag.name + " declared twice");
            }
            return this;
        }

        public CommandLine build() {
            return new CommandLine(program, flags);
        }
    }

    private abstract static class Flag {
        final String name;
        final String metavar;
        final Object defaultValue;
        final String description;

        Flag(String name, String metavar, Object defaultValue, String description) {
            this.name = name;
            this.metavar = metavar;
            this.defaultValue = defaultValue;
            this.description = description;
        }

        /** What the flag accepts, phrased to follow "needs a value: " or "expects ". */
        abstract String accepts();

        abstract Object convert(String value) throws UsageException;
    }

    private static final class IntFlag extends Flag {
        private final int min;
        private final int max;

        IntFlag(String name, int defaultValue, int min, int max, String description) {
            super(name, "N", defaultValue, description);
            this.min = min;
            this.max = max;
        }

        @Override
        String accepts() {
            return max == Integer.MAX_VALUE ? "an integer >= " + min : "an integer from " + min + " to " + max;
        }

        @Override
        Object convert(String value) throws UsageException {
            int parsed;
            try {
                parsed = Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                throw new UsageException(name + " expects " + accepts() + ", got '" + value + "'");
            }
            if (parsed < min || parsed > max) {
                throw new UsageException(name + " expects " + accepts() + ", got " + parsed);
            }
            return parsed;
        }
    }

    private static final class StringFlag extends Flag {
        StringFlag(String name, String metavar, String defaultValue, String description) {
            super(name, metavar, defaultValue, description);
        }

        @Override
        String accepts() {
            return "a non-empty " + metavar.toLowerCase(Locale.ROOT);
        }

        @Override
        Object convert(String value) throws UsageException {
            if (value.isEmpty()) {
                throw new UsageException(name + " expects " + accepts() + ", got an empty string");
            }
            return value;
        }
    }
}
