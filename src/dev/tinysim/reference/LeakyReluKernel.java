package dev.tinysim.reference;

import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.TensorType;

/**
 * LEAKY_RELU. float32: {@code x > 0 ? x : x * alpha}. int8 (TFLM leaky_relu_common.cc,
 * reference_ops::QuantizeLeakyRelu): two requantization multipliers, in/out for x >= zp and
 * in * alpha / out (alpha may be negative or zero) below; full int8 range.
 */
final class LeakyReluKernel {

    private LeakyReluKernel() {
    }

    static Kernel create(OpContext c) {
        UnaryOperand u = UnaryOperand.of(c, TensorType.INT8, TensorType.FLOAT32);
        float alpha = c.op.options().unionType() == 0 ? 0.0f : c.options(BuiltinOptions.LeakyRelu.class).alpha();
        if (u.in().type() == TensorType.FLOAT32) {
            return u.floats(x -> x > 0.0f ? x : x * alpha);
        }
        float inScale = c.scale(u.in(), "input");
        float outScale = c.scale(u.out(), "output");
        int zpIn = c.zeroPoint(u.in(), "input");
        int zpOut = c.zeroPoint(u.out(), "output");
        QuantizedMath.Multiplier ma = ElementwiseMath.multiplierSigned(c, (double) (inScale * alpha / outScale), "alpha");
        QuantizedMath.Multiplier mi = ElementwiseMath.multiplier(c, (double) (inScale / outScale), "identity");
        return u.ints(q -> {
            int v = q - zpIn;
            int r = QuantizedMath.multiplyByQuantizedMultiplier(v, v >= 0 ? mi : ma);
            return QuantizedMath.clamp(zpOut + r, -128, 127);
        });
    }
}
