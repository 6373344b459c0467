package dev.tinysim.reference;

import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;

/**
 * DEPTHWISE_CONV_2D, int8 and float32 (float may use hybrid int8 filters). The depth multiplier is
 * derived from the shapes (out_c / in_c), as current TFLite does; the option field is informational.
 */
final class DepthwiseConvKernel {

    private DepthwiseConvKernel() {
    }

    record Shape(int batches, int inH, int inW, int inC, int kH, int kW, int outH, int outW, int outC,
                 int depthMultiplier, int strideH, int strideW, int dilationH, int dilationW, int padTop, int padLeft) {
    }

    static Kernel create(OpContext c) {
        c.requireInputs(2, 3);
        BuiltinOptions.DepthwiseConv2D o = c.options(BuiltinOptions.DepthwiseConv2D.class);
        c.requireSupportedActivation(o.activation());
        Tensor in = c.input(0);
        Tensor filter = c.input(1);
        Tensor out = c.output(0);
        c.requireRank(in, "input", 4);
        c.requireRank(filter, "filter", 4);
        c.requireRank(out, "output", 4);
        if (o.strideH() < 1 || o.strideW() < 1 || o.dilationH() < 1 || o.dilationW() < 1) {
            throw c.fail("strides and dilations must be at least 1");
        }
        int inC = in.dim(3);
        int outC = filter.dim(3);
        if (filter.dim(0) != 1 || inC <= 0 || outC % inC != 0) {
            throw c.fail("filter shape " + filter.shape() + " does not fit input shape " + in.shape());
        }
        ConvGeometry g = ConvGeometry.of(o.padding(), in.dim(1), in.dim(2), filter.dim(1), filter.dim(2), o.strideH(),
                o.strideW(), o.dilationH(), o.dilationW());
        Shape s = new Shape(in.dim(0), in.dim(1), in.dim(2), inC, filter.dim(1), filter.dim(2), g.outH(), g.outW(),
                outC, outC / inC, o.strideH(), o.strideW(), o.dilationH(), o.dilationW(), g.padTop(), g.padLeft());
        ConvKernel.requireOutputShape(c, out, s.batches(), s.outH(), s.outW(), outC);
        int inIdx = c.inputIndex(0);
        int outIdx = c.outputIndex(0);
        if (in.type() == TensorType.INT16) {
            return Int16Convolutions.depthwise(c, s, o.activation());
        }
        if (in.type() == TensorType.INT8) {
            c.requireType(filter, "filter", TensorType.INT8);
            c.requireType(out, "output", TensorType.INT8);
            int[] bias = ConvKernel.intBias(c, outC);
            byte[] weights = (byte[]) c.constant(1, "filter");
            Requantizer rq = Requantizer.forConv(c, in, filter, out, outC, 3);
            ActivationRange act = ActivationRange.int8(o.activation(), c.scale(out, "output"), c.zeroPoint(out, "output"), c);
            int inputOffset = -c.zeroPoint(in, "input");
            return t -> runInt8(s, t.int8(inIdx), weights, bias, inputOffset, rq, act,
                    (byte[]) ConvKernel.newOutput(t, outIdx, out));
        }
        c.requireType(in, "input", TensorType.FLOAT32);
        c.requireType(out, "output", TensorType.FLOAT32);
        c.requireType(filter, "filter", TensorType.FLOAT32, TensorType.INT8);
        float[] bias = ConvKernel.floatBias(c, outC);
        FloatWeights w = FloatWeights.of(c, filter, outC, 3);
        ActivationRange act = ActivationRange.float32(o.activation(), c);
        return t -> runFloat(s, t.f32(inIdx), w, bias, act, (float[]) ConvKernel.newOutput(t, outIdx, out));
    }

    private static void runInt8(Shape s, byte[] input, byte[] filter, int[] bias, int inputOffset, Requantizer rq,
                                ActivationRange act, byte[] output) {
        for (int b = 0; b < s.batches(); b++) {
            for (int oy = 0; oy < s.outH(); oy++) {
                for (int ox = 0; ox < s.outW(); ox++) {
                    for (int ic = 0; ic < s.inC(); ic++) {
                        for (int m = 0; m < s.depthMultiplier(); m++) {
                            int oc = m + ic * s.depthMultiplier();
                            int inYOrigin = oy * s.strideH() - s.padTop();
                            int inXOrigin = ox * s.strideW() - s.padLeft();
                            int acc = 0;
                            for (int fy = 0; fy < s.kH(); fy++) {
                                int iy = inYOrigin + s.dilationH() * fy;
                                for (int fx = 0; fx < s.kW(); fx++) {
                                    int ix = inXOrigin + s.dilationW() * fx;
                                    if (iy < 0 || iy >= s.inH() || ix < 0 || ix >= s.inW()) {
                                        continue;
                                    }
                                    int inputValue = input[((b * s.inH() + iy) * s.inW() + ix) * s.inC() + ic];
                                    int filterValue = filter[(fy * s.kW() + fx) * s.outC() + oc];
                                    acc += filterValue * (inputValue + inputOffset);
                                }
                            }
                            if (bias != null) {
                                acc += bias[oc];
                            }
                            output[((b * s.outH() + oy) * s.outW() + ox) * s.outC() + oc] =
                                    (byte) act.clamp(rq.apply(acc, oc));
                        }
                    }
                }
            }
        }
    }

    private static void runFloat(Shape s, float[] input, FloatWeights w, float[] bias, ActivationRange act,
                                 float[] output) {
        for (int b = 0; b < s.batches(); b++) {
            for (int oy = 0; oy < s.outH(); oy++) {
                for (int ox = 0; ox < s.outW(); ox++) {
                    for (int ic = 0; ic < s.inC(); ic++) {
                        for (int m = 0; m < s.depthMultiplier(); m++) {
                            int oc = m + ic * s.depthMultiplier();
                            int inYOrigin = oy * s.strideH() - s.padTop();
                            int inXOrigin = ox * s.strideW() - s.padLeft();
                            float total = 0.0f;
                            for (int fy = 0; fy < s.kH(); fy++) {
                                int iy = inYOrigin + s.dilationH() * fy;
                                for (int fx = 0; fx < s.kW(); fx++) {
                                    int ix = inXOrigin + s.dilationW() * fx;
                                    if (iy < 0 || iy >= s.inH() || ix < 0 || ix >= s.inW()) {
                                        continue;
                                    }
                                    float inputValue = input[((b * s.inH() + iy) * s.inW() + ix) * s.inC() + ic];
                                    total += inputValue * w.get((fy * s.kW() + fx) * s.outC() + oc, oc);
                                }
                            }
                            float biasValue = bias != null ? bias[oc] : 0.0f;
                            output[((b * s.outH() + oy) * s.outW() + ox) * s.outC() + oc] = act.clamp(total + biasValue);
                        }
                    }
                }
            }
        }
    }
}
