package dev.tuner.agent.cli;

import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import dev.tuner.agent.config.AgentInfo;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code list}: the JVMs this user can attach to, with their Java version and whether a tuner runs in
 * each. The attach API lists them (from their {@code hsperfdata} files); each is asked for its system
 * properties, in parallel, with a deadline: nothing is loaded into them.
 */
final class ListCommand implements Command {
    /** How long one JVM may take to answer before it is listed as not answering. */
    private static final long ANSWER_MILLIS = 5_000;

    @Override
    public String name() {
        return "list";
    }

    @Override
    public String arguments() {
        return "";
    }

    @Override
    public String summary() {
        return "the JVMs you can attach to, and whether a tuner runs in each";
    }

    @Override
    public int run(List<String> raw, PrintStream out, PrintStream err) throws CliException {
        Args.parse(name(), raw, Set.of()).atMost(0);
        String self = String.valueOf(ProcessHandle.current().pid());
        List<VirtualMachineDescriptor> vms = new ArrayList<>();
        for (VirtualMachineDescriptor d : VirtualMachine.list()) {
            if (!d.id().equals(self)) {
                vms.add(d);
            }
        }
        if (vms.isEmpty()) {
            out.println("no JVM that user " + System.getProperty("user.name") + " can attach to runs here"
                    + " (a JVM started with -XX:+DisableAttachMechanism or -XX:-UsePerfData is not listed)");
            return 0;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(8, vms.size()), r -> {
            Thread t = new Thread(r, "tuner-list");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Properties>> answers = new ArrayList<>();
            for (VirtualMachineDescriptor d : vms) {
                answers.add(pool.submit(() -> properties(d)));
            }
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ANSWER_MILLIS);
            Table table = new Table(">PID", "JAVA", "TUNER", "MAIN");
            for (int i = 0; i < vms.size(); i++) {
                VirtualMachineDescriptor d = vms.get(i);
                Properties p = answer(answers.get(i), deadline);
                if (p == null) {
                    table.row(d.id(), "?", "? (did not answer)", main(d.displayName()));
                } else {
                    table.row(d.id(), p.getProperty("java.version", "?"), tuner(p),
                            main(p.getProperty("sun.java.command", d.displayName())));
                }
            }
            out.print(table);
            return 0;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Properties properties(VirtualMachineDescriptor d) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(d);
        try {
            return vm.getSystemProperties();
        } finally {
            vm.detach();
        }
    }

    private static Properties answer(Future<Properties> answer, long deadline) {
        try {
            return answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** {@code 0.1.0 (tuning)}, {@code 0.1.0 (stopped)} or {@code -}. */
    static String tuner(Properties p) {
        String version = p.getProperty(AgentInfo.PROPERTY);
        if (version == null) {
            return "-";
        }
        String state = p.getProperty(AgentInfo.STATE_PROPERTY);
        return version + (state == null ? "" : " (" + state + ")");
    }

    /** The main class or jar with its arguments, cut to fit a line. */
    static String main(String command) {
        String text = command == null || command.isBlank() ? "?" : command.strip();
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
