package dev.tuner.engine;

/**
 * The utilization band the engine steers into, from the user's target and dead band (both shares of the
 * cores), and every line the engine draws in it. The one place these are defined.
 *
 * <pre>
 *   bottom = target - deadBand   under it, while the target was the limit, the load has shifted
 *   reached = target - {@value Thresholds#REACHED}   from here the CPU budget counts as spent
 *   target
 *   aim = target + {@value Thresholds#AIM} x deadBand   what a raise aims at
 *   top = target + deadBand   over it, utilization overshoots: the pacer comes down
 * </pre>
 */
public record Band(double target, double deadBand) {

    public static Band of(Settings settings) {
        return new Band(settings.target(), settings.deadBand());
    }

    /** Over this, utilization overshoots the band. */
    public double top() {
        return target + deadBand;
    }

    /** What a raise aims at: inside the band, above the target. */
    public double aim() {
        return target + Thresholds.AIM * deadBand;
    }

    /** From here utilization counts as having reached the target. */
    public double reached() {
        return target - Thresholds.REACHED;
    }

    /** Under this, with the target as the limit, the load has shifted. */
    public double bottom() {
        return target - deadBand;
    }
}
