package dev.tuner.it.cli;

import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * The knobs of every stage of a live JVM, read by the test itself from the stage MXBeans (the JMX
 * contract) over the JVM's local connector: the ground truth that {@code stop} must restore.
 */
public final class StageKnobs implements AutoCloseable {
    private final JMXConnector connector;
    private final MBeanServerConnection server;

    private StageKnobs(JMXConnector connector) throws Exception {
        this.connector = connector;
        this.server = connector.getMBeanServerConnection();
    }

    public static StageKnobs of(long pid) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(String.valueOf(pid));
        try {
            return new StageKnobs(JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent())));
        } finally {
            vm.detach();
        }
    }

    /** {@code pipeline/name -> "parallelism=P prefetch=F"} for every stage, sorted by name. */
    public Map<String, String> read() throws Exception {
        Map<String, String> knobs = new TreeMap<>();
        for (ObjectName name : server.queryNames(new ObjectName("dev.tuner:type=Stage,*"), null)) {
            Object p = server.getAttribute(name, "Parallelism");
            Object f = server.getAttribute(name, "Prefetch");
            knobs.put(name.getKeyProperty("pipeline") + "/" + name.getKeyProperty("name"),
                    "parallelism=" + p + " prefetch=" + f);
        }
        return knobs;
    }

    @Override
    public void close() throws IOException {
        connector.close();
    }
}
