package dev.tuner.sim;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A simulated pipeline: a source, stages in order (each feeds on the output buffer of the one before),
 * optionally a consumer that drains the last stage's buffer at a limited rate, and changes of per-item
 * costs at given times. Immutable; build with {@link #builder(String)}.
 */
public final class PipelineSpec {

    /**
     * From {@code at} seconds on, the stage's per-item costs are its spec's times these factors.
     */
    public record Shift(double at, String stage, double cpuFactor, double waitFactor, double externalFactor) {
    }

    private final String name;
    private final SourceSpec source;
    private final List<StageSpec> stages;
    private final double consumerRate;
    private final List<Shift> shifts;

    private PipelineSpec(Builder b) {
        this.name = b.name;
        this.source = b.source;
        this.stages = List.copyOf(b.stages);
        this.consumerRate = b.consumerRate;
        this.shifts = List.copyOf(b.shifts);
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    public Builder toBuilder() {
        Builder b = new Builder(name);
        b.source = source;
        b.stages.addAll(stages);
        b.consumerRate = consumerRate;
        b.shifts.addAll(shifts);
        return b;
    }

    public String name() {
        return name;
    }

    public SourceSpec source() {
        return source;
    }

    public List<StageSpec> stages() {
        return stages;
    }

    /** Items a second whatever consumes the last stage's buffer takes; infinite when it takes them at once. Ignored for a sink. */
    public double consumerRate() {
        return consumerRate;
    }

    public List<Shift> shifts() {
        return shifts;
    }

    /** Items stage {@code i} takes per source item: the product of the fan-outs before it. */
    public double itemsPerSourceItem(int i) {
        double m = 1;
        for (int j = 0; j < i; j++) {
            m *= stages.get(j).fanOut();
        }
        return m;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(name).append(" [source ").append(source).append("]");
        for (StageSpec st : stages) {
            s.append("\n  ").append(st);
        }
        if (!Double.isInfinite(consumerRate) && !stages.get(stages.size() - 1).isSink()) {
            s.append("\n  consumer ").append(String.format("%.0f/s", consumerRate));
        }
        for (Shift sh : shifts) {
            s.append("\n  at ").append(sh.at()).append("s ").append(sh.stage()).append(" costs x cpu ")
                    .append(sh.cpuFactor()).append(" wait ").append(sh.waitFactor()).append(" ext ").append(sh.externalFactor());
        }
        return s.toString();
    }

    public static final class Builder {
        private final String name;
        private SourceSpec source = SourceSpec.unlimited();
        private final List<StageSpec> stages = new ArrayList<>();
        private double consumerRate = Double.POSITIVE_INFINITY;
        private final List<Shift> shifts = new ArrayList<>();

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
            if (!name.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("pipeline name must match [A-Za-z0-9._-]+, got " + name);
            }
        }

        public Builder source(SourceSpec source) {
            this.source = Objects.requireNonNull(source, "source");
            return this;
        }

        public Builder stage(StageSpec stage) {
            stages.add(Objects.requireNonNull(stage, "stage"));
            return this;
        }

        public Builder stages(List<StageSpec> all) {
            all.forEach(this::stage);
            return this;
        }

        /** The rate at which whatever takes the last stage's output drains its buffer. */
        public Builder consumerRate(double itemsPerSecond) {
            if (!(itemsPerSecond > 0)) {
                throw new IllegalArgumentException("consumer rate must be > 0, got " + itemsPerSecond);
            }
            this.consumerRate = itemsPerSecond;
            return this;
        }

        /** Multiplies a stage's per-item costs from {@code at} seconds on (relative to its spec, not cumulative). */
        public Builder shift(double at, String stage, double cpuFactor, double waitFactor) {
            return shift(at, stage, cpuFactor, waitFactor, cpuFactor);
        }

        public Builder shift(double at, String stage, double cpuFactor, double waitFactor, double externalFactor) {
            if (!(at >= 0) || !(cpuFactor > 0) || !(waitFactor > 0) || !(externalFactor > 0)) {
                throw new IllegalArgumentException("a shift needs a time >= 0 and factors > 0");
            }
            shifts.add(new Shift(at, stage, cpuFactor, waitFactor, externalFactor));
            return this;
        }

        public PipelineSpec build() {
            if (stages.isEmpty()) {
                throw new IllegalArgumentException("pipeline " + name + " has no stage");
            }
            Set<String> names = new HashSet<>();
            for (int i = 0; i < stages.size(); i++) {
                StageSpec s = stages.get(i);
                if (!names.add(s.name())) {
                    throw new IllegalArgumentException("pipeline " + name + " has two stages named " + s.name());
                }
                if (s.isSink() && i < stages.size() - 1) {
                    throw new IllegalArgumentException("only the last stage may be a sink, not " + s.name());
                }
            }
            for (Shift sh : shifts) {
                if (!names.contains(sh.stage())) {
                    throw new IllegalArgumentException("shift names unknown stage " + sh.stage());
                }
            }
            return new PipelineSpec(this);
        }
    }
}
