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
        // the runtime's ts_quantize_multiplier refuses these (bad-quantization "multiplier") at load: so does this
        if (Double.isNaN(real) || Double.isInfinite(real) || Math.abs(real) >= 1.0e300) {
            throw new IllegalArgumentException("quantization multiplier " + real + " is not a finite number");
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
        if (shift > 30) {
            throw new IllegalArgumentException("quantization multiplier " + real + " is 2^30 or more (scales out of proportion)");
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

    /**
     * TFLite's {@code sigmoid_table_uint16} (kernels/internal/common.h; the same values as CMSIS-NN's
     * arm_nntables.c): sigmoid(i/24) in Q0.16 for i = 0..255. Data, not a formula: a few entries are one
     * above round(65536 * sigmoid(i/24)). Must equal {@code ts_sigmoid_table} in ts_quant.c.
     */
    static final int[] SIGMOID_TABLE = {
        32768, 33451, 34133, 34813, 35493, 36169, 36843, 37513, 38180, 38841, 39498, 40149, 40794, 41432, 42064, 42688,
        43304, 43912, 44511, 45102, 45683, 46255, 46817, 47369, 47911, 48443, 48964, 49475, 49975, 50464, 50942, 51409,
        51865, 52311, 52745, 53169, 53581, 53983, 54374, 54755, 55125, 55485, 55834, 56174, 56503, 56823, 57133, 57433,
        57724, 58007, 58280, 58544, 58800, 59048, 59288, 59519, 59743, 59959, 60168, 60370, 60565, 60753, 60935, 61110,
        61279, 61441, 61599, 61750, 61896, 62036, 62172, 62302, 62428, 62549, 62666, 62778, 62886, 62990, 63090, 63186,
        63279, 63368, 63454, 63536, 63615, 63691, 63765, 63835, 63903, 63968, 64030, 64090, 64148, 64204, 64257, 64308,
        64357, 64405, 64450, 64494, 64536, 64576, 64614, 64652, 64687, 64721, 64754, 64786, 64816, 64845, 64873, 64900,
        64926, 64950, 64974, 64997, 65019, 65039, 65060, 65079, 65097, 65115, 65132, 65149, 65164, 65179, 65194, 65208,
        65221, 65234, 65246, 65258, 65269, 65280, 65291, 65301, 65310, 65319, 65328, 65337, 65345, 65352, 65360, 65367,
        65374, 65381, 65387, 65393, 65399, 65404, 65410, 65415, 65420, 65425, 65429, 65433, 65438, 65442, 65445, 65449,
        65453, 65456, 65459, 65462, 65465, 65468, 65471, 65474, 65476, 65479, 65481, 65483, 65485, 65488, 65489, 65491,
        65493, 65495, 65497, 65498, 65500, 65501, 65503, 65504, 65505, 65507, 65508, 65509, 65510, 65511, 65512, 65513,
        65514, 65515, 65516, 65517, 65517, 65518, 65519, 65520, 65520, 65521, 65522, 65522, 65523, 65523, 65524, 65524,
        65525, 65525, 65526, 65526, 65526, 65527, 65527, 65528, 65528, 65528, 65529, 65529, 65529, 65529, 65530, 65530,
        65530, 65530, 65531, 65531, 65531, 65531, 65531, 65532, 65532, 65532, 65532, 65532, 65532, 65533, 65533, 65533,
        65533, 65533, 65533, 65533, 65533, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65535};

    /**
     * The resolved rescaling of TFLite's int16 Logistic/Tanh: {@code (x * multiplier + rounding) >> leftShift}.
     * TFLite's "power of two" case (a zero multiplier) becomes {@code 3 << leftShift} with no shift.
     */
    public record Int16Rescale(int multiplier, int leftShift, int rounding) {
        public static Int16Rescale of(int inputMultiplier, int inputLeftShift) {
            if (inputLeftShift < 0 || inputLeftShift > 31) {
                throw new IllegalArgumentException("input left shift " + inputLeftShift);
            }
            int m = inputMultiplier;
            int s = inputLeftShift;
            if (m == 0) {
                m = 3 << s;
                s = 0;
            }
            return new Int16Rescale(m, s, s > 0 ? 1 << (s - 1) : 0);
        }

        public int apply(int x) {
            return (x * multiplier + rounding) >> leftShift;
        }
    }

    /**
     * TFLite reference_integer_ops::Logistic for int16 (one element): input Q3.12 after the rescale, output
     * Q0.15, by linear interpolation in {@link #SIGMOID_TABLE}. C: {@code ts_logistic_s16_one}.
     */
    public static short logisticInt16(short x, Int16Rescale r) {
        int v = r.apply(x);
        long av = Math.abs((long) v);
        long uh = av >> 9;
        long result;
        if (uh >= 255) {
            result = 0x7FFFL << 10;
        } else {
            long ua = SIGMOID_TABLE[(int) uh];
            long ub = SIGMOID_TABLE[(int) uh + 1];
            result = (ua << 9) + (av & 0x1FF) * (ub - ua);
        }
        result = v >= 0 ? result + (1 << 9) : (1L << 25) - result + (1 << 9) - 1;
        return (short) ((result & 0xFFFFFFFFL) >>> 10);
    }

    /** TFLite reference_integer_ops::Tanh for int16 (one element): Q3.12 in, Q0.15 out. C: {@code ts_tanh_s16_one}. */
    public static short tanhInt16(short x, Int16Rescale r) {
        int v = r.apply(x);
        long av = Math.abs((long) v);
        long uh = av >> 8;
        int result;
        if (uh >= 255) {
            result = 0xFFFF << 8;
        } else {
            long ua = SIGMOID_TABLE[(int) uh];
            long ub = SIGMOID_TABLE[(int) uh + 1];
            result = (int) ((ua << 8) + (av & 0xFF) * (ub - ua));
        }
        result = v >= 0 ? result - (1 << 23) + (1 << 7) : -result + (1 << 23) + (1 << 7) - 1;
        return (short) (result >> 8);
    }

    /** TFLite reference_integer_ops::Logistic (int16 overload) over an array; in place allowed. C: {@code ts_logistic_s16}. */
    public static void logisticInt16(int inputMultiplier, int inputLeftShift, short[] in, short[] out) {
        Int16Rescale r = Int16Rescale.of(inputMultiplier, inputLeftShift);
        for (int i = 0; i < in.length; i++) {
            out[i] = logisticInt16(in[i], r);
        }
    }

    /** TFLite reference_integer_ops::Tanh (int16 overload) over an array; in place allowed. C: {@code ts_tanh_s16}. */
    public static void tanhInt16(int inputMultiplier, int inputLeftShift, short[] in, short[] out) {
        Int16Rescale r = Int16Rescale.of(inputMultiplier, inputLeftShift);
        for (int i = 0; i < in.length; i++) {
            out[i] = tanhInt16(in[i], r);
        }
    }

    public static int clamp(int v, int lo, int hi) {
        return v < lo ? lo : (v > hi ? hi : v);
    }
}
