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
        StringBuilder sb = new StringBuilder(String.join(",", COLUMNS)).append('\n');
        for (SweepReport.Row r : report.rows()) {
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
