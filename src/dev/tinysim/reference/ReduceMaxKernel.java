package dev.tinysim.reference;

import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;

/**
 * REDUCE_MAX over constant axes ({@link ReductionAxes}), TFLite Micro's ReduceGeneric: each output starts at
 * the type's lowest value (-FLT_MAX for float, -128 for int8) and takes {@code in > current ? in : current} in
 * row-major input order (a NaN is never taken; all -inf gives -FLT_MAX). int8 input and output must share
 * scale and zero point: the raw values are compared and copied (TFLite Micro checks the scales; its zero-point
 * fields are never set for REDUCE_MAX, so tinysim also compares the zero points itself).
 */
final class ReduceMaxKernel {

    private ReduceMaxKernel() {
    }

    static Kernel create(OpContext c) {
        DataMovement.requireCounts(c, 2, 2, 1);
        boolean keepDims = c.options(BuiltinOptions.Reducer.class).keepDims();
        Tensor in = c.input(0);
        Tensor out = c.output(0);
        c.requireType(in, "input", TensorType.INT8, TensorType.FLOAT32);
        c.requireType(out, "output", in.type());
        ReductionAxes axes = ReductionAxes.resolve(c, in, out, keepDims);
        int[] target = axes.target();
        int i = c.inputIndex(0);
        int o = c.outputIndex(0);
        if (in.type() == TensorType.FLOAT32) {
            return t -> {
                float[] x = t.f32(i);
                float[] r = new float[axes.outputs()];
                java.util.Arrays.fill(r, -Float.MAX_VALUE);
                for (int k = 0; k < x.length; k++) {
                    if (x[k] > r[target[k]]) {
                        r[target[k]] = x[k];
                    }
                }
                t.set(o, r);
            };
        }
        c.requireSameQuantization(in, out);
        return t -> {
            byte[] x = t.int8(i);
            byte[] r = new byte[axes.outputs()];
            java.util.Arrays.fill(r, Byte.MIN_VALUE);
            for (int k = 0; k < x.length; k++) {
                if (x[k] > r[target[k]]) {
                    r[target[k]] = x[k];
                }
            }
            t.set(o, r);
        };
    }
}
