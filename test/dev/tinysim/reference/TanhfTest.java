package dev.tinysim.reference;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link DeterministicMath#tanhf}: accuracy against the correctly rounded tanh, its special values, and a
 * digest over a sweep of all float bit patterns that the C runtime's ts_tanhf must reproduce
 * (firmware-images/runtime/host/test_sequence.c holds the same constant).
 */
class TanhfTest {

    private static long ulps(float got, float want) {
        return Math.abs((long) Float.floatToRawIntBits(got) - Float.floatToRawIntBits(want));
    }

    @Test
    void withinOneUlpOfTheCorrectlyRoundedResult() {
        long worst = 0;
        long exact = 0;
        long n = 0;
        // every 61st float from 2^-14 to 12 (below 2^-14 tanh(x) rounds to x; above 9.1 to 1)
        for (int b = Float.floatToRawIntBits(0x1p-14f); b <= Float.floatToRawIntBits(12f); b += 61) {
            float x = Float.intBitsToFloat(b);
            long e = ulps(DeterministicMath.tanhf(x), (float) Math.tanh(x));
            worst = Math.max(worst, e);
            exact += e == 0 ? 1 : 0;
            n++;
            assertEquals(-DeterministicMath.tanhf(x), DeterministicMath.tanhf(-x), "odd at " + x);
        }
        assertTrue(worst <= 1, "worst " + worst + " ulp");
        assertTrue(exact > n * 95 / 100, exact + " of " + n + " exact");
    }

    @Test
    void specialValues() {
        assertEquals(0.0f, DeterministicMath.tanhf(0.0f));
        assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(DeterministicMath.tanhf(-0.0f)));
        assertEquals(1.0f, DeterministicMath.tanhf(9.1f));
        assertEquals(-1.0f, DeterministicMath.tanhf(Float.NEGATIVE_INFINITY));
        assertEquals(1e-30f, DeterministicMath.tanhf(1e-30f));
        assertTrue(Float.isNaN(DeterministicMath.tanhf(Float.NaN)));
        // the two branches meet without a step: tanh(0.625) = 0.5546...
        float below = DeterministicMath.tanhf(Math.nextDown(0.625f));
        float at = DeterministicMath.tanhf(0.625f);
        assertTrue(at >= below && ulps(at, below) <= 2, below + " " + at);
    }

    @Test
    void logisticfIsTheFloatLogisticFormula() {
        assertEquals(0.5f, DeterministicMath.logisticf(0f));
        assertEquals(1.0f, DeterministicMath.logisticf(16.7f));
        assertEquals(DeterministicMath.expf(-10f), DeterministicMath.logisticf(-10f));
        assertEquals(1.0f / (1.0f + DeterministicMath.expf(-1f)), DeterministicMath.logisticf(1f));
    }

    @Test
    void digestOfASweepOfAllFloatsEqualsTheCRuntimes() {
        int h = 0x811c9dc5;
        for (long u = 0; u < (1L << 32); u += 65521) {
            int b = Float.floatToRawIntBits(DeterministicMath.tanhf(Float.intBitsToFloat((int) u)));
            for (int k = 0; k < 4; k++) {
                h = (h ^ ((b >> (8 * k)) & 0xFF)) * 16777619;
            }
        }
        assertEquals(0x6fecbded, h);
    }
}
