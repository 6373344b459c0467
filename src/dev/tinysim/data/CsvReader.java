package dev.tinysim.data;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a {@code .csv} file of numbers: one row per line, fields separated by commas (or semicolons or tabs, taken
 * from the first line), an optional header row (a first row with a field that is not a number), optional
 * {@code "quoted"} fields, blank lines and {@code #} comment lines skipped. The table is an array of shape
 * [rows, columns] ({@link Binding} makes each row a sample, or the whole table one sample when that is what the
 * input takes). {@code --label-column} takes one column out as the labels: by header name, or by 0-based index
 * (negative counts from the end: -1 is the last column).
 */
public final class CsvReader {
    private CsvReader() {
    }

    /**
     * @param shape      [rows, columns] of the numbers (without the label column)
     * @param values     the numbers, row by row
     * @param labels     the label column's fields, one per row, or null
     * @param header     the header row, or null
     */
    public record Table(List<Integer> shape, float[] values, List<String> labels, List<String> header) {
    }

    public static Table read(byte[] bytes, String name, String labelColumn) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<String> lines = new ArrayList<>();
        List<Integer> lineNumbers = new ArrayList<>();
        String[] raw = text.split("\r\n|\n|\r", -1);
        for (int i = 0; i < raw.length; i++) {
            String l = raw[i];
            if (l.isBlank() || l.stripLeading().startsWith("#")) {
                continue;
            }
            lines.add(l);
            lineNumbers.add(i + 1);
        }
        if (lines.isEmpty()) {
            throw DataException.corrupt(name, "no rows (the .csv file is empty)");
        }
        char sep = separator(lines.get(0));
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            rows.add(fields(lines.get(i), sep, name, lineNumbers.get(i)));
        }
        int columns = rows.get(0).size();
        for (int i = 1; i < rows.size(); i++) {
            if (rows.get(i).size() != columns) {
                throw DataException.corrupt(name, "line " + lineNumbers.get(i) + " has " + rows.get(i).size()
                        + " fields, the first row has " + columns);
            }
        }
        List<String> first = rows.get(0);
        int labelIndex = labelColumn == null ? -1 : columnIndex(labelColumn, first, columns, name);
        // a header row: the label column named in it, or a field that is not a number (the label column aside:
        // text labels are data)
        boolean header = labelIndex >= 0 && !isInteger(labelColumn) && first.get(labelIndex).strip().equals(labelColumn.strip());
        for (int c = 0; c < columns && !header; c++) {
            if (c != labelIndex && !isNumber(first.get(c))) {
                header = true;
            }
        }
        int start = header ? 1 : 0;
        int rowCount = rows.size() - start;
        if (rowCount == 0) {
            throw DataException.corrupt(name, "only a header row, no data");
        }
        int width = columns - (labelIndex >= 0 ? 1 : 0);
        if (width == 0) {
            throw DataException.corrupt(name, "no columns left besides the label column");
        }
        float[] values = new float[Math.multiplyExact(rowCount, width)];
        List<String> labels = labelIndex >= 0 ? new ArrayList<>() : null;
        int k = 0;
        for (int r = start; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            for (int c = 0; c < columns; c++) {
                String f = row.get(c).strip();
                if (c == labelIndex) {
                    labels.add(f);
                    continue;
                }
                try {
                    values[k++] = parse(f);
                } catch (NumberFormatException e) {
                    throw DataException.corrupt(name, "line " + lineNumbers.get(r) + ", column " + (c + 1) + ": '" + dev.tinysim.text.Printable.name(f)
                            + "' is not a number");
                }
            }
        }
        return new Table(List.of(rowCount, width), values, labels, header ? first : null);
    }

    private static int columnIndex(String labelColumn, List<String> first, int columns, String name) {
        int byName = first.indexOf(labelColumn);
        if (byName < 0) {
            for (int c = 0; c < first.size(); c++) {
                if (first.get(c).strip().equals(labelColumn.strip())) {
                    byName = c;
                }
            }
        }
        if (byName >= 0) {
            return byName;
        }
        if (isInteger(labelColumn)) {
            int i = Integer.parseInt(labelColumn.strip());
            int index = i < 0 ? columns + i : i;
            if (index < 0 || index >= columns) {
                throw new DataException(DataException.Kind.USAGE, "--label-column " + labelColumn + ": " + name + " has "
                        + columns + " columns (0.." + (columns - 1) + ", or -1 for the last)");
            }
            return index;
        }
        throw new DataException(DataException.Kind.USAGE, "--label-column " + labelColumn + ": " + name
                + " has no column of that name (first row: " + String.join(", ", first.subList(0, Math.min(8, first.size())).stream()
                .map(dev.tinysim.text.Printable::name).toList()) + (first.size() > 8 ? ", …" : "") + ")");
    }

    /**
     * The separator of the first line: the most frequent of , ; and tab; a space when there is none of them but
     * spaces ({@code numpy.savetxt}'s default: runs of blanks separate fields); else a comma.
     */
    static char separator(String line) {
        char best = line.strip().contains(" ") ? ' ' : ',';
        long bestCount = 0;
        for (char c : new char[] {',', ';', '\t'}) {
            long n = line.chars().filter(x -> x == c).count();
            if (n > bestCount) {
                best = c;
                bestCount = n;
            }
        }
        return best;
    }

    /** Splits a line; "…" fields may hold the separator, "" is a quote inside them. */
    static List<String> fields(String line, char sep, String name, int lineNumber) {
        if (sep == ' ') {
            return List.of(line.strip().split("\\s+"));
        }
        List<String> out = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        f.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    f.append(c);
                }
            } else if (c == '"' && f.toString().isBlank()) {
                quoted = true;
                f.setLength(0);
            } else if (c == sep) {
                out.add(f.toString());
                f.setLength(0);
            } else {
                f.append(c);
            }
        }
        if (quoted) {
            throw DataException.corrupt(name, "line " + lineNumber + ": a quoted field is not closed");
        }
        out.add(f.toString());
        return out;
    }

    static boolean isNumber(String s) {
        try {
            parse(s.strip());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    static boolean isInteger(String s) {
        return s.strip().matches("-?\\d+");
    }

    /** A number as NumPy's text readers take it: decimal, exponent, nan, inf. */
    static float parse(String s) {
        String t = s.strip();
        switch (t.toLowerCase(java.util.Locale.ROOT)) {
            case "nan" -> {
                return Float.NaN;
            }
            case "inf", "+inf", "infinity" -> {
                return Float.POSITIVE_INFINITY;
            }
            case "-inf", "-infinity" -> {
                return Float.NEGATIVE_INFINITY;
            }
            default -> {
                if (t.isEmpty() || !t.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
                    throw new NumberFormatException(t);
                }
                return Float.parseFloat(t);
            }
        }
    }
}
