package dev.tinysim.reference;

import static dev.tinysim.reference.QuantizedMath.roundingDivideByPot;
import static dev.tinysim.reference.QuantizedMath.saturatingRoundingDoublingHighMul;

/**
 * gemmlowp's scalar int32 fixed-point functions (fixedpoint/fixedpoint.h) used by TFLite's int8
 * SOFTMAX and LOGISTIC. Values are raw int32; "Qk" means k integer bits and 31-k fractional bits.
 * Additions wrap like gemmlowp's plain int32 Add.
 */
final class FixedPoint {

    private FixedPoint() {
    }

    /** SaturatingRoundingMultiplyByPOT: saturating left shift (e > 0) or rounding right shift (e < 0). */
    static int saturatingRoundingMultiplyByPot(int x, int exponent) {
        if (exponent == 0) {
            return x;
        }
        if (exponent < 0) {
            return roundingDivideByPot(x, -exponent);
        }
        int threshold = (1 << (31 - exponent)) - 1;
        if (x > threshold) {
            return Integer.MAX_VALUE;
        }
        if (x < -threshold) {
            return Integer.MIN_VALUE;
        }
        return x << exponent;
    }

    /** Rescale from {@code srcIntegerBits} to {@code dstIntegerBits}. */
    static int rescale(int x, int srcIntegerBits, int dstIntegerBits) {
        return saturatingRoundingMultiplyByPot(x, srcIntegerBits - dstIntegerBits);
    }

    private static int mul(int a, int b) {
        return saturatingRoundingDoublingHighMul(a, b);
    }

    /** exp(a) for a in [-1/4, 0), Q0 in and out. */
    static int expOnIntervalBetweenNegativeOneQuarterAnd0Excl(int a) {
        final int constantTerm = 1895147668; // exp(-1/8)
        final int constantOneThird = 715827883;
        int x = a + (1 << 28); // a + 1/8
        int x2 = mul(x, x);
        int x3 = mul(x2, x);
        int x4 = mul(x2, x2);
        int x4Over4 = saturatingRoundingMultiplyByPot(x4, -2);
        int poly = saturatingRoundingMultiplyByPot(mul(x4Over4 + x3, constantOneThird) + x2, -1);
        return constantTerm + mul(constantTerm, x + poly);
    }

    private static final int[] BARREL_EXPONENTS = {-2, -1, 0, 1, 2, 3, 4};
    private static final int[] BARREL_MULTIPLIERS = {1672461947, 1302514674, 790015084, 290630308, 39332535,
            720401, 242};

    /** exp(a) for a <= 0, input Q{integerBits}, output Q0. */
    static int expOnNegativeValues(int a, int integerBits) {
        int fractionalBits = 31 - integerBits;
        int oneQuarter = 1 << (fractionalBits - 2);
        int mask = oneQuarter - 1;
        int aModQuarterMinusOneQuarter = (a & mask) - oneQuarter;
        int result = expOnIntervalBetweenNegativeOneQuarterAnd0Excl(rescale(aModQuarterMinusOneQuarter, integerBits, 0));
        int remainder = aModQuarterMinusOneQuarter - a;
        for (int i = 0; i < BARREL_EXPONENTS.length; i++) {
            int exponent = BARREL_EXPONENTS[i];
            if (integerBits > exponent) {
                int shiftAmount = fractionalBits + exponent;
                if ((remainder & (1 << shiftAmount)) != 0) {
                    result = mul(result, BARREL_MULTIPLIERS[i]);
                }
            }
        }
        if (integerBits > 5) {
            int clamp = -(1 << (36 - integerBits)); // -32.0
            if (a < clamp) {
                result = 0;
            }
        }
        if (a == 0) {
            result = Integer.MAX_VALUE; // One() in Q0
        }
        return result;
    }

    /** RoundingHalfSum for int32: (a + b) / 2 rounded away from zero, computed in 64 bits. */
    static int roundingHalfSum(int a, int b) {
        long sum = (long) a + (long) b;
        long sign = sum >= 0 ? 1 : -1;
        return (int) ((sum + sign) / 2);
    }

    /** 1 / (1 + a) for a in [0, 1), Q0 in and out (Newton-Raphson, 3 iterations). */
    static int oneOverOnePlusXForXIn01(int a) {
        return rescale(reciprocalOfOnePlusXQ2(a), 1, 0); // ExactMulByPot<-1> turns Q2 into Q1, then Rescale<0>
    }

    /** (1 - a) / (1 + a) for a in [0, 1), Q0 in and out (gemmlowp, for tanh). */
    static int oneMinusXOverOnePlusXForXIn01(int a) {
        return rescale(reciprocalOfOnePlusXQ2(a) - (1 << 29), 2, 0); // x - F2::One(), Rescale<0>
    }

    /** gemmlowp's Newton-Raphson division shared by the two above: 1 / (1 + a) as Q2.29. */
    private static int reciprocalOfOnePlusXQ2(int a) {
        int halfDenominator = roundingHalfSum(a, Integer.MAX_VALUE);
        final int constant48Over17 = 1515870810; // Q2
        final int constantNeg32Over17 = -1010580540; // Q2
        int x = constant48Over17 + mul(halfDenominator, constantNeg32Over17);
        final int oneQ2 = 1 << 29;
        for (int i = 0; i < 3; i++) {
            int halfDenominatorTimesX = mul(halfDenominator, x);
            int oneMinusHalfDenominatorTimesX = oneQ2 - halfDenominatorTimesX;
            x = x + rescale(mul(x, oneMinusHalfDenominatorTimesX), 4, 2);
        }
        return x;
    }

    /** gemmlowp tanh: input Q{integerBits}, output Q0. */
    static int tanh(int a, int integerBits) {
        if (a == 0) {
            return 0;
        }
        int n = a < 0 ? a : -a;
        // neg_tanh_on_negative_values: ExactMulByPot<1> keeps the raw value with one more integer bit
        int t = oneMinusXOverOnePlusXForXIn01(expOnNegativeValues(n, integerBits + 1));
        return a < 0 ? -t : t;
    }

    /**
     * TFLite log_x_for_x_greater_than_or_equal_to_1_impl: log of a positive Q{inputBits} value as
     * Q{outputBits} (the input read as Q0.31 with its power of two found by counting leading zeros).
     */
    static int logXGreaterThanOrEqualTo1(int input, int inputBits, int outputBits) {
        final int accumBits = outputBits + 1;
        final int log2 = 1488522236;
        final int sqrtSqrtHalf = 1805811301;
        final int sqrtHalf = 1518500250;
        final int oneQuarter = 536870912;
        final int alphaN = 117049297;
        final int alphaD = 127690142;
        final int alphaI = 1057819769;
        final int alphaF = 638450708;
        int shiftedQuarter = rescale(oneQuarter, 0, accumBits);
        int zaHeadroomPlus1 = Integer.numberOfLeadingZeros(input);
        int raTmp = saturatingRoundingMultiplyByPot(input, zaHeadroomPlus1 - 1);
        int raRaw = saturatingRoundingMultiplyByPot(mul(raTmp, sqrtHalf), 1);
        int zaPow2Adj = saturate((long) saturatingRoundingMultiplyByPot(inputBits - zaHeadroomPlus1, 31 - accumBits)
                + shiftedQuarter);
        int zb = mul(input, sqrtHalf);
        int zbHeadroom = Integer.numberOfLeadingZeros(zb) - 1;
        int rbRaw = saturatingRoundingMultiplyByPot(input, zbHeadroom);
        int zbPow2Adj = saturate((long) saturatingRoundingMultiplyByPot(inputBits - zbHeadroom, 31 - accumBits)
                - shiftedQuarter);
        int r = Math.min(raRaw, rbRaw);
        int zPow2Adj = Math.max(zaPow2Adj, zbPow2Adj);
        int p = roundingHalfSum(r, sqrtSqrtHalf);
        int q = r - sqrtSqrtHalf;
        q = q + q;
        int commonSq = mul(q, q);
        int num = mul(q, r) + mul(mul(q, commonSq), alphaN);
        int denomMinusOne = mul(p, alphaI + q + mul(alphaD, commonSq)) + mul(alphaF, q);
        int recipDenom = oneOverOnePlusXForXIn01(denomMinusOne);
        int numScaled = rescale(num, 0, accumBits);
        return rescale(mul(zPow2Adj, log2) + mul(numScaled, recipDenom), accumBits, outputBits);
    }

    private static int saturate(long v) {
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
    }

    /** logistic(a) = 1 / (1 + exp(-a)), input Q{integerBits}, output Q0. */
    static int logistic(int a, int integerBits) {
        if (a == 0) {
            return 1 << 30; // 0.5
        }
        boolean positive = a > 0;
        int absInput = positive ? a : -a;
        int resultIfPositive = oneOverOnePlusXForXIn01(expOnNegativeValues(-absInput, integerBits));
        return positive ? resultIfPositive : Integer.MAX_VALUE - resultIfPositive;
    }

    /** TFLite GetReciprocal: 1/x for a Q{integerDigits} x, as a Q0 value times 2^-numBitsOverUnit. */
    record Reciprocal(int value, int numBitsOverUnit) {
    }

    static Reciprocal reciprocal(int x, int xIntegerDigits) {
        int headroomPlusOne = Integer.numberOfLeadingZeros(x);
        int numBitsOverUnit = xIntegerDigits - headroomPlusOne;
        int shiftedSumMinusOne = (x << headroomPlusOne) - (1 << 31);
        return new Reciprocal(oneOverOnePlusXForXIn01(shiftedSumMinusOne), numBitsOverUnit);
    }
}
