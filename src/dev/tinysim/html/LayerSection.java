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
import static dev.tinysim.html.Html.n;
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

    /**
     * Per-layer cycles, however they were matched: a label per layer and, per configuration, each layer's cycles (null where
     * the layer is not in that configuration's model).
     */
    record LayerData(List<String> labels, List<String> operators, List<Map<String, Long>> cycles, List<Integer> colorOrder,
                     boolean grouped) {

        static LayerData of(CompareReport r) {
            List<String> labels = new ArrayList<>();
            List<String> ops = new ArrayList<>();
            List<Map<String, Long>> cycles = new ArrayList<>();
            if (r.layers() == null) {
                return group(labels, ops, cycles, r.configurations());
            }
            for (Layers.Row row : r.layers().rows()) {
                String idx = row.floatIndex() != null && row.floatIndex().equals(row.int8Index()) ? "#" + row.floatIndex()
                        : row.floatIndex() == null ? "int8 #" + row.int8Index()
                        : row.int8Index() == null ? "f32 #" + row.floatIndex()
                        : "f32 #" + row.floatIndex() + " / int8 #" + row.int8Index();
                labels.add(idx);
                ops.add(row.operator());
                cycles.add(row.cycles());
            }
            return group(labels, ops, cycles, r.configurations());
        }

        /** One model's operators by index (fit). */
        static LayerData of(List<Measurement> rows) {
            Map<Integer, String> names = new java.util.TreeMap<>();
            for (Measurement m : rows) {
                for (Measurement.OpCycles op : m.operators()) {
                    names.putIfAbsent(op.index(), op.operator());
                }
            }
            List<String> labels = new ArrayList<>();
            List<String> ops = new ArrayList<>();
            List<Map<String, Long>> cycles = new ArrayList<>();
            for (Map.Entry<Integer, String> e : names.entrySet()) {
                labels.add("#" + e.getKey());
                ops.add(e.getValue());
                Map<String, Long> c = new LinkedHashMap<>();
                for (Measurement m : rows) {
                    c.put(m.id(), m.operators().stream().filter(o -> o.index() == e.getKey()).map(Measurement.OpCycles::cycles)
                            .findFirst().orElse(null));
                }
                cycles.add(c);
            }
            return group(labels, ops, cycles, rows);
        }

        /** Which layers get a colour of their own: all when they are few, else the largest (by their share of any configuration). */
        private static LayerData group(List<String> labels, List<String> ops, List<Map<String, Long>> cycles, List<Measurement> rows) {
            int count = labels.size();
            List<Integer> order = new ArrayList<>();
            boolean grouped = count > MAX_LAYER_SEGMENTS;
            if (!grouped) {
                for (int i = 0; i < count; i++) {
                    order.add(i);
                }
            } else {
                double[] share = new double[count];
                for (int i = 0; i < count; i++) {
                    for (Measurement m : rows) {
                        Long c = cycles.get(i).get(m.id());
                        if (c != null && m.cycles() > 0) {
                            share[i] = Math.max(share[i], (double) c / m.cycles());
                        }
                    }
                }
                List<Integer> idx = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    idx.add(i);
                }
                idx.sort((a, b) -> Double.compare(share[b], share[a]));
                order.addAll(idx.subList(0, MAX_LAYER_SEGMENTS - 1));
                order.sort(Comparator.naturalOrder());
            }
            return new LayerData(labels, ops, cycles, order, grouped);
        }

        /** The colour of layer i, or null when it is part of "other". */
        String color(int i) {
            int k = colorOrder.indexOf(i);
            return k < 0 ? null : LAYER_COLORS[k % LAYER_COLORS.length];
        }

        String name(int i) {
            return labels.get(i) + " " + operators.get(i);
        }
    }

    static void layerCharts(StringBuilder s, LayerData d, List<Measurement> rows) {
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
                String color = d.color(i);
                if (color == null) {
                    other += c;
                    otherCount++;
                } else {
                    segs.add(new BarChart.Segment("L" + i, d.name(i), c, color, m.id() + ": " + d.name(i) + ": " + n(c) + " cycles ("
                            + Html.pct(c, m.cycles()) + ")"));
                }
            }
            if (otherCount > 0) {
                segs.add(new BarChart.Segment("other", "other", other, OTHER_COLOR, m.id() + ": " + otherCount + " other layers: "
                        + n(other) + " cycles (" + Html.pct(other, m.cycles()) + ")"));
            }
            long interp = m.cycles() - ops;
            if (interp > 0) {
                segs.add(new BarChart.Segment("interpreter", "interpreter", interp, INTERPRETER_COLOR, m.id()
                        + ": interpreter (outside the kernels): " + n(interp) + " cycles (" + Html.pct(interp, m.cycles()) + ")"));
            }
            abs.row(new BarChart.Row(m.id(), m.id(), m.label(), segs, n(m.cycles()) + " cycles", null, false));
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
            if (d.color(i) != null) {
                items.add(Map.entry(d.name(i), d.color(i)));
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

    static void layerTable(StringBuilder s, LayerData d, List<Measurement> rows) {
        s.append("<h3>Per-layer table</h3>\n<p class=\"caption\">").append(d.labels().size())
                .append(" layers: cycles, and the share of the configuration's total.</p>\n");
        s.append("<table class=\"data layer-table\">\n<thead><tr><th>layer</th><th>operator</th>");
        for (Measurement m : rows) {
            s.append("<th class=\"n\"><span class=\"sw\" style=\"background:").append(colorOf(m)).append("\"></span>").append(esc(m.id())).append("</th>");
        }
        s.append("</tr></thead>\n<tbody>\n");
        for (int i = 0; i < d.labels().size(); i++) {
            String color = d.color(i);
            s.append("<tr><td><span class=\"sw\" style=\"background:").append(color == null ? OTHER_COLOR : color).append("\"></span>")
                    .append(esc(d.labels().get(i))).append("</td><td>").append(esc(d.operators().get(i))).append("</td>");
            for (Measurement m : rows) {
                Long c = d.cycles().get(i).get(m.id());
                if (c == null || !m.measured()) {
                    s.append("<td class=\"n muted\">–</td>");
                } else {
                    double p = 100.0 * c / m.cycles();
                    s.append("<td class=\"n heat\" style=\"background:rgba(37,99,235,")
                            .append(String.format(Locale.ROOT, "%.3f", Math.min(0.32, p / 100 * 0.9))).append(")\">").append(n(c))
                            .append("<div class=\"small\">").append(Html.pct(c, m.cycles())).append("</div></td>");
                }
            }
            s.append("</tr>\n");
        }
        s.append("</tbody>\n<tfoot><tr><td></td><td>interpreter</td>");
        for (Measurement m : rows) {
            long ops = m.operators().stream().mapToLong(Measurement.OpCycles::cycles).sum();
            s.append("<td class=\"n\">").append(m.measured() ? n(m.cycles() - ops) : "–").append("</td>");
        }
        s.append("</tr>\n<tr class=\"total\"><td></td><td>total</td>");
        for (Measurement m : rows) {
            s.append("<td class=\"n\">").append(m.measured() ? n(m.cycles()) : "–").append("</td>");
        }
        s.append("</tr></tfoot>\n</table>\n");
    }
}
