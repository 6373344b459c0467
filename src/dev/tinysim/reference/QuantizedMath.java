package dev.tinysim.reference;

/**
 * TFLite's integer requantization primitives (kernels/internal/common.h, quantization_util.cc and
 * gemmlowp), in the default double-rounding flavour (not TFLITE_SINGLE_ROUNDING). Java int arithmetic
 * wraps exactly like the C code compiled for Cortex-M, so the expressions are written as in C.
 */
public final class QuantizedMath {

    private QuantizedMath() {
    }

    /** A quantized multiplier: {@code real ~= multiplier * 2^(shift - 31)}. */
    public record Multiplier(int multiplier, int shift) {
    }

    /** TFLite's QuantizeMultiplier: frexp, round the Q31 significand half away from zero, fix up 2^31. */
    public static Multiplier quantizeMultiplier(double real) {
        if (real == 0.0) {
            return new Multiplier(0, 0);
        }
        Frexp f = frexp(real);
        long qFixed = (long) DeterministicMath.roundHalfAway(f.fraction() * (1L << 31));
        int shift = f.exponent();
        if (qFixed > (1L << 31) || qFixed < -(1L << 31)) {
            throw new IllegalStateException("QuantizeMultiplier: significand out of range for " + real);
        }
        if (qFixed == (1L << 31)) {
            qFixed /= 2;
            shift++;
        }
        if (shift < -31) {
            shift = 0;
            qFixed = 0;
        }
        return new Multiplier((int) qFixed, shift);
    }

    /** std::frexp: {@code value = fraction * 2^exponent}, 0.5 <= |fraction| < 1. */
    public record Frexp(double fraction, int exponent) {
    }

    public static Frexp frexp(double value) {
        if (value == 0.0 || Double.isNaN(value) || Double.isInfinite(value)) {
            return new Frexp(value, 0);
        }
        int exponent = Math.getExponent(value);
        if (exponent == Double.MIN_EXPONENT - 1) {
            // Subnormal: scale into the normal range (exactly), then undo the scaling in the exponent.
            Frexp scaled = frexp(value * 0x1p54);
            return new Frexp(scaled.fraction(), scaled.exponent() - 54);
        }
        return new Frexp(Math.scalb(value, -exponent - 1), exponent + 1);
    }

    /** gemmlowp SaturatingRoundingDoublingHighMul for int32. */
    public static int saturatingRoundingDoublingHighMul(int a, int b) {
        if (a == b && a == Integer.MIN_VALUE) {
            return Integer.MAX_VALUE;
        }
        long ab = (long) a * (long) b;
        long nudge = ab >= 0 ? (1L << 30) : (1L - (1L << 30));
        return (int) ((ab + nudge) / (1L << 31));
    }

    /** gemmlowp RoundingDivideByPOT: arithmetic shift right rounding to nearest, ties away from zero. */
    public static int roundingDivideByPot(int x, int exponent) {
        if (exponent < 0 || exponent > 31) {
            throw new IllegalArgumentException("exponent " + exponent);
        }
        int mask = (int) ((1L << exponent) - 1);
        int remainder = x & mask;
        int threshold = (mask >> 1) + (x < 0 ? 1 : 0);
        return (x >> exponent) + (remainder > threshold ? 1 : 0);
    }

    /** TFLite MultiplyByQuantizedMultiplier (int32 overload, double rounding). */
    public static int multiplyByQuantizedMultiplier(int x, int multiplier, int shift) {
        int leftShift = shift > 0 ? shift : 0;
        int rightShift = shift > 0 ? 0 : -shift;
        return roundingDivideByPot(saturatingRoundingDoublingHighMul(x * (1 << leftShift), multiplier), rightShift);
    }

    /**
     * TFLite MultiplyByQuantizedMultiplier (int64 overload, double-rounding build), used by the 16x8 kernels:
     * the multiplier is reduced to 16 bits ({@code (m + 2^15) >> 16}, 0x7FFF from 0x7FFF0000 up), then
     * {@code (x * reduced + 2^(14 - shift)) >> (15 - shift)} truncated to int32. Defined for shift in [-31, 7]
     * (TFLite asserts it; callers reject larger shifts); the long arithmetic wraps as the C int64 code does.
     */
    public static int multiplyByQuantizedMultiplier(long x, int multiplier, int shift) {
        if (shift < -31 || shift > 7) {
            throw new IllegalArgumentException("shift " + shift);
        }
        long reduced = multiplier < 0x7FFF0000 ? (multiplier + (1 << 15)) >> 16 : 0x7FFF;
        int totalShift = 15 - shift;
        long v = x * reduced + (1L << (totalShift - 1));
        return (int) (v >> totalShift);
    }

    public static int multiplyByQuantizedMultiplier(int x, Multiplier m) {
        return multiplyByQuantizedMultiplier(x, m.multiplier(), m.shift());
    }

    /** MultiplyByQuantizedMultiplierGreaterThanOne: left shift (wrapping) then high multiply. */
    public static int multiplyByQuantizedMultiplierGreaterThanOne(int x, int multiplier, int leftShift) {
        return saturatingRoundingDoublingHighMul(x * (1 << leftShift), multiplier);
    }

    /** TFLite CalculateInputRadius: floor of the largest input that does not saturate after rescaling. */
    public static int calculateInputRadius(int inputIntegerBits, int inputLeftShift) {
        double maxInputRescaled = 1.0 * ((1 << inputIntegerBits) - 1)
                * (double) (1L << (31 - inputIntegerBits)) / (double) (1L << inputLeftShift);
        return (int) Math.floor(maxInputRescaled);
    }

    public static int clamp(int v, int lo, int hi) {
        return v < lo ? lo : (v > hi ? hi : v);
    }
}
