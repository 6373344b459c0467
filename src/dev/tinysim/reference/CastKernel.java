package dev.tinysim.reference;

import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;

/**
 * CAST (TFLM cast.cc: {@code static_cast<ToT>} of every element, quantization ignored). Inputs int8,
 * int16, int32, float32, bool; outputs int8, int16, int32, float32. Integers narrow by keeping the low
 * bits; float to integer converts toward zero saturating to int32 (NaN to 0), as VCVT does, then keeps the
 * low bits; integers and bools to float round to nearest even.
 */
final class CastKernel {

    private CastKernel() {
    }

    static Kernel create(OpContext c) {
        c.requireInputs(1, 1);
        Tensor in = c.input(0);
        Tensor out = c.output(0);
        c.requireSameElementCount(in, out);
        c.requireType(in, "input", TensorType.INT8, TensorType.INT16, TensorType.INT32, TensorType.FLOAT32,
                TensorType.BOOL);
        c.requireType(out, "output", TensorType.INT8, TensorType.INT16, TensorType.INT32, TensorType.FLOAT32);
        int i = c.inputIndex(0);
        int o = c.outputIndex(0);
        TensorType from = in.type();
        TensorType to = out.type();
        return t -> {
            Object src = t.raw(i);
            Object dst = ConvKernel.newOutput(t, o, out);
            int n = in.elementCount();
            for (int k = 0; k < n; k++) {
                if (from == TensorType.FLOAT32 && to == TensorType.FLOAT32) {
                    ((float[]) dst)[k] = ((float[]) src)[k];
                    continue;
                }
                int v = switch (from) {
                    case INT8 -> ((byte[]) src)[k];
                    case INT16 -> ((short[]) src)[k];
                    case INT32 -> ((int[]) src)[k];
                    case BOOL -> ((byte[]) src)[k] != 0 ? 1 : 0;
                    default -> (int) ((float[]) src)[k]; // saturating, NaN -> 0, like VCVT
                };
                switch (to) {
                    case INT8 -> ((byte[]) dst)[k] = (byte) v;
                    case INT16 -> ((short[]) dst)[k] = (short) v;
                    case INT32 -> ((int[]) dst)[k] = v;
                    default -> ((float[]) dst)[k] = (float) v;
                }
            }
        };
    }
}
