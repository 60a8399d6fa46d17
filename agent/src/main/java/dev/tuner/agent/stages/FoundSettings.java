package dev.tuner.agent.stages;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a stop restores: each stage's knobs as the agent first found them, and which stages it has
 * changed since. Owned by the agent and kept across stop and resume, so a resumed agent still restores
 * what was there before it ever changed anything (and never touches a stage it did not change).
 * Thread-safe.
 */
public final class FoundSettings {
    private final Map<String, StageReading.KnobSettings> found = new ConcurrentHashMap<>();
    private final Set<String> changed = ConcurrentHashMap.newKeySet();

    /** Remembers {@code stage}'s knobs unless it was seen before. */
    public void firstSeen(StageReading stage) {
        found.putIfAbsent(stage.id(), stage.knobs());
    }

    public void changed(String stageId) {
        changed.add(stageId);
    }

    /** Stages changed and not yet restored. */
    public Set<String> changedStages() {
        return Set.copyOf(changed);
    }

    public StageReading.KnobSettings found(String stageId) {
        return found.get(stageId);
    }

    public void restored(String stageId) {
        changed.remove(stageId);
    }

    /** How a source sets one stage's knobs back to what it found. */
    @FunctionalInterface
    public interface SetBack {
        /** @return true if they were set back, or the stage is gone (nothing left to set back) */
        boolean setBack(String stageId, StageReading.KnobSettings original);
    }

    /**
     * Sets back every stage changed and not restored yet; each one set back (or gone) is restored and
     * not tried again, a failed one stays changed for the next stop.
     *
     * @return true if every stage was set back
     */
    public boolean restoreEach(SetBack source) {
        boolean all = true;
        for (String id : changedStages()) {
            StageReading.KnobSettings original = found.get(id);
            boolean done = original == null || source.setBack(id, original);
            if (done) {
                restored(id);
            }
            all &= done;
        }
        return all;
    }
}
