package dev.tuner.agent.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * {@code java -jar tuner.jar <command>}: the command line of DESIGN.md. Exit status 0 on success, 2 for
 * a usage error (one line, then the usage text), 1 for any other failure (one line that says what went
 * wrong and what to do). Every such line goes to stderr and starts with {@code tuner: }.
 */
public final class Main {
    static final List<Command> COMMANDS = List.of(
            new ListCommand(),
            new AttachCommand(),
            new StatusCommand(),
            new StopCommand(),
            new DiagnoseCommand(),
            new LogCommand(),
            new NotYet("report", "<file> [-o out.html]", "java -jar tuner.jar log <file> shows the log as a table"));

    static final String USAGE = usage();

    private Main() {
    }

    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        System.out.flush();
        System.exit(status);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.println("tuner: no command given");
            err.print(USAGE);
            return CliException.USAGE;
        }
        String name = args[0];
        if (List.of("help", "-h", "--help").contains(name)) {
            out.print(USAGE);
            return 0;
        }
        Command command = COMMANDS.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
        if (command == null) {
            err.println("tuner: unknown command '" + name + "'");
            err.print(USAGE);
            return CliException.USAGE;
        }
        try {
            return command.run(Arrays.asList(args).subList(1, args.length), out, err);
        } catch (CliException e) {
            out.flush();
            err.println("tuner: " + e.getMessage());
            if (e.status() == CliException.USAGE) {
                err.print(USAGE);
            }
            return e.status();
        } catch (LinkageError e) {
            if (String.valueOf(e.getMessage()).contains("com/sun/tools/attach")) {
                err.println("tuner: " + Failures.noAttachApi().getMessage());
                return CliException.FAILURE;
            }
            throw e;
        }
    }

    private static String usage() {
        StringBuilder sb = new StringBuilder("usage: java -jar tuner.jar <command>\n");
        int width = COMMANDS.stream().mapToInt(c -> c.name().length() + c.arguments().length() + 1).max().orElse(0);
        for (Command c : COMMANDS) {
            String words = c.name() + (c.arguments().isEmpty() ? "" : " " + c.arguments());
            sb.append("  ").append(words).append(" ".repeat(width - words.length() + 2)).append(c.summary())
                    .append('\n');
        }
        sb.append("attach options (k=v separated by commas): target (0.9 of the cores), cores, interval (1s), log,"
                + " mode (tune|advise),\n  max-threads, prefetch-memory, pools, profiler (auto|off)\n");
        sb.append("exit status: 0 done, 1 failed (the line before says why), 2 usage error\n");
        return sb.toString();
    }
}
