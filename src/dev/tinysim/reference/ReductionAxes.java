package dev.tinysim.reference;

import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;

import java.util.ArrayList;
import java.util.List;

/**
 * The axis handling MEAN, SUM and REDUCE_MAX share (TFLite's ResolveAxis and the reduced output shape): a
 * constant int32 axis tensor (any shape, its values in order; negative ones + rank; repeated ones count once;
 * none: nothing is reduced), the output shape with the reduced dimensions dropped or, with keep_dims, kept as
 * 1. Every input element is reduced into one output element; the input is visited in row-major order, which
 * is TFLite's Reduce loop order (it matters for float sums).
 *
 * @param count  elements reduced into each output element (product of the reduced dimensions)
 * @param target for each input element (row-major), the index of its output element
 * @param outputs number of output elements
 */
record ReductionAxes(int count, int[] target, int outputs) {

    static ReductionAxes resolve(OpContext c, Tensor in, Tensor out, boolean keepDims) {
        c.requireType(c.input(1), "axis", TensorType.INT32);
        int[] axes = (int[]) c.constant(1, "axis");
        int rank = in.rank();
        boolean[] reduced = new boolean[rank];
        for (int a : axes) {
            if (rank == 0) {
                break; // TFLite ignores the axes of a scalar
            }
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
        if (count == 0 || in.elementCount() == 0) {
            throw c.fail("reduces over an empty dimension");
        }
        return new ReductionAxes(count, targets(in.shapeArray(), reduced), out.elementCount());
    }

    /** For each input element (row-major), the flat index of the output element it is reduced into. */
    private static int[] targets(int[] shape, boolean[] reduced) {
        int rank = shape.length;
        int[] outStrides = new int[rank];
        int stride = 1;
        for (int d = rank - 1; d >= 0; d--) {
            outStrides[d] = reduced[d] ? 0 : stride;
            stride *= reduced[d] ? 1 : shape[d];
        }
        int total = DataMovement.product(shape, 0, rank);
        int[] target = new int[total];
        int[] pos = new int[rank];
        for (int k = 0; k < total; k++) {
            int offset = 0;
            for (int d = 0; d < rank; d++) {
                offset += pos[d] * outStrides[d];
            }
            target[k] = offset;
            for (int d = rank - 1; d >= 0 && ++pos[d] == shape[d]; d--) {
                pos[d] = 0;
            }
        }
        return target;
    }

    /** int32 sums (wrapping, as TFLite's int32 accumulator) of the raw int8 or int16 values of each output. */
    int[] sums(Object x) {
        int[] sum = new int[outputs];
        if (x instanceof byte[] b) {
            for (int k = 0; k < b.length; k++) {
                sum[target[k]] += b[k];
            }
        } else {
            short[] s = (short[]) x;
            for (int k = 0; k < s.length; k++) {
                sum[target[k]] += s[k];
            }
        }
        return sum;
    }

    /** float sums in TFLite's order: each output starts at 0.0f, then {@code sum = in + sum} in input order. */
    float[] floatSums(float[] x) {
        float[] sum = new float[outputs];
        for (int k = 0; k < x.length; k++) {
            sum[target[k]] = x[k] + sum[target[k]];
        }
        return sum;
    }
}
