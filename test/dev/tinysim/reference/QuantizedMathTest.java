package dev.tinysim.reference;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The integer primitives, checked against values derived by hand from their definitions. */
class QuantizedMathTest {

    @Test
    void quantizeMultiplierSplitsIntoQ31SignificandAndShift() {
        // 0.5 = 0.5 * 2^0 -> 2^30, shift 0;  1.0 = 0.5 * 2^1;  0.25 = 0.5 * 2^-1;  0.75 = 0.75 * 2^0.
        assertEquals(new QuantizedMath.Multiplier(1 << 30, 0), QuantizedMath.quantizeMultiplier(0.5));
        assertEquals(new QuantizedMath.Multiplier(1 << 30, 1), QuantizedMath.quantizeMultiplier(1.0));
        assertEquals(new QuantizedMath.Multiplier(1 << 30, -1), QuantizedMath.quantizeMultiplier(0.25));
        assertEquals(new QuantizedMath.Multiplier(1610612736, 0), QuantizedMath.quantizeMultiplier(0.75));
        assertEquals(new QuantizedMath.Multiplier(0, 0), QuantizedMath.quantizeMultiplier(0.0));
        // Just below 1.0: the significand rounds up to 2^31 and is folded back to 2^30 with shift + 1.
        assertEquals(new QuantizedMath.Multiplier(1 << 30, 1), QuantizedMath.quantizeMultiplier(1.0 - 0x1p-40));
        // Below 2^-32 everything is flushed to zero.
        assertEquals(new QuantizedMath.Multiplier(0, 0), QuantizedMath.quantizeMultiplier(0x1p-40));
    }

    @Test
    void frexpMatchesTheCDefinitionIncludingSubnormals() {
        assertEquals(new QuantizedMath.Frexp(0.5, 1), QuantizedMath.frexp(1.0));
        assertEquals(new QuantizedMath.Frexp(-0.75, 2), QuantizedMath.frexp(-3.0));
        assertEquals(new QuantizedMath.Frexp(0.5, -1073), QuantizedMath.frexp(Double.MIN_VALUE));
    }

    @Test
    void saturatingRoundingDoublingHighMul() {
        assertEquals(Integer.MAX_VALUE, QuantizedMath.saturatingRoundingDoublingHighMul(Integer.MIN_VALUE, Integer.MIN_VALUE));
        // (x * 2^30) / 2^31 = x / 2, rounded half up for positive and half away (via the nudge) for negative.
        assertEquals(2, QuantizedMath.saturatingRoundingDoublingHighMul(3, 1 << 30));
        assertEquals(-1, QuantizedMath.saturatingRoundingDoublingHighMul(-3, 1 << 30));
        assertEquals(-2, QuantizedMath.saturatingRoundingDoublingHighMul(-4, 1 << 30));
        assertEquals(1 << 29, QuantizedMath.saturatingRoundingDoublingHighMul(1 << 30, 1 << 30));
    }

    @Test
    void roundingDivideByPotRoundsHalfAwayFromZero() {
        assertEquals(3, QuantizedMath.roundingDivideByPot(5, 1)); // 2.5 -> 3
        assertEquals(-3, QuantizedMath.roundingDivideByPot(-5, 1)); // -2.5 -> -3
        assertEquals(2, QuantizedMath.roundingDivideByPot(9, 2)); // 2.25 -> 2
        assertEquals(-2, QuantizedMath.roundingDivideByPot(-9, 2));
        assertEquals(7, QuantizedMath.roundingDivideByPot(7, 0));
        assertEquals(-1, QuantizedMath.roundingDivideByPot(Integer.MIN_VALUE, 31));
    }

    @Test
    void multiplyByQuantizedMultiplierRoundsTwice() {
        // TFLite's double rounding: 1 * 0.25 becomes 1 (SRDHM rounds 0.5 up to 1, then 1/2 rounds away to 1),
        // where a single rounding would give 0. The firmware must reproduce this.
        QuantizedMath.Multiplier quarter = QuantizedMath.quantizeMultiplier(0.25);
        assertEquals(1, QuantizedMath.multiplyByQuantizedMultiplier(1, quarter));
        assertEquals(25, QuantizedMath.multiplyByQuantizedMultiplier(100, quarter));
        assertEquals(-25, QuantizedMath.multiplyByQuantizedMultiplier(-100, quarter));
        // Left shifts: 3 * 4 = 12.
        assertEquals(12, QuantizedMath.multiplyByQuantizedMultiplier(3, QuantizedMath.quantizeMultiplier(4.0)));
    }

    @Test
    void inputRadiusOfSoftmaxAndLogistic() {
        // floor((2^5 - 1) * 2^26 / 2^shift)
        assertEquals(31 << 6, QuantizedMath.calculateInputRadius(5, 20));
        assertEquals(15 << 7, QuantizedMath.calculateInputRadius(4, 20));
    }
}
