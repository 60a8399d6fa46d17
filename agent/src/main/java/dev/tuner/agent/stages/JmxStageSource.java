package dev.tuner.agent.stages;

import dev.tuner.engine.Knob;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.InstanceNotFoundException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import dev.tuner.engine.StageSnapshot;

/**
 * Stages published under the JMX contract: {@code dev.tuner:type=Stage,pipeline=<p>,name=<s>}.
 *
 * <p>The platform MBeanServer is queried at every {@link #read()}, so beans registered before or after
 * the agent started, from any class loader, are all found. Attributes are read by name as numbers, so
 * an app may implement the contract with any MXBean or standard MBean of its own. A bean that throws
 * from a setter, or lacks a contract attribute, is reported once and dropped for the agent's life.
 *
 * <p>Thread-safe: the control loop reads and ticks it, and a stop may restore while the loop winds
 * down.
 */
public final class JmxStageSource implements StageSource {
    private static final String[] ATTRIBUTES = {"Parallelism", "MinParallelism", "MaxParallelism", "Prefetch",
        "MinPrefetch", "MaxPrefetch", "ItemsProcessed", "BusyNanos", "InputWaitNanos", "OutputWaitNanos",
        "Buffered", "WorkerThreadIds"};

    private final MBeanServer server;
    private final ObjectName query;
    private final StageEvents events;
    private final Map<String, ObjectName> names = new LinkedHashMap<>();
    private final FoundSettings found;
    private final Set<ObjectName> dropped = new HashSet<>();
    private final Map<String, long[]> occupancy = new HashMap<>();
    private final Map<String, Integer> capacity = new HashMap<>();

    public JmxStageSource(MBeanServer server, StageEvents events) {
        this(server, events, new FoundSettings());
    }

    /**
     * @param found where the knob values first seen on each stage, and the stages changed, are kept
     *              (and read back by {@link #restore()}); owned by the agent so a resumed agent still
     *              restores the values it found before it ever changed anything
     */
    public JmxStageSource(MBeanServer server, StageEvents events, FoundSettings found) {
        this.server = server;
        this.events = events;
        this.found = found;
        try {
            this.query = new ObjectName("dev.tuner:type=Stage,*");
        } catch (MalformedObjectNameException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public synchronized List<StageReading> read() {
        Set<String> present = new HashSet<>();
        List<StageReading> readings = new ArrayList<>();
        for (ObjectName name : server.queryNames(query, null)) {
            if (dropped.contains(name)) {
                continue;
            }
            String pipeline = name.getKeyProperty("pipeline");
            String stage = name.getKeyProperty("name");
            if (pipeline == null || stage == null) {
                drop(name, String.valueOf(name), "its ObjectName lacks the pipeline= or name= key");
                continue;
            }
            String id = pipeline + "/" + stage;
            StageReading reading;
            try {
                reading = readOne(id, pipeline, name);
            } catch (InstanceNotFoundException e) {
                continue; // unregistered between query and read: reported as lost below
            } catch (Exception e) {
                drop(name, id, "reading its attributes failed: " + e);
                continue;
            }
            if (reading == null) {
                continue;
            }
            present.add(id);
            readings.add(reading);
            if (!names.containsKey(id) || !names.get(id).equals(name)) {
                names.put(id, name);
                found.firstSeen(reading);
                events.discovered(reading);
            }
        }
        for (String id : new ArrayList<>(names.keySet())) {
            if (!present.contains(id)) {
                names.remove(id);
                events.lost(id, SourceKind.JMX, "its MBean was unregistered");
            }
        }
        return readings;
    }

    private StageReading readOne(String id, String pipeline, ObjectName name) throws Exception {
        AttributeList list = server.getAttributes(name, ATTRIBUTES);
        Map<String, Object> values = new HashMap<>();
        for (Attribute a : list.asList()) {
            values.put(a.getName(), a.getValue());
        }
        for (String attribute : ATTRIBUTES) {
            if (!values.containsKey(attribute)) {
                drop(name, id, "it lacks the contract attribute " + attribute);
                return null;
            }
        }
        return new StageReading(id, pipeline, SourceKind.JMX,
                intOf(values, "Parallelism"), intOf(values, "MinParallelism"), intOf(values, "MaxParallelism"),
                intOf(values, "Prefetch"), intOf(values, "MinPrefetch"), intOf(values, "MaxPrefetch"),
                longOf(values, "ItemsProcessed"), longOf(values, "BusyNanos"), longOf(values, "InputWaitNanos"),
                longOf(values, "OutputWaitNanos"), intOf(values, "Buffered"), idsOf(values.get("WorkerThreadIds")),
                occupancy(id, intOf(values, "Prefetch")));
    }

    /** The occupancy counts so far, and the capacity the next ticks compare against. */
    private StageSnapshot.Occupancy occupancy(String id, int prefetch) {
        capacity.put(id, prefetch);
        long[] counts = occupancy.computeIfAbsent(id, k -> new long[3]);
        return new StageSnapshot.Occupancy(counts[0], counts[1], counts[2]);
    }

    @Override
    public synchronized void tick() {
        for (Map.Entry<String, ObjectName> e : names.entrySet()) {
            Integer cap = capacity.get(e.getKey());
            if (cap == null || cap < 1) {
                continue;
            }
            try {
                Object value = server.getAttribute(e.getValue(), "Buffered");
                if (value instanceof Number n) {
                    long[] counts = occupancy.computeIfAbsent(e.getKey(), k -> new long[3]);
                    counts[0]++;
                    if (n.intValue() >= cap) {
                        counts[1]++;
                    } else if (n.intValue() <= 0) {
                        counts[2]++;
                    }
                }
            } catch (Exception ignored) {
                // a vanished or failing bean is reported by the next read()
            }
        }
    }

    @Override
    public synchronized boolean apply(String stageId, Knob knob, int value) {
        ObjectName name = names.get(stageId);
        if (name == null) {
            return false;
        }
        String attribute = knob == Knob.PARALLELISM ? "Parallelism" : "Prefetch";
        try {
            server.setAttribute(name, new Attribute(attribute, typed(name, attribute, value)));
            found.changed(stageId);
            return true;
        } catch (InstanceNotFoundException e) {
            names.remove(stageId);
            events.lost(stageId, SourceKind.JMX, "its MBean was unregistered");
            return false;
        } catch (Exception e) {
            drop(name, stageId, "setting " + attribute + "=" + value + " failed: " + rootMessage(e));
            return false;
        }
    }

    @Override
    public synchronized boolean restore() {
        return found.restoreEach((id, original) -> {
            ObjectName name = names.get(id);
            if (name == null) {
                return true; // gone with its app (or dropped): nothing left to set back
            }
            boolean ok = set(name, "Parallelism", original.parallelism());
            if (original.prefetch() >= 0) {
                ok &= set(name, "Prefetch", original.prefetch());
            }
            return ok;
        });
    }

    private boolean set(ObjectName name, String attribute, int value) {
        try {
            server.setAttribute(name, new Attribute(attribute, typed(name, attribute, value)));
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** The value boxed as the attribute's declared type, so a bean that declares long or Integer accepts it. */
    private Object typed(ObjectName name, String attribute, int value) throws Exception {
        for (MBeanAttributeInfo info : server.getMBeanInfo(name).getAttributes()) {
            if (info.getName().equals(attribute)) {
                String type = info.getType();
                if ("long".equals(type) || "java.lang.Long".equals(type)) {
                    return (long) value;
                }
                return value;
            }
        }
        return value;
    }

    private void drop(ObjectName name, String id, String why) {
        if (dropped.add(name)) {
            names.remove(id);
            events.dropped(id, SourceKind.JMX, why);
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    private static int intOf(Map<String, Object> values, String attribute) {
        Object v = values.get(attribute);
        if (v instanceof Number n) {
            return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, n.longValue()));
        }
        throw new IllegalArgumentException(attribute + " is not a number: " + v);
    }

    private static long longOf(Map<String, Object> values, String attribute) {
        Object v = values.get(attribute);
        if (v instanceof Number n) {
            return n.longValue();
        }
        throw new IllegalArgumentException(attribute + " is not a number: " + v);
    }

    private static long[] idsOf(Object v) {
        if (v instanceof long[] ids) {
            return ids;
        }
        if (v instanceof Long[] boxed) {
            long[] ids = new long[boxed.length];
            for (int i = 0; i < boxed.length; i++) {
                ids[i] = boxed[i] == null ? -1 : boxed[i];
            }
            return ids;
        }
        if (v instanceof int[] small) {
            long[] ids = new long[small.length];
            for (int i = 0; i < small.length; i++) {
                ids[i] = small[i];
            }
            return ids;
        }
        return new long[0];
    }
}
