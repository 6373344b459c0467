package dev.tinysim.compare;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-layer cycles of every configuration side by side: the float and int8 models' operators matched.
 *
 * <p>When both graphs list the same operators in the same order (a model and its post-training quantized
 * twin usually do), operator i of one is operator i of the other. Otherwise the operators are matched by type,
 * in order, along the longest common subsequence of the two operator lists; an operator only one graph has
 * (QUANTIZE/DEQUANTIZE at the edges of an int8 model with float input or output, a fused activation the
 * other keeps apart) gets a row of its own with no cycles for the other model's configurations.
 *
 * @param matching how the operators were matched, one line
 * @param rows     one per matched pair or unmatched operator, in execution order
 */
public record Layers(String matching, List<Row> rows) {

    /**
     * @param floatIndex operator index in the float model (null: only in the int8 model)
     * @param int8Index  operator index in the int8 model (null: only in the float model)
     * @param operator   the operator (both models' when matched)
     * @param cycles     configuration id → the operator's DWT cycles (null where the operator is not in that configuration's model
     *                   or the configuration did not run)
     */
    public record Row(Integer floatIndex, Integer int8Index, String operator, Map<String, Long> cycles) {
    }

    /** Index pairs: {floatIndex or -1, int8Index or -1}, in execution order. */
    static List<int[]> match(List<String> floatOps, List<String> int8Ops) {
        List<int[]> pairs = new ArrayList<>();
        if (floatOps.equals(int8Ops)) {
            for (int i = 0; i < floatOps.size(); i++) {
                pairs.add(new int[]{i, i});
            }
            return pairs;
        }
        int n = floatOps.size();
        int m = int8Ops.size();
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = floatOps.get(i).equals(int8Ops.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && floatOps.get(i).equals(int8Ops.get(j))) {
                pairs.add(new int[]{i++, j++});
            } else if (j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j])) {
                pairs.add(new int[]{-1, j++});
            } else {
                pairs.add(new int[]{i++, -1});
            }
        }
        return pairs;
    }

    /** How {@link #match} matched these lists, one line. */
    static String describe(List<String> floatOps, List<String> int8Ops, List<int[]> pairs) {
        if (floatOps.equals(int8Ops)) {
            return "operators matched by index: both models have the same " + floatOps.size() + " operators in the same order";
        }
        long onlyFloat = pairs.stream().filter(p -> p[1] < 0).count();
        long onlyInt8 = pairs.stream().filter(p -> p[0] < 0).count();
        List<String> extra = new ArrayList<>();
        for (int[] p : pairs) {
            if (p[0] < 0) {
                extra.add(int8Ops.get(p[1]) + " (int8 #" + p[1] + ")");
            } else if (p[1] < 0) {
                extra.add(floatOps.get(p[0]) + " (float32 #" + p[0] + ")");
            }
        }
        return "the models' operator lists differ (" + floatOps.size() + " float32, " + int8Ops.size() + " int8 operators): "
                + "matched by type in execution order (longest common subsequence); "
                + (onlyFloat + onlyInt8) + " operator" + (onlyFloat + onlyInt8 == 1 ? " is" : "s are") + " in one model only"
                + (extra.isEmpty() ? "" : ": " + String.join(", ", extra.subList(0, Math.min(6, extra.size())))
                + (extra.size() > 6 ? ", …" : ""));
    }

    /** The side-by-side rows for measured configurations ({@code float32} rows read float indices, {@code int8} rows int8 ones). */
    static Layers of(List<String> floatOps, List<String> int8Ops, List<Measurement> configurations) {
        List<int[]> pairs = match(floatOps, int8Ops);
        List<Row> rows = new ArrayList<>();
        for (int[] p : pairs) {
            Map<String, Long> cycles = new LinkedHashMap<>();
            for (Measurement m : configurations) {
                int idx = "int8".equals(m.model()) ? p[1] : p[0];
                Long c = null;
                if (idx >= 0) {
                    for (Measurement.OpCycles op : m.operators()) {
                        if (op.index() == idx) {
                            c = op.cycles();
                        }
                    }
                }
                cycles.put(m.id(), c);
            }
            String op = p[0] >= 0 ? floatOps.get(p[0]) : int8Ops.get(p[1]);
            rows.add(new Row(p[0] < 0 ? null : p[0], p[1] < 0 ? null : p[1], op, cycles));
        }
        return new Layers(describe(floatOps, int8Ops, pairs), List.copyOf(rows));
    }
}
