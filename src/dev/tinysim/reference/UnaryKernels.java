package dev.tinysim.reference;

import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;
import dev.tinysim.text.Printable;

/** Element-wise operators with one input: LOGISTIC, RELU, RELU6, QUANTIZE, DEQUANTIZE (int8, int16, float32). */
final class UnaryKernels {

    private UnaryKernels() {
    }

    private interface ByteOp {
        int apply(int q);
    }

    private interface FloatOp {
        float apply(float x);
    }

    private static Kernel int8(OpContext c, ByteOp f) {
        int i = c.inputIndex(0);
        int o = c.outputIndex(0);
        Tensor out = c.output(0);
        return t -> {
            byte[] in = t.int8(i);
            byte[] r = (byte[]) ConvKernel.newOutput(t, o, out);
            for (int k = 0; k < in.length; k++) {
                r[k] = (byte) f.apply(in[k]);
            }
        };
    }

    private static Kernel float32(OpContext c, FloatOp f) {
        int i = c.inputIndex(0);
        int o = c.outputIndex(0);
        Tensor out = c.output(0);
        return t -> {
            float[] in = t.f32(i);
            float[] r = (float[]) ConvKernel.newOutput(t, o, out);
            for (int k = 0; k < in.length; k++) {
                r[k] = f.apply(in[k]);
            }
        };
    }

    private static void sameShapeAndType(OpContext c, TensorType... types) {
        c.requireInputs(1, 1);
        Tensor in = c.input(0);
        Tensor out = c.output(0);
        c.requireSameElementCount(in, out);
        c.requireType(in, "input", types);
        c.requireType(out, "output", in.type());
    }

    /** LOGISTIC: TFLM integer logistic (int8, int16), reference float logistic with ts_expf. */
    static Kernel logistic(OpContext c) {
        sameShapeAndType(c, TensorType.INT8, TensorType.INT16, TensorType.FLOAT32);
        Tensor in = c.input(0);
        if (in.type() == TensorType.FLOAT32) {
            return float32(c, UnaryKernels::logisticFloat);
        }
        if (in.type() == TensorType.INT16) {
            // TFLM logistic_common.cc int16 parameters, TFLite's sigmoid-table logistic
            int[] p = ElementwiseMath.int16ActivationParams(c, in, c.output(0), false);
            QuantizedMath.Int16Rescale r = QuantizedMath.Int16Rescale.of(p[0], p[1]);
            int i = c.inputIndex(0);
            int o = c.outputIndex(0);
            Tensor out = c.output(0);
            return t -> {
                short[] x = t.int16(i);
                short[] y = (short[]) ConvKernel.newOutput(t, o, out);
                for (int k = 0; k < x.length; k++) {
                    y[k] = QuantizedMath.logisticInt16(x[k], r);
                }
            };
        }
        Tensor out = c.output(0);
        if (c.zeroPoint(out, "output") != -128) {
            throw c.fail("int8 output must have zero point -128");
        }
        final int inputIntegerBits = 4;
        double real = (double) c.scale(in, "input") * (double) (1 << (31 - inputIntegerBits));
        QuantizedMath.Frexp f = QuantizedMath.frexp(real);
        // TFLM: static_cast<int32_t>(TfLiteRound(q * 2^31)) without the 2^31 fix-up; the conversion saturates on Arm.
        int multiplier = (int) DeterministicMath.roundHalfAway(f.fraction() * (1L << 31));
        int leftShift = f.exponent();
        if (leftShift < 0 || leftShift > 31) {
            throw c.fail("input scale " + c.scale(in, "input") + " is outside the range the int8 logistic supports");
        }
        int radius = QuantizedMath.calculateInputRadius(inputIntegerBits, leftShift);
        int zp = c.zeroPoint(in, "input");
        return int8(c, q -> {
            int x = q - zp;
            if (x <= -radius) {
                return -128;
            }
            if (x >= radius) {
                return 127;
            }
            int x4 = QuantizedMath.multiplyByQuantizedMultiplier(x, multiplier, leftShift);
            int r = FixedPoint.logistic(x4, inputIntegerBits);
            return QuantizedMath.clamp(QuantizedMath.roundingDivideByPot(r, 31 - 8) - 128, -128, 127);
        });
    }

    static float logisticFloat(float x) {
        return DeterministicMath.logisticf(x);
    }

    /** RELU: TFLM ReluQuantized (requantizes) and ReluFloat. */
    static Kernel relu(OpContext c) {
        sameShapeAndType(c, TensorType.INT8, TensorType.FLOAT32);
        Tensor in = c.input(0);
        if (in.type() == TensorType.FLOAT32) {
            return float32(c, x -> x < 0.0f ? 0.0f : x);
        }
        Tensor out = c.output(0);
        float outScale = c.scale(out, "output");
        int zpIn = c.zeroPoint(in, "input");
        int zpOut = c.zeroPoint(out, "output");
        QuantizedMath.Multiplier m = QuantizedMath.quantizeMultiplier((double) c.scale(in, "input") / (double) outScale);
        int lo = Math.max(-128, zpOut + (int) DeterministicMath.roundHalfAway(0.0f / outScale));
        return int8(c, q -> QuantizedMath.clamp(zpOut + QuantizedMath.multiplyByQuantizedMultiplier(q - zpIn, m), lo, 127));
    }

    /** RELU6: TFLM Relu6Quantized (clamps in the input's quantization) and Relu6Float. */
    static Kernel relu6(OpContext c) {
        sameShapeAndType(c, TensorType.INT8, TensorType.FLOAT32);
        Tensor in = c.input(0);
        if (in.type() == TensorType.FLOAT32) {
            return float32(c, x -> x > 6.0f ? 6.0f : (x < 0.0f ? 0.0f : x));
        }
        c.requireSameQuantization(in, c.output(0));
        int zero = c.zeroPoint(in, "input");
        int six = QuantizedMath.clamp((int) (DeterministicMath.roundHalfAway(6.0f / c.scale(in, "input")) + zero),
                -128, 127);
        return int8(c, q -> q > six ? six : (q < zero ? zero : q));
    }

    /**
     * QUANTIZE: float32 -> int8 / int16 (AffineQuantize) and int8 / int16 -> int8 / int16 (Requantize), every pair
     * TFLite Micro's quantize kernel supports among these types.
     */
    static Kernel quantize(OpContext c) {
        c.requireInputs(1, 1);
        Tensor in = c.input(0);
        Tensor out = c.output(0);
        c.requireSameElementCount(in, out);
        c.requireType(out, "output", TensorType.INT8, TensorType.INT16, TensorType.INT32);
        c.requireType(in, "input", TensorType.FLOAT32, TensorType.INT8, TensorType.INT16);
        boolean out32 = out.type() == TensorType.INT32;
        if (out32) {
            // TFLM's Requantize int8/int16 -> int32 (e.g. keyword_scrambled.tflite's last operator); no float -> int32
            c.requireType(in, "input of a QUANTIZE to INT32", TensorType.INT8, TensorType.INT16);
        }
        float scale = c.scale(out, "output");
        if (out.quantization().isPerChannel()) {
            throw c.fail("output '" + Printable.name(out.name()) + "' is per-channel quantized; QUANTIZE needs per-tensor parameters");
        }
        boolean out16 = out.type() == TensorType.INT16;
        int zp = out16 || out32 ? Int16Quantization.zeroPoint(c, out, "output") : c.zeroPoint(out, "output");
        int qmin = out32 ? Integer.MIN_VALUE : out16 ? -32768 : -128;
        int qmax = out32 ? Integer.MAX_VALUE : out16 ? 32767 : 127;
        int i = c.inputIndex(0);
        int o = c.outputIndex(0);
        if (in.type() == TensorType.FLOAT32) {
            return t -> {
                float[] x = t.f32(i);
                Object r = ConvKernel.newOutput(t, o, out);
                for (int k = 0; k < x.length; k++) {
                    // (int) saturates like Arm's vcvt; the "+ zp" then wraps exactly as the C expression does.
                    int unclamped = (int) DeterministicMath.roundHalfAway(x[k] / scale) + zp;
                    store(r, k, QuantizedMath.clamp(unclamped, qmin, qmax));
                }
            };
        }
        boolean in16 = in.type() == TensorType.INT16;
        int zpIn = in16 ? Int16Quantization.zeroPoint(c, in, "input") : c.zeroPoint(in, "input");
        QuantizedMath.Multiplier m = QuantizedMath.quantizeMultiplier((double) c.scale(in, "input") / (double) scale);
        if (!in16 && !out16 && !out32) {
            return int8(c, q -> QuantizedMath.clamp(QuantizedMath.multiplyByQuantizedMultiplier(q - zpIn, m) + zp, -128, 127));
        }
        return t -> {
            Object x = t.raw(i);
            Object r = ConvKernel.newOutput(t, o, out);
            int n = out.elementCount();
            for (int k = 0; k < n; k++) {
                int q = in16 ? ((short[]) x)[k] : ((byte[]) x)[k];
                store(r, k, QuantizedMath.clamp(QuantizedMath.multiplyByQuantizedMultiplier(q - zpIn, m) + zp, qmin, qmax));
            }
        };
    }

    private static void store(Object array, int k, int value) {
        if (array instanceof short[] s) {
            s[k] = (short) value;
        } else if (array instanceof int[] w) {
            w[k] = value;
        } else {
            ((byte[]) array)[k] = (byte) value;
        }
    }

    /** DEQUANTIZE int8 / int16 -> float: {@code (float)(q - zp) * scale}. */
    static Kernel dequantize(OpContext c) {
        c.requireInputs(1, 1);
        Tensor in = c.input(0);
        Tensor out = c.output(0);
        c.requireSameElementCount(in, out);
        c.requireType(in, "input", TensorType.INT8, TensorType.INT16);
        c.requireType(out, "output", TensorType.FLOAT32);
        float scale = c.scale(in, "input");
        if (in.quantization().isPerChannel()) {
            throw c.fail("input '" + Printable.name(in.name()) + "' is per-channel quantized; DEQUANTIZE needs per-tensor parameters");
        }
        boolean in16 = in.type() == TensorType.INT16;
        int zp = in16 ? Int16Quantization.zeroPoint(c, in, "input") : c.zeroPoint(in, "input");
        int i = c.inputIndex(0);
        int o = c.outputIndex(0);
        return t -> {
            Object q = t.raw(i);
            float[] r = (float[]) ConvKernel.newOutput(t, o, out);
            for (int k = 0; k < r.length; k++) {
                // TFLite: (float)((double) scale * (q - zp)); the double product is exact (at most 17 x 24
                // significant bits), so it rounds to the same float as this single float multiplication.
                int v = in16 ? ((short[]) q)[k] : ((byte[]) q)[k];
                r[k] = (float) (v - zp) * scale;
            }
        };
    }
}
