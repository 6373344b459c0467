package dev.tinysim.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The text report of {@code tinysim validate}. */
public final class ValidateText {
    private ValidateText() {
    }

    public static String render(ValidateReport r) {
        StringBuilder sb = new StringBuilder();
        header(sb, r);
        String mName = r.model().precision().equals("int8") ? "int8" : r.model().file();
        metrics(sb, r.metrics(), r.reference() != null, mName);
        if (r.metrics().model() != null) {
            perClass(sb, r.metrics(), r.model(), mName);
        }
        if (r.device() != null) {
            device(sb, r.device());
        }
        for (Budgets.Check c : r.budgets()) {
            sb.append("budget ").append(c.option()).append(' ').append(c.given()).append(": ").append(c.exceeded().isEmpty()
                    ? "met" : "EXCEEDED (" + AccuracyBudget.points(c.exceeded().get(0).value().doubleValue()) + " points)").append('\n');
        }
        for (String n : r.notes()) {
            sb.append("note: ").append(n).append('\n');
        }
        sb.append('\n').append("result: ").append(r.result().message()).append('\n');
        return sb.toString();
    }

    /** The model, its float twin, the data (format, bindings, notes) and where the figures come from. */
    private static void header(StringBuilder sb, ValidateReport r) {
        CompareReport.ModelInfo m = r.model();
        CompareReport.ModelInfo f = r.reference();
        ValidateReport.Data d = r.data();
        sb.append("tinysim validate: ").append(m.file()).append(" (").append(m.precision()).append(")")
                .append(f == null ? "" : " against " + f.file() + " (" + f.precision() + ")").append(" on ").append(d.samples())
                .append(" sample").append(d.samples() == 1 ? "" : "s").append(" of ").append(d.source()).append('\n');
        sb.append("data: ").append(d.format()).append(d.labelled() ? "; labelled" : "; no labels").append('\n');
        for (String b : d.bindings()) {
            sb.append("  ").append(b).append('\n');
        }
        for (String n : d.notes()) {
            sb.append("  ").append(n).append('\n');
        }
        sb.append("computed with the Java reference interpreter over every sample").append(r.device() == null ? ""
                : "; the first " + r.device().samples() + " also on the emulated firmware (below)").append("\n\n");
    }

    /** Top-1 accuracy and agreement, and the error against the float twin. */
    private static void metrics(StringBuilder sb, Metrics x, boolean withFloat, String mName) {
        if (x.model() != null) {
            sb.append("  top-1 accuracy   ").append(withFloat ? "float32 " + AccuracyText.pct(x.reference().accuracy()) + " ("
                    + x.reference().correct() + "), " : "").append(mName).append(' ').append(AccuracyText.pct(x.model().accuracy()))
                    .append(" (").append(x.model().correct()).append(" of ").append(x.count()).append(")")
                    .append(x.drop() == null ? "" : "; drop " + AccuracyText.points(x.drop())).append('\n');
        }
        if (x.agreement() != null) {
            sb.append("  top-1 agreement  ").append(x.agreeing()).append(" of ").append(x.count()).append(" (")
                    .append(AccuracyText.pct(x.agreement())).append(")\n");
        }
        if (x.maxAbsError() != null) {
            sb.append("  max abs error    ").append(QuantizeText.num(x.maxAbsError())).append(" (against float32, outputs after "
                    + "dequantization; mean ").append(QuantizeText.num(x.meanAbsError())).append(")\n");
            sb.append("  RMSE             ").append(QuantizeText.num(x.rmse())).append('\n');
            sb.append("  SNR              ").append(x.snrDb() == null ? "infinite (identical outputs)"
                    : String.format(Locale.ROOT, "%.2f dB", x.snrDb())).append(" (float32 output power / error power)\n");
        }
    }

    /** Accuracy per class (of the float twin too, when given) and the model's confusion matrix. */
    private static void perClass(StringBuilder sb, Metrics x, CompareReport.ModelInfo m, String mName) {
        List<String> cols = new ArrayList<>();
        if (x.reference() != null) {
            cols.add("float32");
        }
        cols.add(mName);
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < x.model().perClass().size(); i++) {
            Metrics.ClassScore c = x.model().perClass().get(i);
            List<Object> row = new ArrayList<>(List.of(c.name(), c.samples()));
            if (x.reference() != null) {
                Metrics.ClassScore rc = x.reference().perClass().get(i);
                row.add(rc.correct());
                row.add(rc.accuracy());
            }
            row.add(c.correct());
            row.add(c.accuracy());
            rows.add(row.toArray());
        }
        sb.append("\n  per class\n").append(AccuracyText.perClass("    ", cols, rows));
        if (x.model().confusion() != null) {
            List<String> names = new ArrayList<>();
            for (int c = 0; c < x.classCount(); c++) {
                names.add(x.className(c));
            }
            sb.append("  confusion matrix of ").append(m.file()).append(" (rows: true class, columns: predicted)\n")
                    .append(AccuracyText.confusion("    ", x.model().confusion(), names));
        }
    }

    /** The samples also run on the emulated firmware: bit-exact or not, and their cycles. */
    private static void device(StringBuilder sb, ValidateReport.Device dev) {
        sb.append('\n').append("device: ").append(dev.samples()).append(" sample").append(dev.samples() == 1 ? "" : "s")
                .append(" on ").append(dev.board()).append(" (").append(dev.runtime()).append(", ").append(dev.kernels())
                .append(" kernels): ");
        if (dev.bitExact() == null) {
            sb.append("no output (").append(dev.result().message()).append(")");
        } else if (dev.bitExact()) {
            sb.append("bit-exact with the reference interpreter (").append(dev.samples()).append(" of ").append(dev.samples()).append(")");
        } else {
            sb.append("DIFFERS from the reference interpreter on sample").append(dev.mismatches().size() == 1 ? " " : "s ")
                    .append(dev.mismatches());
        }
        if (dev.cycles() != null) {
            sb.append(String.format(Locale.ROOT, "; %,d cycles = %,.2f ms per inference", dev.cycles(), dev.milliseconds()));
        }
        sb.append('\n');
    }
}
