package dev.tinysim.reference;

import dev.tinysim.tflite.ActivationFunction;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;
import dev.tinysim.text.Printable;

/**
 * CONV_2D and DEPTHWISE_CONV_2D in TFLite's 16x8 mode: int16 activations (zero point 0), int8 filters
 * (per-channel or per-tensor, symmetric), TFLite Micro's reference_integer_ops::ConvPerChannel and
 * DepthwiseConvPerChannel for int16. CONV_2D accumulates in int64 with an int64 bias and in int32 (wrapping)
 * with an int32 bias or none; DEPTHWISE_CONV_2D always in int64 (bias int64 or none).
 */
final class Int16Convolutions {

    private Int16Convolutions() {
    }

    static Kernel conv(OpContext c, ConvKernel.Shape s, ActivationFunction activation) {
        Tensor in = c.input(0);
        Tensor filter = c.input(1);
        Tensor out = c.output(0);
        c.requireType(filter, "filter", TensorType.INT8);
        c.requireType(out, "output", TensorType.INT16);
        Int16Quantization.symmetricScale(c, in, "input");
        float outScale = Int16Quantization.symmetricScale(c, out, "output");
        Object bias = bias(c, s.outC(), TensorType.INT32, TensorType.INT64);
        boolean acc64 = bias instanceof long[];
        Requantizer rq = Requantizer.forConv(c, in, filter, out, s.outC(), 0);
        if (acc64) {
            rq.requireInt64Rescalable(c);
        }
        ActivationRange act = ActivationRange.int16(activation, outScale, 0, c);
        byte[] weights = (byte[]) c.constant(1, "filter");
        int inIdx = c.inputIndex(0);
        int outIdx = c.outputIndex(0);
        return t -> runConv(s, t.int16(inIdx), weights, bias, acc64, rq, act,
                (short[]) ConvKernel.newOutput(t, outIdx, out));
    }

    static Kernel depthwise(OpContext c, DepthwiseConvKernel.Shape s, ActivationFunction activation) {
        Tensor in = c.input(0);
        Tensor filter = c.input(1);
        Tensor out = c.output(0);
        c.requireType(filter, "filter", TensorType.INT8);
        c.requireType(out, "output", TensorType.INT16);
        Int16Quantization.symmetricScale(c, in, "input");
        float outScale = Int16Quantization.symmetricScale(c, out, "output");
        long[] bias = (long[]) bias(c, s.outC(), TensorType.INT64);
        Requantizer rq = Requantizer.forConv(c, in, filter, out, s.outC(), 3).requireInt64Rescalable(c);
        ActivationRange act = ActivationRange.int16(activation, outScale, 0, c);
        byte[] weights = (byte[]) c.constant(1, "filter");
        int inIdx = c.inputIndex(0);
        int outIdx = c.outputIndex(0);
        return t -> runDepthwise(s, t.int16(inIdx), weights, bias, rq, act,
                (short[]) ConvKernel.newOutput(t, outIdx, out));
    }

    /** The constant bias (input 2) of one of the allowed types, or null when it is omitted. */
    static Object bias(OpContext c, int channels, TensorType... allowed) {
        if (c.optionalInputIndex(2) < 0) {
            return null;
        }
        Tensor b = c.input(2);
        c.requireType(b, "bias", allowed);
        if (b.elementCount() != channels) {
            throw c.fail("bias '" + Printable.name(b.name()) + "' has " + b.elementCount() + " values for " + channels + " channels");
        }
        return c.constant(2, "bias");
    }

    private static void runConv(ConvKernel.Shape s, short[] input, byte[] filter, Object bias, boolean acc64,
                                Requantizer rq, ActivationRange act, short[] output) {
        int outCPerGroup = s.outC() / s.groups();
        int o = 0;
        for (int b = 0; b < s.batches(); b++) {
            for (int oy = 0; oy < s.outH(); oy++) {
                int inYOrigin = oy * s.strideH() - s.padTop();
                for (int ox = 0; ox < s.outW(); ox++) {
                    int inXOrigin = ox * s.strideW() - s.padLeft();
                    for (int oc = 0; oc < s.outC(); oc++) {
                        int group = oc / outCPerGroup;
                        long acc = 0; // int64, or int32 wrapping (narrowed below)
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
                                    acc += filter[fBase + ic] * input[inBase + ic];
                                }
                            }
                        }
                        int scaled;
                        if (acc64) {
                            if (bias != null) {
                                acc += ((long[]) bias)[oc];
                            }
                            scaled = rq.apply64(acc, oc);
                        } else {
                            int acc32 = (int) acc; // TFLite's int32 accumulator: the sum modulo 2^32
                            if (bias != null) {
                                acc32 += ((int[]) bias)[oc];
                            }
                            scaled = rq.apply(acc32, oc);
                        }
                        output[o++] = (short) act.clamp(scaled);
                    }
                }
            }
        }
    }

    private static void runDepthwise(DepthwiseConvKernel.Shape s, short[] input, byte[] filter, long[] bias,
                                     Requantizer rq, ActivationRange act, short[] output) {
        for (int b = 0; b < s.batches(); b++) {
            for (int oy = 0; oy < s.outH(); oy++) {
                for (int ox = 0; ox < s.outW(); ox++) {
                    for (int ic = 0; ic < s.inC(); ic++) {
                        for (int m = 0; m < s.depthMultiplier(); m++) {
                            int oc = m + ic * s.depthMultiplier();
                            int inYOrigin = oy * s.strideH() - s.padTop();
                            int inXOrigin = ox * s.strideW() - s.padLeft();
                            long acc = 0;
                            for (int fy = 0; fy < s.kH(); fy++) {
                                int iy = inYOrigin + s.dilationH() * fy;
                                for (int fx = 0; fx < s.kW(); fx++) {
                                    int ix = inXOrigin + s.dilationW() * fx;
                                    if (iy < 0 || iy >= s.inH() || ix < 0 || ix >= s.inW()) {
                                        continue;
                                    }
                                    int inputValue = input[((b * s.inH() + iy) * s.inW() + ix) * s.inC() + ic];
                                    int filterValue = filter[(fy * s.kW() + fx) * s.outC() + oc];
                                    acc += (long) filterValue * inputValue;
                                }
                            }
                            if (bias != null) {
                                acc += bias[oc];
                            }
                            output[((b * s.outH() + oy) * s.outW() + ox) * s.outC() + oc] =
                                    (short) act.clamp(rq.apply64(acc, oc));
                        }
                    }
                }
            }
        }
    }
}
