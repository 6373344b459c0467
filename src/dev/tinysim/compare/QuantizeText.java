package dev.tinysim.compare;

import java.util.Locale;

/** The text report of {@code tinysim quantize}. */
public final class QuantizeText {
    private QuantizeText() {
    }

    public static String render(QuantizeReport r) {
        StringBuilder sb = new StringBuilder();
        QuantizeReport.Model s = r.source();
        QuantizeReport.Output o = r.output();
        sb.append("tinysim quantize: ").append(s.file()).append(" (").append(s.precision()).append(", ").append(s.operators())
                .append(" operators) -> ").append(o.file()).append(" (int8, ").append(o.io().equals("int8")
                        ? "int8 input and output" : "float32 input and output through QUANTIZE/DEQUANTIZE").append(")\n");
        QuantizeReport.Data c = r.calibration();
        sb.append("calibration: ").append(c.source()).append(" (").append(c.format()).append("): ").append(c.binding()).append('\n');
        for (String n : c.notes()) {
            sb.append("  ").append(n).append('\n');
        }
        sb.append('\n').append("activation ranges (min and max over the ").append(c.samples()).append(" calibration sample")
                .append(c.samples() == 1 ? "" : "s").append(" -> int8 scale and zero point; * = fixed by the operator)\n");
        TextTable t = new TextTable("  ", "rlrrrr", "tensor", "name", "min", "max", "scale", "zero point");
        for (QuantizeReport.Range g : r.ranges()) {
            t.row(String.valueOf(g.tensor()), shorten(g.name(), 40), num(g.min()), num(g.max()), num(g.scale()) + (g.fixed() ? " *" : ""),
                    String.valueOf(g.zeroPoint()));
        }
        sb.append(t.render());
        long perChannel = r.weights().stream().filter(w -> w.granularity().equals("per-channel")).count();
        long perTensor = r.weights().size() - perChannel;
        sb.append("weights: int8, symmetric: ").append(perChannel).append(" per output channel, ").append(perTensor)
                .append(" per tensor").append(o.perChannelFullyConnected() ? " (FULLY_CONNECTED per channel: --per-channel-fc)"
                        : " (FULLY_CONNECTED per tensor, as TFLite's converter does; --per-channel-fc for per channel)")
                .append("; biases int32\n");

        QuantizeReport.Agreement a = r.agreement();
        if (a != null) {
            sb.append('\n').append("the int8 model against the float32 one on the ").append(a.count()).append(' ').append(a.on())
                    .append(" sample").append(a.count() == 1 ? "" : "s").append(" (Java reference interpreter)\n");
            if (a.on().equals("validation")) {
                sb.append("  data             ").append(a.data()).append('\n');
            }
            if (a.float32() != null) {
                sb.append(String.format(Locale.ROOT, "  top-1 accuracy   float32 %s, int8 %s; drop %s%n", AccuracyText.pct(a.float32()),
                        AccuracyText.pct(a.int8()), AccuracyText.points(a.drop())));
            }
            if (a.classifier() && a.agreement() != null) {
                sb.append("  top-1 agreement  ").append(a.top1Matches()).append(" of ").append(a.count()).append(" (")
                        .append(AccuracyText.pct(a.agreement())).append(")\n");
            }
            sb.append("  max abs error    ").append(num(a.maxAbsError())).append(" (outputs after dequantization; mean ")
                    .append(num(a.meanAbsError())).append(", RMSE ").append(num(a.rmse())).append(")\n");
            sb.append("  SNR              ").append(a.snrDb() == null ? "infinite (identical outputs)"
                    : String.format(Locale.ROOT, "%.2f dB", a.snrDb())).append(" (float32 output power / int8 error power)\n");
        }
        for (String n : r.notes()) {
            sb.append("note: ").append(n).append('\n');
        }
        sb.append('\n').append("result: ").append(r.result().message()).append('\n');
        return sb.toString();
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : "…" + s.substring(s.length() - max + 1);
    }

    static String num(double v) {
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        return a >= 1e5 || a < 1e-3 ? String.format(Locale.ROOT, "%.4g", v) : String.format(Locale.ROOT, "%.6g", v);
    }
}
