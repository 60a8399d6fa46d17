package dev.tuner.agent.status;

import dev.tuner.agent.config.AgentOptions;
import dev.tuner.agent.stages.SourceKind;
import dev.tuner.engine.Controller;
import dev.tuner.engine.Converged;
import dev.tuner.engine.Diagnosis;
import dev.tuner.engine.Observation;
import dev.tuner.engine.Taken;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What the running agent shows to whoever looks (its MXBeans, and through them {@code status}, {@code stop}
 * and {@code diagnose}): read-only facts, current at the moment of each call. Implementations are
 * thread-safe; the engine's values come from the current tuning session, or the last one after a stop.
 */
public interface TunerStatus {
    /** The options in force: those given at launch merged with every update since. */
    AgentOptions options();

    /** True after a stop (by the command line, or the loop giving up), until tuning resumes. */
    boolean isStopped();

    /** The controller's state: tuning, converged or stopped. */
    Controller.State state();

    /** The last interval's observation, or {@code null} before the first. */
    Observation lastObservation();

    /** The last interval's diagnosis, or {@code null} before the first. */
    Diagnosis lastDiagnosis();

    /** Where each stage of the last interval was found (JMX contract or JDK pool), by stage id. */
    Map<String, SourceKind> stageSources();

    /** Decision rounds so far. */
    int rounds();

    /** The most recent decisions, oldest first, each with whether it was applied. */
    List<Taken> recentDecisions();

    /** The last verdict, or {@code null} before the first. */
    Converged lastConverged();

    /** The tuning log this agent writes. */
    Path logPath();

    /** Intervals that failed since tuning last began. */
    int failures();

    /** What the last stop found and left, or {@code null} if tuning was never stopped. */
    StopReport lastStop();
}
