package dev.tuner.agent.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** One in-process run of the command line: exit status, stdout and stderr lines. */
record Run(int status, List<String> out, List<String> err) {
    static Run of(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = Main.run(args, o, e);
        }
        return new Run(status, lines(out), lines(err));
    }

    private static List<String> lines(ByteArrayOutputStream bytes) {
        String text = bytes.toString(StandardCharsets.UTF_8);
        return text.isEmpty() ? List.of() : List.of(text.split("\\R"));
    }

    /** The first stderr line, which says what went wrong. */
    String why() {
        return err.isEmpty() ? "" : err.get(0);
    }

    @Override
    public String toString() {
        return "status " + status + "\nout:\n" + String.join("\n", out) + "\nerr:\n" + String.join("\n", err);
    }
}
