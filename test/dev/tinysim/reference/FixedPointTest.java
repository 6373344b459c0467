package dev.tinysim.reference;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** gemmlowp fixed-point functions against the real functions they approximate. */
class FixedPointTest {

    @Test
    void expOnNegativeValuesApproximatesExp() {
        for (int integerBits : new int[] {4, 5}) {
            double unit = Math.pow(2, 31 - integerBits);
            for (double x = -15.9; x <= 0; x += 0.01) {
                int raw = (int) Math.round(x * unit);
                double got = FixedPoint.expOnNegativeValues(raw, integerBits) / 0x1p31;
                assertEquals(Math.exp(raw / unit), got, 2e-8 + 1e-6 * Math.exp(x), "exp(" + x + ")");
            }
            assertEquals(Integer.MAX_VALUE, FixedPoint.expOnNegativeValues(0, integerBits));
        }
    }

    @Test
    void logisticApproximatesTheSigmoid() {
        double unit = 0x1p27;
        for (double x = -15.9; x < 15.9; x += 0.013) {
            int raw = (int) Math.round(x * unit);
            double got = FixedPoint.logistic(raw, 4) / 0x1p31;
            assertEquals(1 / (1 + Math.exp(-raw / unit)), got, 2e-7, "logistic(" + x + ")");
        }
        assertEquals(1 << 30, FixedPoint.logistic(0, 4));
    }

    @Test
    void reciprocalOfAQ12Value() {
        // 3.0 in Q12.19 -> 1/3 = recip * 2^-(numBitsOverUnit) with recip in Q0.
        FixedPoint.Reciprocal r = FixedPoint.reciprocal(3 << 19, 12);
        assertEquals(1.0 / 3, r.value() / 0x1p31 / Math.pow(2, r.numBitsOverUnit()), 1e-8);
    }
}
