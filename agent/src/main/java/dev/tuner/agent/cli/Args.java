package dev.tuner.agent.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One command's arguments: positional words and {@code --flags}. Flags a command does not accept, a
 * missing word and a malformed pid are usage errors naming the argument.
 */
final class Args {
    private final String command;
    private final List<String> words;
    private final Set<String> flags;

    private Args(String command, List<String> words, Set<String> flags) {
        this.command = command;
        this.words = words;
        this.flags = flags;
    }

    /**
     * Splits {@code raw} (the arguments after the command name) into words and flags; a word that starts
     * with {@code -} must be one of {@code accepted}.
     */
    static Args parse(String command, List<String> raw, Set<String> accepted) throws CliException {
        List<String> words = new ArrayList<>();
        Set<String> flags = new LinkedHashSet<>();
        for (String arg : raw) {
            if (arg.startsWith("-") && arg.length() > 1 && !isNumber(arg)) {
                if (!accepted.contains(arg)) {
                    throw CliException.usage("unknown option '" + arg + "' for " + command
                            + (accepted.isEmpty() ? " (it takes none)" : "; it accepts " + String.join(", ", accepted)));
                }
                flags.add(arg);
            } else {
                words.add(arg);
            }
        }
        return new Args(command, words, flags);
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
