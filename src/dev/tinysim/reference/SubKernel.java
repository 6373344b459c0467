package dev.tinysim.reference;

import dev.tinysim.tflite.ActivationFunction;
import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.TensorType;

/**
 * SUB with broadcasting: int8 and int16 (TFLM sub_common.cc: ADD's arithmetic with a subtraction and
 * multipliers from float quotients, {@link AddSubArithmetic}) and float32 ({@code clamp(a - b)}). Also the
 * element loops the other broadcasting binary operators share.
 */
final class SubKernel {

    private SubKernel() {
    }

    static Kernel create(OpContext c) {
        ActivationFunction activation = BinaryOperands.activation(c, BuiltinOptions.Sub.class,
                BuiltinOptions.Sub::activation);
        BinaryOperands ops = BinaryOperands.of(c);
        TensorType type = ops.sameType(c, TensorType.INT8, TensorType.INT16, TensorType.FLOAT32);
        if (type == TensorType.FLOAT32) {
            ActivationRange act = ActivationRange.float32(activation, c);
            return floatKernel(ops, (x, y) -> act.clamp(x - y));
        }
        return quantizedKernel(ops, AddSubArithmetic.of(c, ops.in1(), ops.in2(), ops.out(), activation, true)::apply);
    }

    @FunctionalInterface
    interface FloatBinary {
        float apply(float a, float b);
    }

    /** Every output element from its two float operands, in row-major output order. */
    static Kernel floatKernel(BinaryOperands ops, FloatBinary f) {
        int[] idx1 = ops.index1();
        int[] idx2 = ops.index2();
        return t -> {
            float[] a = t.f32(ops.i1());
            float[] b = t.f32(ops.i2());
            float[] r = (float[]) ConvKernel.newOutput(t, ops.o(), ops.out());
            for (int i = 0; i < idx1.length; i++) {
                r[i] = f.apply(a[idx1[i]], b[idx2[i]]);
            }
        };
    }

    /** Every output element from its two int8 or int16 operands (raw values in, raw value out). */
    static Kernel quantizedKernel(BinaryOperands ops, ElementwiseKernel.IntBinary f) {
        int[] idx1 = ops.index1();
        int[] idx2 = ops.index2();
        if (ops.out().type() == TensorType.INT16) {
            return t -> {
                short[] a = t.int16(ops.i1());
                short[] b = t.int16(ops.i2());
                short[] r = (short[]) ConvKernel.newOutput(t, ops.o(), ops.out());
                for (int i = 0; i < idx1.length; i++) {
                    r[i] = (short) f.apply(a[idx1[i]], b[idx2[i]]);
                }
            };
        }
        return t -> {
            byte[] a = t.int8(ops.i1());
            byte[] b = t.int8(ops.i2());
            byte[] r = (byte[]) ConvKernel.newOutput(t, ops.o(), ops.out());
            for (int i = 0; i < idx1.length; i++) {
                r[i] = (byte) f.apply(a[idx1[i]], b[idx2[i]]);
            }
        };
    }
}
