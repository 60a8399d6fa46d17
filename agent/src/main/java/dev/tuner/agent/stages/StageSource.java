package dev.tuner.agent.stages;

import dev.tuner.engine.Knob;
import java.util.List;

/**
 * Where stages come from: JMX beans under the contract, or JDK pools found by instrumentation. A source
 * reads its stages every interval and applies knob changes; it reports what appears, vanishes or fails
 * through {@link StageEvents}, and never throws.
 */
public interface StageSource {

    /** Every stage now present (newly found ones reported as discovered, vanished ones as lost). */
    List<StageReading> read();

    /** Samples what changes faster than an interval (buffer occupancy); called several times per interval. */
    default void tick() {
    }

    /** Sets a knob; false if this source does not hold the stage or the change failed (then reported and dropped). */
    boolean apply(String stageId, Knob knob, int value);

    /** Sets every knob it changed back to the value it found; true if all were restored. */
    boolean restore();

    /** What happens to stages, for the log. */
    interface StageEvents {
        void discovered(StageReading stage);

        void lost(String stageId, SourceKind source, String why);

        /** The stage misbehaved (its setter threw, its bean is malformed) and is dropped for good. */
        void dropped(String stageId, SourceKind source, String why);
    }
}
