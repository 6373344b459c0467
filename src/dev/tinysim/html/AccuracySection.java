package dev.tinysim.html;

import dev.tinysim.compare.Accuracy;
import dev.tinysim.compare.Budgets;
import dev.tinysim.compare.CompareReport;
import dev.tinysim.compare.FitReport;
import dev.tinysim.compare.Layers;
import dev.tinysim.compare.Measurement;
import dev.tinysim.compare.ReportRenderer;
import dev.tinysim.inference.InferenceReport;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import static dev.tinysim.html.Html.bytes;
import static dev.tinysim.html.Html.esc;
import static dev.tinysim.emulator.units.Units.grouped;
import static dev.tinysim.html.Blocks.*;
import static dev.tinysim.html.Colors.*;
import static dev.tinysim.html.LatencySection.*;
import static dev.tinysim.html.MemorySection.*;
import static dev.tinysim.html.LayerSection.*;
import static dev.tinysim.html.SetupSection.*;

/** int8 against float32: the warning banner, the accuracy section, per-class table and confusion matrix. */
final class AccuracySection {
    private AccuracySection() {
    }

    /** Below this top-1 agreement, int8 is shown in warning colour (a guess at "worth a look", not a standard). */
    static final double LOW_AGREEMENT = 0.90;

    /** Above this accuracy drop (a fraction: 1 percentage point), likewise. */
    static final double LARGE_DROP = 0.01;

    /** Below this SNR (non-classifiers), likewise. */
    static final double LOW_SNR_DB = 20;

    /** Why the int8 model's figures deserve a look (low agreement, large drop, low SNR), or null. */
    static String accuracyConcern(Accuracy a) {
        if (a.drop() != null && a.drop() > LARGE_DROP) {
            return "int8 loses " + Html.fixed(100 * a.drop(), 1) + " points of top-1 accuracy against float32 ("
                    + Html.fixed(100 * a.int8(), 1) + "% against " + Html.fixed(100 * a.float32(), 1) + "%)";
        }
        if (a.top1Agreement() != null && a.top1Agreement() < LOW_AGREEMENT) {
            return "int8 picks float32's class on only " + Html.fixed(100 * a.top1Agreement(), 1) + "% of the inputs ("
                    + a.top1Matches() + " of " + a.count() + ")";
        }
        if (!a.classifier() && a.snrDb() != null && a.snrDb() < LOW_SNR_DB) {
            return "int8's outputs are " + Html.fixed(a.snrDb(), 1) + " dB from float32's (SNR)";
        }
        return null;
    }

    /** A warning near the top: synthetic inputs (agreement only), a low agreement or a large accuracy drop. */
    static void accuracyBanner(StringBuilder s, Accuracy a) {
        if (a == null) {
            return;
        }
        String concern = accuracyConcern(a);
        if (concern == null && !a.synthetic()) {
            return;
        }
        String head = a.synthetic() ? "Synthetic inputs: agreement only, not accuracy." : "Accuracy: " + concern + ".";
        String more = a.synthetic()
                ? (concern == null ? "" : esc(concern) + " — on random inputs, which a model calibrated on real data can saturate on. ")
                + "Give real data with <code>--dataset</code> (and labels) for the int8 model's accuracy."
                : "Over " + esc(a.inputs()) + ".";
        s.append("<div class=\"banner warn\" data-accuracy=\"").append(a.synthetic() ? "synthetic" : "concern")
                .append("\"><span class=\"icon\">!</span><div><b>").append(esc(head)).append("</b><div class=\"small\">").append(more)
                .append("</div></div></div>\n");
    }

    static void accuracySection(StringBuilder s, Accuracy a) {
        if (a == null) {
            return;
        }
        section(s, "accuracy", a.synthetic() ? "Agreement: int8 against float32 (synthetic inputs)" : "Accuracy: int8 against float32",
                raw(esc("Over " + a.inputs() + ". " + a.method() + ".") + (a.synthetic()
                        ? " <b>Synthetic inputs: agreement only, not accuracy.</b>" : "")));
        s.append("<table class=\"kv wide\">\n");
        for (String d : a.data()) {
            kv(s, "data", d);
        }
        if (a.int8() != null) {
            kv(s, "top-1 accuracy", raw("float32 <b>" + Html.fixed(100 * a.float32(), 1) + "%</b>, int8 <b>" + Html.fixed(100 * a.int8(), 1)
                    + "%</b>, drop <b>" + Html.fixed(100 * a.drop(), 1) + " points</b>"));
        }
        if (a.classifier()) {
            kv(s, "top-1 agreement", raw(a.top1Agreement() == null ? "–" : "<b>" + Html.fixed(100 * a.top1Agreement(), 1) + "%</b> ("
                    + grouped(a.top1Matches()) + " of " + grouped(a.count()) + " inputs: the int8 model picks the float32 model's class)"));
        }
        kv(s, "max abs error", raw("<b>" + num(a.maxAbsError()) + "</b> (largest |int8 − float32| over every output value, after dequantization)"));
        kv(s, "mean abs error", num(a.meanAbsError()) + (a.rmse() == null ? "" : " · RMSE " + num(a.rmse())));
        kv(s, "SNR", raw(a.snrDb() == null ? "infinite (identical outputs)" : "<b>" + Html.fixed(a.snrDb(), 2)
                + " dB</b> (float32 output power ÷ int8 error power)"));
        if (a.labelled() != null) {
            Accuracy.Labelled l = a.labelled();
            kv(s, "against the true classes", raw("float32 <b>" + Html.fixed(100 * l.floatAccuracy(), 1) + "%</b> (" + grouped(l.floatCorrect())
                    + " of " + grouped(a.count()) + "), int8 <b>" + Html.fixed(100 * l.int8Accuracy(), 1) + "%</b> (" + grouped(l.int8Correct())
                    + " of " + grouped(a.count()) + ") — classes " + esc(String.join(", ", l.labels()))));
        }
        if (!a.firmwareCheck().isEmpty()) {
            StringBuilder fc = new StringBuilder();
            for (Accuracy.FirmwareCheck c : a.firmwareCheck()) {
                fc.append("<span class=\"badge ").append(c.bitExact() ? "ok" : "bad").append("\">").append(esc(c.configuration()))
                        .append(c.bitExact() ? " ✓ bit-exact" : " ✗ differs").append("</span> ");
            }
            kv(s, "firmware vs reference", raw(fc + " <span class=\"small\">(input 0 on every configuration"
                    + (a.deviceSamples() > 1 ? "; inputs 1.." + (a.deviceSamples() - 1) + " on int8-simd" : "") + ")</span>"));
        }
        s.append("</table>\n");
        if (a.labelled() != null) {
            perClassTable(s, a.labelled());
        }
        s.append("</section>\n");
    }

    /** Per-class accuracy of both models, and the int8 model's confusion matrix (up to 20 classes). */
    static void perClassTable(StringBuilder s, Accuracy.Labelled l) {
        s.append("<h3>Per class</h3>\n<table class=\"data\" id=\"per-class\">\n<thead><tr><th>class</th><th class=\"n\">inputs</th>"
                + "<th class=\"n\">float32</th><th class=\"n\">int8</th></tr></thead>\n<tbody>\n");
        for (Accuracy.ClassRow c : l.perClass()) {
            s.append("<tr><td>").append(esc(c.name())).append("</td><td class=\"n\">").append(grouped(c.samples())).append("</td><td class=\"n\">")
                    .append(Html.fixed(100 * c.float32(), 1)).append("% (").append(c.float32Correct()).append(")</td><td class=\"n\">")
                    .append(Html.fixed(100 * c.int8(), 1)).append("% (").append(c.int8Correct()).append(")</td></tr>\n");
        }
        s.append("</tbody></table>\n");
        if (l.confusion() == null || l.labels().size() > 20) {
            return;
        }
        int[][] m = l.confusion().int8();
        s.append("<h3>Confusion matrix of the int8 model</h3>\n<p class=\"caption\">Rows: true class; columns: predicted class.</p>\n")
                .append("<table class=\"data\" id=\"confusion\">\n<thead><tr><th>true \\ predicted</th>");
        for (String name : l.labels()) {
            s.append("<th class=\"n\">").append(esc(name)).append("</th>");
        }
        s.append("</tr></thead>\n<tbody>\n");
        for (int t = 0; t < m.length; t++) {
            s.append("<tr><td>").append(esc(l.labels().get(t))).append("</td>");
            for (int p = 0; p < m.length; p++) {
                s.append("<td class=\"n\"").append(t == p && m[t][p] > 0 ? " style=\"font-weight:700\"" : "").append(">")
                        .append(m[t][p] == 0 ? "·" : grouped(m[t][p])).append("</td>");
            }
            s.append("</tr>\n");
        }
        s.append("</tbody></table>\n");
    }

    static String num(double v) {
        if (v == 0) {
            return "0";
        }
        return Math.abs(v) >= 0.01 ? String.format(Locale.ROOT, "%.4f", v) : String.format(Locale.ROOT, "%.3g", v);
    }
}
