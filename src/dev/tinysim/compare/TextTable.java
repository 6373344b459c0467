package dev.tinysim.compare;

import java.util.ArrayList;
import java.util.List;

/** A plain text table: a header, a rule, rows; columns left- or right-aligned, two spaces apart. */
final class TextTable {
    private final List<String[]> rows = new ArrayList<>();
    private final boolean[] right;
    private final String indent;

    /** @param alignment one character per column: 'l' or 'r' */
    TextTable(String indent, String alignment, String... header) {
        this.indent = indent;
        this.right = new boolean[header.length];
        for (int i = 0; i < header.length; i++) {
            right[i] = alignment.charAt(i) == 'r';
        }
        rows.add(header);
    }

    void row(String... cells) {
        rows.add(cells);
    }

    /** A row under a second rule (totals). */
    void rule() {
        rows.add(null);
    }

    String render() {
        int cols = right.length;
        int[] w = new int[cols];
        for (String[] r : rows) {
            if (r != null) {
                for (int i = 0; i < cols; i++) {
                    w[i] = Math.max(w[i], r[i] == null ? 1 : r[i].length());
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < rows.size(); k++) {
            String[] r = rows.get(k);
            if (r == null) {
                sb.append(ruleLine(w));
                continue;
            }
            StringBuilder l = new StringBuilder(indent);
            for (int i = 0; i < cols; i++) {
                String c = r[i] == null ? "-" : r[i];
                String pad = " ".repeat(w[i] - c.length());
                l.append(right[i] ? pad + c : c + pad).append("  ");
            }
            sb.append(l.toString().stripTrailing()).append('\n');
            if (k == 0) {
                sb.append(ruleLine(w));
            }
        }
        return sb.toString();
    }

    private String ruleLine(int[] w) {
        StringBuilder l = new StringBuilder(indent);
        for (int i = 0; i < w.length; i++) {
            l.append("-".repeat(w[i])).append(i + 1 < w.length ? "  " : "");
        }
        return l.append('\n').toString();
    }
}
