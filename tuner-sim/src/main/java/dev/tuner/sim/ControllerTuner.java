package dev.tuner.sim;

import dev.tuner.engine.Actuator;
import dev.tuner.engine.Controller;
import dev.tuner.engine.ProcessSnapshot;
import dev.tuner.engine.Settings;
import dev.tuner.engine.TuningListener;

/** The engine's {@link Controller} behind the {@link Tuner} interface, with its reports recorded. */
public final class ControllerTuner implements Tuner {
    private final Controller controller;
    private final Recorder recorder;

    public ControllerTuner(Settings settings, Actuator actuator) {
        this(settings, actuator, null);
    }

    /** @param listener also told everything the controller reports; may be null */
    public ControllerTuner(Settings settings, Actuator actuator, TuningListener listener) {
        this.recorder = new Recorder(listener);
        this.controller = new Controller(settings, actuator, recorder);
    }

    @Override
    public void onSnapshot(ProcessSnapshot snapshot) {
        recorder.at(snapshot.nanoTime() / 1e9);
        controller.onSnapshot(snapshot);
    }

    @Override
    public int rounds() {
        return controller.rounds();
    }

    @Override
    public String name() {
        return "controller";
    }

    public Controller controller() {
        return controller;
    }

    public Recorder recorder() {
        return recorder;
    }
}
