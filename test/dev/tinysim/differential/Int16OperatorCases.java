package dev.tinysim.differential;

import dev.tinysim.tflite.ActivationFunction;
import dev.tinysim.tflite.BuiltinOperator;
import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.ModelBuilder;
import dev.tinysim.tflite.Padding;
import dev.tinysim.tflite.Quantization;
import dev.tinysim.tflite.TensorType;

import java.util.ArrayList;
import java.util.List;

import static dev.tinysim.differential.Gen.outSize;
import static dev.tinysim.differential.Gen.prod;

/**
 * TFLite's 16x8 mode (int16 activations, int8 weights, int64 / int32 biases) for CONV_2D, DEPTHWISE_CONV_2D,
 * FULLY_CONNECTED, the pools, RESHAPE, QUANTIZE and DEQUANTIZE; and TRANSPOSE_CONV and BATCH_MATMUL in float32,
 * int8 and int16: per-channel and per-tensor filters, strides, padding (and transposed-convolution output sizes
 * that are not the usual ones), biases of every accepted type or none, adj_x / adj_y, broadcast batch
 * dimensions, constant and variable matrix operands. A few models in each variant carry a quantization TFLite
 * Micro rejects (per-channel 16x8 FULLY_CONNECTED weights, an int16 zero point): both sides must refuse them.
 */
final class Int16OperatorCases implements OperatorCases {

    /** Variant types of QUANTIZE: the pair of types it converts. */
    private static final List<String> QUANTIZE_PAIRS = List.of("float32-int16", "int8-int16", "int16-int8",
            "int16-int16");

    @Override
    public List<Variant> variants() {
        List<Variant> v = new ArrayList<>();
        for (BuiltinOperator op : List.of(BuiltinOperator.CONV_2D, BuiltinOperator.DEPTHWISE_CONV_2D,
                BuiltinOperator.FULLY_CONNECTED, BuiltinOperator.AVERAGE_POOL_2D, BuiltinOperator.MAX_POOL_2D,
                BuiltinOperator.RESHAPE, BuiltinOperator.DEQUANTIZE)) {
            v.add(new Variant(op, "int16"));
        }
        for (String pair : QUANTIZE_PAIRS) {
            v.add(new Variant(BuiltinOperator.QUANTIZE, pair));
        }
        for (BuiltinOperator op : List.of(BuiltinOperator.TRANSPOSE_CONV, BuiltinOperator.BATCH_MATMUL)) {
            for (String t : List.of("float32", "int8", "int16")) {
                v.add(new Variant(op, t));
            }
        }
        return v;
    }

    @Override
    public void build(Variant v, Gen g, ModelBuilder b) {
        switch (v.op()) {
            case CONV_2D, DEPTHWISE_CONV_2D -> conv(v.op() == BuiltinOperator.DEPTHWISE_CONV_2D, g, b);
            case FULLY_CONNECTED -> fullyConnected(g, b);
            case AVERAGE_POOL_2D, MAX_POOL_2D -> pool(v.op(), g, b);
            case RESHAPE -> {
                int[] s = {g.r(1, 4), g.r(1, 4), g.r(1, 4)};
                Quantization q = q16(g);
                int in = b.addTensor("in", TensorType.INT16, s, q);
                int out = b.addTensor("out", TensorType.INT16, new int[] {s[0], s[1] * s[2]}, q);
                b.addOperator(BuiltinOperator.RESHAPE, new BuiltinOptions.Reshape(List.of(s[0], s[1] * s[2])),
                        new int[] {in}, new int[] {out});
                b.inputs(in).outputs(out);
            }
            case QUANTIZE -> quantize(v.type(), g, b);
            case DEQUANTIZE -> {
                int[] s = {g.r(1, 3), g.r(1, 40)};
                int in = b.addTensor("in", TensorType.INT16, s, anyZeroPoint16(g));
                int out = b.addTensor("out", TensorType.FLOAT32, s);
                b.addOperator(BuiltinOperator.DEQUANTIZE, new BuiltinOptions.NoFields(BuiltinOptions.DEQUANTIZE),
                        new int[] {in}, new int[] {out});
                b.inputs(in).outputs(out);
            }
            case TRANSPOSE_CONV -> transposeConv(Gen.activationType(v.type()), g, b);
            case BATCH_MATMUL -> batchMatmul(Gen.activationType(v.type()), g, b);
            default -> throw new IllegalArgumentException("not in this family: " + v);
        }
    }

    /** A symmetric int16 activation quantization; one model in 16 gets a zero point, which 16x8 kernels refuse. */
    private static Quantization q16(Gen g) {
        return g.r(0, 15) == 0 ? Quantization.perTensor((float) (0.0001 + g.unit() * 0.002), g.r(-5, 5))
                : g.q16();
    }

    /** int16 quantization with any zero point (QUANTIZE, DEQUANTIZE and the pools use it). */
    private static Quantization anyZeroPoint16(Gen g) {
        return Quantization.perTensor((float) (0.0001 + g.unit() * 0.002), g.coin() ? 0 : g.r(-3000, 3000));
    }

    /**
     * An int16 output scale that keeps most outputs inside the int16 range: the accumulator of {@code taps}
     * products of uniform int16 inputs and int8 weights has a standard deviation of about
     * sqrt(taps) * 18900 * 74; sometimes it is smaller (saturation, multipliers above 1).
     */
    private static float outScale16(Gen g, float inScale, float wScale, int taps) {
        double factor = g.r(0, 5) == 0 ? 0.5 + g.unit() * 20 : 40 + g.unit() * 400;
        return (float) (inScale * wScale * Math.sqrt(Math.max(1, taps)) * factor);
    }

    /** An int8 filter, per-channel along channelDim or per-tensor, symmetric; returns its largest scale. */
    private static int filter(ModelBuilder b, Gen g, int[] shape, int channels, int channelDim, boolean perChannel,
                              int zeroPoint, float[] maxScale) {
        List<Float> scales = new ArrayList<>();
        for (int c = 0; c < (perChannel ? channels : 1); c++) {
            scales.add((float) (0.002 + g.unit() * 0.02));
        }
        maxScale[0] = scales.stream().max(Float::compare).orElseThrow();
        Quantization q = perChannel ? Quantization.perChannel(scales, channelDim)
                : Quantization.perTensor(scales.get(0), zeroPoint);
        return b.addInt8Constant("f", shape, q, g.bytes(prod(shape)));
    }

    private static void conv(boolean dw, Gen g, ModelBuilder b) {
        int n = g.r(1, 2), h = g.r(1, 9), w = g.r(1, 9), cin = g.r(1, 8);
        int kh = g.r(1, 4), kw = g.r(1, 4), sh = g.r(1, 3), sw = g.r(1, 3), dh = g.r(1, 2), dwl = g.r(1, 2);
        if (!dw && g.r(0, 3) == 0) { // long receptive fields: the SIMD kernel's main loop and its leftovers
            cin = g.r(9, 24);
        } else if (!dw && g.r(0, 5) == 0) { // more than 508 taps: the SIMD kernel's exact int32 chunks
            cin = g.r(57, 70);
            kh = kw = 3;
            h = g.r(1, 4);
            w = g.r(1, 4);
        }
        Padding pad = g.padding();
        if (pad == Padding.VALID && ((kh - 1) * dh + 1 > h || (kw - 1) * dwl + 1 > w)) {
            pad = Padding.SAME;
        }
        int groups = (!dw && cin % 2 == 0 && g.r(0, 4) == 0) ? 2 : 1;
        int dm = dw ? g.r(1, 3) : 1;
        int cout = dw ? cin * dm : groups * g.r(1, 5);
        int fic = cin / groups;
        int oh = outSize(pad, h, kh, sh, dh), ow = outSize(pad, w, kw, sw, dwl);
        Quantization qin = q16(g);
        int in = b.addTensor("in", TensorType.INT16, new int[] {n, h, w, cin}, qin);
        int[] fshape = dw ? new int[] {1, kh, kw, cout} : new int[] {cout, kh, kw, fic};
        float[] ws = new float[1];
        int filt = filter(b, g, fshape, cout, dw ? 3 : 0, g.coin(), 0, ws);
        int bias = -1;
        int biasKind = g.r(0, 2); // none, int64, int32 (CONV_2D only; TFLite Micro's depthwise takes int64)
        if (biasKind == 1 || (biasKind == 2 && dw)) {
            bias = b.addInt64Constant("b", new int[] {cout}, Quantization.NONE, g.longs(cout, 1L << 24));
        } else if (biasKind == 2) {
            bias = b.addInt32Constant("b", new int[] {cout}, Quantization.NONE, g.ints(cout, 1 << 24));
        }
        int taps = kh * kw * (dw ? 1 : fic);
        float inScale = qin.scaleValue();
        int out = b.addTensor("out", TensorType.INT16, new int[] {n, oh, ow, cout},
                Quantization.perTensor(outScale16(g, inScale, ws[0], taps), 0));
        BuiltinOptions o = dw ? new BuiltinOptions.DepthwiseConv2D(pad, sw, sh, dm, g.act(), dwl, dh)
                : new BuiltinOptions.Conv2D(pad, sw, sh, g.act(), dwl, dh, 0);
        b.addOperator(dw ? BuiltinOperator.DEPTHWISE_CONV_2D : BuiltinOperator.CONV_2D, o, new int[] {in, filt, bias},
                new int[] {out});
        b.inputs(in).outputs(out);
    }

    private static void fullyConnected(Gen g, ModelBuilder b) {
        int batches = g.r(1, 3), k = g.r(1, 70), outd = g.r(1, 20);
        if (g.r(0, 4) == 0) {
            k = g.r(509, 700); // the SIMD kernel's exact int32 chunks of 508 products
        }
        Quantization qin = q16(g);
        int in = b.addTensor("in", TensorType.INT16, g.coin() ? new int[] {batches, k} : new int[] {batches, 1, k}, qin);
        float[] ws = new float[1];
        boolean perChannel = g.r(0, 7) == 0; // refused by both: TFLite Micro's 16x8 FC is per-tensor
        int filt = filter(b, g, new int[] {outd, k}, outd, 0, perChannel, g.coin() ? 0 : g.r(-3, 3), ws);
        int bias = g.coin() ? b.addInt64Constant("b", new int[] {outd}, Quantization.NONE, g.longs(outd, 1L << 24)) : -1;
        int out = b.addTensor("out", TensorType.INT16, new int[] {batches, outd},
                Quantization.perTensor(outScale16(g, qin.scaleValue(), ws[0], k), 0));
        b.addOperator(BuiltinOperator.FULLY_CONNECTED, new BuiltinOptions.FullyConnected(g.act()),
                new int[] {in, filt, bias}, new int[] {out});
        b.inputs(in).outputs(out);
    }

    private static void pool(BuiltinOperator op, Gen g, ModelBuilder b) {
        int n = g.r(1, 2), h = g.r(1, 9), w = g.r(1, 9), c = g.r(1, 6);
        int kh = g.r(1, 4), kw = g.r(1, 4), sh = g.r(1, 3), sw = g.r(1, 3);
        Padding pad = g.padding();
        if (pad == Padding.VALID && (kh > h || kw > w)) {
            pad = Padding.SAME;
        }
        Quantization q = anyZeroPoint16(g);
        int in = b.addTensor("in", TensorType.INT16, new int[] {n, h, w, c}, q);
        int out = b.addTensor("out", TensorType.INT16,
                new int[] {n, outSize(pad, h, kh, sh, 1), outSize(pad, w, kw, sw, 1), c}, q);
        b.addOperator(op, new BuiltinOptions.Pool2D(pad, sw, sh, kw, kh, g.act()), new int[] {in}, new int[] {out});
        b.inputs(in).outputs(out);
    }

    private static void quantize(String pair, Gen g, ModelBuilder b) {
        int[] s = {g.r(1, 3), g.r(1, 40)};
        TensorType from = Gen.activationType(pair.substring(0, pair.indexOf('-')));
        TensorType to = Gen.activationType(pair.substring(pair.indexOf('-') + 1));
        Quantization qin = switch (from) {
            case INT8 -> g.q();
            case INT16 -> anyZeroPoint16(g);
            default -> Quantization.NONE;
        };
        Quantization qout;
        if (to == TensorType.INT8) {
            qout = Quantization.perTensor((float) (qin.scaleValue() * (100 + g.unit() * 500)), g.r(-30, 30));
        } else if (from == TensorType.INT16) {
            // int16 -> int16: multipliers below and above 1 (shifts up to 2)
            qout = Quantization.perTensor((float) (qin.scaleValue() * (0.25 + g.unit() * 4)), g.coin() ? 0 : g.r(-500, 500));
        } else {
            qout = anyZeroPoint16(g);
        }
        int in = b.addTensor("in", from, s, qin);
        int out = b.addTensor("out", to, s, qout);
        b.addOperator(BuiltinOperator.QUANTIZE, new BuiltinOptions.NoFields(BuiltinOptions.QUANTIZE),
                new int[] {in}, new int[] {out});
        b.inputs(in).outputs(out);
    }

    private static void transposeConv(TensorType t, Gen g, ModelBuilder b) {
        int n = g.r(1, 2), h = g.r(1, 6), w = g.r(1, 6), cin = g.r(1, 6), cout = g.r(1, 6);
        int kh = g.r(1, 4), kw = g.r(1, 4), sh = g.r(1, 3), sw = g.r(1, 3);
        Padding pad = g.padding();
        // the usual output size (what a convolution from it back to the input would need), or another one:
        // TFLite Micro computes the padding from the output size and accepts any
        int oh = pad == Padding.SAME ? h * sh : (h - 1) * sh + kh;
        int ow = pad == Padding.SAME ? w * sw : (w - 1) * sw + kw;
        if (g.r(0, 3) == 0) {
            oh = Math.max(1, oh + g.r(-2, 2));
            ow = Math.max(1, ow + g.r(-2, 2));
        }
        int[] outShape = {n, oh, ow, cout};
        int shape = b.addInt32Constant("output_shape", new int[] {4}, Quantization.NONE, outShape);
        int in;
        int filt;
        int bias = -1;
        int out;
        int[] fshape = {cout, kh, kw, cin};
        switch (t) {
            case FLOAT32 -> {
                in = b.addTensor("in", t, new int[] {n, h, w, cin});
                filt = b.addFloatConstant("f", fshape, g.floats(prod(fshape), 0.5f));
                if (g.coin()) {
                    bias = b.addFloatConstant("b", new int[] {cout}, g.floats(cout, 1f));
                }
                out = b.addTensor("out", t, outShape);
            }
            case INT8 -> {
                in = b.addTensor("in", t, new int[] {n, h, w, cin}, g.q());
                float[] ws = new float[1];
                filt = filter(b, g, fshape, cout, 0, g.coin(), 0, ws);
                if (g.coin()) {
                    bias = b.addInt32Constant("b", new int[] {cout}, Quantization.NONE, g.ints(cout, 3000));
                }
                out = b.addTensor("out", t, outShape, Quantization.perTensor((float) (0.05 + g.unit() * 0.6), g.r(-30, 30)));
            }
            default -> {
                Quantization qin = q16(g);
                in = b.addTensor("in", t, new int[] {n, h, w, cin}, qin);
                float[] ws = new float[1];
                filt = filter(b, g, fshape, cout, 0, g.coin(), 0, ws);
                int biasKind = g.r(0, 2);
                if (biasKind == 1) {
                    bias = b.addInt64Constant("b", new int[] {cout}, Quantization.NONE, g.longs(cout, 1L << 24));
                } else if (biasKind == 2) {
                    bias = b.addInt16Constant("b", new int[] {cout}, Quantization.NONE, g.shorts(cout, 32767));
                }
                int taps = cin * Math.max(1, (kh / sh) * (kw / sw));
                out = b.addTensor("out", t, outShape, Quantization.perTensor(outScale16(g, qin.scaleValue(), ws[0], taps), 0));
            }
        }
        ActivationFunction act = g.act();
        b.addOperator(BuiltinOperator.TRANSPOSE_CONV, new BuiltinOptions.TransposeConv(pad, sw, sh, act, 0),
                bias >= 0 ? new int[] {shape, filt, in, bias} : new int[] {shape, filt, in}, new int[] {out});
        b.inputs(in).outputs(out);
    }

    private static void batchMatmul(TensorType t, Gen g, ModelBuilder b) {
        int rows = g.r(1, 6), depth = g.r(1, 12), cols = g.r(1, 6);
        if (g.r(0, 3) == 0) {
            depth = g.r(13, 40); // the SIMD kernels' main loops and leftovers
        }
        boolean adjX = g.coin(), adjY = g.coin();
        int lr = g.r(2, 5), rr = g.r(2, 5);
        int r = Math.max(lr, rr);
        int[] batch = g.shape(r - 2, 1, 3); // output batch dimensions
        int[] ls = operandShape(g, batch, lr, adjX ? new int[] {depth, rows} : new int[] {rows, depth});
        int[] rs = operandShape(g, batch, rr, adjY ? new int[] {cols, depth} : new int[] {depth, cols});
        int[] os = new int[r];
        for (int i = 0; i < r - 2; i++) {
            int li = i - (r - lr), ri = i - (r - rr);
            os[i] = Math.max(li >= 0 ? ls[li] : 1, ri >= 0 ? rs[ri] : 1);
        }
        os[r - 2] = rows;
        os[r - 1] = cols;
        Quantization ql = quant(t, g), qr = quant(t, g);
        Quantization qo = switch (t) {
            case INT8 -> Quantization.perTensor((float) (ql.scaleValue() * qr.scaleValue() * Math.sqrt(depth)
                    * (100 + g.unit() * 2000)), g.r(-30, 30));
            case INT16 -> Quantization.perTensor(outScale16(g, ql.scaleValue(), qr.scaleValue() * 150, depth), 0);
            default -> Quantization.NONE;
        };
        boolean lhsIsInput = g.coin(); // the other operand is a constant (a constant rhs: transposed once)
        int lhs = lhsIsInput ? b.addTensor("lhs", t, ls, ql) : g.constant(b, "lhs", t, ls, ql);
        int rhs = lhsIsInput ? g.constant(b, "rhs", t, rs, qr) : b.addTensor("rhs", t, rs, qr);
        int out = b.addTensor("out", t, os, qo);
        b.addOperator(BuiltinOperator.BATCH_MATMUL, new BuiltinOptions.BatchMatMul(adjX, adjY),
                new int[] {lhs, rhs}, new int[] {out});
        b.inputs(lhsIsInput ? lhs : rhs).outputs(out);
    }

    /** An operand of rank {@code rank}: the output's batch dimensions (right-aligned), some of them 1. */
    private static int[] operandShape(Gen g, int[] batch, int rank, int[] matrix) {
        int[] s = new int[rank];
        for (int i = 0; i < rank - 2; i++) {
            int bi = i - (rank - 2 - batch.length);
            s[i] = g.r(0, 2) == 0 ? 1 : batch[bi];
        }
        s[rank - 2] = matrix[0];
        s[rank - 1] = matrix[1];
        return s;
    }

    private static Quantization quant(TensorType t, Gen g) {
        return switch (t) {
            case INT8 -> g.q();
            case INT16 -> q16(g);
            default -> Quantization.NONE;
        };
    }
}
