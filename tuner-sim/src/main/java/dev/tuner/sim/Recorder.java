package dev.tuner.sim;

import dev.tuner.engine.Converged;
import dev.tuner.engine.Decision;
import dev.tuner.engine.Diagnosis;
import dev.tuner.engine.Observation;
import dev.tuner.engine.TuningListener;
import dev.tuner.engine.Verification;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A {@link TuningListener} that keeps what the controller reported, stamped with simulated time, and
 * passes everything on to an optional delegate.
 */
public final class Recorder implements TuningListener {

    /** One reported event: {@code kind} is decision, verify, rollback, retune, converged or warning. */
    public record Event(double time, String kind, String text) {
        @Override
        public String toString() {
            return String.format("%6.1fs %-9s %s", time, kind, text);
        }
    }

    /** A decision and when it was made. */
    public record TimedDecision(double time, Decision decision, boolean applied) {
    }

    private final TuningListener delegate;
    private final List<Event> events = new ArrayList<>();
    private final List<TimedDecision> decisions = new ArrayList<>();
    private final List<Verification> verifications = new ArrayList<>();
    private final List<Converged> converged = new ArrayList<>();
    private double time;

    public Recorder() {
        this(null);
    }

    public Recorder(TuningListener delegate) {
        this.delegate = delegate;
    }

    /** Sets the simulated time stamped on what follows. */
    public void at(double seconds) {
        this.time = seconds;
    }

    @Override
    public void onSample(Observation observation, Diagnosis diagnosis) {
        if (delegate != null) {
            delegate.onSample(observation, diagnosis);
        }
    }

    @Override
    public void onDecision(Decision decision, boolean applied) {
        decisions.add(new TimedDecision(time, decision, applied));
        events.add(new Event(time, "decision", "#" + decision.round() + " " + decision.stage() + " "
                + decision.knob() + " " + decision.from() + " -> " + decision.to() + (applied ? "" : " (not applied)")
                + ": " + decision.reason()));
        if (delegate != null) {
            delegate.onDecision(decision, applied);
        }
    }

    @Override
    public void onVerification(Verification v) {
        verifications.add(v);
        Decision d = v.decision();
        events.add(new Event(time, v.kept() ? "verify" : "rollback", d.stage() + " " + d.knob() + " " + d.from()
                + " -> " + d.to() + String.format(": %.0f/s before, %.0f/s expected, %.0f/s measured",
                v.before(), v.expected(), v.measured())));
        if (delegate != null) {
            delegate.onVerification(v);
        }
    }

    @Override
    public void onConverged(Converged c) {
        converged.add(c);
        events.add(new Event(time, "converged", String.format("cpu %.2f after %d rounds; ", c.utilization(), c.rounds())
                + c.limit() + "; recommended " + c.recommended()));
        if (delegate != null) {
            delegate.onConverged(c);
        }
    }

    @Override
    public void onRetune(String reason) {
        events.add(new Event(time, "retune", reason));
        if (delegate != null) {
            delegate.onRetune(reason);
        }
    }

    @Override
    public void onWarning(String message) {
        events.add(new Event(time, "warning", message));
        if (delegate != null) {
            delegate.onWarning(message);
        }
    }

    public List<Event> events() {
        return Collections.unmodifiableList(events);
    }

    public List<TimedDecision> decisions() {
        return Collections.unmodifiableList(decisions);
    }

    public List<Verification> verifications() {
        return Collections.unmodifiableList(verifications);
    }

    public List<Converged> converged() {
        return Collections.unmodifiableList(converged);
    }
}
