package dev.tuner.agent.pools;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pool's name, taken from its threads' names as a person reads them in {@code top -H} or a thread
 * dump: the worker number goes, the pool's stays. {@code etl-parse-3} is {@code etl-parse};
 * {@code pool-7-thread-2} is {@code pool-7}; {@code ForkJoinPool-1-worker-3} is {@code ForkJoinPool-1};
 * {@code reader_12} and {@code reader#12} are {@code reader}; a name without a trailing number is the name.
 * Two pools whose threads read alike are told apart by order of discovery: {@code worker},
 * {@code worker#2}. Names once given are kept. Not thread-safe: the control loop owns it.
 */
final class PoolNames {
    private static final Pattern JDK_DEFAULT = Pattern.compile("(.+)-(?:thread|worker)-\\d+");
    private static final Pattern NUMBERED = Pattern.compile("(.*?[^-_ #.\\d])[-_ #.]*\\d+");

    private final Set<String> taken = new HashSet<>();

    /** The pool name a worker thread's name stands for. */
    static String fromThread(String threadName) {
        String name = threadName == null ? "" : threadName.trim();
        Matcher m = JDK_DEFAULT.matcher(name);
        if (m.matches()) {
            return m.group(1);
        }
        m = NUMBERED.matcher(name);
        if (m.matches()) {
            return m.group(1);
        }
        return name.isEmpty() ? "pool" : name;
    }

    /** A name for a newly found pool whose first worker is {@code threadName}, unique among those given. */
    String assign(String threadName) {
        String base = fromThread(threadName);
        String name = base;
        for (int n = 2; !taken.add(name); n++) {
            name = base + "#" + n;
        }
        return name;
    }
}
