package dev.tuner.agent.status;

import dev.tuner.agent.stages.StageReading;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One stop: the knob settings just before it and after it (the ones found, unless {@code kept}).
 *
 * @param restored whether every changed knob was set back (false when kept)
 */
public record StopReport(Instant at, boolean kept, boolean restored,
                         Map<String, StageReading.KnobSettings> before,
                         Map<String, StageReading.KnobSettings> after) {
    public StopReport {
        before = Collections.unmodifiableMap(new LinkedHashMap<>(before));
        after = Collections.unmodifiableMap(new LinkedHashMap<>(after));
    }
}
