package dev.tinysim.reference;

import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;
import dev.tinysim.text.Printable;

/**
 * ARG_MAX (TFLite Micro arg_min_max.cc, reference arg_min_max.h): float32 or int8 input, a constant int32
 * axis (its first value; negative + rank), int32 output: per position the index of the first greatest value
 * along the axis ({@code value > best}, so ties keep the first index and a NaN is never chosen unless it is
 * first). TFLite Micro writes only int32 indices (an int64 output is rejected, as TFLite Micro rejects it);
 * the output type option is not read.
 */
final class ArgMaxKernel {

    private ArgMaxKernel() {
    }

    static Kernel create(OpContext c) {
        return create(c, false);
    }

    /** ARG_MIN: the same with {@code value < best} (TFLM's std::less): ties keep the first index. */
    static Kernel createMin(OpContext c) {
        return create(c, true);
    }

    private static Kernel create(OpContext c, boolean min) {
        DataMovement.requireCounts(c, 2, 2, 1);
        Tensor in = c.input(0);
        Tensor out = c.output(0);
        c.requireType(in, "input", TensorType.FLOAT32, TensorType.INT8);
        c.requireType(out, "output", TensorType.INT32);
        int rank = in.rank();
        if (rank < 1) {
            throw c.fail("input '" + Printable.name(in.name()) + "' is a scalar; ARG_MAX needs at least one dimension");
        }
        int[] axisValues = DataMovement.constantInts(c, 1, "axis", false);
        if (axisValues.length == 0) {
            throw c.fail("axis '" + Printable.name(c.input(1).name()) + "' is empty");
        }
        int axis = axisValues[0] < 0 ? axisValues[0] + rank : axisValues[0];
        if (axis < 0 || axis >= rank) {
            throw c.fail("axis " + axisValues[0] + " is out of range for input rank " + rank);
        }
        int[] shape = in.shapeArray();
        int[] expected = new int[rank - 1];
        for (int d = 0, k = 0; d < rank; d++) {
            if (d != axis) {
                expected[k++] = shape[d];
            }
        }
        DataMovement.requireShape(c, out, "output", expected);
        int outer = DataMovement.product(shape, 0, axis);
        int size = shape[axis];
        int inner = DataMovement.product(shape, axis + 1, rank);
        int i = c.inputIndex(0);
        int o = c.outputIndex(0);
        if (in.type() == TensorType.FLOAT32) {
            return t -> {
                float[] x = t.f32(i);
                int[] r = (int[]) ConvKernel.newOutput(t, o, out);
                for (int a = 0; a < outer; a++) {
                    for (int b = 0; b < inner; b++) {
                        float best = x[a * size * inner + b];
                        int index = 0;
                        for (int k = 1; k < size; k++) {
                            float v = x[(a * size + k) * inner + b];
                            if (min ? v < best : v > best) {
                                best = v;
                                index = k;
                            }
                        }
                        r[a * inner + b] = index;
                    }
                }
            };
        }
        return t -> {
            byte[] x = t.int8(i);
            int[] r = (int[]) ConvKernel.newOutput(t, o, out);
            for (int a = 0; a < outer; a++) {
                for (int b = 0; b < inner; b++) {
                    byte best = x[a * size * inner + b];
                    int index = 0;
                    for (int k = 1; k < size; k++) {
                        byte v = x[(a * size + k) * inner + b];
                        if (min ? v < best : v > best) {
                            best = v;
                            index = k;
                        }
                    }
                    r[a * inner + b] = index;
                }
            }
        };
    }
}
