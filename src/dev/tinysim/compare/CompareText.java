package dev.tinysim.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static dev.tinysim.emulator.units.Units.grouped;

/** The text report of {@code tinysim compare} and {@code tinysim demo}. */
public final class CompareText {
    private CompareText() {
    }

    public static String render(CompareReport r) {
        StringBuilder sb = new StringBuilder();
        header(sb, r);
        configurations(sb, r);
        Accuracy a = r.accuracy();
        if (a != null) {
            accuracy(sb, a);
        }
        if (r.layers() != null && !r.layers().rows().isEmpty()) {
            layers(sb, r);
        }
        if (!r.budgets().isEmpty()) {
            budgets(sb, r);
        }
        if (!r.notes().isEmpty()) {
            sb.append('\n');
            for (String note : r.notes()) {
                sb.append("note: ").append(note).append('\n');
            }
        }
        sb.append('\n').append("result: ").append(r.result().message()).append('\n');
        return sb.toString();
    }

    /** The two models, the board, the timing model and the input the cycles were measured on. */
    private static void header(StringBuilder sb, CompareReport r) {
        CompareReport.ModelInfo f = r.models().float32();
        CompareReport.ModelInfo q = r.models().int8();
        CompareReport.BoardInfo b = r.board();
        sb.append("tinysim compare: ").append(f.file()).append(" (").append(f.precision().equals("hybrid")
                        ? "float32, hybrid: int8 weights" : f.precision()).append(") vs ").append(q.file()).append(" (")
                .append(q.precision()).append(") on ").append(b.name()).append(" (Cortex-M4").append(b.fpu() ? "F" : "")
                .append(", ").append(Format.mhz(b.clockHz())).append(")\n");
        sb.append("timing model: ").append(r.timing().model()).append(" (").append(r.timing().description()).append(")\n");
        sb.append("cycles: one inference per configuration, on ").append(r.input()).append("\n\n");
    }

    /** One row per configuration, then what is unusual about each (another board, enlarged memory, a failure). */
    private static void configurations(StringBuilder sb, CompareReport r) {
        CompareReport.BoardInfo b = r.board();
        String clock = "ms @ " + Format.mhz(b.clockHz());
        TextTable t = new TextTable("", "llrrrrrl", "configuration", "runtime", "flash used", "RAM used", "cycles", clock,
                "speed-up", "fits");
        for (Measurement m : r.configurations()) {
            boolean ok = m.measured();
            t.row(m.id(), m.runtime(),
                    grouped(m.flash().used()) + " / " + grouped(m.flash().available()),
                    grouped(m.ram().used()) + " / " + grouped(m.ram().available()),
                    ok ? grouped(m.cycles()) : "-", ok ? Format.ms(m.milliseconds()) : "-",
                    m.id().equals(r.baseline()) ? "1.00x (base)" : Format.speedup(m.speedup()),
                    ok || m.result().exitCode() == 67 ? Format.fits(m) : "failed");
        }
        sb.append(t.render());
        for (Measurement m : r.configurations()) {
            List<String> about = new ArrayList<>();
            if (!m.board().equals(b.name())) {
                about.add("runs on " + m.board() + (m.fpu() ? "" : ", the FPU-less configuration"));
            }
            if (m.measuredOn() != null) {
                about.add("does not fit; " + m.measuredOn());
            }
            if (!m.measured() || (m.result().exitCode() != 0 && m.result().exitCode() != 67)) {
                about.add("FAILED: " + m.result().message());
            }
            if (!about.isEmpty()) {
                sb.append("  ").append(m.id()).append(": ").append(String.join("; ", about)).append('\n');
            }
        }
        for (CompareReport.Absent a : r.absent()) {
            sb.append("  ").append(a.id()).append(": absent: ").append(a.reason()).append('\n');
        }
        sb.append("  flash = runtime + model, RAM = static + arena + stack peak, against the board")
                .append(b.reservedFlash() > 0 || b.reservedRam() > 0 ? " minus what it reserves (" + grouped(b.reservedFlash())
                        + " bytes flash, " + grouped(b.reservedRam()) + " bytes RAM)" : "")
                .append("; speed-up = ").append(r.baseline() == null ? "none (no baseline)" : r.baseline() + " cycles / cycles")
                .append('\n');
    }

    /** Per-layer cycles, one column per configuration, with the interpreter's share and the total. */
    private static void layers(StringBuilder sb, CompareReport r) {
        sb.append('\n').append("per-layer cycles (").append(r.layers().matching()).append(")\n");
        boolean byIndex = r.layers().rows().stream().allMatch(x -> x.floatIndex() != null && x.floatIndex().equals(x.int8Index()));
        List<Measurement> cols = r.configurations();
        List<String> header = new ArrayList<>(byIndex ? List.of("#", "operator") : List.of("f32 #", "int8 #", "operator"));
        StringBuilder align = new StringBuilder(byIndex ? "rl" : "rrl");
        for (Measurement m : cols) {
            header.add(m.id());
            align.append('r');
        }
        TextTable lt = new TextTable("  ", align.toString(), header.toArray(String[]::new));
        for (Layers.Row row : r.layers().rows()) {
            List<String> cells = new ArrayList<>();
            if (byIndex) {
                cells.add(String.valueOf(row.floatIndex()));
            } else {
                cells.add(row.floatIndex() == null ? "" : String.valueOf(row.floatIndex()));
                cells.add(row.int8Index() == null ? "" : String.valueOf(row.int8Index()));
            }
            cells.add(row.operator());
            for (Measurement m : cols) {
                Long c = row.cycles().get(m.id());
                cells.add(c == null ? "-" : grouped(c));
            }
            lt.row(cells.toArray(String[]::new));
        }
        lt.rule();
        List<String> interp = new ArrayList<>(byIndex ? List.of("", "(interpreter)") : List.of("", "", "(interpreter)"));
        List<String> total = new ArrayList<>(byIndex ? List.of("", "total") : List.of("", "", "total"));
        for (Measurement m : cols) {
            long ops = m.operators().stream().mapToLong(Measurement.OpCycles::cycles).sum();
            interp.add(m.measured() ? grouped(m.cycles() - ops) : "-");
            total.add(m.measured() ? grouped(m.cycles()) : "-");
        }
        lt.row(interp.toArray(String[]::new));
        lt.row(total.toArray(String[]::new));
        sb.append(lt.render());
    }

    /** Each budget given, met or exceeded by which configurations. */
    private static void budgets(StringBuilder sb, CompareReport r) {
        sb.append('\n').append("budgets\n");
        for (Budgets.Check c : r.budgets()) {
            sb.append("  ").append(c.option()).append(' ').append(c.given()).append(": ")
                    .append(c.exceeded().isEmpty() ? "met by every configuration" : "EXCEEDED by "
                            + String.join(", ", c.exceeded().stream().map(e -> e.configuration() + " ("
                            + (c.unit().equals("ms") ? Format.ms(e.value().doubleValue()) + " ms" : c.unit().equals("points")
                            ? "drop " + AccuracyBudget.points(e.value().doubleValue()) + " points"
                            : grouped(e.value().longValue()) + " bytes") + ")").toList()))
                    .append('\n');
        }
    }

    private static void accuracy(StringBuilder sb, Accuracy a) {
        sb.append('\n');
        if (a.synthetic()) {
            sb.append("agreement of int8 with float32 over ").append(a.inputs()).append('\n');
            sb.append("  synthetic inputs: agreement only, not accuracy (give real data with --dataset)\n");
        } else {
            sb.append("accuracy of int8 against float32 over ").append(a.inputs()).append('\n');
        }
        for (String d : a.data()) {
            sb.append("  data             ").append(d).append('\n');
        }
        sb.append("  computed with the Java reference interpreter; ").append(device(a)).append('\n');
        if (a.float32() != null) {
            Accuracy.Labelled l = a.labelled();
            sb.append(String.format(Locale.ROOT, "  top-1 accuracy   float32 %s, int8 %s (%d and %d of %d); drop %s%n",
                    AccuracyText.pct(a.float32()), AccuracyText.pct(a.int8()), l.floatCorrect(), l.int8Correct(), a.count(),
                    AccuracyText.points(a.drop())));
        }
        if (a.classifier() && a.top1Agreement() != null) {
            sb.append("  top-1 agreement  ").append(a.top1Matches()).append(" of ").append(a.count())
                    .append(String.format(Locale.ROOT, " (%.1f%%)", 100 * a.top1Agreement())).append('\n');
        }
        sb.append("  max abs error    ").append(fmt(a.maxAbsError())).append(" (outputs after dequantization; mean ")
                .append(fmt(a.meanAbsError())).append(a.rmse() == null ? "" : ", RMSE " + fmt(a.rmse())).append(")\n");
        sb.append("  SNR              ").append(a.snrDb() == null ? "infinite (identical outputs)"
                : String.format(Locale.ROOT, "%.2f dB", a.snrDb())).append(" (float32 output power / int8 error power)\n");
        if (a.labelled() != null) {
            Accuracy.Labelled l = a.labelled();
            List<Object[]> rows = new ArrayList<>();
            for (Accuracy.ClassRow c : l.perClass()) {
                rows.add(new Object[] {c.name(), c.samples(), c.float32Correct(), c.float32(), c.int8Correct(), c.int8()});
            }
            sb.append("  per class\n").append(AccuracyText.perClass("    ", List.of("float32", "int8"), rows));
            if (l.confusion() != null) {
                sb.append("  confusion matrix of the int8 model (rows: true class, columns: predicted)\n")
                        .append(AccuracyText.confusion("    ", l.confusion().int8(), l.labels()));
            }
        }
    }

    /** "the firmware is bit-exact with it on the 3 inputs run on it (checked on the input the cycles were measured on: 4 of 4 …)" */
    static String device(Accuracy a) {
        if (a.firmwareCheck().isEmpty()) {
            return "no configuration's firmware run gave an output to check it against";
        }
        long exact = a.firmwareCheck().stream().filter(Accuracy.FirmwareCheck::bitExact).count();
        int more = a.deviceSamples() - 1;
        String what = "checked on the input the cycles were measured on: " + exact + " of " + a.firmwareCheck().size() + " configurations identical"
                + (more > 0 ? "; inputs 1.." + more + " on int8-simd " + (Boolean.TRUE.equals(a.deviceBitExact())
                ? "identical" : "NOT identical") : "");
        return (Boolean.TRUE.equals(a.deviceBitExact()) ? "the firmware is bit-exact with it on the " + a.deviceSamples()
                + " input" + (a.deviceSamples() == 1 ? "" : "s") + " run on it (" : "the firmware DIFFERS from it (") + what + ")";
    }

    private static String fmt(double v) {
        if (v == 0) {
            return "0";
        }
        return Math.abs(v) >= 0.01 ? String.format(Locale.ROOT, "%.4f", v) : String.format(Locale.ROOT, "%.3g", v);
    }
}
