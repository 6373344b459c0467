package dev.tinysim.reference;

import dev.tinysim.tflite.TensorType;

/**
 * TANH (TFLM tanh.cc). float32: {@link DeterministicMath#tanhf} for std::tanh. int8
 * (reference_integer_ops::Tanh): the input rescaled to Q4.27 with LOGISTIC's multiplier, gemmlowp's
 * fixed-point tanh, the output in units of 1/128 (TFLM reads no output quantization). int16: TFLite's
 * sigmoid-table tanh ({@link QuantizedMath#tanhInt16}) with TFLM's int16 parameters.
 */
final class TanhKernel {

    private static final int INPUT_INTEGER_BITS = 4;

    private TanhKernel() {
    }

    static Kernel create(OpContext c) {
        UnaryOperand u = UnaryOperand.of(c, TensorType.INT8, TensorType.INT16, TensorType.FLOAT32);
        if (u.in().type() == TensorType.FLOAT32) {
            return u.floats(DeterministicMath::tanhf);
        }
        if (u.in().type() == TensorType.INT16) {
            int[] p = ElementwiseMath.int16ActivationParams(c, u.in(), u.out(), true);
            QuantizedMath.Int16Rescale r = QuantizedMath.Int16Rescale.of(p[0], p[1]);
            return u.ints(q -> QuantizedMath.tanhInt16((short) q, r));
        }
        c.scale(u.out(), "output");
        c.zeroPoint(u.out(), "output");
        double real = (double) c.scale(u.in(), "input") * (double) (1 << (31 - INPUT_INTEGER_BITS));
        QuantizedMath.Frexp f = QuantizedMath.frexp(real);
        // TFLM: static_cast<int32_t>(TfLiteRound(q * 2^31)) without the 2^31 fix-up; the conversion saturates on Arm.
        int multiplier = (int) DeterministicMath.roundHalfAway(f.fraction() * (1L << 31));
        int leftShift = f.exponent();
        if (leftShift < 0 || leftShift > 31) {
            throw c.fail("input scale " + c.scale(u.in(), "input") + " is outside the range the int8 tanh supports");
        }
        int radius = QuantizedMath.calculateInputRadius(INPUT_INTEGER_BITS, leftShift);
        int zp = c.zeroPoint(u.in(), "input");
        return u.ints(q -> {
            int x = q - zp;
            if (x <= -radius) {
                return -128;
            }
            if (x >= radius) {
                return 127;
            }
            int x4 = QuantizedMath.multiplyByQuantizedMultiplier(x, multiplier, leftShift);
            int t = FixedPoint.tanh(x4, INPUT_INTEGER_BITS);
            return QuantizedMath.clamp(QuantizedMath.roundingDivideByPot(t, 31 - 7), -128, 127);
        });
    }
}
