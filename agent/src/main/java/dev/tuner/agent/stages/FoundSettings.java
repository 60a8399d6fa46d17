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

    public Map<String, StageReading.KnobSettings> all() {
        return Map.copyOf(found);
    }
}
