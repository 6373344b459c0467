package dev.tinysim.reference;

import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;
import dev.tinysim.text.Printable;

/**
 * CONV_2D: int8 (per-channel or per-tensor filters) and float32, including hybrid int8 filters with
 * float activations. Loop order and arithmetic as in docs/inference-semantics.md §4 and §5; int16 (16x8) in
 * {@link Int16Convolutions}.
 */
final class ConvKernel {

    private ConvKernel() {
    }

    /** Shapes and geometry shared by both arithmetic paths. */
    record Shape(int batches, int inH, int inW, int inC, int kH, int kW, int filterInC, int outH, int outW, int outC,
                 int groups, int strideH, int strideW, int dilationH, int dilationW, int padTop, int padLeft) {
    }

    static Kernel create(OpContext c) {
        c.requireInputs(2, 3);
        BuiltinOptions.Conv2D o = c.options(BuiltinOptions.Conv2D.class);
        c.requireSupportedActivation(o.activation());
        Tensor in = c.input(0);
        Tensor filter = c.input(1);
        Tensor out = c.output(0);
        c.requireRank(in, "input", 4);
        c.requireRank(filter, "filter", 4);
        c.requireRank(out, "output", 4);
        if (o.strideH() < 1 || o.strideW() < 1 || o.dilationH() < 1 || o.dilationW() < 1) {
            throw c.fail("strides " + o.strideH() + "x" + o.strideW() + " and dilations " + o.dilationH() + "x"
                    + o.dilationW() + " must be at least 1");
        }
        int inC = in.dim(3);
        int filterInC = filter.dim(3);
        int outC = filter.dim(0);
        if (filterInC <= 0 || inC % filterInC != 0 || outC % (inC / filterInC) != 0) {
            throw c.fail("filter shape " + filter.shape() + " does not fit input shape " + in.shape());
        }
        ConvGeometry g = ConvGeometry.of(o.padding(), in.dim(1), in.dim(2), filter.dim(1), filter.dim(2), o.strideH(),
                o.strideW(), o.dilationH(), o.dilationW());
        Shape s = new Shape(in.dim(0), in.dim(1), in.dim(2), inC, filter.dim(1), filter.dim(2), filterInC, g.outH(),
                g.outW(), outC, inC / filterInC, o.strideH(), o.strideW(), o.dilationH(), o.dilationW(), g.padTop(),
                g.padLeft());
        requireOutputShape(c, out, s.batches(), s.outH(), s.outW(), s.outC());
        int inIdx = c.inputIndex(0);
        int outIdx = c.outputIndex(0);
        if (in.type() == TensorType.INT16) {
            return Int16Convolutions.conv(c, s, o.activation());
        }
        if (in.type() == TensorType.INT8) {
            c.requireType(filter, "filter", TensorType.INT8);
            c.requireType(out, "output", TensorType.INT8);
            int[] bias = intBias(c, outC);
            byte[] weights = (byte[]) c.constant(1, "filter");
            Requantizer rq = Requantizer.forConv(c, in, filter, out, outC, 0);
            ActivationRange act = ActivationRange.int8(o.activation(), c.scale(out, "output"), c.zeroPoint(out, "output"), c);
            int inputOffset = -c.zeroPoint(in, "input");
            return t -> runInt8(s, t.int8(inIdx), weights, bias, inputOffset, rq, act, (byte[]) newOutput(t, outIdx, out));
        }
        c.requireType(in, "input", TensorType.FLOAT32);
        c.requireType(out, "output", TensorType.FLOAT32);
        c.requireType(filter, "filter", TensorType.FLOAT32, TensorType.INT8);
        float[] bias = floatBias(c, outC);
        FloatWeights w = FloatWeights.of(c, filter, outC, 0);
        ActivationRange act = ActivationRange.float32(o.activation(), c);
        return t -> runFloat(s, t.f32(inIdx), w, bias, act, (float[]) newOutput(t, outIdx, out));
    }

    static Object newOutput(TensorArrays t, int index, Tensor tensor) {
        Object a = TensorArrays.allocate(tensor);
        t.set(index, a);
        return a;
    }

    static void requireOutputShape(OpContext c, Tensor out, int n, int h, int w, int ch) {
        if (out.dim(0) != n || out.dim(1) != h || out.dim(2) != w || out.dim(3) != ch) {
            throw c.fail("output shape " + out.shape() + " differs from the computed [" + n + ", " + h + ", " + w
                    + ", " + ch + "]");
        }
    }

    static int[] intBias(OpContext c, int channels) {
        if (c.optionalInputIndex(2) < 0) {
            return null;
        }
        Tensor b = c.input(2);
        c.requireType(b, "bias", TensorType.INT32);
        if (b.elementCount() != channels) {
            throw c.fail("bias '" + Printable.name(b.name()) + "' has " + b.elementCount() + " values for " + channels + " channels");
        }
        return (int[]) c.constant(2, "bias");
    }

    static float[] floatBias(OpContext c, int channels) {
        if (c.optionalInputIndex(2) < 0) {
            return null;
        }
        Tensor b = c.input(2);
        c.requireType(b, "bias", TensorType.FLOAT32);
        if (b.elementCount() != channels) {
            throw c.fail("bias '" + Printable.name(b.name()) + "' has " + b.elementCount() + " values for " + channels + " channels");
        }
        return (float[]) c.constant(2, "bias");
    }

    private static void runInt8(Shape s, byte[] input, byte[] filter, int[] bias, int inputOffset, Requantizer rq,
                                ActivationRange act, byte[] output) {
        int outCPerGroup = s.outC() / s.groups();
        int o = 0;
        for (int b = 0; b < s.batches(); b++) {
            for (int oy = 0; oy < s.outH(); oy++) {
                int inYOrigin = oy * s.strideH() - s.padTop();
                for (int ox = 0; ox < s.outW(); ox++) {
                    int inXOrigin = ox * s.strideW() - s.padLeft();
                    for (int oc = 0; oc < s.outC(); oc++) {
                        int group = oc / outCPerGroup;
                        int acc = 0;
                        for (int fy = 0; fy < s.kH(); fy++) {
                            int iy = inYOrigin + s.dilationH() * fy;
                            if (iy < 0 || iy >= s.inH()) {
                                continue;
                            }
                            for (int fx = 0; fx < s.kW(); fx++) {
                                int ix = inXOrigin + s.dilationW() * fx;
                                if (ix < 0 || ix >= s.inW()) {
                                    continue;
                                }
                                int inBase = ((b * s.inH() + iy) * s.inW() + ix) * s.inC() + group * s.filterInC();
                                int fBase = ((oc * s.kH() + fy) * s.kW() + fx) * s.filterInC();
                                for (int ic = 0; ic < s.filterInC(); ic++) {
                                    acc += filter[fBase + ic] * (input[inBase + ic] + inputOffset);
                                }
                            }
                        }
                        if (bias != null) {
                            acc += bias[oc];
                        }
                        output[o++] = (byte) act.clamp(rq.apply(acc, oc));
                    }
                }
            }
        }
    }

    private static void runFloat(Shape s, float[] input, FloatWeights w, float[] bias, ActivationRange act,
                                 float[] output) {
        int outCPerGroup = s.outC() / s.groups();
        int o = 0;
        for (int b = 0; b < s.batches(); b++) {
            for (int oy = 0; oy < s.outH(); oy++) {
                int inYOrigin = oy * s.strideH() - s.padTop();
                for (int ox = 0; ox < s.outW(); ox++) {
                    int inXOrigin = ox * s.strideW() - s.padLeft();
                    for (int oc = 0; oc < s.outC(); oc++) {
                        int group = oc / outCPerGroup;
                        float total = 0.0f;
                        for (int fy = 0; fy < s.kH(); fy++) {
                            int iy = inYOrigin + s.dilationH() * fy;
                            if (iy < 0 || iy >= s.inH()) {
                                continue;
                            }
                            for (int fx = 0; fx < s.kW(); fx++) {
                                int ix = inXOrigin + s.dilationW() * fx;
                                if (ix < 0 || ix >= s.inW()) {
                                    continue;
                                }
                                int inBase = ((b * s.inH() + iy) * s.inW() + ix) * s.inC() + group * s.filterInC();
                                int fBase = ((oc * s.kH() + fy) * s.kW() + fx) * s.filterInC();
                                for (int ic = 0; ic < s.filterInC(); ic++) {
                                    total += input[inBase + ic] * w.get(fBase + ic, oc);
                                }
                            }
                        }
                        float biasValue = bias != null ? bias[oc] : 0.0f;
                        output[o++] = act.clamp(total + biasValue);
                    }
                }
            }
        }
    }
}
