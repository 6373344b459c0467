package dev.tinysim.compare;

import java.util.List;
import java.util.Locale;

/**
 * CSV (RFC 4180, comma-separated, header row, CRLF-free: one {@code \n} per row) of fit and compare: one row per
 * configuration, or with {@code --layers} one row per layer and configuration. The columns are documented in
 * docs/json-reports.md.
 */
public final class Csv {
    public static final List<String> CONFIGURATION_COLUMNS = List.of("configuration", "model", "board", "fpu", "runtime", "abi",
            "kernels", "cycles", "milliseconds", "speedup", "flash_runtime", "flash_model", "flash_used", "flash_available",
            "flash_free", "flash_fits", "ram_static", "ram_arena", "ram_stack_peak", "ram_used", "ram_available", "ram_free",
            "ram_fits", "fits", "result", "exit_code");
    public static final List<String> LAYER_COLUMNS = List.of("layer", "configuration", "model", "index", "float_index",
            "int8_index", "operator", "cycles", "macs");

    private Csv() {
    }

    /** One row per configuration. */
    public static String configurations(List<Measurement> rows) {
        StringBuilder sb = new StringBuilder(String.join(",", CONFIGURATION_COLUMNS)).append('\n');
        for (Measurement m : rows) {
            line(sb, m.id(), m.model(), m.board(), m.fpu(), m.runtime(), m.abi(), m.kernels(), m.measured() ? m.cycles() : null,
                    m.measured() ? String.format(Locale.ROOT, "%.3f", m.milliseconds()) : null,
                    m.speedup() == null ? null : String.format(Locale.ROOT, "%.3f", m.speedup()),
                    m.flash().runtime(), m.flash().model(), m.flash().used(), m.flash().available(), m.flash().free(), m.flash().fits(),
                    m.ram().staticBytes(), m.ram().arena(), m.ram().stackPeak(), m.ram().used(), m.ram().available(), m.ram().free(),
                    m.ram().fits(), m.fits(), m.result().kind(), m.result().exitCode());
        }
        return sb.toString();
    }

    /** One row per layer and configuration of a comparison (layers matched across the two models). */
    public static String layers(CompareReport r) {
        StringBuilder sb = new StringBuilder(String.join(",", LAYER_COLUMNS)).append('\n');
        int layer = 0;
        for (Layers.Row row : r.layers().rows()) {
            for (Measurement m : r.configurations()) {
                Integer idx = "int8".equals(m.model()) ? row.int8Index() : row.floatIndex();
                Long cycles = row.cycles().get(m.id());
                long macs = idx == null ? 0 : m.operators().stream().filter(o -> o.index() == idx).mapToLong(Measurement.OpCycles::macs)
                        .findFirst().orElse(0);
                line(sb, layer, m.id(), m.model(), idx, row.floatIndex(), row.int8Index(), row.operator(), cycles, idx == null ? null : macs);
            }
            layer++;
        }
        return sb.toString();
    }

    /** One row per operator and configuration of a fit (one model: float_index/int8_index are empty). */
    public static String layers(List<Measurement> rows) {
        StringBuilder sb = new StringBuilder(String.join(",", LAYER_COLUMNS)).append('\n');
        for (Measurement m : rows) {
            for (Measurement.OpCycles op : m.operators()) {
                line(sb, op.index(), m.id(), m.model(), op.index(), null, null, op.operator(), op.cycles(), op.macs());
            }
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, Object... cells) {
        for (int i = 0; i < cells.length; i++) {
            sb.append(i == 0 ? "" : ",").append(quote(cells[i]));
        }
        sb.append('\n');
    }

    static String quote(Object v) {
        if (v == null) {
            return "";
        }
        String s = String.valueOf(v);
        if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }
}
