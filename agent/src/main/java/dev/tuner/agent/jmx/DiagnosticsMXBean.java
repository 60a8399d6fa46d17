package dev.tuner.agent.jmx;

/**
 * {@code dev.tuner:type=Diagnostics}: a diagnosis on demand, published whether or not a tuner runs (the
 * {@code diagnose} command loads tuner.jar just for it when none does). Nothing it does changes a knob.
 */
public interface DiagnosticsMXBean {
    /**
     * Watches the process for {@code seconds} (1 to {@value DiagnosticsBean#MAX_SECONDS}) and returns what
     * it found as one JSON object ({@code dev.tuner.agent.diagnose.Report} lists the fields). Blocks for the
     * window. Changes nothing: no knob is set, and a tuner running in tune mode goes on by itself.
     */
    String diagnose(int seconds);

    /** The version of the tuner.jar this bean came from. */
    String getVersion();
}
