package dev.tinysim.reference;

import dev.tinysim.text.Printable;

/**
 * TFLite's integer helpers of the elementwise operators (kernels/internal/common.h,
 * quantization_util.cc, reference/hard_swish.h) that the int8 paths of DIV, HARD_SWISH, LEAKY_RELU and
 * RSQRT use beyond {@link QuantizedMath}; written as the C runtime computes them on a Cortex-M
 * (docs/inference-semantics.md, "Elementwise and activation operators").
 */
final class ElementwiseMath {

    private ElementwiseMath() {
    }

    /**
     * TFLite QuantizeMultiplier of a positive (or zero) multiplier, rejecting what the firmware rejects
     * (docs/inference-semantics.md §10): a negative or non-finite multiplier, a shift above 30.
     */
    static QuantizedMath.Multiplier multiplier(OpContext c, double real, String what) {
        if (!(real >= 0.0 && real < 1.0e300)) {
            throw c.fail(what + " multiplier " + real + " is not a non-negative finite number");
        }
        QuantizedMath.Multiplier m = QuantizedMath.quantizeMultiplier(real);
        if (m.shift() > 30) {
            throw c.fail(what + " multiplier " + real + " needs a left shift above 30");
        }
        return m;
    }

    /**
     * TFLite QuantizeMultiplier for a multiplier of any sign (LEAKY_RELU's alpha): a negative one rounds
     * like its magnitude, except that a significand rounding to -2^31 is kept as INT32_MIN (TFLite fixes
     * up only +2^31), where the magnitude's quantization made that fix-up.
     */
    static QuantizedMath.Multiplier multiplierSigned(OpContext c, double real, String what) {
        if (!(real < 0.0)) {
            return multiplier(c, real, what);
        }
        QuantizedMath.Multiplier m = multiplier(c, -real, what);
        if (m.multiplier() == (1 << 30) && -real != Math.scalb(1.0, m.shift() - 1)) {
            return new QuantizedMath.Multiplier(Integer.MIN_VALUE, m.shift() - 1);
        }
        return new QuantizedMath.Multiplier(-m.multiplier(), m.shift());
    }

    /** QuantizeMultiplierSmallerThanOneExp: 0 < real < 1 and a shift <= 0 (TFLite's CHECKs). */
    static QuantizedMath.Multiplier multiplierSmallerThanOne(OpContext c, double real, String what) {
        if (!(real > 0.0 && real < 1.0)) {
            throw c.fail(what + " multiplier " + real + " is not in (0, 1)");
        }
        QuantizedMath.Multiplier m = QuantizedMath.quantizeMultiplier(real);
        if (m.shift() > 0) {
            throw c.fail(what + " multiplier " + real + " rounds to 1");
        }
        return m;
    }

    /** Zero point of a quantized int16 tensor; {@code mustBeZero}: TFLite's symmetric 16x8 requirement. */
    static int zeroPoint16(OpContext c, dev.tinysim.tflite.Tensor t, String role, boolean mustBeZero) {
        c.scale(t, role);
        long zp = t.quantization().zeroPoint().isEmpty() ? 0 : t.quantization().zeroPoint().get(0);
        if (mustBeZero ? zp != 0 : (zp < -32768 || zp > 32767)) {
            throw c.fail(role + " '" + Printable.name(t.name()) + "' has zero point " + zp
                    + (mustBeZero ? "; int16 activations must have zero point 0" : ", outside the int16 range"));
        }
        return (int) zp;
    }

    /**
     * gemmlowp RoundingDivideByPOT for any exponent >= 0. Up to 31 it is {@link
     * QuantizedMath#roundingDivideByPot}; above (outside gemmlowp's asserted range, reached by int8 DIV)
     * the C code on a Cortex-M makes the mask all ones and the shift leaves the sign: x >= 0 ? 1 : -1.
     */
    static int roundingDivideByPotWide(int x, int exponent) {
        if (exponent <= 31) {
            return QuantizedMath.roundingDivideByPot(x, exponent);
        }
        return x >= 0 ? 1 : -1;
    }

    /** TFLite CheckedLog2 with {@link DeterministicMath#logf} for std::log: {log2 rounded, 1 if within 0.1 %}. */
    static int[] checkedLog2(float x) {
        float xLog2 = DeterministicMath.logf(x) * (1.0f / DeterministicMath.logf(2.0f));
        float rounded = DeterministicMath.roundHalfAway(xLog2);
        float frac = xLog2 - rounded;
        return new int[] {(int) rounded, Math.abs(frac) < 1e-3f ? 1 : 0};
    }

    /**
     * int16 LOGISTIC and TANH parameters (TFLM logistic_common.cc / tanh.cc): zero points 0, output scale
     * 2^-15; input scale 2^-12 (TANH also 2^-11) is TFLite's power-of-two case, multiplier 0; otherwise
     * scale * 3 * 4096 doubled until above 2^14 - 0.5, truncated. {multiplier, left shift}.
     */
    static int[] int16ActivationParams(OpContext c, dev.tinysim.tflite.Tensor in, dev.tinysim.tflite.Tensor out,
                                       boolean tanh) {
        zeroPoint16(c, in, "input", true);
        zeroPoint16(c, out, "output", true);
        int[] log2In = checkedLog2(c.scale(in, "input"));
        int leftShift = (15 - 3) + log2In[0];
        boolean pot = log2In[1] == 1 && (leftShift == 0 || (tanh && leftShift == 1));
        int multiplier = 0;
        if (!pot) {
            double m = (double) c.scale(in, "input") * 4096.0 * 3.0;
            leftShift = 0;
            while (m <= 32767.0 / 2.0 && leftShift <= 30) {
                leftShift++;
                m = m * 2.0;
            }
            if (!(m < 2147483648.0)) {
                throw c.fail("input scale " + c.scale(in, "input") + " is too large for the int16 table");
            }
            multiplier = (int) m;
        }
        int[] log2Out = checkedLog2(c.scale(out, "output"));
        if (log2Out[1] != 1 || log2Out[0] != -15) {
            throw c.fail("int16 output '" + Printable.name(out.name()) + "' must have scale 2^-15 (has " + c.scale(out, "output") + ")");
        }
        return new int[] {multiplier, leftShift};
    }

    /** TFLite CountLeadingSignBits for int32 (GCC's __builtin_clrsb; 31 for 0 and -1). */
    static int countLeadingSignBits(int x) {
        return (x >= 0 ? Integer.numberOfLeadingZeros(x) : Integer.numberOfLeadingZeros(~x)) - 1;
    }

    /** gemmlowp SaturatingRoundingDoublingHighMul for int16. */
    static short srdhm16(short a, short b) {
        if (a == b && a == Short.MIN_VALUE) {
            return Short.MAX_VALUE;
        }
        int ab = a * b;
        int nudge = ab >= 0 ? (1 << 14) : (1 - (1 << 14));
        return (short) ((ab + nudge) / (1 << 15));
    }

    /** TFLite's SaturatingDoublingHighMul (reference/hard_swish.h): like SQDMULH, rounding toward zero. */
    static short sdhm16(short a, short b) {
        if (a == b && a == Short.MIN_VALUE) {
            return Short.MAX_VALUE;
        }
        return (short) ((a * b) / (1 << 15));
    }

    /** gemmlowp RoundingDivideByPOT on int16, 0 <= exponent <= 31 (above 15 the int16 mask is all ones). */
    static short roundingDivideByPot16(short x, int exponent) {
        if (exponent < 0 || exponent > 31) {
            throw new IllegalArgumentException("exponent " + exponent);
        }
        short mask = (short) ((1L << exponent) - 1);
        short remainder = (short) (x & mask);
        short threshold = (short) ((mask >> 1) + (x < 0 ? 1 : 0));
        return (short) ((x >> exponent) + (remainder > threshold ? 1 : 0));
    }

    /** TFLite SaturatingLeftShift (reference/hard_swish.h) on int16. */
    static short saturatingLeftShift16(short value, int amount) {
        long r = (long) value * (1L << amount);
        return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, r));
    }

    /** TFLite DownScaleInt32ToInt16Multiplier. */
    static short downScaleInt32ToInt16Multiplier(int multiplier) {
        if (multiplier >= Integer.MAX_VALUE - (1 << 15)) {
            return Short.MAX_VALUE;
        }
        return (short) ((multiplier + (1 << 15)) >> 16);
    }

    /** TFLite GetInvSqrtQuantizedMultiplierExp: {multiplier, shift}. */
    static int[] invSqrtQuantizedMultiplierExp(int input, int reverseShift) {
        if (input <= 1) {
            return new int[] {Integer.MAX_VALUE, 0};
        }
        int shift = 11;
        while (input >= (1 << 29)) {
            input /= 4;
            shift++;
        }
        int maxLeftShiftBits = Integer.numberOfLeadingZeros(input) - 1;
        int leftShiftBitPairs = maxLeftShiftBits / 2 - 1;
        shift -= leftShiftBitPairs;
        input <<= 2 * leftShiftBitPairs;
        int halfInput = QuantizedMath.roundingDivideByPot(input >> 1, 1); // F3
        final int halfThree = (1 << 28) + (1 << 27); // 1.5 in F3
        int x = 1 << 28; // F3 One
        for (int i = 0; i < 5; i++) {
            int x3 = FixedPoint.rescale(mul(mul(x, x), x), 9, 3);
            x = FixedPoint.rescale(mul(halfThree, x) - mul(halfInput, x3), 6, 3);
        }
        x = mul(x, 1518500250); // sqrt(2) / 2
        if (shift < 0) {
            x <<= -shift;
            shift = 0;
        }
        return new int[] {x, shift * reverseShift};
    }

    private static int mul(int a, int b) {
        return QuantizedMath.saturatingRoundingDoublingHighMul(a, b);
    }
}
