package dev.tinysim.sweep;

import dev.tinysim.compare.Measurement;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The CSV of {@code tinysim sweep}: a header row, then one row per model × board × configuration (RFC 4180 quoting,
 * {@code \n} line ends, empty cells for nulls). The columns are documented in docs/json-reports.md.
 */
public final class SweepCsv {
    public static final List<String> COLUMNS = List.of("model", "path", "precision", "macs", "board", "configuration", "runs_on",
            "fpu", "clock_hz", "runtime", "abi", "kernels", "cycles", "milliseconds", "cycles_per_mac", "flash_runtime", "flash_model",
            "flash_used", "flash_available", "flash_free", "flash_fits", "ram_static", "ram_arena", "ram_stack_peak", "ram_used",
            "ram_available", "ram_free", "ram_fits", "fits", "measured_on", "argmax", "output_sha256", "instructions", "wall_seconds",
            "result", "exit_code", "message");

    private SweepCsv() {
    }

    public static String render(SweepReport report) {
        return render(report.rows());
    }

    public static String render(List<SweepReport.Row> rows) {
        StringBuilder sb = new StringBuilder(String.join(",", COLUMNS)).append('\n');
        for (SweepReport.Row r : rows) {
            Measurement.Flash f = r.flash();
            Measurement.Ram m = r.ram();
            List<Object> cells = new ArrayList<>(List.of());
            add(cells, r.model(), r.path(), r.precision(), r.macs(), r.board(), r.configuration(), r.runsOn(), r.fpu(), r.clockHz(),
                    r.runtime(), r.abi(), r.kernels(), r.cycles(),
                    r.milliseconds() == null ? null : String.format(Locale.ROOT, "%.4f", r.milliseconds()),
                    r.cyclesPerMac() == null ? null : String.format(Locale.ROOT, "%.3f", r.cyclesPerMac()),
                    f == null ? null : f.runtime(), f == null ? null : f.model(), f == null ? null : f.used(),
                    f == null ? null : f.available(), f == null ? null : f.free(), f == null ? null : f.fits(),
                    m == null ? null : m.staticBytes(), m == null ? null : m.arena(), m == null ? null : m.stackPeak(),
                    m == null ? null : m.used(), m == null ? null : m.available(), m == null ? null : m.free(), m == null ? null : m.fits(),
                    r.fits(), r.measuredOn(), r.argmax(), r.outputSha256(), r.instructions(),
                    r.wallSeconds() == null ? null : String.format(Locale.ROOT, "%.3f", r.wallSeconds()),
                    r.result().kind(), r.result().exitCode(), r.result().message());
            for (int i = 0; i < cells.size(); i++) {
                sb.append(i == 0 ? "" : ",").append(quote(cells.get(i)));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static void add(List<Object> cells, Object... values) {
        if (values.length != COLUMNS.size()) {
            throw new IllegalStateException(values.length + " cells for " + COLUMNS.size() + " columns");
        }
        java.util.Collections.addAll(cells, values);
    }

    /**
     * Reads back what {@link #render} wrote: the rows, each with the CSV's columns only (the flash and RAM fields the
     * CSV does not have are 0 or false, per-operator cycles are empty), so that rendering them again gives the same
     * text (every cell is written in one canonical way).
     *
     * @throws IllegalArgumentException naming the line that is not a sweep row
     */
    public static List<SweepReport.Row> parse(String text) {
        List<List<String>> records = records(text);
        if (records.isEmpty() || !records.get(0).equals(COLUMNS)) {
            throw new IllegalArgumentException("line 1 is not the header of a tinysim sweep CSV");
        }
        List<SweepReport.Row> rows = new ArrayList<>();
        for (int i = 1; i < records.size(); i++) {
            List<String> c = records.get(i);
            if (c.size() != COLUMNS.size()) {
                throw new IllegalArgumentException("record " + (i + 1) + " has " + c.size() + " cells, not " + COLUMNS.size());
            }
            try {
                rows.add(row(c));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("record " + (i + 1) + ": " + e.getMessage());
            }
        }
        return rows;
    }

    private static SweepReport.Row row(List<String> c) {
        Cells x = new Cells(c);
        String model = x.s(), path = x.s(), precision = x.s();
        Long macs = x.l();
        String board = x.s(), configuration = x.s(), runsOn = x.s();
        Boolean fpu = x.b();
        Long clock = x.l();
        String runtime = x.s(), abi = x.s(), kernels = x.s();
        Long cycles = x.l();
        Double ms = x.d(), perMac = x.d();
        Long fRuntime = x.l(), fModel = x.l(), fUsed = x.l(), fAvailable = x.l(), fFree = x.l();
        Boolean fFits = x.b();
        Long rStatic = x.l(), rArena = x.l(), rPeak = x.l(), rUsed = x.l(), rAvailable = x.l(), rFree = x.l();
        Boolean rFits = x.b(), fits = x.b();
        String measuredOn = x.s();
        Long argmax = x.l();
        String sha = x.s();
        Long instructions = x.l();
        Double wall = x.d();
        String kind = x.s();
        Long code = x.l();
        String message = x.s();
        Measurement.Flash flash = fRuntime == null ? null
                : new Measurement.Flash(fRuntime, fModel, fUsed, 0, 0, fAvailable, fFree, fFits);
        Measurement.Ram ram = rStatic == null ? null
                : new Measurement.Ram(rStatic, rArena, rPeak, 0, false, rUsed, 0, 0, rAvailable, rFree, rFits);
        if (kind == null || code == null) {
            throw new IllegalArgumentException("no result");
        }
        return new SweepReport.Row(model, path, precision, macs, board, configuration, runsOn, fpu, clock, runtime, abi, kernels,
                cycles, ms, perMac, flash, ram, fits, measuredOn, argmax == null ? null : argmax.intValue(), sha, instructions, wall,
                new Measurement.Result(kind, code.intValue(), message), List.of());
    }

    /** The cells of a record, left to right, empty ones as null. */
    private static final class Cells {
        private final List<String> cells;
        private int next;

        Cells(List<String> cells) {
            this.cells = cells;
        }

        String s() {
            String v = cells.get(next++);
            return v.isEmpty() ? null : v;
        }

        Long l() {
            String v = s();
            return v == null ? null : Long.valueOf(v);
        }

        Double d() {
            String v = s();
            return v == null ? null : Double.valueOf(v);
        }

        Boolean b() {
            String v = s();
            if (v == null) {
                return null;
            }
            if (!v.equals("true") && !v.equals("false")) {
                throw new IllegalArgumentException("'" + v + "' is not true or false");
            }
            return Boolean.valueOf(v);
        }
    }

    /** RFC 4180 records ({@code \n} or {@code \r\n} line ends; a quoted cell may hold any character). */
    public static List<List<String>> records(String text) {
        List<List<String>> out = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < n && text.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                record.add(cell.toString());
                cell.setLength(0);
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
                    i++;
                }
                record.add(cell.toString());
                cell.setLength(0);
                out.add(record);
                record = new ArrayList<>();
            } else {
                cell.append(c);
            }
        }
        if (cell.length() > 0 || !record.isEmpty()) {
            record.add(cell.toString());
            out.add(record);
        }
        return out;
    }

    static String quote(Object v) {
        if (v == null) {
            return "";
        }
        String s = String.valueOf(v);
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }
}
