package dev.tinysim.reference;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TFLite's int16 logistic and tanh (reference_integer_ops::Logistic / Tanh, int16 overloads) as
 * {@link QuantizedMath} implements them: values derived by hand from the table, the accuracy against the
 * real functions over every int16 input, and digests of all 65536 outputs that the C runtime's host test
 * (firmware-images/runtime/host/test_sequence.c) checks too, so both sides compute the same bits.
 */
class Int16ActivationsTest {

    private static final QuantizedMath.Int16Rescale GATE = QuantizedMath.Int16Rescale.of(0, 0);

    @Test
    void valuesDerivedByHand() {
        // x = 1.0 in Q3.12 (4096), multiplier 3: v = 12288 = 24 << 9, table entry 24 (sigmoid(1) = 47911 / 65536)
        // with no fraction: ((47911 << 9) + 512) >> 10 = 23956; for -1.0: (2^25 - (47911 << 9) + 511) >> 10 = 8812.
        assertEquals(16384, QuantizedMath.logisticInt16((short) 0, GATE));
        assertEquals(23956, QuantizedMath.logisticInt16((short) 4096, GATE));
        assertEquals(8812, QuantizedMath.logisticInt16((short) -4096, GATE));
        // tanh: v >> 8 = 48, entry 57724: ((57724 << 8) - 2^23 + 128) >> 8 = 24956 = tanh(1) * 32768 (24956.0).
        assertEquals(0, QuantizedMath.tanhInt16((short) 0, GATE));
        assertEquals(24956, QuantizedMath.tanhInt16((short) 4096, GATE));
        assertEquals(-24956, QuantizedMath.tanhInt16((short) -4096, GATE));
        // saturation: |v| >> 9 >= 255 gives the table's end (0x7FFF << 10)
        QuantizedMath.Int16Rescale wide = QuantizedMath.Int16Rescale.of(0, 3);   // 3 << 3 = 24, no shift
        assertEquals(32767, QuantizedMath.logisticInt16((short) 32767, wide));
        assertEquals(1, QuantizedMath.logisticInt16((short) -32768, wide));
        assertEquals(32767, QuantizedMath.tanhInt16((short) 32767, wide));
        assertEquals(-32767, QuantizedMath.tanhInt16((short) -32768, wide));
    }

    @Test
    void theRescaleFollowsTflite() {
        assertEquals(new QuantizedMath.Int16Rescale(3, 0, 0), QuantizedMath.Int16Rescale.of(0, 0));
        assertEquals(new QuantizedMath.Int16Rescale(6, 0, 0), QuantizedMath.Int16Rescale.of(0, 1));
        assertEquals(new QuantizedMath.Int16Rescale(24576, 14, 1 << 13), QuantizedMath.Int16Rescale.of(24576, 14));
        assertEquals(8, QuantizedMath.Int16Rescale.of(3, 1).apply(5));      // (15 + 1) >> 1: 7.5 rounds up
        assertEquals(-7, QuantizedMath.Int16Rescale.of(3, 1).apply(-5));    // (-15 + 1) >> 1 = -7
        assertThrows(IllegalArgumentException.class, () -> QuantizedMath.Int16Rescale.of(3, 32));
    }

    @Test
    void withinTwoLsbOfTheRealFunctionsOverEveryInput() {
        // The gates' setting (multiplier 3, no shift): input Q3.12, output Q0.15.
        int worstLogistic = 0;
        int worstTanh = 0;
        for (int x = -32768; x <= 32767; x++) {
            double real = x / 4096.0;
            long wantL = Math.round(32768.0 / (1.0 + Math.exp(-real)));
            long wantT = Math.round(32768.0 * Math.tanh(real));
            worstLogistic = (int) Math.max(worstLogistic, Math.abs(QuantizedMath.logisticInt16((short) x, GATE) - Math.min(wantL, 32767)));
            worstTanh = (int) Math.max(worstTanh, Math.abs(QuantizedMath.tanhInt16((short) x, GATE) - Math.max(-32767, Math.min(wantT, 32767))));
        }
        assertTrue(worstLogistic <= 2, "logistic worst " + worstLogistic);
        assertTrue(worstTanh <= 2, "tanh worst " + worstTanh);
    }

    @Test
    void arraysMayBeUpdatedInPlace() {
        short[] x = {0, 4096, -4096, 32767, -300};
        short[] y = new short[x.length];
        QuantizedMath.logisticInt16(0, 0, x, y);
        QuantizedMath.logisticInt16(0, 0, x, x);
        assertEquals(java.util.Arrays.toString(y), java.util.Arrays.toString(x));
    }

    private static int fnv(int h, int b) {
        return (h ^ (b & 0xFF)) * 16777619;
    }

    /** {multiplier, left shift, digest of logistic, digest of tanh}: the same table is in test_sequence.c. */
    private static final int[][] DIGESTS = {
        {0, 0, 0xab090d95, 0x96f4c825},
        {0, 1, 0xd1271751, 0xbc9f8a61},
        {0, 3, 0x2a51ae20, 0x5f8e0a17},
        {3, 4, 0x48c64398, 0x3b07411a},
        {24576, 14, 0x0f4d4119, 0xdb557974},
        {32767, 15, 0x485cbb91, 0x5632b320},
        {12345, 12, 0xa9dadc0a, 0xc5407a1b},
    };

    @Test
    void digestsOfEveryInputEqualTheCRuntimes() {
        for (int[] d : DIGESTS) {
            QuantizedMath.Int16Rescale r = QuantizedMath.Int16Rescale.of(d[0], d[1]);
            int hl = 0x811c9dc5;
            int ht = 0x811c9dc5;
            for (int x = -32768; x <= 32767; x++) {
                short l = QuantizedMath.logisticInt16((short) x, r);
                short t = QuantizedMath.tanhInt16((short) x, r);
                hl = fnv(fnv(hl, l), l >> 8);
                ht = fnv(fnv(ht, t), t >> 8);
            }
            assertEquals(d[2], hl, "logistic digest for " + d[0] + ", " + d[1]);
            assertEquals(d[3], ht, "tanh digest for " + d[0] + ", " + d[1]);
        }
    }
}
