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
        if (in.type() == TensorType.INT8) {
            c.requireType(out, "output", TensorType.INT8);
            if (c.zeroPoint(out, "output") != -128 || c.scale(out, "output") != 1.0f / 256) {
                throw c.fail("int8 output must have zero point -128 and scale 1/256");
            }
            double real = Math.min((double) beta * (double) c.scale(in, "input")
                    * (double) (1 << (31 - SCALED_DIFF_INTEGER_BITS)), (double) ((1L << 31) - 1));
            if (!(real > 1.0)) {
                throw c.fail("beta * input scale is too small for the int8 softmax (" + real + " <= 1)");
            }
            QuantizedMath.Multiplier m = QuantizedMath.quantizeMultiplier(real);
            int diffMin = -QuantizedMath.calculateInputRadius(SCALED_DIFF_INTEGER_BITS, m.shift());
            return t -> runInt8(t.int8(i), (byte[]) ConvKernel.newOutput(t, o, out), outer, depth, m.multiplier(),
                    m.shift(), diffMin);
        }
        c.requireType(in, "input", TensorType.FLOAT32);
        c.requireType(out, "output", TensorType.FLOAT32);
        return t -> runFloat(t.f32(i), (float[]) ConvKernel.newOutput(t, o, out), outer, depth, beta);
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
