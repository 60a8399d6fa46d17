package dev.tuner.agent.jmx;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuner.agent.config.AgentInfo;
import dev.tuner.agent.log.FactJson;
import dev.tuner.agent.stages.SourceKind;
import dev.tuner.agent.status.StopReport;
import dev.tuner.agent.status.TunerStatus;
import dev.tuner.engine.Converged;
import dev.tuner.engine.Diagnosis;
import dev.tuner.engine.Label;
import dev.tuner.engine.Observation;
import dev.tuner.engine.StageObservation;
import dev.tuner.engine.Taken;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Map;
import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * {@code dev.tuner:type=Tuner}: the running agent, for the command line and JMX consoles. It reads the agent
 * through {@link TunerStatus} and acts on it only through the {@link Stopper} it is given.
 */
public final class TunerBean implements TunerMXBean {
    public static final String NAME = "dev.tuner:type=Tuner";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The one thing the bean may do to the agent: stop its tuning. */
    @FunctionalInterface
    public interface Stopper {
        /** Stops tuning; restores every knob it changed unless {@code keep}. Idempotent. */
        void stop(boolean keep);
    }

    private final TunerStatus agent;
    private final Stopper stopper;

    TunerBean(TunerStatus agent, Stopper stopper) {
        this.agent = agent;
        this.stopper = stopper;
    }

    /** Registers the bean over {@code agent}; a failure to register is reported, never thrown. */
    public static TunerBean register(TunerStatus agent, Stopper stopper) {
        TunerBean bean = new TunerBean(agent, stopper);
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            ObjectName name = new ObjectName(NAME);
            try {
                server.registerMBean(bean, name);
            } catch (InstanceAlreadyExistsException e) {
                server.unregisterMBean(name);
                server.registerMBean(bean, name);
            }
        } catch (JMException e) {
            System.err.println("tuner: cannot publish " + NAME + " (" + e + "); status and stop will not reach it");
        }
        return bean;
    }

    @Override
    public String getState() {
        return agent.isStopped() ? "stopped" : agent.state().name().toLowerCase(Locale.ROOT);
    }

    @Override
    public double getTarget() {
        return agent.options().target();
    }

    @Override
    public String getMode() {
        return agent.options().mode().name().toLowerCase(Locale.ROOT);
    }

    @Override
    public double getCores() {
        return agent.options().cores();
    }

    @Override
    public double getUtilization() {
        Observation obs = agent.lastObservation();
        return obs == null ? -1 : obs.utilization();
    }

    @Override
    public int getRounds() {
        return agent.rounds();
    }

    @Override
    public String getLogFile() {
        return agent.logPath().toAbsolutePath().toString();
    }

    @Override
    public String getOptions() {
        return agent.options().toString();
    }

    @Override
    public String[] getRecentDecisions() {
        return agent.recentDecisions().stream().map(Taken::decision)
                .map(d -> d.stage() + " " + d.knob().wireName() + " " + d.from() + " -> " + d.to() + ": " + d.reason())
                .toArray(String[]::new);
    }

    @Override
    public String getStatusJson() {
        ObjectNode status = MAPPER.createObjectNode();
        status.put("pid", ProcessHandle.current().pid());
        status.put("java", Runtime.version().toString());
        status.put("version", AgentInfo.version());
        status.put("state", getState());
        status.put("mode", getMode());
        status.put("target", getTarget());
        status.put("cores", getCores());
        status.put("log", getLogFile());
        status.put("options", getOptions());
        status.put("rounds", agent.rounds());
        status.put("failures", agent.failures());
        Observation obs = agent.lastObservation();
        Diagnosis diagnosis = agent.lastDiagnosis();
        if (obs != null) {
            status.put("utilization", round(obs.utilization()));
            status.put("cores_busy", round(obs.coresBusy()));
            Map<String, SourceKind> sources = agent.stageSources();
            ObjectNode stages = status.putObject("stages");
            for (StageObservation s : obs.stages()) {
                ObjectNode stage = stages.putObject(s.id());
                SourceKind source = sources.get(s.id());
                stage.put("source", source == null ? null : source.wireName());
                stage.put("parallelism", s.now().parallelism());
                stage.put("min_parallelism", s.now().minParallelism());
                stage.put("max_parallelism", s.now().maxParallelism());
                stage.put("prefetch", s.now().prefetch());
                stage.put("min_prefetch", s.now().minPrefetch());
                stage.put("max_prefetch", s.now().maxPrefetch());
                stage.put("throughput", round(s.throughput()));
                Label label = diagnosis == null ? null : diagnosis.label(s.id());
                stage.put("label", label == null ? null : label.wireName());
            }
        }
        ArrayNode decisions = status.putArray("decisions");
        for (Taken taken : agent.recentDecisions()) {
            FactJson.decision(decisions.addObject(), taken);
        }
        Converged converged = agent.lastConverged();
        if (converged != null) {
            ObjectNode verdict = status.putObject("converged");
            verdict.set("limit", FactJson.limit(converged.limit()));
            verdict.set("recommended", FactJson.recommended(converged.recommended()));
        }
        return status.toString();
    }

    @Override
    public String getLastStopJson() {
        StopReport stop = agent.lastStop();
        if (stop == null) {
            return null;
        }
        ObjectNode node = MAPPER.createObjectNode();
        node.put("at", stop.at().toString());
        node.put("kept", stop.kept());
        node.put("restored", stop.restored());
        node.set("before", FactJson.settings(stop.before()));
        node.set("final", FactJson.settings(stop.after()));
        return node.toString();
    }

    @Override
    public String getVersion() {
        return AgentInfo.version();
    }

    @Override
    public int getFailures() {
        return agent.failures();
    }

    @Override
    public void stop(boolean keep) {
        stopper.stop(keep);
    }

    @Override
    public void restore() {
        stopper.stop(false);
    }

    private static double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 1e4) / 1e4 : -1;
    }
}
