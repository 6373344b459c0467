package dev.tinysim.differential;

import dev.tinysim.tflite.ActivationFunction;
import dev.tinysim.tflite.BuiltinOperator;
import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.ModelBuilder;
import dev.tinysim.tflite.Padding;
import dev.tinysim.tflite.Quantization;
import dev.tinysim.tflite.TensorType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static dev.tinysim.differential.Gen.activation;
import static dev.tinysim.differential.Gen.outSize;
import static dev.tinysim.differential.Gen.prod;

/**
 * The runtime's first seventeen operators (convolutions, fully connected, pooling, ADD/MUL, softmax,
 * logistic, quantize/dequantize, ReLU, PAD, MEAN, CONCATENATION, RESHAPE): shapes, strides, dilation,
 * padding, fused activations, per-channel and per-tensor filters, broadcasting, hybrid filters.
 */
final class CoreOperatorCases implements OperatorCases {

    @Override
    public List<Variant> variants() {
        List<Variant> v = new ArrayList<>();
        for (BuiltinOperator op : List.of(BuiltinOperator.CONV_2D, BuiltinOperator.DEPTHWISE_CONV_2D,
                BuiltinOperator.FULLY_CONNECTED)) {
            for (String t : List.of("int8", "float32", "hybrid")) {
                v.add(new Variant(op, t));
            }
        }
        for (BuiltinOperator op : List.of(BuiltinOperator.AVERAGE_POOL_2D, BuiltinOperator.MAX_POOL_2D,
                BuiltinOperator.ADD, BuiltinOperator.MUL, BuiltinOperator.SOFTMAX, BuiltinOperator.LOGISTIC,
                BuiltinOperator.QUANTIZE, BuiltinOperator.RELU, BuiltinOperator.RELU6, BuiltinOperator.PAD,
                BuiltinOperator.MEAN, BuiltinOperator.CONCATENATION, BuiltinOperator.RESHAPE)) {
            for (String t : List.of("int8", "float32")) {
                v.add(new Variant(op, t));
            }
        }
        v.add(new Variant(BuiltinOperator.DEQUANTIZE, "int8"));
        v.add(new Variant(BuiltinOperator.PADV2, "int8"));
        v.add(new Variant(BuiltinOperator.PADV2, "float32"));
        return v;
    }

    @Override
    public void build(Variant v, Gen g, ModelBuilder b) {
        TensorType t = Gen.activationType(v.type());
        boolean hybrid = v.type().equals("hybrid");
        switch (v.op()) {
            case CONV_2D, DEPTHWISE_CONV_2D -> conv(v.op() == BuiltinOperator.DEPTHWISE_CONV_2D, t, hybrid, g, b);
            case FULLY_CONNECTED -> fullyConnected(t, hybrid, g, b);
            case AVERAGE_POOL_2D, MAX_POOL_2D -> pool(v.op(), t, g, b);
            case ADD, MUL -> binary(v.op(), t, g, b);
            case SOFTMAX -> {
                int[] s = g.coin() ? new int[] {g.r(1, 3), g.r(1, 20)} : new int[] {1, g.r(1, 4), g.r(1, 12)};
                int in = activation(b, "in", t, s, g.q());
                int out = b.addTensor("out", t, s, t == TensorType.INT8 ? Quantization.perTensor(1f / 256f, -128)
                        : Quantization.NONE);
                b.addOperator(BuiltinOperator.SOFTMAX, new BuiltinOptions.Softmax((float) (0.3 + g.unit() * 2)),
                        new int[] {in}, new int[] {out});
                b.inputs(in).outputs(out);
            }
            case LOGISTIC -> {
                int[] s = {g.r(1, 4), g.r(1, 30)};
                int in = activation(b, "in", t, s, Quantization.perTensor((float) (0.01 + g.unit() * 0.3), g.r(-20, 20)));
                int out = activation(b, "out", t, s, Quantization.perTensor(1f / 256f, -128));
                b.addOperator(BuiltinOperator.LOGISTIC, BuiltinOptions.NONE, new int[] {in}, new int[] {out});
                b.inputs(in).outputs(out);
            }
            case QUANTIZE -> {
                int[] s = {g.r(1, 3), g.r(1, 40)};
                int in = activation(b, "in", t, s, g.q());
                int out = b.addTensor("out", TensorType.INT8, s, g.q());
                b.addOperator(BuiltinOperator.QUANTIZE, new BuiltinOptions.NoFields(BuiltinOptions.QUANTIZE),
                        new int[] {in}, new int[] {out});
                b.inputs(in).outputs(out);
            }
            case DEQUANTIZE -> {
                int[] s = {g.r(1, 3), g.r(1, 40)};
                int in = b.addTensor("in", TensorType.INT8, s, g.q());
                int out = b.addTensor("out", TensorType.FLOAT32, s);
                b.addOperator(BuiltinOperator.DEQUANTIZE, new BuiltinOptions.NoFields(BuiltinOptions.DEQUANTIZE),
                        new int[] {in}, new int[] {out});
                b.inputs(in).outputs(out);
            }
            case RELU, RELU6 -> {
                int[] s = {g.r(1, 3), g.r(1, 40)};
                Quantization qi = g.q();
                int in = activation(b, "in", t, s, qi);
                int out = activation(b, "out", t, s, v.op() == BuiltinOperator.RELU6 || g.coin() ? qi : g.q());
                b.addOperator(v.op(), BuiltinOptions.NONE, new int[] {in}, new int[] {out});
                b.inputs(in).outputs(out);
            }
            case PAD, PADV2 -> {
                int rank = g.r(1, 4);
                int[] s = new int[rank], o = new int[rank], p = new int[2 * rank];
                for (int i = 0; i < rank; i++) {
                    s[i] = g.r(1, 5);
                    p[2 * i] = g.r(0, 2);
                    p[2 * i + 1] = g.r(0, 2);
                    o[i] = s[i] + p[2 * i] + p[2 * i + 1];
                }
                Quantization qq = g.q();
                int in = activation(b, "in", t, s, qq);
                int pads = b.addInt32Constant("pads", new int[] {rank, 2}, Quantization.NONE, p);
                int out = activation(b, "out", t, o, qq);
                if (v.op() == BuiltinOperator.PADV2) {
                    // constant_values: one value (sometimes a vector, of which the first counts), the output's quantization
                    int n = g.coin() ? 1 : g.r(2, 3);
                    int cv = t == TensorType.INT8 ? b.addInt8Constant("cv", new int[] {n}, qq, g.bytes(n))
                            : b.addFloatConstant("cv", new int[] {n}, g.floats(n, 5f));
                    b.addOperator(BuiltinOperator.PADV2, new BuiltinOptions.NoFields(BuiltinOptions.PAD_V2),
                            g.r(0, 4) == 0 ? new int[] {in, pads} : new int[] {in, pads, cv}, new int[] {out});
                } else {
                    b.addOperator(BuiltinOperator.PAD, new BuiltinOptions.NoFields(BuiltinOptions.PAD),
                            new int[] {in, pads}, new int[] {out});
                }
                b.inputs(in).outputs(out);
            }
            case MEAN -> mean(t, g, b);
            case CONCATENATION -> concatenation(t, g, b);
            case RESHAPE -> {
                int[] s = {g.r(1, 4), g.r(1, 4), g.r(1, 4)};
                Quantization qq = g.q();
                int in = activation(b, "in", t, s, qq);
                int out = activation(b, "out", t, new int[] {s[0] * s[1], s[2]}, qq);
                b.addOperator(BuiltinOperator.RESHAPE, new BuiltinOptions.Reshape(List.of(s[0] * s[1], s[2])),
                        new int[] {in}, new int[] {out});
                b.inputs(in).outputs(out);
            }
            default -> throw new IllegalArgumentException("not in this family: " + v);
        }
    }

    private static void conv(boolean dw, TensorType t, boolean hybrid, Gen g, ModelBuilder b) {
        int n = g.r(1, 2), h = g.r(1, 9), w = g.r(1, 9), cin = g.r(1, 8);
        int kh = g.r(1, 4), kw = g.r(1, 4), sh = g.r(1, 3), sw = g.r(1, 3), dh = g.r(1, 2), dwl = g.r(1, 2);
        boolean dw3x3 = dw && g.r(0, 2) == 0; // the runtime's 3x3 stride-1 depthwise kernel
        if (dw3x3) {
            kh = kw = 3;
            sh = sw = dh = dwl = 1;
        }
        if (hybrid && !dw && g.r(0, 3) == 0) { // K = kh * kw * cin > 256: the runtime's table path
            cin = g.r(29, 40);
            kh = g.r(3, 4);
            kw = g.r(3, 4);
        }
        Padding pad = g.padding();
        if (pad == Padding.VALID && ((kh - 1) * dh + 1 > h || (kw - 1) * dwl + 1 > w)) {
            pad = Padding.SAME;
        }
        int groups = (!dw && cin % 2 == 0 && g.r(0, 4) == 0) ? 2 : 1;
        int dm = dw && !dw3x3 ? g.r(1, 3) : 1;
        int cout = dw ? cin * dm : groups * g.r(1, 4);
        int fic = cin / groups;
        int oh = outSize(pad, h, kh, sh, dh), ow = outSize(pad, w, kw, sw, dwl);
        Quantization qin = g.q(), qout = g.q();
        int in = activation(b, "in", t, new int[] {n, h, w, cin}, qin);
        int[] fshape = dw ? new int[] {1, kh, kw, cout} : new int[] {cout, kh, kw, fic};
        int filt = filter(t, hybrid, fshape, cout, dw ? 3 : 0, false, g, b);
        int bias = -1;
        if (g.coin()) {
            bias = t == TensorType.INT8 ? b.addInt32Constant("b", new int[] {cout}, Quantization.NONE, g.ints(cout, 3000))
                    : b.addFloatConstant("b", new int[] {cout}, g.floats(cout, 1f));
        }
        int out = activation(b, "out", t, new int[] {n, oh, ow, cout}, qout);
        BuiltinOptions o = dw ? new BuiltinOptions.DepthwiseConv2D(pad, sw, sh, dm, g.act(), dwl, dh)
                : new BuiltinOptions.Conv2D(pad, sw, sh, g.act(), dwl, dh, 0);
        b.addOperator(dw ? BuiltinOperator.DEPTHWISE_CONV_2D : BuiltinOperator.CONV_2D, o, new int[] {in, filt, bias},
                new int[] {out});
        b.inputs(in).outputs(out);
    }

    /** An int8 (per-channel or per-tensor) or float filter; {@code asymmetric}: FC may have a zero point. */
    private static int filter(TensorType t, boolean hybrid, int[] shape, int channels, int channelDim,
                              boolean asymmetric, Gen g, ModelBuilder b) {
        if (t != TensorType.INT8 && !hybrid) {
            return b.addFloatConstant("f", shape, g.floats(prod(shape), 0.5f));
        }
        boolean perChannel = g.coin();
        List<Float> scales = new ArrayList<>();
        for (int c = 0; c < (perChannel ? channels : 1); c++) {
            scales.add((float) (0.002 + g.unit() * 0.02));
        }
        Quantization qf = perChannel ? Quantization.perChannel(scales, channelDim)
                : Quantization.perTensor(scales.get(0), asymmetric && t == TensorType.INT8 && g.coin() ? g.r(-3, 3) : 0);
        return b.addInt8Constant("f", shape, qf, g.bytes(prod(shape)));
    }

    private static void fullyConnected(TensorType t, boolean hybrid, Gen g, ModelBuilder b) {
        int batches = g.r(1, 3), k = g.r(1, 70), outd = g.r(1, 20);
        if (hybrid && g.r(0, 2) == 0) {
            k = g.r(257, 300); // the runtime's table path (K > 256)
        }
        int in = activation(b, "in", t, g.coin() ? new int[] {batches, k} : new int[] {batches, 1, k}, g.q());
        int filt = filter(t, hybrid, new int[] {outd, k}, outd, 0, true, g, b);
        int bias = g.coin() ? (t == TensorType.INT8
                ? b.addInt32Constant("b", new int[] {outd}, Quantization.NONE, g.ints(outd, 3000))
                : b.addFloatConstant("b", new int[] {outd}, g.floats(outd, 1f))) : -1;
        int out = activation(b, "out", t, new int[] {batches, outd}, g.q());
        b.addOperator(BuiltinOperator.FULLY_CONNECTED, new BuiltinOptions.FullyConnected(g.act()),
                new int[] {in, filt, bias}, new int[] {out});
        b.inputs(in).outputs(out);
    }

    private static void pool(BuiltinOperator op, TensorType t, Gen g, ModelBuilder b) {
        int n = g.r(1, 2), h = g.r(1, 9), w = g.r(1, 9), c = g.r(1, 6);
        int kh = g.r(1, 4), kw = g.r(1, 4), sh = g.r(1, 3), sw = g.r(1, 3);
        Padding pad = g.padding();
        if (pad == Padding.VALID && (kh > h || kw > w)) {
            pad = Padding.SAME;
        }
        Quantization qq = g.q();
        int in = activation(b, "in", t, new int[] {n, h, w, c}, qq);
        int out = activation(b, "out", t, new int[] {n, outSize(pad, h, kh, sh, 1), outSize(pad, w, kw, sw, 1), c}, qq);
        b.addOperator(op, new BuiltinOptions.Pool2D(pad, sw, sh, kw, kh, g.act()), new int[] {in}, new int[] {out});
        b.inputs(in).outputs(out);
    }

    /** ADD or MUL with numpy broadcasting; the second operand is a constant. */
    private static void binary(BuiltinOperator op, TensorType t, Gen g, ModelBuilder b) {
        int rank = g.r(1, 4);
        int[] s = g.shape(rank, 1, 5);
        int[] s2 = s.clone();
        for (int i = 0; i < rank; i++) {
            if (g.r(0, 2) == 0) {
                s2[i] = 1;
            }
        }
        int in = activation(b, "a", t, s, g.q());
        int other = g.constant(b, "b", t, s2, g.q());
        int out = activation(b, "out", t, s, g.q());
        int[] ins = g.coin() ? new int[] {other, in} : new int[] {in, other};
        BuiltinOptions o = op == BuiltinOperator.ADD ? new BuiltinOptions.Add(g.act()) : new BuiltinOptions.Mul(g.act());
        b.addOperator(op, o, ins, new int[] {out});
        b.inputs(in).outputs(out);
    }

    private static void mean(TensorType t, Gen g, ModelBuilder b) {
        int rank = g.r(1, 4);
        int[] s = g.shape(rank, 1, 6);
        List<Integer> axes = new ArrayList<>();
        boolean[] reduced = new boolean[rank];
        for (int i = 0; i < rank; i++) {
            if (g.coin()) {
                axes.add(g.coin() ? i : i - rank);
                reduced[i] = true;
            }
        }
        if (axes.isEmpty()) {
            axes.add(rank - 1);
            reduced[rank - 1] = true;
        }
        boolean keep = g.coin();
        List<Integer> os = new ArrayList<>();
        for (int i = 0; i < rank; i++) {
            if (!reduced[i]) {
                os.add(s[i]);
            } else if (keep) {
                os.add(1);
            }
        }
        Quantization qi = g.q();
        int in = activation(b, "in", t, s, qi);
        int ax = b.addInt32Constant("axes", new int[] {axes.size()}, Quantization.NONE,
                axes.stream().mapToInt(Integer::intValue).toArray());
        int out = activation(b, "out", t, os.stream().mapToInt(Integer::intValue).toArray(), g.coin() ? qi : g.q());
        b.addOperator(BuiltinOperator.MEAN, new BuiltinOptions.Reducer(keep), new int[] {in, ax}, new int[] {out});
        b.inputs(in).outputs(out);
    }

    private static void concatenation(TensorType t, Gen g, ModelBuilder b) {
        int rank = g.r(1, 4);
        int axis = g.r(0, rank - 1);
        int[] s = g.shape(rank, 1, 4);
        Quantization qq = g.q();
        int in = activation(b, "in", t, s, qq);
        int total = s[axis];
        List<Integer> ins = new ArrayList<>(List.of(in));
        for (int k = g.r(1, 2); k > 0; k--) {
            int[] s2 = s.clone();
            s2[axis] = g.r(1, 3);
            total += s2[axis];
            ins.add(g.constant(b, "c" + k, t, s2, qq));
        }
        if (g.coin()) {
            Collections.shuffle(ins, new Random(g.nextLong()));
        }
        int[] o = s.clone();
        o[axis] = total;
        int out = activation(b, "out", t, o, qq);
        b.addOperator(BuiltinOperator.CONCATENATION,
                new BuiltinOptions.Concatenation(g.coin() ? axis : axis - rank, ActivationFunction.NONE),
                ins.stream().mapToInt(Integer::intValue).toArray(), new int[] {out});
        b.inputs(in).outputs(out);
    }
}
