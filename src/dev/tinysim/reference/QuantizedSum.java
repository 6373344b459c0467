package dev.tinysim.reference;

import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;

/**
 * TFLite's QuantizedMeanOrSum for int8 and int16 (reference reduce.h): the int32 sum of the raw values minus
 * {@code zp_in * n}, requantized with QuantizeMultiplier(scale_in / scale_out) — for MEAN with the 1/n factor
 * folded into the multiplier — plus {@code zp_out}, clamped to the type's range.
 */
record QuantizedSum(int multiplier, int shift, int zpIn, int zpOut, int n, int min, int max, boolean sameQuantization) {

    static QuantizedSum of(OpContext c, Tensor in, Tensor out, int n, boolean sum) {
        float inScale = c.scale(in, "input");
        float outScale = c.scale(out, "output");
        int zpIn = zeroPoint(c, in, "input");
        int zpOut = zeroPoint(c, out, "output");
        QuantizedMath.Multiplier base = QuantizedMath.quantizeMultiplier((double) inScale / (double) outScale);
        int multiplier = base.multiplier();
        int shift = base.shift();
        if (!sum) {
            int s = 63 - Long.numberOfLeadingZeros(n);
            s = Math.min(s, 32);
            s = Math.min(s, 31 + shift);
            multiplier = (int) (((long) multiplier << s) / n);
            shift -= s;
        }
        boolean int8 = in.type() == TensorType.INT8;
        return new QuantizedSum(multiplier, shift, zpIn, zpOut, n, int8 ? -128 : -32768, int8 ? 127 : 32767,
                zpIn == zpOut && inScale == outScale);
    }

    private static int zeroPoint(OpContext c, Tensor t, String role) {
        return t.type() == TensorType.INT8 ? c.zeroPoint(t, role) : t.quantization().zeroPointValue();
    }

    int[] requantize(int[] sums) {
        int[] r = new int[sums.length];
        for (int k = 0; k < sums.length; k++) {
            int shifted = (int) ((long) sums[k] - (long) zpIn * n);
            int v = QuantizedMath.multiplyByQuantizedMultiplier(shifted, multiplier, shift) + zpOut;
            r[k] = QuantizedMath.clamp(v, min, max);
        }
        return r;
    }

    /** int values (already in range) as the tensor array of an int8 or int16 tensor. */
    static Object narrow(int[] v, TensorType type) {
        if (type == TensorType.INT8) {
            byte[] b = new byte[v.length];
            for (int k = 0; k < v.length; k++) {
                b[k] = (byte) v[k];
            }
            return b;
        }
        short[] s = new short[v.length];
        for (int k = 0; k < v.length; k++) {
            s[k] = (short) v[k];
        }
        return s;
    }
}
