package dev.tuner.stage;

import java.lang.management.ManagementFactory;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Publishes a {@link Stage} under the JMX contract on the platform MBeanServer. */
public final class StageBean implements StageMXBean {
    /** The domain and type of every stage bean; the agent queries {@code dev.tuner:type=Stage,*}. */
    public static final String DOMAIN = "dev.tuner";

    private final Stage<?, ?> stage;

    private StageBean(Stage<?, ?> stage) {
        this.stage = stage;
    }

    /** The ObjectName of a stage under the contract. */
    public static ObjectName objectName(String pipeline, String stage) {
        try {
            return new ObjectName(DOMAIN + ":type=Stage,pipeline=" + Stage.checkName("pipeline", pipeline)
                    + ",name=" + Stage.checkName("stage", stage));
        } catch (JMException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Stages this class published, by name: to tell a stale bean (its stage gone) from a live one. */
    private static final Map<ObjectName, Stage<?, ?>> PUBLISHED = new ConcurrentHashMap<>();

    /**
     * Registers {@code stage}. A bean left under the same name by an earlier pipeline whose stage has
     * finished or was shut down is replaced; one whose stage still runs is not: two live pipelines with
     * one name would take each other's beans.
     *
     * @return the name it was registered under
     * @throws IllegalStateException if a live stage already holds the name
     */
    public static ObjectName register(Stage<?, ?> stage) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = objectName(stage.pipeline(), stage.name());
        StageBean bean = new StageBean(stage);
        try {
            try {
                server.registerMBean(bean, name);
            } catch (InstanceAlreadyExistsException e) {
                Stage<?, ?> holder = PUBLISHED.get(name);
                if (holder == null || !(holder.isFinished() || holder.isShutdown())) {
                    throw new IllegalStateException(name + " is already published by a running pipeline;"
                            + " give each live pipeline its own name", e);
                }
                server.unregisterMBean(name);
                server.registerMBean(bean, name);
            }
        } catch (JMException e) {
            throw new IllegalStateException("cannot register " + name + ": " + e, e);
        }
        PUBLISHED.put(name, stage);
        return name;
    }

    /**
     * Withdraws {@code stage}'s bean, unless another stage has taken its name since (a stale stage
     * replaced by a new pipeline's must not take that pipeline's bean with it); a name already gone is fine.
     */
    public static void unregister(Stage<?, ?> stage) {
        ObjectName name = objectName(stage.pipeline(), stage.name());
        if (!PUBLISHED.remove(name, stage)) {
            return;
        }
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
        } catch (InstanceNotFoundException ignored) {
            // already gone
        } catch (JMException e) {
            throw new IllegalStateException("cannot unregister " + name + ": " + e, e);
        }
    }

    @Override
    public int getParallelism() {
        return stage.parallelism();
    }

    @Override
    public void setParallelism(int parallelism) {
        stage.setParallelism(parallelism);
    }

    @Override
    public int getMinParallelism() {
        return stage.config().minParallelism();
    }

    @Override
    public int getMaxParallelism() {
        return stage.config().maxParallelism();
    }

    @Override
    public int getPrefetch() {
        return stage.prefetch();
    }

    @Override
    public void setPrefetch(int prefetch) {
        stage.setPrefetch(prefetch);
    }

    @Override
    public int getMinPrefetch() {
        return stage.output() == null ? -1 : stage.config().minPrefetch();
    }

    @Override
    public int getMaxPrefetch() {
        return stage.output() == null ? -1 : stage.config().maxPrefetch();
    }

    @Override
    public long getItemsProcessed() {
        return stage.counters().itemsProcessed();
    }

    @Override
    public long getBusyNanos() {
        return stage.counters().busyNanos();
    }

    @Override
    public long getInputWaitNanos() {
        return stage.counters().inputWaitNanos();
    }

    @Override
    public long getOutputWaitNanos() {
        return stage.counters().outputWaitNanos();
    }

    @Override
    public int getBuffered() {
        return stage.buffered();
    }

    @Override
    public long[] getWorkerThreadIds() {
        return stage.workerThreadIds();
    }
}
