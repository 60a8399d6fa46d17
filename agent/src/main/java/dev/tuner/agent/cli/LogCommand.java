package dev.tuner.agent.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Set;

/**
 * {@code log <file> [--follow]}: the tuning log as a table a person reads, one event a line
 * ({@link LogView}). A line that is not a tuning-log event ends the reading: the lines before it are
 * shown, it is named by number, and the exit status is 1. {@code --follow} polls the file as it grows
 * and ends at the {@code stop} event (or Ctrl-C).
 */
final class LogCommand implements Command {
    static final long POLL_MILLIS = 200;
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    @Override
    public String name() {
        return "log";
    }

    @Override
    public String arguments() {
        return "<file> [--follow]";
    }

    @Override
    public String summary() {
        return "the tuning log as a table a person reads (--follow: as it grows)";
    }

    @Override
    public int run(List<String> raw, PrintStream out, PrintStream err) throws CliException {
        Args args = Args.parse(name(), raw, Set.of("--follow"));
        Path file = Paths.get(args.word(0, "the tuning log's file (tuner-<pid>.jsonl, or the log= option)"));
        args.atMost(1);
        if (!Files.isRegularFile(file)) {
            throw CliException.failure("no tuning log at " + file.toAbsolutePath() + ": the agent writes"
                    + " tuner-<pid>.jsonl in the JVM's working directory unless log= says otherwise;"
                    + " java -jar tuner.jar status <pid> shows where");
        }
        if (!Files.isReadable(file)) {
            throw CliException.failure("cannot read " + file.toAbsolutePath() + ": run this as a user who may read"
                    + " it (the target JVM's user), or copy it");
        }
        return read(file, args.has("--follow"), out, err);
    }

    /** Prints the log; returns 0, or 1 after naming the first bad line. */
    static int read(Path file, boolean follow, PrintStream out, PrintStream err) throws CliException {
        LogTail tail = new LogTail(file);
        boolean headed = false;
        int shown = 0;
        try {
            while (true) {
                List<LogTail.Line> lines;
                try {
                    lines = tail.poll(!follow);
                } catch (LogTail.Shrunk e) {
                    err.println("tuner: " + e.getMessage() + ": it was truncated or replaced; reading it again from"
                            + " the top");
                    tail.rewind();
                    continue;
                }
                for (LogTail.Line line : lines) {
                    if (line.text().isBlank()) {
                        continue;
                    }
                    JsonNode event;
                    try {
                        event = event(line.text());
                    } catch (BadLine e) {
                        out.flush();
                        err.println("tuner: line " + line.number() + " of " + file + " is not a tuning-log event ("
                                + e.getMessage() + "); the " + shown + " events before it are shown above: the log is"
                                + " cut or corrupt there" + (follow ? "" : ", and the rest is not read"));
                        return CliException.FAILURE;
                    }
                    if (!headed) {
                        out.println("tuning log " + file + " (times UTC, " + LogView.date(event) + ")");
                        out.println(LogView.HEADER);
                        headed = true;
                    }
                    LogView.render(event).forEach(out::println);
                    shown++;
                    if (follow && "stop".equals(Format.text(event, "event", ""))) {
                        out.flush();
                        return 0;
                    }
                }
                out.flush();
                if (!follow) {
                    if (!headed) {
                        out.println("tuning log " + file + " is empty: the agent has not written to it yet");
                    }
                    return 0;
                }
                Thread.sleep(POLL_MILLIS);
            }
        } catch (IOException e) {
            throw CliException.failure("reading " + file + " failed (" + Failures.describe(e) + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** A line as an event: one JSON object with {@code ts} and {@code event}. */
    static JsonNode event(String text) throws BadLine {
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            String why = e.getOriginalMessage();
            int cut = why.indexOf('\n');
            throw new BadLine("not JSON: " + (cut < 0 ? why : why.substring(0, cut)));
        }
        if (node == null || !node.isObject()) {
            throw new BadLine("not a JSON object");
        }
        if (!node.hasNonNull("event") || !node.hasNonNull("ts")) {
            throw new BadLine("it lacks " + (node.hasNonNull("event") ? "ts" : "event"));
        }
        return node;
    }

    /** Why a line is not an event. */
    static final class BadLine extends Exception {
        BadLine(String message) {
            super(message);
        }
    }
}
