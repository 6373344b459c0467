package dev.tinysim.reference;

import dev.tinysim.tflite.ActivationFunction;
import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.TensorType;

/**
 * DIV with broadcasting. float32: {@code clamp(a / b)}. int8 (TFLM div.cc, reference_ops
 * DivElementwise): the divisor's reciprocal in fixed point (GetReciprocal), the dividend shifted to its
 * headroom, one high multiply, then the output multiplier with the combined shift; right shifts beyond 31
 * as the C code computes them on a Cortex-M ({@link ElementwiseMath#roundingDivideByPotWide}).
 */
final class DivKernel {

    private DivKernel() {
    }

    static Kernel create(OpContext c) {
        ActivationFunction activation = BinaryOperands.activation(c, BuiltinOptions.Div.class,
                BuiltinOptions.Div::activation);
        BinaryOperands ops = BinaryOperands.of(c);
        TensorType type = ops.sameType(c, TensorType.INT8, TensorType.FLOAT32);
        if (type == TensorType.FLOAT32) {
            ActivationRange act = ActivationRange.float32(activation, c);
            return SubKernel.floatKernel(ops, (x, y) -> act.clamp(x / y));
        }
        float s1 = c.scale(ops.in1(), "input 1");
        float s2 = c.scale(ops.in2(), "input 2");
        float so = c.scale(ops.out(), "output");
        int off1 = -c.zeroPoint(ops.in1(), "input 1");
        int off2 = -c.zeroPoint(ops.in2(), "input 2");
        int zpo = c.zeroPoint(ops.out(), "output");
        ActivationRange act = ActivationRange.int8(activation, so, zpo, c);
        QuantizedMath.Multiplier m = ElementwiseMath.multiplier(c, (double) (s1 / (s2 * so)), "DIV");
        if (m.shift() > 22) {
            // headroom >= 23 and a reciprocal shift >= -1 keep the total shift <= 0 only up to here
            throw c.fail("DIV multiplier " + (s1 / (s2 * so)) + " is 2^22 or more");
        }
        return SubKernel.quantizedKernel(ops, (a, b) -> {
            int v1 = off1 + a;
            int v2 = off2 + b;
            if (v2 < 0) {
                v1 = -v1;
                v2 = -v2;
            }
            FixedPoint.Reciprocal recip = FixedPoint.reciprocal(v2, 31);
            int headroom = ElementwiseMath.countLeadingSignBits(v1);
            int unscaled = QuantizedMath.multiplyByQuantizedMultiplierGreaterThanOne(v1, recip.value(), headroom);
            int totalShift = m.shift() - recip.numBitsOverUnit() - headroom;
            int scaled = ElementwiseMath.roundingDivideByPotWide(
                    QuantizedMath.saturatingRoundingDoublingHighMul(unscaled, m.multiplier()), -totalShift);
            return act.clamp(zpo + scaled);
        });
    }
}
