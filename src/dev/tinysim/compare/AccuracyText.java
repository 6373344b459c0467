package dev.tinysim.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static dev.tinysim.emulator.units.Units.grouped;

/** Text pieces shared by the compare and validate reports: percentages, the per-class table, a confusion matrix. */
final class AccuracyText {
    /** Confusion matrices wider than this many classes are left out of the text report (the JSON has them). */
    static final int MAX_TEXT_CLASSES = 20;

    private AccuracyText() {
    }

    static String pct(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * fraction);
    }

    static String points(double fraction) {
        return String.format(Locale.ROOT, "%.1f points", 100 * fraction);
    }

    /**
     * One row per class: name, inputs, then one "correct / accuracy" column per model.
     *
     * @param models column titles
     * @param rows   per class: name, inputs, then per model its correct count and accuracy
     */
    static String perClass(String indent, List<String> models, List<Object[]> rows) {
        List<String> header = new ArrayList<>(List.of("class", "inputs"));
        StringBuilder align = new StringBuilder("lr");
        for (String m : models) {
            header.add(m);
            align.append('r');
        }
        TextTable t = new TextTable(indent, align.toString(), header.toArray(String[]::new));
        for (Object[] r : rows) {
            List<String> cells = new ArrayList<>(List.of(String.valueOf(r[0]), grouped((Integer) r[1])));
            for (int m = 0; m < models.size(); m++) {
                int correct = (Integer) r[2 + 2 * m];
                double acc = (Double) r[3 + 2 * m];
                cells.add(pct(acc) + " (" + correct + ")");
            }
            t.row(cells.toArray(String[]::new));
        }
        return t.render();
    }

    /** Rows: true class; columns: predicted class; only classes that occur as truth or prediction. */
    static String confusion(String indent, int[][] m, List<String> names) {
        List<Integer> used = new ArrayList<>();
        for (int c = 0; c < m.length; c++) {
            int row = 0;
            int col = 0;
            for (int k = 0; k < m.length; k++) {
                row += m[c][k];
                col += m[k][c];
            }
            if (row > 0 || col > 0) {
                used.add(c);
            }
        }
        if (used.size() > MAX_TEXT_CLASSES) {
            return indent + "(" + used.size() + " classes: the confusion matrix is in the JSON report)\n";
        }
        List<String> header = new ArrayList<>(List.of("true \\ predicted"));
        StringBuilder align = new StringBuilder("l");
        for (int c : used) {
            header.add(name(names, c));
            align.append('r');
        }
        TextTable t = new TextTable(indent, align.toString(), header.toArray(String[]::new));
        for (int r : used) {
            List<String> cells = new ArrayList<>(List.of(name(names, r)));
            for (int c : used) {
                cells.add(m[r][c] == 0 ? "." : String.valueOf(m[r][c]));
            }
            t.row(cells.toArray(String[]::new));
        }
        return t.render();
    }

    private static String name(List<String> names, int c) {
        return names != null && c < names.size() ? names.get(c) : String.valueOf(c);
    }
}
