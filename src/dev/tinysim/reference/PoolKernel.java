package dev.tinysim.reference;

import dev.tinysim.tflite.BuiltinOperator;
import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;
import dev.tinysim.text.Printable;

/** AVERAGE_POOL_2D and MAX_POOL_2D, int8 and int16 (no requantization) and float32. */
final class PoolKernel {

    private PoolKernel() {
    }

    static Kernel create(OpContext c, BuiltinOperator kind) {
        c.requireInputs(1, 1);
        BuiltinOptions.Pool2D o = c.options(BuiltinOptions.Pool2D.class);
        c.requireSupportedActivation(o.activation());
        Tensor in = c.input(0);
        Tensor out = c.output(0);
        c.requireRank(in, "input", 4);
        c.requireRank(out, "output", 4);
        if (o.strideH() < 1 || o.strideW() < 1 || o.filterH() < 1 || o.filterW() < 1) {
            throw c.fail("strides and filter sizes must be at least 1");
        }
        ConvGeometry g = ConvGeometry.of(o.padding(), in.dim(1), in.dim(2), o.filterH(), o.filterW(), o.strideH(),
                o.strideW(), 1, 1);
        ConvKernel.requireOutputShape(c, out, in.dim(0), g.outH(), g.outW(), in.dim(3));
        Window w = new Window(in.dim(0), in.dim(1), in.dim(2), in.dim(3), g.outH(), g.outW(), o.filterH(), o.filterW(),
                o.strideH(), o.strideW(), g.padTop(), g.padLeft());
        if (kind == BuiltinOperator.AVERAGE_POOL_2D && (g.padTop() >= o.filterH() || g.padLeft() >= o.filterW())) {
            throw c.fail("padding leaves empty pooling windows");
        }
        boolean average = kind == BuiltinOperator.AVERAGE_POOL_2D;
        int inIdx = c.inputIndex(0);
        int outIdx = c.outputIndex(0);
        if (in.type() == TensorType.INT8) {
            c.requireType(out, "output", TensorType.INT8);
            c.requireSameQuantization(in, out);
            ActivationRange act = ActivationRange.int8(o.activation(), c.scale(out, "output"), c.zeroPoint(out, "output"), c);
            return t -> runInt8(w, average, act, t.int8(inIdx), (byte[]) ConvKernel.newOutput(t, outIdx, out));
        }
        if (in.type() == TensorType.INT16) {
            // TFLite's int16 pools: as int8, in the int16 range; the output shares the input's quantization.
            c.requireType(out, "output", TensorType.INT16);
            requireSameQuantization16(c, in, out);
            ActivationRange act = ActivationRange.int16(o.activation(), c.scale(out, "output"),
                    Int16Quantization.zeroPoint(c, out, "output"), c);
            return t -> runInt16(w, average, act, t.int16(inIdx), (short[]) ConvKernel.newOutput(t, outIdx, out));
        }
        c.requireType(in, "input", TensorType.FLOAT32);
        c.requireType(out, "output", TensorType.FLOAT32);
        ActivationRange act = ActivationRange.float32(o.activation(), c);
        return t -> runFloat(w, average, act, t.f32(inIdx), (float[]) ConvKernel.newOutput(t, outIdx, out));
    }

    record Window(int batches, int inH, int inW, int channels, int outH, int outW, int filterH, int filterW,
                  int strideH, int strideW, int padTop, int padLeft) {
    }

    private static void runInt8(Window w, boolean average, ActivationRange act, byte[] input, byte[] output) {
        for (int b = 0; b < w.batches(); b++) {
            for (int oy = 0; oy < w.outH(); oy++) {
                for (int ox = 0; ox < w.outW(); ox++) {
                    for (int ch = 0; ch < w.channels(); ch++) {
                        int inYOrigin = oy * w.strideH() - w.padTop();
                        int inXOrigin = ox * w.strideW() - w.padLeft();
                        int fyStart = Math.max(0, -inYOrigin);
                        int fyEnd = Math.min(w.filterH(), w.inH() - inYOrigin);
                        int fxStart = Math.max(0, -inXOrigin);
                        int fxEnd = Math.min(w.filterW(), w.inW() - inXOrigin);
                        int acc = average ? 0 : -128;
                        int count = 0;
                        for (int fy = fyStart; fy < fyEnd; fy++) {
                            for (int fx = fxStart; fx < fxEnd; fx++) {
                                int v = input[((b * w.inH() + inYOrigin + fy) * w.inW() + inXOrigin + fx) * w.channels() + ch];
                                if (average) {
                                    acc += v;
                                } else {
                                    acc = Math.max(acc, v);
                                }
                                count++;
                            }
                        }
                        if (average) {
                            // Integer division in Java truncates toward zero like C: rounds half away from zero.
                            acc = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
                        }
                        output[((b * w.outH() + oy) * w.outW() + ox) * w.channels() + ch] = (byte) act.clamp(acc);
                    }
                }
            }
        }
    }

    private static void requireSameQuantization16(OpContext c, Tensor in, Tensor out) {
        if (c.scale(in, "input") != c.scale(out, "output")
                || Int16Quantization.zeroPoint(c, in, "input") != Int16Quantization.zeroPoint(c, out, "output")) {
            throw c.fail("int16 input '" + Printable.name(in.name()) + "' and output '" + Printable.name(out.name())
                    + "' must share quantization parameters");
        }
    }

    private static void runInt16(Window w, boolean average, ActivationRange act, short[] input, short[] output) {
        for (int b = 0; b < w.batches(); b++) {
            for (int oy = 0; oy < w.outH(); oy++) {
                for (int ox = 0; ox < w.outW(); ox++) {
                    for (int ch = 0; ch < w.channels(); ch++) {
                        int inYOrigin = oy * w.strideH() - w.padTop();
                        int inXOrigin = ox * w.strideW() - w.padLeft();
                        int fyStart = Math.max(0, -inYOrigin);
                        int fyEnd = Math.min(w.filterH(), w.inH() - inYOrigin);
                        int fxStart = Math.max(0, -inXOrigin);
                        int fxEnd = Math.min(w.filterW(), w.inW() - inXOrigin);
                        int acc = average ? 0 : -32768;
                        int count = 0;
                        for (int fy = fyStart; fy < fyEnd; fy++) {
                            for (int fx = fxStart; fx < fxEnd; fx++) {
                                int v = input[((b * w.inH() + inYOrigin + fy) * w.inW() + inXOrigin + fx) * w.channels() + ch];
                                if (average) {
                                    acc += v;
                                } else {
                                    acc = Math.max(acc, v);
                                }
                                count++;
                            }
                        }
                        if (average) {
                            acc = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
                        }
                        output[((b * w.outH() + oy) * w.outW() + ox) * w.channels() + ch] = (short) act.clamp(acc);
                    }
                }
            }
        }
    }

    private static void runFloat(Window w, boolean average, ActivationRange act, float[] input, float[] output) {
        for (int b = 0; b < w.batches(); b++) {
            for (int oy = 0; oy < w.outH(); oy++) {
                for (int ox = 0; ox < w.outW(); ox++) {
                    for (int ch = 0; ch < w.channels(); ch++) {
                        int inYOrigin = oy * w.strideH() - w.padTop();
                        int inXOrigin = ox * w.strideW() - w.padLeft();
                        int fyStart = Math.max(0, -inYOrigin);
                        int fyEnd = Math.min(w.filterH(), w.inH() - inYOrigin);
                        int fxStart = Math.max(0, -inXOrigin);
                        int fxEnd = Math.min(w.filterW(), w.inW() - inXOrigin);
                        float total = 0.0f;
                        float max = -Float.MAX_VALUE;
                        int count = 0;
                        for (int fy = fyStart; fy < fyEnd; fy++) {
                            for (int fx = fxStart; fx < fxEnd; fx++) {
                                float v = input[((b * w.inH() + inYOrigin + fy) * w.inW() + inXOrigin + fx) * w.channels() + ch];
                                total += v;
                                max = DeterministicMath.cmax(max, v);
                                count++;
                            }
                        }
                        float result = average ? total / (float) count : max;
                        output[((b * w.outH() + oy) * w.outW() + ox) * w.channels() + ch] = act.clamp(result);
                    }
                }
            }
        }
    }
}
