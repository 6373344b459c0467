package dev.tinysim.reference;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeterministicMathTest {

    /** Distance in ulps from the correctly rounded float of the exact exp (Math.exp is within 1 ulp in double). */
    private static long ulpError(float x) {
        float got = DeterministicMath.expf(x);
        float want = (float) Math.exp(x);
        return Math.abs((long) Float.floatToIntBits(got) - Float.floatToIntBits(want));
    }

    @Test
    void expfIsWithinTwoUlpsOverItsWholeRange() {
        long worst = 0;
        float worstX = 0;
        int n = 2_000_000;
        for (int i = 0; i <= n; i++) {
            float x = -87.0f + (88.7228f + 87.0f) * i / n;
            long e = ulpError(x);
            if (e > worst) {
                worst = e;
                worstX = x;
            }
        }
        // Every 997th float in [-1, 0), where softmax's largest terms live, and tiny arguments near 0.
        for (int bits = Float.floatToIntBits(-Float.MIN_VALUE); bits <= Float.floatToIntBits(-1.0f); bits += 997) {
            worst = Math.max(worst, ulpError(Float.intBitsToFloat(bits)));
        }
        assertTrue(worst <= 2, "worst error " + worst + " ulp at " + worstX);
    }

    @Test
    void expfSpecialValues() {
        assertEquals(1.0f, DeterministicMath.expf(0.0f));
        assertEquals(1.0f, DeterministicMath.expf(-0.0f));
        assertEquals(0.0f, DeterministicMath.expf(-87.5f));
        assertEquals(0.0f, DeterministicMath.expf(Float.NEGATIVE_INFINITY));
        assertEquals(Float.POSITIVE_INFINITY, DeterministicMath.expf(88.73f));
        assertEquals(Float.POSITIVE_INFINITY, DeterministicMath.expf(Float.POSITIVE_INFINITY));
        assertTrue(Float.isNaN(DeterministicMath.expf(Float.NaN)));
        assertTrue(Float.isFinite(DeterministicMath.expf(DeterministicMath.HI_LIMIT)));
        assertEquals(2.7182817f, DeterministicMath.expf(1.0f));
    }

    @Test
    void constantsAreTheDocumentedValues() {
        assertEquals(0.693145751953125f, DeterministicMath.LN2_HI);
        assertEquals(Math.log(2) - 0.693145751953125, DeterministicMath.LN2_LO, 1e-13);
        assertEquals((float) (1 / Math.log(2)), DeterministicMath.LOG2E);
        assertEquals(1f / 6, DeterministicMath.C3);
        assertEquals(1f / 24, DeterministicMath.C4);
        assertEquals(1f / 120, DeterministicMath.C5);
        assertEquals(1f / 720, DeterministicMath.C6);
        assertEquals(1f / 5040, DeterministicMath.C7);
    }

    @Test
    void minMaxFollowCppSemantics() {
        assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(DeterministicMath.cmax(-0.0f, 0.0f)));
        assertEquals(Float.floatToRawIntBits(0.0f), Float.floatToRawIntBits(DeterministicMath.cmax(0.0f, -0.0f)));
        assertTrue(Float.isNaN(DeterministicMath.cmax(Float.NaN, 1f)));
        assertEquals(1f, DeterministicMath.cmax(1f, Float.NaN));
        assertEquals(Float.MAX_VALUE, DeterministicMath.clamp(Float.POSITIVE_INFINITY, -Float.MAX_VALUE, Float.MAX_VALUE));
    }

    @Test
    void roundHalfAwayIsCRound() {
        assertEquals(3.0, DeterministicMath.roundHalfAway(2.5));
        assertEquals(-3.0, DeterministicMath.roundHalfAway(-2.5));
        assertEquals(0.0, DeterministicMath.roundHalfAway(0.49999999999999994));
        assertEquals(-2.0f, DeterministicMath.roundHalfAway(-1.5f));
        assertEquals(8388609.0f, DeterministicMath.roundHalfAway(8388609.0f));
    }
}
