package dev.tinysim.reference;

import dev.tinysim.tflite.TensorType;
import dev.tinysim.text.Printable;

/**
 * LOG_SOFTMAX over the last dimension. float32 (reference_ops::LogSoftmax): {@code x - max - log(sum of
 * exp(x - max))} with {@link DeterministicMath#expf} and {@link DeterministicMath#logf}. int8 (TFLM
 * log_softmax.cc, reference_ops::LogSoftmaxQuantized): gemmlowp exp of the scaled differences summed in
 * Q12.19, its fixed-point log, the output in units of 16/256 with zero point 127.
 */
final class LogSoftmaxKernel {

    private static final int INPUT_INTEGER_BITS = 5;
    private static final int ACCUMULATION_INTEGER_BITS = 12;
    private static final int OUTPUT_INTEGER_BITS = 4;

    private LogSoftmaxKernel() {
    }

    static Kernel create(OpContext c) {
        UnaryOperand u = UnaryOperand.of(c, TensorType.INT8, TensorType.FLOAT32);
        if (u.in().rank() < 1) {
            throw c.fail("input '" + Printable.name(u.in().name()) + "' must have at least one dimension");
        }
        int depth = u.in().dim(u.in().rank() - 1);
        int outer = u.in().elementCount() / depth;
        if (u.in().type() == TensorType.FLOAT32) {
            return t -> runFloat(t.f32(u.i()), (float[]) ConvKernel.newOutput(t, u.o(), u.out()), outer, depth);
        }
        if (c.scale(u.out(), "output") != 16.0f / 256 || c.zeroPoint(u.out(), "output") != 127) {
            throw c.fail("int8 output must have scale 16/256 and zero point 127");
        }
        if (depth >= 4096) {
            throw c.fail("rows of " + depth + " elements; the int8 sum of exps (Q12.19) would wrap from 4096 on");
        }
        double real = Math.min(1.0 * (double) c.scale(u.in(), "input") * (double) (1 << (31 - INPUT_INTEGER_BITS)),
                (double) ((1L << 31) - 1));
        if (!(real > 1.0)) {
            throw c.fail("input scale is too small for the int8 log softmax (" + real + " <= 1)");
        }
        QuantizedMath.Multiplier input = ElementwiseMath.multiplier(c, real, "input");
        QuantizedMath.Multiplier reverse = ElementwiseMath.multiplierSmallerThanOne(c,
                (1 << (31 - input.shift())) / (double) input.multiplier(), "reverse scaling");
        int diffMin = -QuantizedMath.calculateInputRadius(INPUT_INTEGER_BITS, input.shift());
        return t -> runInt8(t.int8(u.i()), (byte[]) ConvKernel.newOutput(t, u.o(), u.out()), outer, depth, input,
                reverse, diffMin);
    }

    static void runInt8(byte[] x, byte[] y, int outer, int depth, QuantizedMath.Multiplier input,
                        QuantizedMath.Multiplier reverse, int diffMin) {
        for (int row = 0; row < outer; row++) {
            int base = row * depth;
            int max = -128;
            for (int k = 0; k < depth; k++) {
                max = Math.max(max, x[base + k]);
            }
            int sumOfExps = 0;
            for (int k = 0; k < depth; k++) {
                int diff = x[base + k] - max;
                if (diff >= diffMin) {
                    int diffQ5 = QuantizedMath.multiplyByQuantizedMultiplier(diff, input);
                    sumOfExps += FixedPoint.rescale(FixedPoint.expOnNegativeValues(diffQ5, INPUT_INTEGER_BITS), 0,
                            ACCUMULATION_INTEGER_BITS);
                }
            }
            int logSumQ5 = FixedPoint.logXGreaterThanOrEqualTo1(sumOfExps, ACCUMULATION_INTEGER_BITS,
                    INPUT_INTEGER_BITS);
            int shiftedLogSum = logSumQ5 + Integer.MIN_VALUE;
            int adjustedDiffMin = Math.max(diffMin - 1, QuantizedMath.multiplyByQuantizedMultiplier(shiftedLogSum,
                    reverse));
            for (int k = 0; k < depth; k++) {
                int diff = x[base + k] - max;
                if (diff > adjustedDiffMin) {
                    int diffQ5 = QuantizedMath.multiplyByQuantizedMultiplier(diff, input);
                    int v = QuantizedMath.roundingDivideByPot(diffQ5 - logSumQ5,
                            31 - INPUT_INTEGER_BITS - OUTPUT_INTEGER_BITS) + 127;
                    y[base + k] = (byte) QuantizedMath.clamp(v, -128, 127);
                } else {
                    y[base + k] = -128;
                }
            }
        }
    }

    static void runFloat(float[] x, float[] y, int outer, int depth) {
        for (int row = 0; row < outer; row++) {
            int base = row * depth;
            float max = -Float.MAX_VALUE;
            for (int k = 0; k < depth; k++) {
                max = DeterministicMath.cmax(max, x[base + k]);
            }
            float sum = 0.0f;
            for (int k = 0; k < depth; k++) {
                sum += DeterministicMath.expf(x[base + k] - max);
            }
            float logSum = DeterministicMath.logf(sum);
            for (int k = 0; k < depth; k++) {
                y[base + k] = x[base + k] - max - logSum;
            }
        }
    }
}
