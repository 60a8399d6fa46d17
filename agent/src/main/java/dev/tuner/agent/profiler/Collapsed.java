package dev.tuner.agent.profiler;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads async-profiler's {@code collapsed} output recorded with {@code threads}: one stack a line,
 * {@code [name tid=N];outer;...;leaf weight}. Pure: text in, {@link Stack}s out.
 *
 * <p>A thread name may itself hold {@code ;} or spaces: the thread frame ends at the first
 * {@code  tid=<digits>]}. Frame annotations ({@code _[i]}, {@code _[k]}, {@code _[j]}...) are dropped and
 * package separators become dots. Lines that do not parse (a truncated dump, a warning) are skipped.
 */
public final class Collapsed {
    private static final Pattern THREAD = Pattern.compile("^\\[(.*?)(?: ?tid=\\d+)\\];?");
    private static final Pattern ANNOTATION = Pattern.compile("_\\[[a-z0-9]\\]$");

    private Collapsed() {
    }

    public static List<Stack> parse(String text) {
        List<Stack> stacks = new ArrayList<>();
        if (text == null || text.isEmpty()) {
            return stacks;
        }
        for (String line : text.split("\n")) {
            Stack stack = line(line.strip());
            if (stack != null) {
                stacks.add(stack);
            }
        }
        return stacks;
    }

    private static Stack line(String line) {
        int space = line.lastIndexOf(' ');
        if (space <= 0) {
            return null;
        }
        long weight;
        try {
            weight = Long.parseLong(line.substring(space + 1));
        } catch (NumberFormatException e) {
            return null;
        }
        String body = line.substring(0, space);
        String thread = "";
        Matcher m = THREAD.matcher(body);
        if (m.find()) {
            thread = m.group(1).strip();
            body = body.substring(m.end());
        }
        List<String> frames = new ArrayList<>();
        if (!body.isEmpty()) {
            for (String frame : body.split(";")) {
                if (!frame.isEmpty()) {
                    frames.add(frame(frame));
                }
            }
        }
        return new Stack(thread, frames, weight);
    }

    /** {@code java/util/HashMap.get_[j]} -> {@code java.util.HashMap.get}; native frames keep their name. */
    static String frame(String raw) {
        String frame = ANNOTATION.matcher(raw).replaceFirst("");
        return frame.contains("::") ? frame : frame.replace('/', '.');
    }
}
