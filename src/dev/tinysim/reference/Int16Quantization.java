package dev.tinysim.reference;

import dev.tinysim.tflite.Tensor;
import dev.tinysim.text.Printable;

/**
 * Checks on the quantization of int16 tensors (TFLite's 16x8 mode; docs/inference-semantics.md, "16-bit activations"):
 * activations of the 16x8 kernels are symmetric (zero point 0), other int16 tensors have an int16 zero point,
 * and TFLite's int64 rescaling is defined for shifts up to 7 only.
 */
final class Int16Quantization {

    private Int16Quantization() {
    }

    /** Scale of a symmetric int16 activation; rejects a non-zero zero point (TFLite's 16x8 kernels ignore it). */
    static float symmetricScale(OpContext c, Tensor t, String role) {
        float s = c.scale(t, role);
        long zp = zeroPoint(c, t, role);
        if (zp != 0) {
            throw c.fail("int16 " + role + " '" + Printable.name(t.name()) + "' has zero point " + zp
                    + "; 16x8 operators need symmetric int16 tensors (zero point 0)");
        }
        return s;
    }

    /** Zero point of an int16 tensor, which must fit int16. */
    static int zeroPoint(OpContext c, Tensor t, String role) {
        long zp = t.quantization().zeroPoint().isEmpty() ? 0 : t.quantization().zeroPoint().get(0);
        if (zp < -32768 || zp > 32767) {
            throw c.fail(role + " '" + Printable.name(t.name()) + "' has zero point " + zp + ", outside the int16 range");
        }
        return (int) zp;
    }

    /** TFLite's int64 MultiplyByQuantizedMultiplier asserts shift <= 7 (a real multiplier below 128). */
    static void requireInt64Rescalable(OpContext c, QuantizedMath.Multiplier m, String what) {
        if (m.shift() > 7) {
            throw c.fail(what + " multiplier " + m.multiplier() + " * 2^" + m.shift()
                    + " is too large for TFLite's int64 rescaling (shift must be at most 7)");
        }
    }
}
