package dev.tinysim.reference;

import dev.tinysim.tflite.TensorType;

/**
 * RSQRT. float32: {@code 1 / sqrt(x)} (sqrt is correctly rounded everywhere; a negative x gives the Arm
 * default NaN explicitly). int8 (TFLM elementwise.cc RsqrtEvalQuantized): 1/sqrt of the offset input in
 * fixed point (GetInvSqrtQuantizedMultiplierExp), times 1 / (sqrt(in scale) * out scale); 0 gives 127; an
 * input below the zero point fails at run time, as in TFLM.
 */
final class RsqrtKernel {

    private RsqrtKernel() {
    }

    private static final float ARM_DEFAULT_NAN = Float.intBitsToFloat(0x7fc00000);

    static Kernel create(OpContext c) {
        UnaryOperand u = UnaryOperand.of(c, TensorType.INT8, TensorType.FLOAT32);
        if (u.in().type() == TensorType.FLOAT32) {
            return u.floats(RsqrtKernel::rsqrtFloat);
        }
        float inScale = c.scale(u.in(), "input");
        float outScale = c.scale(u.out(), "output");
        int zpIn = c.zeroPoint(u.in(), "input");
        int zpOut = c.zeroPoint(u.out(), "output");
        QuantizedMath.Multiplier m = ElementwiseMath.multiplier(c,
                1.0 / (Math.sqrt((double) inScale) * (double) outScale), "RSQRT");
        if (m.shift() - 20 < -31) {
            throw c.fail("RSQRT multiplier " + (1.0 / (Math.sqrt((double) inScale) * (double) outScale))
                    + " is below 2^-12");
        }
        final int shift = 20; // keeps the reciprocal square root an integer
        String name = c.name;
        int index = c.index;
        return u.ints(q -> {
            int v = q - zpIn;
            if (v < 0) {
                throw new KernelFailureException(name + " (operator " + index + "): input " + q
                        + " is below the zero point " + zpIn + "; RSQRT is only defined for non-negative values");
            }
            if (v == 0) {
                return 127;
            }
            int[] inv = ElementwiseMath.invSqrtQuantizedMultiplierExp(v, -1);
            int data = QuantizedMath.multiplyByQuantizedMultiplier(1, inv[0], inv[1] + shift);
            int r = QuantizedMath.multiplyByQuantizedMultiplier(data, m.multiplier(), m.shift() - shift) + zpOut;
            return QuantizedMath.clamp(r, -128, 127);
        });
    }

    static float rsqrtFloat(float x) {
        if (x != x) {
            return x;
        }
        if (x < 0.0f) {
            return ARM_DEFAULT_NAN;
        }
        return 1.0f / (float) Math.sqrt(x);
    }
}
