package dev.tinysim.reference;

import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;

/**
 * MEAN and SUM over constant axes ({@link ReductionAxes}), TFLite Micro reduce_common.cc. Float: the sum in
 * row-major input order, then (MEAN) divided by the element count in float. int8 and int16: int32 sums of
 * the raw values; MEAN with equal input and output quantization divides them (C integer division), otherwise
 * both follow TFLite's QuantizedMeanOrSum ({@link QuantizedSum}).
 */
final class MeanKernel {

    private MeanKernel() {
    }

    static Kernel mean(OpContext c) {
        return create(c, false);
    }

    static Kernel sum(OpContext c) {
        return create(c, true);
    }

    private static Kernel create(OpContext c, boolean sum) {
        DataMovement.requireCounts(c, 2, 2, 1);
        boolean keepDims = c.options(BuiltinOptions.Reducer.class).keepDims();
        Tensor in = c.input(0);
        Tensor out = c.output(0);
        c.requireType(in, "input", TensorType.INT8, TensorType.INT16, TensorType.FLOAT32);
        c.requireType(out, "output", in.type());
        ReductionAxes axes = ReductionAxes.resolve(c, in, out, keepDims);
        int n = axes.count();
        int i = c.inputIndex(0);
        int o = c.outputIndex(0);
        if (in.type() == TensorType.FLOAT32) {
            if (sum) {
                return t -> t.set(o, axes.floatSums(t.f32(i)));
            }
            return t -> {
                float[] r = axes.floatSums(t.f32(i));
                for (int k = 0; k < r.length; k++) {
                    r[k] = r[k] / (float) n;
                }
                t.set(o, r);
            };
        }
        QuantizedSum q = QuantizedSum.of(c, in, out, n, sum);
        if (!sum && q.sameQuantization()) {
            return t -> {
                int[] s = axes.sums(t.raw(i));
                for (int k = 0; k < s.length; k++) {
                    s[k] = s[k] / n;
                }
                t.set(o, QuantizedSum.narrow(s, in.type()));
            };
        }
        return t -> t.set(o, QuantizedSum.narrow(q.requantize(axes.sums(t.raw(i))), in.type()));
    }
}
