package dev.tinysim.html;

import dev.tinysim.compare.Accuracy;
import dev.tinysim.compare.Budgets;
import dev.tinysim.compare.CompareReport;
import dev.tinysim.compare.FitReport;
import dev.tinysim.compare.LayerBreakdown;
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
import static dev.tinysim.html.AccuracySection.*;
import static dev.tinysim.html.SetupSection.*;

/** Where the cycles go: per-layer stacked charts, shares and the per-layer table. */
final class LayerSection {
    private LayerSection() {
    }

    /** The colour of layer i, or null when it is part of "other". */
    static String color(LayerBreakdown d, int i) {
        int k = d.slot(i);
        return k < 0 ? null : LAYER_COLORS[k % LAYER_COLORS.length];
    }

    static void layerCharts(StringBuilder s, LayerBreakdown d, List<Measurement> rows) {
        BarChart abs = new BarChart("layers", "Cycles per layer, stacked, per configuration").axis("cycles (linear scale)", 1, Html::si);
        BarChart share = new BarChart("layer-share", "Share of each configuration's cycles per layer")
                .axis("% of the configuration's cycles", 1, v -> Html.trim(v) + "%").scaleTo(100);
        for (Measurement m : rows) {
            if (!m.measured()) {
                abs.row(new BarChart.Row(m.id(), m.id(), m.label(), List.of(), null, "failed: " + m.result().message(), true));
                share.row(new BarChart.Row(m.id(), m.id(), m.label(), List.of(), null, "failed", true));
                continue;
            }
            List<BarChart.Segment> segs = new ArrayList<>();
            long other = 0;
            int otherCount = 0;
            long ops = 0;
            for (int i = 0; i < d.labels().size(); i++) {
                Long c = d.cycles().get(i).get(m.id());
                if (c == null) {
                    continue;
                }
                ops += c;
                String color = color(d, i);
                if (color == null) {
                    other += c;
                    otherCount++;
                } else {
                    segs.add(new BarChart.Segment("L" + i, d.name(i), c, color, m.id() + ": " + d.name(i) + ": " + grouped(c) + " cycles ("
                            + Html.pct(c, m.cycles()) + ")"));
                }
            }
            if (otherCount > 0) {
                segs.add(new BarChart.Segment("other", "other", other, OTHER_COLOR, m.id() + ": " + otherCount + " other layers: "
                        + grouped(other) + " cycles (" + Html.pct(other, m.cycles()) + ")"));
            }
            long interp = m.cycles() - ops;
            if (interp > 0) {
                segs.add(new BarChart.Segment("interpreter", "interpreter", interp, INTERPRETER_COLOR, m.id()
                        + ": interpreter (outside the kernels): " + grouped(interp) + " cycles (" + Html.pct(interp, m.cycles()) + ")"));
            }
            abs.row(new BarChart.Row(m.id(), m.id(), m.label(), segs, grouped(m.cycles()) + " cycles", null, false));
            List<BarChart.Segment> pct = new ArrayList<>();
            for (BarChart.Segment g : segs) {
                pct.add(new BarChart.Segment(g.key(), g.name(), 100.0 * g.value() / m.cycles(), g.color(), g.tooltip()));
            }
            BarChart.Segment top = segs.stream().filter(g -> !g.key().equals("interpreter") && !g.key().equals("other"))
                    .max(Comparator.comparingDouble(BarChart.Segment::value)).orElse(null);
            share.row(new BarChart.Row(m.id(), m.id(), m.label(), pct, null, top == null ? null
                    : "largest: " + top.name() + " " + Html.pct(top.value(), m.cycles()), false));
        }
        s.append("<h3>Cycles per layer</h3>\n").append(abs.render());
        List<Map.Entry<String, String>> items = new ArrayList<>();
        int otherCount = 0;
        for (int i = 0; i < d.labels().size(); i++) {
            if (color(d, i) != null) {
                items.add(Map.entry(d.name(i), color(d, i)));
            } else {
                otherCount++;
            }
        }
        if (otherCount > 0) {
            items.add(Map.entry("other (" + otherCount + " smaller layers)", OTHER_COLOR));
        }
        items.add(Map.entry("interpreter (outside the kernels)", INTERPRETER_COLOR));
        legend(s, items, false);
        s.append("<h3>Share of each configuration's cycles</h3>\n").append(share.render());
    }

    static void layerTable(StringBuilder s, LayerBreakdown d, List<Measurement> rows) {
        s.append("<h3>Per-layer table</h3>\n<p class=\"caption\">").append(d.labels().size())
                .append(" layers: cycles, and the share of the configuration's total.</p>\n");
        s.append("<table class=\"data layer-table\">\n<thead><tr><th>layer</th><th>operator</th>");
        for (Measurement m : rows) {
            s.append("<th class=\"n\"><span class=\"sw\" style=\"background:").append(colorOf(m)).append("\"></span>").append(esc(m.id())).append("</th>");
        }
        s.append("</tr></thead>\n<tbody>\n");
        for (int i = 0; i < d.labels().size(); i++) {
            String color = color(d, i);
            s.append("<tr><td><span class=\"sw\" style=\"background:").append(color == null ? OTHER_COLOR : color).append("\"></span>")
                    .append(esc(d.labels().get(i))).append("</td><td>").append(esc(d.operators().get(i))).append("</td>");
            for (Measurement m : rows) {
                Long c = d.cycles().get(i).get(m.id());
                if (c == null || !m.measured()) {
                    s.append("<td class=\"n muted\">–</td>");
                } else {
                    double p = 100.0 * c / m.cycles();
                    s.append("<td class=\"n heat\" style=\"background:rgba(37,99,235,")
                            .append(String.format(Locale.ROOT, "%.3f", Math.min(0.32, p / 100 * 0.9))).append(")\">").append(grouped(c))
                            .append("<div class=\"small\">").append(Html.pct(c, m.cycles())).append("</div></td>");
                }
            }
            s.append("</tr>\n");
        }
        s.append("</tbody>\n<tfoot><tr><td></td><td>interpreter</td>");
        for (Measurement m : rows) {
            long ops = m.operators().stream().mapToLong(Measurement.OpCycles::cycles).sum();
            s.append("<td class=\"n\">").append(m.measured() ? grouped(m.cycles() - ops) : "–").append("</td>");
        }
        s.append("</tr>\n<tr class=\"total\"><td></td><td>total</td>");
        for (Measurement m : rows) {
            s.append("<td class=\"n\">").append(m.measured() ? grouped(m.cycles()) : "–").append("</td>");
        }
        s.append("</tr></tfoot>\n</table>\n");
    }
}
