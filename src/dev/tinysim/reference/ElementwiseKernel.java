package dev.tinysim.reference;

import dev.tinysim.tflite.ActivationFunction;
import dev.tinysim.tflite.BuiltinOperator;
import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;

/**
 * ADD and MUL with broadcasting: int8 and int16 (TFLite's integer reference arithmetic; int16 is TFLite's
 * 16x8 mode) and float32.
 */
final class ElementwiseKernel {

    private ElementwiseKernel() {
    }

    static Kernel create(OpContext c, BuiltinOperator kind) {
        boolean add = kind == BuiltinOperator.ADD;
        ActivationFunction activation = add
                ? BinaryOperands.activation(c, BuiltinOptions.Add.class, BuiltinOptions.Add::activation)
                : BinaryOperands.activation(c, BuiltinOptions.Mul.class, BuiltinOptions.Mul::activation);
        BinaryOperands ops = BinaryOperands.of(c);
        TensorType type = ops.sameType(c, TensorType.INT8, TensorType.INT16, TensorType.FLOAT32);
        if (type == TensorType.FLOAT32) {
            ActivationRange act = ActivationRange.float32(activation, c);
            return SubKernel.floatKernel(ops, (x, y) -> act.clamp(add ? x + y : x * y));
        }
        IntBinary f = add ? AddSubArithmetic.of(c, ops.in1(), ops.in2(), ops.out(), activation, false)::apply
                : mulQuantized(c, ops.in1(), ops.in2(), ops.out(), activation);
        return SubKernel.quantizedKernel(ops, f);
    }

    @FunctionalInterface
    interface IntBinary {
        int apply(int a, int b);
    }

    /** TFLM mul_common.cc + reference_integer_ops::MulElementwise; int16 needs zero points 0. */
    private static IntBinary mulQuantized(OpContext c, Tensor in1, Tensor in2, Tensor out, ActivationFunction activation) {
        boolean int16 = out.type() == TensorType.INT16;
        float so = c.scale(out, "output");
        int zp1 = int16 ? ElementwiseMath.zeroPoint16(c, in1, "input 1", true) : c.zeroPoint(in1, "input 1");
        int zp2 = int16 ? ElementwiseMath.zeroPoint16(c, in2, "input 2", true) : c.zeroPoint(in2, "input 2");
        int zpo = int16 ? ElementwiseMath.zeroPoint16(c, out, "output", true) : c.zeroPoint(out, "output");
        ActivationRange act = int16 ? ActivationRange.int16(activation, so, zpo, c)
                : ActivationRange.int8(activation, so, zpo, c);
        double real = (double) c.scale(in1, "input 1") * (double) c.scale(in2, "input 2") / (double) so;
        QuantizedMath.Multiplier m = ElementwiseMath.multiplier(c, real, "MUL");
        return (a, b) -> act.clamp(zpo + QuantizedMath.multiplyByQuantizedMultiplier((a - zp1) * (b - zp2), m));
    }
}
