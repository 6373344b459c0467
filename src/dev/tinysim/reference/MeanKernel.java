package dev.tinysim.reference;

import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;

import java.util.ArrayList;
import java.util.List;

/**
 * MEAN over constant axes. Sums visit the input in row-major order (TFLite's Reduce loop). int8 follows
 * TFLM EvalIntegerMean: truncating integer mean when input and output share quantization, otherwise
 * QuantizedMeanOrSum with the 1/n factor folded into the multiplier.
 */
final class MeanKernel {

    private MeanKernel() {
    }

    static Kernel create(OpContext c) {
        c.requireInputs(2, 2);
        boolean keepDims = c.options(BuiltinOptions.Reducer.class).keepDims();
        Tensor in = c.input(0);
        Tensor out = c.output(0);
        c.requireType(in, "input", TensorType.INT8, TensorType.FLOAT32);
        c.requireType(out, "output", in.type());
        c.requireType(c.input(1), "axis", TensorType.INT32);
        int[] axes = (int[]) c.constant(1, "axis");
        int rank = in.rank();
        boolean[] reduced = new boolean[rank];
        for (int a : axes) {
            int axis = a < 0 ? a + rank : a;
            if (axis < 0 || axis >= rank) {
                throw c.fail("axis " + a + " is out of range for rank " + rank);
            }
            reduced[axis] = true;
        }
        List<Integer> expected = new ArrayList<>();
        int count = 1;
        for (int d = 0; d < rank; d++) {
            if (reduced[d]) {
                count *= in.dim(d);
                if (keepDims) {
                    expected.add(1);
                }
            } else {
                expected.add(in.dim(d));
            }
        }
        if (!expected.equals(out.shape())) {
            throw c.fail("output shape " + out.shape() + " does not match the reduced shape " + expected);
        }
        if (count == 0) {
            throw c.fail("reduces over an empty dimension");
        }
        int[] target = outputIndexOfEachInput(in.shapeArray(), reduced);
        int n = count;
        int i = c.inputIndex(0);
        int o = c.outputIndex(0);
        int outCount = out.elementCount();
        if (in.type() == TensorType.FLOAT32) {
            return t -> {
                float[] x = t.f32(i);
                float[] r = (float[]) ConvKernel.newOutput(t, o, out);
                for (int k = 0; k < x.length; k++) {
                    r[target[k]] += x[k];
                }
                for (int k = 0; k < r.length; k++) {
                    r[k] = r[k] / (float) n;
                }
            };
        }
        float inScale = c.scale(in, "input");
        float outScale = c.scale(out, "output");
        int zpIn = c.zeroPoint(in, "input");
        int zpOut = c.zeroPoint(out, "output");
        if (zpIn == zpOut && inScale == outScale) {
            return t -> {
                byte[] x = t.int8(i);
                int[] sum = sums(x, target, outCount);
                byte[] r = (byte[]) ConvKernel.newOutput(t, o, out);
                for (int k = 0; k < r.length; k++) {
                    r[k] = (byte) (sum[k] / n);
                }
            };
        }
        QuantizedMath.Multiplier base = QuantizedMath.quantizeMultiplier((double) inScale / (double) outScale);
        int shift = 63 - Long.numberOfLeadingZeros(n);
        shift = Math.min(shift, 32);
        shift = Math.min(shift, 31 + base.shift());
        int multiplier = (int) (((long) base.multiplier() << shift) / n);
        int outputShift = base.shift() - shift;
        return t -> {
            byte[] x = t.int8(i);
            int[] sum = sums(x, target, outCount);
            byte[] r = (byte[]) ConvKernel.newOutput(t, o, out);
            for (int k = 0; k < r.length; k++) {
                int shifted = sum[k] - zpIn * n;
                int v = QuantizedMath.multiplyByQuantizedMultiplier(shifted, multiplier, outputShift) + zpOut;
                r[k] = (byte) QuantizedMath.clamp(v, -128, 127);
            }
        };
    }

    private static int[] sums(byte[] x, int[] target, int outCount) {
        int[] sum = new int[outCount];
        for (int k = 0; k < x.length; k++) {
            sum[target[k]] += x[k];
        }
        return sum;
    }

    /** For each input element (row-major), the flat index of the output element it is summed into. */
    private static int[] outputIndexOfEachInput(int[] shape, boolean[] reduced) {
        int rank = shape.length;
        int[] outStrides = new int[rank];
        int stride = 1;
        for (int d = rank - 1; d >= 0; d--) {
            outStrides[d] = reduced[d] ? 0 : stride;
            stride *= reduced[d] ? 1 : shape[d];
        }
        int total = 1;
        for (int d : shape) {
            total *= d;
        }
        int[] target = new int[total];
        int[] pos = new int[rank];
        for (int k = 0; k < total; k++) {
            int offset = 0;
            for (int d = 0; d < rank; d++) {
                offset += pos[d] * outStrides[d];
            }
            target[k] = offset;
            for (int d = rank - 1; d >= 0; d--) {
                if (++pos[d] < shape[d]) {
                    break;
                }
                pos[d] = 0;
            }
        }
        return target;
    }
}
