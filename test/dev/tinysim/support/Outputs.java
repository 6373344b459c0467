package dev.tinysim.support;

import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Compares every graph output of a run with the reference interpreter's, bit for bit. */
public final class Outputs {
    private Outputs() {
    }

    public static void assertSame(List<byte[]> expected, List<byte[]> actual, String what) {
        assertEquals(expected.size(), actual.size(), what + ": number of outputs");
        for (int k = 0; k < expected.size(); k++) {
            byte[] want = expected.get(k);
            byte[] got = actual.get(k);
            int output = k;
            assertArrayEquals(want, got, () -> what + ": output " + output + " of the firmware " + HexFormat.of().formatHex(got)
                    + " differs from the reference interpreter's " + HexFormat.of().formatHex(want));
        }
    }
}
