package dev.tuner.agent.pools;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code pools=} option: glob patterns ({@code *}, {@code ?}) on pool names; a pattern starting with
 * {@code !} excludes. A pool is tuned when it matches no exclusion and, if any inclusion is given, at
 * least one inclusion. No patterns: every pool. Immutable.
 */
final class PoolFilter {
    static final PoolFilter ALL = new PoolFilter(List.of());

    private final List<Pattern> include = new ArrayList<>();
    private final List<Pattern> exclude = new ArrayList<>();
    private final List<String> patterns;

    private PoolFilter(List<String> patterns) {
        this.patterns = List.copyOf(patterns);
        for (String p : patterns) {
            if (p.startsWith("!")) {
                exclude.add(glob(p.substring(1)));
            } else {
                include.add(glob(p));
            }
        }
    }

    /** @param patterns as {@code AgentOptions.pools()} gives them (already checked) */
    static PoolFilter of(List<String> patterns) {
        return patterns.isEmpty() ? ALL : new PoolFilter(patterns);
    }

    boolean accepts(String poolName) {
        for (Pattern p : exclude) {
            if (p.matcher(poolName).matches()) {
                return false;
            }
        }
        if (include.isEmpty()) {
            return true;
        }
        for (Pattern p : include) {
            if (p.matcher(poolName).matches()) {
                return true;
            }
        }
        return false;
    }

    static Pattern glob(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }

    @Override
    public String toString() {
        return patterns.isEmpty() ? "(all pools)" : String.join(";", patterns);
    }
}
