package dev.tuner.agent.diagnose;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The app's own flags for the knobs a diagnosis recommends, where its command line shows them. The
 * tuner cannot know an app's flag names; this only guesses, and says so: a numeric flag on the target's
 * command line whose name contains a stage's name ({@code --num-parallel-reads 1} for stage
 * {@code seed/read}) is taken as that stage's parallelism, or as its prefetch when the name also says
 * prefetch, buffer, queue or capacity. A knob whose flag is not on the command line (the app runs on its
 * default) is not found. Pure.
 */
final class AppFlags {
    /**
     * One guess.
     *
     * @param flag        the flag as written, e.g. {@code --num-parallel-reads}
     * @param current     its value on the command line
     * @param recommended the knob's recommended value
     */
    record Flag(String stage, String knob, String flag, String current, int recommended) {
    }

    private AppFlags() {
    }

    /**
     * @param command     the target's {@code sun.java.command}: main class or jar, then its arguments
     * @param recommended per stage, knob name to the value recommended where it changes
     */
    static List<Flag> match(String command, Map<String, Map<String, Integer>> recommended) {
        List<Flag> flags = new ArrayList<>();
        if (command == null || command.isBlank()) {
            return flags;
        }
        String[] words = command.trim().split("\\s+");
        for (int i = 1; i < words.length; i++) {
            String word = words[i];
            if (!word.startsWith("-")) {
                continue;
            }
            String name = word;
            String value = null;
            int eq = word.indexOf('=');
            if (eq > 0) {
                name = word.substring(0, eq);
                value = word.substring(eq + 1);
            } else if (i + 1 < words.length) {
                value = words[i + 1];
            }
            if (value == null || !value.matches("\\d+")) {
                continue;
            }
            String normalized = normalize(name);
            String knob = normalized.matches(".*(prefetch|buffer|queue|capacity).*") ? "prefetch" : "parallelism";
            for (Map.Entry<String, Map<String, Integer>> stage : recommended.entrySet()) {
                String shortName = normalize(stage.getKey().substring(stage.getKey().lastIndexOf('/') + 1));
                Integer to = stage.getValue().get(knob);
                if (to != null && shortName.length() >= 3 && normalized.contains(shortName)) {
                    flags.add(new Flag(stage.getKey(), knob, name, value, to));
                }
            }
        }
        return flags;
    }

    private static String normalize(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }
}
