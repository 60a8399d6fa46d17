package dev.tuner.sim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Where a pipeline's first stage takes its items: at most {@code maxRate} items a second (or as many as
 * it asks for), and what changes when. An item the first stage does not take when offered is not
 * kept (a source that delivers at most X per second, not a backlog), beyond a slack of 50 ms of items.
 * Immutable.
 */
public final class SourceSpec {

    /** What happens at a point in time. */
    public enum Kind {
        /** The rate becomes {@code rate} ({@link Double#POSITIVE_INFINITY} for no limit). */
        RATE,
        /** Nothing arrives until the next change. */
        IDLE,
        /** Nothing arrives ever again; the stages drain and their workers leave. */
        EXHAUSTED
    }

    /** A change of the source at {@code at} seconds. */
    public record Change(double at, Kind kind, double rate) {
    }

    private final double maxRate;
    private final List<Change> changes;

    private SourceSpec(double maxRate, List<Change> changes) {
        if (!(maxRate >= 0)) {
            throw new IllegalArgumentException("source rate must be >= 0, got " + maxRate);
        }
        this.maxRate = maxRate;
        List<Change> sorted = new ArrayList<>(changes);
        sorted.sort(Comparator.comparingDouble(Change::at));
        this.changes = List.copyOf(sorted);
    }

    /** A source that never makes the first stage wait. */
    public static SourceSpec unlimited() {
        return new SourceSpec(Double.POSITIVE_INFINITY, List.of());
    }

    /** A source that delivers at most {@code itemsPerSecond}. */
    public static SourceSpec rate(double itemsPerSecond) {
        return new SourceSpec(itemsPerSecond, List.of());
    }

    public SourceSpec rateAt(double at, double itemsPerSecond) {
        return with(new Change(at, Kind.RATE, itemsPerSecond));
    }

    public SourceSpec idleAt(double at) {
        return with(new Change(at, Kind.IDLE, 0));
    }

    public SourceSpec exhaustedAt(double at) {
        return with(new Change(at, Kind.EXHAUSTED, 0));
    }

    private SourceSpec with(Change change) {
        if (!(change.at() >= 0)) {
            throw new IllegalArgumentException("a change needs a time >= 0");
        }
        List<Change> next = new ArrayList<>(changes);
        next.add(change);
        return new SourceSpec(maxRate, next);
    }

    public double maxRate() {
        return maxRate;
    }

    public List<Change> changes() {
        return changes;
    }

    /** The same schedule with the initial rate replaced. */
    public SourceSpec withRate(double itemsPerSecond) {
        return new SourceSpec(itemsPerSecond, changes);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(Double.isInfinite(maxRate) ? "unlimited" : String.format("%.0f/s", maxRate));
        for (Change c : changes) {
            s.append(", at ").append(c.at()).append("s ").append(c.kind().name().toLowerCase());
            if (c.kind() == Kind.RATE) {
                s.append(" ").append(Double.isInfinite(c.rate()) ? "unlimited" : String.format("%.0f/s", c.rate()));
            }
        }
        return s.toString();
    }
}
