package dev.tinysim.reference;

import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.Padding;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;
import dev.tinysim.text.Printable;

/**
 * TRANSPOSE_CONV as TFLite Micro's transpose_conv.cc runs it: inputs (output shape, filter [out_c, k_h, k_w,
 * in_c], input, optional bias); float32, int8 (per-channel or per-tensor filter, int32 bias) and int16 (16x8,
 * int64 or int16 bias). TFLite's reference "scatter": every input value times every filter tap is added to
 * the output position it lands on. The fused activation is applied to float outputs only: TFLite Micro
 * computes the quantized output range for kTfLiteActNone (docs/inference-semantics.md).
 */
final class TransposeConvKernel {

    private TransposeConvKernel() {
    }

    record Shape(int batches, int inH, int inW, int inC, int kH, int kW, int outH, int outW, int outC, int strideH,
                 int strideW, int padTop, int padLeft) {
    }

    static Kernel create(OpContext c) {
        c.requireInputs(3, 4);
        BuiltinOptions.TransposeConv o = c.options(BuiltinOptions.TransposeConv.class);
        c.requireSupportedActivation(o.activation());
        Tensor shapeTensor = c.input(0);
        Tensor filter = c.input(1);
        Tensor in = c.input(2);
        Tensor out = c.output(0);
        c.requireRank(in, "input", 4);
        c.requireRank(filter, "filter", 4);
        c.requireRank(out, "output", 4);
        requireOutputShapeTensor(c, shapeTensor, out);
        if (o.strideH() < 1 || o.strideW() < 1) {
            throw c.fail("strides " + o.strideH() + "x" + o.strideW() + " must be at least 1");
        }
        if (out.dim(0) != in.dim(0) || filter.dim(3) != in.dim(3) || out.dim(3) != filter.dim(0)) {
            throw c.fail("filter shape " + filter.shape() + " does not fit input shape " + in.shape()
                    + " and output shape " + out.shape());
        }
        Shape s = new Shape(in.dim(0), in.dim(1), in.dim(2), in.dim(3), filter.dim(1), filter.dim(2), out.dim(1),
                out.dim(2), out.dim(3), o.strideH(), o.strideW(), padding(o.padding(), out.dim(1), filter.dim(1),
                o.strideH()), padding(o.padding(), out.dim(2), filter.dim(2), o.strideW()));
        c.requireType(out, "output", in.type());
        int inIdx = c.inputIndex(2);
        int outIdx = c.outputIndex(0);
        int biasIdx = c.optionalInputIndex(3);
        if (biasIdx >= 0 && c.input(3).elementCount() != s.outC()) {
            throw c.fail("bias '" + Printable.name(c.input(3).name()) + "' has " + c.input(3).elementCount() + " values for "
                    + s.outC() + " channels");
        }
        switch (in.type()) {
            case FLOAT32 -> {
                c.requireType(filter, "filter", TensorType.FLOAT32);
                float[] bias = biasIdx < 0 ? null : floatBias(c);
                float[] w = (float[]) c.constant(1, "filter");
                ActivationRange act = ActivationRange.float32(o.activation(), c);
                return t -> runFloat(s, t.f32(inIdx), w, bias, act, (float[]) ConvKernel.newOutput(t, outIdx, out));
            }
            case INT8 -> {
                c.requireType(filter, "filter", TensorType.INT8);
                if (biasIdx >= 0) {
                    c.requireType(c.input(3), "bias", TensorType.INT32);
                }
                int[] bias = biasIdx < 0 ? null : (int[]) c.constant(3, "bias");
                byte[] w = (byte[]) c.constant(1, "filter");
                Requantizer rq = Requantizer.forConv(c, in, filter, out, s.outC(), 0);
                int inputOffset = -c.zeroPoint(in, "input");
                return t -> runInt8(s, t.int8(inIdx), w, bias, inputOffset, rq,
                        (byte[]) ConvKernel.newOutput(t, outIdx, out));
            }
            case INT16 -> {
                c.requireType(filter, "filter", TensorType.INT8);
                if (biasIdx >= 0) {
                    c.requireType(c.input(3), "bias", TensorType.INT64, TensorType.INT16);
                }
                Object bias = biasIdx < 0 ? null : c.constant(3, "bias");
                byte[] w = (byte[]) c.constant(1, "filter");
                Int16Quantization.symmetricScale(c, in, "input");
                Int16Quantization.symmetricScale(c, out, "output");
                Requantizer rq = Requantizer.forConv(c, in, filter, out, s.outC(), 0).requireInt64Rescalable(c);
                return t -> runInt16(s, t.int16(inIdx), w, bias, rq, (short[]) ConvKernel.newOutput(t, outIdx, out));
            }
            default -> throw c.fail("input '" + Printable.name(in.name()) + "' has type " + in.type()
                    + ", expected FLOAT32, INT8 or INT16");
        }
    }

    /**
     * TFLite Micro ignores input 0 (its own tests pass an empty tensor); a constant int32 tensor of 4 values must
     * say the output's shape, since TFLite would make the output that shape.
     */
    private static void requireOutputShapeTensor(OpContext c, Tensor shape, Tensor out) {
        if (shape.type() == TensorType.INT32 && shape.elementCount() == 4 && c.model.isConstant(shape)) {
            int[] v = (int[]) c.constant(0, "output shape");
            for (int i = 0; i < 4; i++) {
                if (v[i] != out.dim(i)) {
                    throw c.fail("output shape tensor says " + java.util.Arrays.toString(v) + " but the output is "
                            + out.shape());
                }
            }
        }
    }

    private static float[] floatBias(OpContext c) {
        c.requireType(c.input(3), "bias", TensorType.FLOAT32);
        return (float[]) c.constant(3, "bias");
    }

    /**
     * TFLite Micro's padding: ComputePaddingHeightWidth applied to the output size, as if for a convolution from
     * the output to the input (stride, dilation 1); C integer division truncates toward zero, as Java's does.
     */
    static int padding(Padding padding, int outSize, int filter, int stride) {
        long o = switch (padding) {
            case SAME -> ((long) outSize + stride - 1) / stride;
            case VALID -> ((long) outSize + stride - filter) / stride;
        };
        long total = (o - 1) * stride + filter - outSize;
        return (int) (total > 0 ? total / 2 : 0);
    }

    private static int filterIndex(Shape s, int oc, int fy, int fx, int ic) {
        return ((oc * s.kH() + fy) * s.kW() + fx) * s.inC() + ic;
    }

    private static int outIndex(Shape s, int b, int oy, int ox, int oc) {
        return ((b * s.outH() + oy) * s.outW() + ox) * s.outC() + oc;
    }

    /** Calls {@code tap} for every input position, input channel, filter tap and output channel, TFLite's order. */
    private interface Tap {
        void add(int inIndex, int filterIndex, int outIndex);
    }

    private static void scatter(Shape s, Tap tap) {
        for (int b = 0; b < s.batches(); b++) {
            for (int iy = 0; iy < s.inH(); iy++) {
                for (int ix = 0; ix < s.inW(); ix++) {
                    for (int ic = 0; ic < s.inC(); ic++) {
                        int oyOrigin = iy * s.strideH() - s.padTop();
                        int oxOrigin = ix * s.strideW() - s.padLeft();
                        int inIndex = ((b * s.inH() + iy) * s.inW() + ix) * s.inC() + ic;
                        for (int fy = 0; fy < s.kH(); fy++) {
                            for (int fx = 0; fx < s.kW(); fx++) {
                                for (int oc = 0; oc < s.outC(); oc++) {
                                    int oy = oyOrigin + fy;
                                    int ox = oxOrigin + fx;
                                    if (oy >= 0 && oy < s.outH() && ox >= 0 && ox < s.outW()) {
                                        tap.add(inIndex, filterIndex(s, oc, fy, fx, ic), outIndex(s, b, oy, ox, oc));
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private static void runFloat(Shape s, float[] input, float[] filter, float[] bias, ActivationRange act,
                                 float[] output) {
        scatter(s, (i, f, o) -> output[o] += input[i] * filter[f]);
        for (int k = 0; k < output.length; k++) {
            float acc = output[k];
            if (bias != null) {
                acc += bias[k % s.outC()];
            }
            output[k] = act.clamp(acc);
        }
    }

    private static void runInt8(Shape s, byte[] input, byte[] filter, int[] bias, int inputOffset, Requantizer rq,
                                byte[] output) {
        int[] scratch = new int[output.length];
        scatter(s, (i, f, o) -> scratch[o] += (input[i] + inputOffset) * filter[f]);
        for (int k = 0; k < output.length; k++) {
            int oc = k % s.outC();
            int acc = scratch[k] + (bias != null ? bias[oc] : 0);
            output[k] = (byte) QuantizedMath.clamp(rq.apply(acc, oc), -128, 127);
        }
    }

    private static void runInt16(Shape s, short[] input, byte[] filter, Object bias, Requantizer rq, short[] output) {
        long[] scratch = new long[output.length];
        scatter(s, (i, f, o) -> scratch[o] += input[i] * filter[f]);
        for (int k = 0; k < output.length; k++) {
            int oc = k % s.outC();
            long acc = scratch[k];
            if (bias instanceof long[] b64) {
                acc += b64[oc];
            } else if (bias instanceof short[] b16) {
                acc += b16[oc]; // TFLite Micro widens an int16 bias to int64
            }
            output[k] = (short) QuantizedMath.clamp(rq.apply64(acc, oc), -32768, 32767);
        }
    }
}
