package dev.tinysim.reference;

import dev.tinysim.tflite.BuiltinOperator;
import dev.tinysim.tflite.TensorType;

/**
 * MAXIMUM and MINIMUM with broadcasting (TFLM maximum_minimum.cc): {@code a > b ? a : b} /
 * {@code a < b ? a : b} on the raw values, int8, int16, int32 and float32. Like TFLM, no requantization
 * and no check of the quantization parameters (the converter gives inputs and output the same ones).
 */
final class MinMaxKernel {

    private MinMaxKernel() {
    }

    static Kernel create(OpContext c, BuiltinOperator kind) {
        BinaryOperands.requireOptionsType(c, dev.tinysim.tflite.BuiltinOptions.MAXIMUM_MINIMUM);
        BinaryOperands ops = BinaryOperands.of(c);
        TensorType type = ops.sameType(c, TensorType.INT8, TensorType.INT16, TensorType.INT32, TensorType.FLOAT32);
        boolean max = kind == BuiltinOperator.MAXIMUM;
        int[] idx1 = ops.index1();
        int[] idx2 = ops.index2();
        return switch (type) {
            case FLOAT32 -> SubKernel.floatKernel(ops, max ? (x, y) -> x > y ? x : y : (x, y) -> x < y ? x : y);
            case INT32 -> t -> {
                int[] a = t.i32(ops.i1());
                int[] b = t.i32(ops.i2());
                int[] r = (int[]) ConvKernel.newOutput(t, ops.o(), ops.out());
                for (int i = 0; i < idx1.length; i++) {
                    int x = a[idx1[i]];
                    int y = b[idx2[i]];
                    r[i] = max ? (x > y ? x : y) : (x < y ? x : y);
                }
            };
            default -> SubKernel.quantizedKernel(ops, max ? (x, y) -> x > y ? x : y : (x, y) -> x < y ? x : y);
        };
    }
}
