package dev.tuner.agent.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Rows of text in aligned columns, two spaces apart, for a terminal. Columns listed as right-aligned
 * (numbers) are padded on the left; the last column is never padded.
 */
final class Table {
    private final List<String[]> rows = new ArrayList<>();
    private final boolean[] right;

    /** A table whose header is {@code columns}; a column named with a leading {@code >} is right-aligned. */
    Table(String... columns) {
        right = new boolean[columns.length];
        String[] header = new String[columns.length];
        for (int i = 0; i < columns.length; i++) {
            right[i] = columns[i].startsWith(">");
            header[i] = right[i] ? columns[i].substring(1) : columns[i];
        }
        rows.add(header);
    }

    Table row(Object... cells) {
        String[] row = new String[right.length];
        for (int i = 0; i < row.length; i++) {
            row[i] = i < cells.length && cells[i] != null ? cells[i].toString() : "";
        }
        rows.add(row);
        return this;
    }

    boolean isEmpty() {
        return rows.size() == 1;
    }

    /** The lines, each without a line separator. */
    List<String> lines(String indent) {
        int[] width = new int[right.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        List<String> lines = new ArrayList<>();
        for (String[] row : rows) {
            StringBuilder sb = new StringBuilder(indent);
            for (int i = 0; i < row.length; i++) {
                boolean last = i == row.length - 1;
                String cell = row[i];
                if (right[i]) {
                    sb.append(" ".repeat(width[i] - cell.length())).append(cell);
                } else {
                    sb.append(cell);
                    if (!last) {
                        sb.append(" ".repeat(width[i] - cell.length()));
                    }
                }
                if (!last) {
                    sb.append("  ");
                }
            }
            lines.add(sb.toString().stripTrailing());
        }
        return lines;
    }

    @Override
    public String toString() {
        return String.join(System.lineSeparator(), lines("")) + System.lineSeparator();
    }
}
