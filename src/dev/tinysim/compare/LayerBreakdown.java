package dev.tinysim.compare;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-layer cycles, however they were matched: a label per layer and, per configuration, each layer's cycles (null where
 * the layer is not in that configuration's model); which layers are shown on their own ({@code shown}, by index) and
 * whether the rest are grouped as "other". The chart data of the HTML report's per-layer section, shaped here; the
 * report picks the colours.
 */
public record LayerBreakdown(List<String> labels, List<String> operators, List<Map<String, Long>> cycles, List<Integer> shown,
                             boolean grouped) {

    /** A comparison's matched layers; at most {@code maxSegments} segments per bar (the smallest layers grouped as "other"). */
    public static LayerBreakdown of(CompareReport r, int maxSegments) {
        List<String> labels = new ArrayList<>();
        List<String> ops = new ArrayList<>();
        List<Map<String, Long>> cycles = new ArrayList<>();
        if (r.layers() == null) {
            return group(labels, ops, cycles, r.configurations(), maxSegments);
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
        return group(labels, ops, cycles, r.configurations(), maxSegments);
    }

    /** One model's operators by index (fit). */
    public static LayerBreakdown of(List<Measurement> rows, int maxSegments) {
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
        return group(labels, ops, cycles, rows, maxSegments);
    }

    /** Which layers get a colour of their own: all when they are few, else the largest (by their share of any configuration). */
    private static LayerBreakdown group(List<String> labels, List<String> ops, List<Map<String, Long>> cycles, List<Measurement> rows,
                                        int maxSegments) {
        int count = labels.size();
        List<Integer> order = new ArrayList<>();
        boolean grouped = count > maxSegments;
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
            order.addAll(idx.subList(0, maxSegments - 1));
            order.sort(Comparator.naturalOrder());
        }
        return new LayerBreakdown(labels, ops, cycles, order, grouped);
    }

    /** Layer i's place among the layers shown on their own (its colour slot), or -1 when it is part of "other". */
    public int slot(int i) {
        return shown.indexOf(i);
    }

    public String name(int i) {
        return labels.get(i) + " " + operators.get(i);
    }
}
