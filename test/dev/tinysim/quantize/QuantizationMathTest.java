package dev.tinysim.quantize;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuantizationMathTest {

    @Test
    void asymmetricActivationParameters() {
        QuantizationMath.Affine a = QuantizationMath.asymmetric(-1f, 1f);
        assertEquals(2f / 255f, a.scale());
        assertEquals(-1, a.zeroPoint(), "-128 + 127.5 rounds half away from zero");
        QuantizationMath.Affine relu6 = QuantizationMath.asymmetric(0f, 6f);
        assertEquals(6f / 255f, relu6.scale());
        assertEquals(-128, relu6.zeroPoint());
        QuantizationMath.Affine positive = QuantizationMath.asymmetric(2f, 5f);
        assertEquals(5f / 255f, positive.scale(), "the range is widened to contain 0");
        assertEquals(-128, positive.zeroPoint());
        assertEquals(0f, positive.min());
        QuantizationMath.Affine negative = QuantizationMath.asymmetric(-5f, -2f);
        assertEquals(127, negative.zeroPoint());
        QuantizationMath.Affine zero = QuantizationMath.asymmetric(0f, 0f);
        assertEquals(1f, zero.scale(), "deviation: an empty range gets scale 1, not 0");
        assertEquals(-128, zero.zeroPoint());
        assertThrows(QuantizationException.class, () -> QuantizationMath.asymmetric(Float.NaN, 1f));
    }

    @Test
    void realZeroIsExactlyRepresentable() {
        float[][] ranges = {{-0.3f, 7.1f}, {-12.5f, 0.01f}, {-1e-3f, 1e-3f}, {-3.3f, 4.4f}};
        for (float[] r : ranges) {
            QuantizationMath.Affine a = QuantizationMath.asymmetric(r[0], r[1]);
            byte[] q = QuantizationMath.quantizeAffine(new float[] {0f, r[0], r[1]}, a.scale(), a.zeroPoint());
            assertEquals(a.zeroPoint(), q[0]);
            assertTrue(Math.abs((q[1] - a.zeroPoint()) * a.scale() - r[0]) <= a.scale(), "min representable");
            assertTrue(Math.abs((q[2] - a.zeroPoint()) * a.scale() - r[1]) <= a.scale(), "max representable");
        }
    }

    @Test
    void perChannelSymmetricWeights() {
        float[] w = {1f, -2f, 0.5f, 0.25f, 0f, -0.125f};
        QuantizationMath.SymmetricWeights q = QuantizationMath.symmetricPerChannel(w, new int[] {2, 3}, 0, null);
        assertArrayEquals(new float[] {2f / 127f, 0.25f / 127f}, q.scales());
        assertArrayEquals(new byte[] {64, -127, 32, 127, 0, -64}, q.values());
        assertEquals(0, q.dimension());
        // the last dimension (depthwise filters [1, kh, kw, c])
        QuantizationMath.SymmetricWeights dw = QuantizationMath.symmetricPerChannel(
                new float[] {1f, 10f, -1f, 5f}, new int[] {1, 1, 2, 2}, 3, null);
        assertArrayEquals(new float[] {1f / 127f, 10f / 127f}, dw.scales());
        assertArrayEquals(new byte[] {127, 127, -127, 64}, dw.values());
        QuantizationMath.SymmetricWeights dead = QuantizationMath.symmetricPerChannel(
                new float[] {0f, 0f, 3f, -3f}, new int[] {2, 2}, 0, null);
        assertEquals(1f, dead.scales()[0], "deviation: an all-zero channel gets scale 1");
    }

    @Test
    void perTensorSymmetricWeights() {
        QuantizationMath.SymmetricWeights q = QuantizationMath.symmetricPerTensor(new float[] {0.5f, -1f, 0.25f}, null);
        assertArrayEquals(new float[] {1f / 127f}, q.scales());
        assertArrayEquals(new byte[] {64, -127, 32}, q.values());
        QuantizationMath.SymmetricWeights zeros = QuantizationMath.symmetricPerTensor(new float[] {0f, 0f}, null);
        assertArrayEquals(new float[] {1f}, zeros.scales(), "TFLite: scale 1 for an all-zero tensor");
    }

    @Test
    void biasesUseTheProductOfInputAndWeightScales() {
        float[] scales = new float[2];
        int[] q = QuantizationMath.bias(new float[] {1.0f, -0.0123f}, 0.5f, new float[] {0.01f, 0.002f}, scales);
        assertEquals(0.5f * 0.01f, scales[0]);
        assertEquals(0.5f * 0.002f, scales[1]);
        assertEquals(Math.round(1.0 / (0.5f * 0.01f)), q[0]);
        assertEquals(-12, q[1]);
        int[] huge = QuantizationMath.bias(new float[] {1e9f, -1e9f}, 1e-6f, new float[] {1e-6f}, null);
        assertArrayEquals(new int[] {Integer.MAX_VALUE, -Integer.MAX_VALUE}, huge, "saturates to ±INT32_MAX");
    }

    @Test
    void hugeBiasesWidenTheWeightRange() {
        float[][] ranges = {{-1e-3f, -1e-3f}, {1e-3f, 1e-3f}};
        float[] bias = {1e6f, 0.5f};
        float[][] adjusted = QuantizationMath.adjustForBias(ranges, bias, 1e-3f);
        assertNotNull(adjusted);
        assertTrue(adjusted[1][0] > 1e-3f, "channel 0 widened");
        assertEquals(1e-3f, adjusted[1][1], "channel 1 unchanged");
        QuantizationMath.SymmetricWeights q = QuantizationMath.symmetricPerChannel(
                new float[] {1e-3f, -1e-3f}, new int[] {2, 1}, 0, adjusted);
        int[] b = QuantizationMath.bias(bias, 1e-3f, q.scales(), null);
        assertTrue(Math.abs(b[0]) <= (1 << 30), "the bias now fits the middle half of int32: " + b[0]);
        assertNull(QuantizationMath.adjustForBias(ranges, new float[] {0.5f, 0.5f}, 1e-3f));
    }
}
