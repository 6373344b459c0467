package dev.tinysim.reference;

import dev.tinysim.tflite.TensorType;

/**
 * PRELU: input and alpha broadcast to the output. float32: {@code x >= 0 ? x : x * alpha}. int8 (TFLM
 * prelu_common.cc, reference_ops::BroadcastPrelu4DSlow): the input rescaled by in/out for x >= 0, the
 * product (x - zp) * (alpha - zp_alpha) by in * alpha / out otherwise; full int8 range.
 */
final class PreluKernel {

    private PreluKernel() {
    }

    static Kernel create(OpContext c) {
        BinaryOperands ops = BinaryOperands.of(c);
        TensorType type = ops.sameType(c, TensorType.INT8, TensorType.FLOAT32);
        if (type == TensorType.FLOAT32) {
            return SubKernel.floatKernel(ops, (x, alpha) -> x >= 0.0f ? x : x * alpha);
        }
        float si = c.scale(ops.in1(), "input");
        float sa = c.scale(ops.in2(), "alpha");
        float so = c.scale(ops.out(), "output");
        int inOffset = -c.zeroPoint(ops.in1(), "input");
        int alphaOffset = -c.zeroPoint(ops.in2(), "alpha");
        int zpo = c.zeroPoint(ops.out(), "output");
        QuantizedMath.Multiplier m1 = ElementwiseMath.multiplier(c, (double) si / (double) so, "PRELU identity");
        QuantizedMath.Multiplier m2 = ElementwiseMath.multiplier(c, (double) si * (double) sa / (double) so,
                "PRELU alpha");
        return SubKernel.quantizedKernel(ops, (x, alpha) -> {
            int v = inOffset + x;
            int r = v >= 0 ? QuantizedMath.multiplyByQuantizedMultiplier(v, m1)
                    : QuantizedMath.multiplyByQuantizedMultiplier(v * (alphaOffset + alpha), m2);
            return QuantizedMath.clamp(r + zpo, -128, 127);
        });
    }
}
