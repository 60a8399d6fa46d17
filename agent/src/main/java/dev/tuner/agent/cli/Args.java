package dev.tuner.agent.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One command's arguments: positional words, {@code --flags} and {@code --options N} (or {@code --option=N}).
 * Flags a command does not accept, an option without its value, a missing word and a malformed pid are
 * usage errors naming the argument.
 */
final class Args {
    private final String command;
    private final List<String> words;
    private final Set<String> flags;
    private final Map<String, String> values;

    private Args(String command, List<String> words, Set<String> flags, Map<String, String> values) {
        this.command = command;
        this.words = words;
        this.flags = flags;
        this.values = values;
    }

    /**
     * Splits {@code raw} (the arguments after the command name) into words and flags; a word that starts
     * with {@code -} must be one of {@code accepted}.
     */
    static Args parse(String command, List<String> raw, Set<String> accepted) throws CliException {
        return parse(command, raw, accepted, Set.of());
    }

    /** As {@link #parse(String, List, Set)}, and each of {@code valued} takes the word after it as its value. */
    static Args parse(String command, List<String> raw, Set<String> accepted, Set<String> valued) throws CliException {
        List<String> words = new ArrayList<>();
        Set<String> flags = new LinkedHashSet<>();
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < raw.size(); i++) {
            String arg = raw.get(i);
            if (arg.startsWith("-") && arg.length() > 1 && !isNumber(arg)) {
                int eq = arg.indexOf('=');
                String name = eq > 0 ? arg.substring(0, eq) : arg;
                if (valued.contains(name)) {
                    if (eq < 0 && i + 1 >= raw.size()) {
                        throw CliException.usage(name + " needs a value, e.g. " + name + " 10");
                    }
                    values.put(name, eq > 0 ? arg.substring(eq + 1) : raw.get(++i));
                    continue;
                }
                if (!accepted.contains(arg)) {
                    Set<String> all = new LinkedHashSet<>(accepted);
                    valued.forEach(v -> all.add(v + " N"));
                    throw CliException.usage("unknown option '" + arg + "' for " + command
                            + (all.isEmpty() ? " (it takes none)" : "; it accepts " + String.join(", ", all)));
                }
                flags.add(arg);
            } else {
                words.add(arg);
            }
        }
        return new Args(command, words, flags, values);
    }

    /**
     * The whole number given with {@code option}, or {@code fallback} when it is not given; a value that
     * is not a whole number from {@code min} to {@code max} is a usage error.
     */
    int intValue(String option, int fallback, int min, int max) throws CliException {
        String text = values.get(option);
        if (text == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw CliException.usage(option + " " + text + " is not accepted: give a whole number from " + min + " to " + max
                + ", e.g. " + option + " " + fallback);
    }

    boolean has(String flag) {
        return flags.contains(flag);
    }

    /** The words after the command name. */
    List<String> words() {
        return words;
    }

    /** Word {@code index}, which must be there; {@code what} names it in the message. */
    String word(int index, String what) throws CliException {
        if (index >= words.size()) {
            throw CliException.usage(command + " needs " + what);
        }
        return words.get(index);
    }

    /** Fails unless there are at most {@code count} words. */
    void atMost(int count) throws CliException {
        if (words.size() > count) {
            throw CliException.usage("unexpected argument '" + words.get(count) + "' for " + command);
        }
    }

    /** Word {@code index} as a process id. */
    long pid(int index) throws CliException {
        String text = word(index, "the pid of a JVM (java -jar tuner.jar list shows them)");
        try {
            long pid = Long.parseLong(text);
            if (pid > 0) {
                return pid;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw CliException.usage("'" + text + "' is not a pid: give the number java -jar tuner.jar list shows");
    }

    private static boolean isNumber(String arg) {
        return arg.matches("-\\d+");
    }
}
