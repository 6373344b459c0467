package dev.tinysim.inference;

import dev.tinysim.failure.FailureException;
import dev.tinysim.failure.Failure;
import dev.tinysim.text.Printable;
import dev.tinysim.tflite.Operator;
import dev.tinysim.tflite.Quantization;
import dev.tinysim.tflite.Subgraph;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;
import dev.tinysim.tflite.TfliteModel;

import java.util.List;

/**
 * The inference runtime's load-time checks (firmware-images/runtime/ts_runtime.c: parse_tensor's quantization,
 * the graph checks of ts_load's step 3 and the outputs after it), made first in Java with the same rules, so a
 * model the firmware would refuse at load is refused before anything runs (exit 65, one line), not by the
 * firmware (exit 93). Keep in step with the C: each rule names the C check it mirrors.
 */
final class RuntimeLoadRules {

    private RuntimeLoadRules() {
    }

    static void check(TfliteModel model, String name) {
        Subgraph g = model.mainSubgraph();
        String file = Printable.name(name);
        List<Tensor> tensors = g.tensors();
        for (int i = 0; i < tensors.size(); i++) {
            String problem = quantization(tensors.get(i));
            if (problem != null) {
                throw new FailureException(Failure.BAD_INPUT, file + ": tensor " + i + " ('" + Printable.name(tensors.get(i).name())
                        + "'): " + problem);
            }
        }
        String graph = graph(model, g);
        if (graph != null) {
            throw new FailureException(Failure.BAD_INPUT, file + ": " + graph);
        }
    }

    /** parse_tensor, "quantization": scales in [0, FLT_MAX]; zero point 0 in range; per-channel zero points 0. */
    static String quantization(Tensor t) {
        Quantization q = t.quantization();
        List<Float> scales = q.scale();
        if (scales.isEmpty()) {
            return null;   // the C takes a table without scales as not quantized
        }
        for (int k = 0; k < scales.size(); k++) {
            float s = scales.get(k);
            if (!(s >= 0.0f && s <= Float.MAX_VALUE)) {
                return "quantization scale " + (scales.size() > 1 ? k + " " : "") + "is " + s
                        + " (a scale must be a finite number of at least 0)";
            }
        }
        List<Long> zps = q.zeroPoint();
        long zp = zps.isEmpty() ? 0 : zps.get(0);
        if (zp < -32768 || zp > 65535) {
            return "zero point " + zp + " is outside [-32768, 65535]";
        }
        if (t.type() == TensorType.INT8 && (zp < -128 || zp > 127)) {
            return "zero point " + zp + " is outside [-128, 127] for an int8 tensor";
        }
        if (zps.size() > 1 && zps.size() == scales.size()) {
            for (int k = 0; k < zps.size(); k++) {
                if (zps.get(k) != 0) {
                    return "per-channel zero point " + k + " is " + zps.get(k) + " (per-channel zero points must be 0)";
                }
            }
        }
        return null;
    }

    /** ts_load steps 2-3: operators present, graph inputs not constant, each tensor written once before it is read. */
    static String graph(TfliteModel model, Subgraph g) {
        List<Operator> ops = g.operators();
        if (ops.isEmpty()) {
            return "subgraph 0 has no operators";
        }
        int n = g.tensors().size();
        boolean[] written = new boolean[n];
        boolean[] constant = new boolean[n];
        boolean[] variable = new boolean[n];
        for (int i = 0; i < n; i++) {
            Tensor t = g.tensor(i);
            variable[i] = t.isVariable();   // the C gives a variable its state and ignores data it may carry
            constant[i] = model.isConstant(t) && !t.isVariable();
        }
        for (int k : g.inputs()) {
            if (k < 0 || k >= n) {
                return "graph input " + k + " is not a tensor index";
            }
            if (constant[k]) {
                return "graph input " + k + " ('" + Printable.name(g.tensor(k).name()) + "') is a constant";
            }
            written[k] = true;
        }
        for (int i = 0; i < ops.size(); i++) {
            Operator op = ops.get(i);
            for (int k = 0; k < op.inputs().size() + op.outputs().size(); k++) {
                boolean isOut = k >= op.inputs().size();
                int ti = isOut ? op.outputs().get(k - op.inputs().size()) : op.inputs().get(k);
                if (ti == -1 && !isOut) {
                    continue;
                }
                if (ti < 0 || ti >= n) {
                    return "operator " + i + ": " + (isOut ? "output" : "input") + " " + ti + " is not a tensor index";
                }
                String tn = "tensor " + ti + " ('" + Printable.name(g.tensor(ti).name()) + "')";
                if (constant[ti]) {
                    if (isOut) {
                        return "operator " + i + " writes constant " + tn;
                    }
                    continue;
                }
                if (variable[ti]) {
                    continue;
                }
                if (isOut) {
                    if (written[ti]) {
                        return "operator " + i + " writes " + tn + ", which is already written (a graph input or another operator's output)";
                    }
                    written[ti] = true;
                } else if (!written[ti]) {
                    return "operator " + i + " reads " + tn + " before any operator writes it";
                }
            }
        }
        for (int k : g.outputs()) {
            if (k < 0 || k >= n) {
                return "graph output " + k + " is not a tensor index";
            }
            if (constant[k] || (!written[k] && !variable[k])) {
                return "graph output " + k + " ('" + Printable.name(g.tensor(k).name()) + "') is never written by an operator";
            }
        }
        return null;
    }
}
