package dev.tuner.agent.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a file that may still be growing, line by line, numbering the lines from 1. Each
 * {@link #poll} returns the complete lines appended since the last one; a last line without its
 * newline is held back until it is complete, unless the caller says the file is done growing.
 *
 * <p>Not thread-safe.
 */
final class LogTail {
    /** One line of the file and its number. */
    record Line(int number, String text) {
    }

    private final Path file;
    private long position;
    private int number;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

    LogTail(Path file) {
        this.file = file;
    }

    /**
     * The lines appended since the last poll.
     *
     * @param atEnd the file is done growing: a last line without its newline is returned too
     * @return the new lines; empty if nothing was appended
     * @throws Shrunk if the file is shorter than what was read: it was truncated or replaced
     */
    List<Line> poll(boolean atEnd) throws IOException {
        List<Line> lines = new ArrayList<>();
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            if (length < position) {
                throw new Shrunk(file, length, position);
            }
            in.seek(position);
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                position += n;
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        lines.add(new Line(++number, partial.toString(StandardCharsets.UTF_8)));
                        partial.reset();
                    } else {
                        partial.write(buffer[i]);
                    }
                }
            }
        }
        if (atEnd && partial.size() > 0) {
            lines.add(new Line(++number, partial.toString(StandardCharsets.UTF_8)));
            partial.reset();
        }
        return lines;
    }

    /** Starts again from the top of the file (after it was truncated or replaced). */
    void rewind() {
        position = 0;
        number = 0;
        partial.reset();
    }

    /** The file got shorter than the part already read. */
    static final class Shrunk extends IOException {
        Shrunk(Path file, long length, long read) {
            super(file + " is now " + length + " bytes, shorter than the " + read + " already read");
        }
    }
}
