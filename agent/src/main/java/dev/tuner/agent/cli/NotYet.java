package dev.tuner.agent.cli;

import java.io.PrintStream;
import java.util.List;

/** A command of DESIGN.md that is not built yet: says so, exit 2. */
final class NotYet implements Command {
    private final String name;
    private final String arguments;
    private final String instead;

    NotYet(String name, String arguments, String instead) {
        this.name = name;
        this.arguments = arguments;
        this.instead = instead;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String arguments() {
        return arguments;
    }

    @Override
    public String summary() {
        return "(not available yet)";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        err.println("tuner: " + name + " is not available yet in this version; " + instead);
        return CliException.USAGE;
    }
}
