package dev.tinysim.reference;

import dev.tinysim.tflite.TensorType;

/**
 * SQUARED_DIFFERENCE with broadcasting. float32: {@code d = a - b; d * d}. int8 (TFLM
 * squared_difference.cc): both inputs rescaled to a common scale after a left shift of 7, the difference
 * squared in int32, rescaled to the output (full int8 range, no fused activation).
 */
final class SquaredDifferenceKernel {

    private SquaredDifferenceKernel() {
    }

    static Kernel create(OpContext c) {
        BinaryOperands.requireOptionsType(c, dev.tinysim.tflite.BuiltinOptions.SQUARED_DIFFERENCE);
        BinaryOperands ops = BinaryOperands.of(c);
        TensorType type = ops.sameType(c, TensorType.INT8, TensorType.FLOAT32);
        if (type == TensorType.FLOAT32) {
            return SubKernel.floatKernel(ops, (x, y) -> {
                float d = x - y;
                return d * d;
            });
        }
        float s1 = c.scale(ops.in1(), "input 1");
        float s2 = c.scale(ops.in2(), "input 2");
        float so = c.scale(ops.out(), "output");
        int off1 = -c.zeroPoint(ops.in1(), "input 1");
        int off2 = -c.zeroPoint(ops.in2(), "input 2");
        int zpo = c.zeroPoint(ops.out(), "output");
        final int leftShift = 7;
        double twiceMax = 2.0 * (double) Math.max(s1, s2);
        QuantizedMath.Multiplier m1 = ElementwiseMath.multiplierSmallerThanOne(c, (double) s1 / twiceMax, "input 1");
        QuantizedMath.Multiplier m2 = ElementwiseMath.multiplierSmallerThanOne(c, (double) s2 / twiceMax, "input 2");
        // (1 << 14) * output scale is a float product in TFLM, widened afterwards
        QuantizedMath.Multiplier mo = ElementwiseMath.multiplier(c,
                (twiceMax * twiceMax) / (double) ((1 << (leftShift * 2)) * so), "output");
        return SubKernel.quantizedKernel(ops, (a, b) -> {
            int v1 = QuantizedMath.multiplyByQuantizedMultiplier((off1 + a) * (1 << leftShift), m1);
            int v2 = QuantizedMath.multiplyByQuantizedMultiplier((off2 + b) * (1 << leftShift), m2);
            int d = v1 - v2;
            return QuantizedMath.clamp(QuantizedMath.multiplyByQuantizedMultiplier(d * d, mo) + zpo, -128, 127);
        });
    }
}
