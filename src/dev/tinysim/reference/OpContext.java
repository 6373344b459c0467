package dev.tinysim.reference;

import dev.tinysim.tflite.ActivationFunction;
import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.Operator;
import dev.tinysim.tflite.Quantization;
import dev.tinysim.tflite.Subgraph;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;
import dev.tinysim.tflite.TfliteModel;

import java.util.Arrays;
import java.util.List;
import dev.tinysim.text.Printable;

/**
 * What a kernel needs while it is being prepared: the operator, its tensors, constant data, and a way
 * to reject the model with a message that names the operator and its index.
 */
final class OpContext {

    final TfliteModel model;
    final Subgraph graph;
    final Operator op;
    final int index;
    final String name;

    OpContext(TfliteModel model, Subgraph graph, Operator op, int index, String name) {
        this.model = model;
        this.graph = graph;
        this.op = op;
        this.index = index;
        this.name = name;
    }

    UnsupportedModelException fail(String detail) {
        return new UnsupportedModelException(name + " (operator " + index + "): " + detail);
    }

    int inputCount() {
        return op.inputs().size();
    }

    int inputIndex(int i) {
        int t = op.input(i);
        if (t < 0) {
            throw fail("input " + i + " is missing");
        }
        return t;
    }

    /** Tensor index of an optional input, or -1. */
    int optionalInputIndex(int i) {
        return op.input(i);
    }

    Tensor input(int i) {
        return graph.tensor(inputIndex(i));
    }

    int outputIndex(int i) {
        if (i >= op.outputs().size()) {
            throw fail("output " + i + " is missing");
        }
        return op.output(i);
    }

    Tensor output(int i) {
        return graph.tensor(outputIndex(i));
    }

    <T extends BuiltinOptions> T options(Class<T> type) {
        if (!type.isInstance(op.options())) {
            throw fail("expected " + type.getSimpleName() + " options but the operator has "
                    + op.options().unionTypeName());
        }
        return type.cast(op.options());
    }

    void requireInputs(int min, int max) {
        int n = inputCount();
        if (n < min || n > max) {
            throw fail("has " + n + " inputs, expected " + (min == max ? String.valueOf(min) : min + " to " + max));
        }
        if (op.outputs().size() != 1) {
            throw fail("has " + op.outputs().size() + " outputs, expected 1");
        }
    }

    void requireType(Tensor t, String role, TensorType... allowed) {
        for (TensorType a : allowed) {
            if (t.type() == a) {
                return;
            }
        }
        throw fail(role + " '" + Printable.name(t.name()) + "' has type " + t.type() + ", expected " + Arrays.toString(allowed));
    }

    void requireRank(Tensor t, String role, int rank) {
        if (t.rank() != rank) {
            throw fail(role + " '" + Printable.name(t.name()) + "' has shape " + t.shape() + ", expected rank " + rank);
        }
    }

    void requireSameElementCount(Tensor a, Tensor b) {
        if (a.elementCount() != b.elementCount()) {
            throw fail("input shape " + a.shape() + " and output shape " + b.shape() + " differ in element count");
        }
    }

    /** Per-tensor scale of an int8 tensor; rejects unquantized or non-positive scales. */
    float scale(Tensor t, String role) {
        Quantization q = t.quantization();
        if (!q.isQuantized()) {
            throw fail(role + " '" + Printable.name(t.name()) + "' is " + t.type() + " but has no quantization parameters");
        }
        float s = q.scaleValue();
        if (!(s > 0f) || Float.isInfinite(s)) {
            throw fail(role + " '" + Printable.name(t.name()) + "' has scale " + s + ", which is not a positive finite number");
        }
        return s;
    }

    int zeroPoint(Tensor t, String role) {
        long zp = t.quantization().zeroPoint().isEmpty() ? 0 : t.quantization().zeroPoint().get(0);
        if (zp < -128 || zp > 127) {
            throw fail(role + " '" + Printable.name(t.name()) + "' has zero point " + zp + ", outside the int8 range");
        }
        return (int) zp;
    }

    /** Rejects int8 tensors whose quantization differs (operators that copy bytes need equal parameters). */
    void requireSameQuantization(Tensor a, Tensor b) {
        if (scale(a, "input") != scale(b, "output") || zeroPoint(a, "input") != zeroPoint(b, "output")) {
            throw fail("int8 input '" + Printable.name(a.name()) + "' (scale " + a.quantization().scaleValue() + ", zero point "
                    + zeroPoint(a, "input") + ") and output '" + Printable.name(b.name()) + "' (scale "
                    + b.quantization().scaleValue() + ", zero point " + zeroPoint(b, "output")
                    + ") must share quantization parameters");
        }
    }

    void requireSupportedActivation(ActivationFunction a) {
        if (a == ActivationFunction.TANH || a == ActivationFunction.SIGN_BIT) {
            throw fail("fused activation " + a + " is not supported");
        }
    }

    /** Constant data of input {@code i} decoded into its typed array; rejects a non-constant tensor. */
    Object constant(int i, String role) {
        Tensor t = input(i);
        if (!model.isConstant(t)) {
            throw fail(role + " '" + Printable.name(t.name()) + "' must be a constant tensor");
        }
        return TensorArrays.decode(t, model.tensorData(t));
    }

    /** Constant data of an optional input, or null when the input is omitted. */
    Object optionalConstant(int i, String role) {
        int t = optionalInputIndex(i);
        return t < 0 ? null : constant(i, role);
    }

    /** Per-channel (or broadcast per-tensor) scales of a filter along its output-channel dimension. */
    float[] channelScales(Tensor filter, int channels, int channelDim) {
        Quantization q = filter.quantization();
        if (!q.isQuantized()) {
            throw fail("int8 filter '" + Printable.name(filter.name()) + "' has no quantization parameters");
        }
        // One zero point per scale, or zero_point[0] for every channel (TFLite Micro's reading of the arrays).
        List<Long> zeroPoints = q.zeroPoint().size() == q.scale().size() ? q.zeroPoint()
                : q.zeroPoint().isEmpty() ? List.of() : List.of(q.zeroPoint().get(0));
        for (long zp : zeroPoints) {
            if (zp != 0) {
                throw fail("int8 filter '" + Printable.name(filter.name()) + "' has zero point " + zp + "; filters must be symmetric");
            }
        }
        float[] scales = new float[channels];
        if (q.isPerChannel()) {
            // As TFLite Micro's kernels: the count must match the operator's channel dimension; the stored
            // quantized_dimension is not consulted (converters sometimes leave it wrong).
            if (q.scale().size() != channels) {
                throw fail("filter '" + Printable.name(filter.name()) + "' has " + q.scale().size() + " per-channel scales, expected 1 or "
                        + channels + " (its dimension " + channelDim + ")");
            }
            for (int c = 0; c < channels; c++) {
                scales[c] = q.scale().get(c);
            }
        } else {
            Arrays.fill(scales, q.scaleValue());
        }
        return scales;
    }
}
