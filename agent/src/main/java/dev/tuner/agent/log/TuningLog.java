package dev.tuner.agent.log;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * The tuning log: JSON Lines, one object a line, flushed per line, each with {@code ts} (ISO-8601 UTC)
 * and {@code event} first. The schema is DESIGN.md's "The tuning log".
 *
 * <p>Opening falls back to a temp file when the asked-for path cannot be written; {@link #path()} says
 * where it went and {@link #fallbackReason()} why. Thread-safe: lines are never interleaved. A write
 * that fails is counted, never thrown: the log must not harm the app.
 */
public final class TuningLog implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);

    private final Path path;
    private final String fallbackReason;
    private final Writer out;
    private int failedWrites;

    private TuningLog(Path path, String fallbackReason, Writer out) {
        this.path = path;
        this.fallbackReason = fallbackReason;
        this.out = out;
    }

    /**
     * Opens {@code wanted} for appending, or a temp file {@code tuner-<pid>-*.jsonl} if it cannot be
     * written.
     *
     * @throws IOException only if the temp file cannot be created either
     */
    public static TuningLog open(Path wanted, long pid) throws IOException {
        try {
            Path parent = wanted.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            return new TuningLog(wanted, null, writer(wanted));
        } catch (IOException | SecurityException e) {
            Path temp = Files.createTempFile("tuner-" + pid + "-", ".jsonl");
            return new TuningLog(temp, "cannot write the tuning log to " + wanted.toAbsolutePath() + " ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + "); writing it to " + temp + " instead",
                    writer(temp));
        }
    }

    private static Writer writer(Path path) throws IOException {
        return new BufferedWriter(Files.newBufferedWriter(path, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE));
    }

    /** Where the log is written. */
    public Path path() {
        return path;
    }

    /** Why the asked-for path was not used, or {@code null}. */
    public String fallbackReason() {
        return fallbackReason;
    }

    /** A fresh object node, for fields that are objects. */
    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** Writes one event; {@code fields} fills in everything after {@code ts} and {@code event}. */
    public void write(String event, Consumer<ObjectNode> fields) {
        ObjectNode line = MAPPER.createObjectNode();
        line.put("ts", Instant.now().toString());
        line.put("event", event);
        fields.accept(line);
        synchronized (this) {
            try {
                MAPPER.writeValue(out, line);
                out.write('\n');
                out.flush();
            } catch (IOException e) {
                failedWrites++;
            }
        }
    }

    /** Lines that could not be written. */
    public synchronized int failedWrites() {
        return failedWrites;
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            failedWrites++;
        }
    }
}
