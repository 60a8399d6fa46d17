package dev.tuner.agent.cli;

/**
 * {@code java -jar tuner.jar <command>}: the command line of DESIGN.md. Exit status 0 on success, 2 for
 * a usage error, 1 for any other failure, always with one line that says what went wrong.
 */
public final class Main {
    static final String USAGE = "usage: java -jar tuner.jar <list | attach <pid> [k=v,...] | status <pid> [--json]"
            + " | stop <pid> [--keep] | diagnose <pid> [--seconds N] | log <file> [--follow] | report <file> [-o out.html]>";

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        if (args.length == 0) {
            System.err.println(USAGE);
            return 2;
        }
        System.err.println("tuner: command '" + args[0] + "' is not available yet; " + USAGE);
        return 2;
    }
}
