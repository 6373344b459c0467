package dev.tinysim.reference;

import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;

/** SOFTMAX over the last dimension: int8 (gemmlowp fixed point, as TFLM's reference) and float32. */
final class SoftmaxKernel {

    private static final int SCALED_DIFF_INTEGER_BITS = 5;
    private static final int ACCUMULATION_INTEGER_BITS = 12;

    private SoftmaxKernel() {
    }

    static Kernel create(OpContext c) {
        c.requireInputs(1, 1);
        float beta = c.options(BuiltinOptions.Softmax.class).beta();
        Tensor in = c.input(0);
        Tensor out = c.output(0);
        if (in.rank() < 1 || !in.shape().equals(out.shape())) {
            throw c.fail("input shape " + in.shape() + " and output shape " + out.shape() + " must be equal");
        }
        int depth = in.dim(in.rank() - 1);
        int outer = depth == 0 ? 0 : in.elementCount() / depth;
        int i = c.inputIndex(0);
        int o = c.outputIndex(0);
        if (in.type() == TensorType.INT16) {
            return int16(c, in, out, beta, outer, depth, i, o);
        }
        if (in.type() == TensorType.INT8) {
            c.requireType(out, "output", TensorType.INT8, TensorType.INT16);
            boolean out16 = out.type() == TensorType.INT16;
            if (out16) {
                // TFLM: zero point -32768, scale 1/65536 within 0.1 % (TF_LITE_ENSURE_NEAR)
                if (ElementwiseMath.zeroPoint16(c, out, "output", false) != -32768
                        || !near(c.scale(out, "output"), 1.0f / 65536)) {
                    throw c.fail("int16 output must have zero point -32768 and scale 1/65536");
                }
            } else if (c.zeroPoint(out, "output") != -128 || c.scale(out, "output") != 1.0f / 256) {
                throw c.fail("int8 output must have zero point -128 and scale 1/256");
            }
            double real = Math.min((double) beta * (double) c.scale(in, "input")
                    * (double) (1 << (31 - SCALED_DIFF_INTEGER_BITS)), (double) ((1L << 31) - 1));
            if (!(real > 1.0)) {
                throw c.fail("beta * input scale is too small for the int8 softmax (" + real + " <= 1)");
            }
            QuantizedMath.Multiplier m = QuantizedMath.quantizeMultiplier(real);
            int diffMin = -QuantizedMath.calculateInputRadius(SCALED_DIFF_INTEGER_BITS, m.shift());
            if (out16) {
                return t -> runInt8To16(t.int8(i), (short[]) ConvKernel.newOutput(t, o, out), outer, depth,
                        m.multiplier(), m.shift(), diffMin);
            }
            return t -> runInt8(t.int8(i), (byte[]) ConvKernel.newOutput(t, o, out), outer, depth, m.multiplier(),
                    m.shift(), diffMin);
        }
        c.requireType(in, "input", TensorType.FLOAT32);
        c.requireType(out, "output", TensorType.FLOAT32);
        return t -> runFloat(t.f32(i), (float[]) ConvKernel.newOutput(t, o, out), outer, depth, beta);
    }

    /** TF_LITE_ENSURE_NEAR(scale, want, 0.001 * want) in float. */
    private static boolean near(float scale, float want) {
        float delta = scale > want ? scale - want : want - scale;
        return !(delta > 0.001f * want);
    }

    /** int16 -> int16 (TFLM softmax_common.cc, reference_ops::SoftmaxInt16): two 513-entry tables. */
    private static Kernel int16(OpContext c, Tensor in, Tensor out, float beta, int outer, int depth, int i, int o) {
        c.requireType(out, "output", TensorType.INT16);
        float inScale = c.scale(in, "input");
        if (ElementwiseMath.zeroPoint16(c, out, "output", true) != 0 || !near(c.scale(out, "output"), 1.0f / 32768)) {
            throw c.fail("int16 output must have zero point 0 and scale 1/32768");
        }
        if (depth > 65536) {
            throw c.fail("rows of " + depth + " elements; the int32 sum of int16 exps would wrap above 65536");
        }
        // differences [-65535, 0] scaled to [-10, 0]
        QuantizedMath.Multiplier m = ElementwiseMath.multiplier(c,
                (double) inScale * (double) beta / (10.0 / 65535.0), "input");
        short[] expLut = Int16Lut.exp();
        short[] recipLut = Int16Lut.oneOverOnePlusX();
        return t -> runInt16(t.int16(i), (short[]) ConvKernel.newOutput(t, o, out), outer, depth, m, expLut, recipLut);
    }

    static void runInt16(short[] input, short[] output, int outer, int depth, QuantizedMath.Multiplier m,
                         short[] expLut, short[] recipLut) {
        for (int row = 0; row < outer; row++) {
            int base = row * depth;
            int max = Short.MIN_VALUE;
            for (int ch = 0; ch < depth; ch++) {
                max = Math.max(max, input[base + ch]);
            }
            int sumOfExps = 0; // Q16.15
            for (int ch = 0; ch < depth; ch++) {
                int scaled = QuantizedMath.multiplyByQuantizedMultiplier(input[base + ch] - max, m);
                short sym = (short) QuantizedMath.clamp(scaled + 32767, -32768, 32767);
                output[base + ch] = Int16Lut.lookup(sym, expLut);
                sumOfExps += output[base + ch];
            }
            int headroomPlusOne = Integer.numberOfLeadingZeros(sumOfExps);
            int shiftedSum = (int) ((((long) sumOfExps << (headroomPlusOne - 1)) + (1 << 13)) >> 14);
            short symSum = (short) QuantizedMath.clamp(shiftedSum - ((1 << 15) + (1 << 16)), -32768, 32767);
            short reciprocal = Int16Lut.lookup(symSum, recipLut);
            int rightShift = 31 - headroomPlusOne;
            long round = 1L << (rightShift - 1);
            for (int ch = 0; ch < depth; ch++) {
                int r = (int) (((long) output[base + ch] * reciprocal + round) >> rightShift);
                output[base + ch] = (short) QuantizedMath.clamp(r, 0, 32767);
            }
        }
    }

    /** int8 -> int16: the int8 algorithm with 16 output bits and zero point -32768. */
    static void runInt8To16(byte[] input, short[] output, int outer, int depth, int multiplier, int leftShift,
                            int diffMin) {
        for (int row = 0; row < outer; row++) {
            int base = row * depth;
            int maxInRow = -128;
            for (int ch = 0; ch < depth; ch++) {
                maxInRow = Math.max(maxInRow, input[base + ch]);
            }
            int sumOfExps = 0;
            for (int ch = 0; ch < depth; ch++) {
                int diff = input[base + ch] - maxInRow;
                if (diff >= diffMin) {
                    int scaled = QuantizedMath.multiplyByQuantizedMultiplierGreaterThanOne(diff, multiplier, leftShift);
                    sumOfExps += FixedPoint.rescale(FixedPoint.expOnNegativeValues(scaled, SCALED_DIFF_INTEGER_BITS), 0,
                            ACCUMULATION_INTEGER_BITS);
                }
            }
            FixedPoint.Reciprocal recip = FixedPoint.reciprocal(sumOfExps, ACCUMULATION_INTEGER_BITS);
            int exponent = QuantizedMath.clamp(recip.numBitsOverUnit() + 31 - 16, 0, 31);
            for (int ch = 0; ch < depth; ch++) {
                int diff = input[base + ch] - maxInRow;
                if (diff >= diffMin) {
                    int scaled = QuantizedMath.multiplyByQuantizedMultiplierGreaterThanOne(diff, multiplier, leftShift);
                    int exp = FixedPoint.expOnNegativeValues(scaled, SCALED_DIFF_INTEGER_BITS);
                    int unsat = QuantizedMath.roundingDivideByPot(
                            QuantizedMath.saturatingRoundingDoublingHighMul(recip.value(), exp), exponent);
                    output[base + ch] = (short) QuantizedMath.clamp(unsat - 32768, -32768, 32767);
                } else {
                    output[base + ch] = Short.MIN_VALUE;
                }
            }
        }
    }

    static void runInt8(byte[] input, byte[] output, int outer, int depth, int multiplier, int leftShift, int diffMin) {
        for (int row = 0; row < outer; row++) {
            int base = row * depth;
            int maxInRow = -128;
            for (int ch = 0; ch < depth; ch++) {
                maxInRow = Math.max(maxInRow, input[base + ch]);
            }
            int sumOfExps = 0;
            for (int ch = 0; ch < depth; ch++) {
                int diff = input[base + ch] - maxInRow;
                if (diff >= diffMin) {
                    int scaled = QuantizedMath.multiplyByQuantizedMultiplierGreaterThanOne(diff, multiplier, leftShift);
                    int exp = FixedPoint.expOnNegativeValues(scaled, SCALED_DIFF_INTEGER_BITS);
                    sumOfExps += FixedPoint.rescale(exp, 0, ACCUMULATION_INTEGER_BITS);
                }
            }
            FixedPoint.Reciprocal recip = FixedPoint.reciprocal(sumOfExps, ACCUMULATION_INTEGER_BITS);
            int exponent = recip.numBitsOverUnit() + 31 - 8;
            for (int ch = 0; ch < depth; ch++) {
                int diff = input[base + ch] - maxInRow;
                if (diff >= diffMin) {
                    int scaled = QuantizedMath.multiplyByQuantizedMultiplierGreaterThanOne(diff, multiplier, leftShift);
                    int exp = FixedPoint.expOnNegativeValues(scaled, SCALED_DIFF_INTEGER_BITS);
                    int unsat = QuantizedMath.roundingDivideByPot(
                            QuantizedMath.saturatingRoundingDoublingHighMul(recip.value(), exp), exponent);
                    output[base + ch] = (byte) QuantizedMath.clamp(unsat - 128, -128, 127);
                } else {
                    output[base + ch] = -128;
                }
            }
        }
    }

    static void runFloat(float[] input, float[] output, int outer, int depth, float beta) {
        for (int row = 0; row < outer; row++) {
            int base = row * depth;
            float max = -Float.MAX_VALUE;
            for (int ch = 0; ch < depth; ch++) {
                max = DeterministicMath.cmax(max, input[base + ch]);
            }
            float sum = 0.0f;
            for (int ch = 0; ch < depth; ch++) {
                float e = DeterministicMath.expf((input[base + ch] - max) * beta);
                output[base + ch] = e;
                sum += e;
            }
            for (int ch = 0; ch < depth; ch++) {
                output[base + ch] = output[base + ch] / sum;
            }
        }
    }
}
