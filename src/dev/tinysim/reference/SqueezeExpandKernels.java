package dev.tinysim.reference;

import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;

import java.util.List;
import dev.tinysim.text.Printable;

/** SQUEEZE and EXPAND_DIMS: the values are copied unchanged; only the shape rules differ (TFLite Micro's). */
final class SqueezeExpandKernels {

    private SqueezeExpandKernels() {
    }

    /**
     * SQUEEZE (squeeze.cc): squeeze_dims (negative ones + rank) name dimensions of size 1; none means every
     * dimension of size 1. TFLite Micro's own check: each kept dimension is at most the matching output
     * dimension, and input and output have the same byte size.
     */
    static Kernel squeeze(OpContext c) {
        DataMovement.requireCounts(c, 1, 1, 1);
        Tensor in = c.input(0);
        Tensor out = c.output(0);
        DataMovement.requireCopy(c, in, "input", out, "output", DataMovement.STORED_TYPES);
        List<Integer> dims = c.options(BuiltinOptions.Squeeze.class).squeezeDims();
        int rank = in.rank();
        boolean[] squeeze = new boolean[rank];
        if (dims.isEmpty()) {
            for (int d = 0; d < rank; d++) {
                squeeze[d] = in.dim(d) == 1;
            }
        } else {
            for (int dim : dims) {
                int d = dim < 0 ? dim + rank : dim;
                if (d < 0 || d >= rank || in.dim(d) != 1) {
                    throw c.fail("squeeze dimension " + dim + " is not a dimension of size 1 of input shape " + in.shape());
                }
                squeeze[d] = true;
            }
        }
        int k = 0;
        for (int d = 0; d < rank; d++) {
            if (squeeze[d]) {
                continue;
            }
            if (k >= out.rank() || out.dim(k) < in.dim(d)) {
                throw c.fail("output shape " + out.shape() + " cannot hold the squeezed input shape " + in.shape());
            }
            k++;
        }
        c.requireSameElementCount(in, out);
        return DataMovement.copyKernel(c);
    }

    /**
     * EXPAND_DIMS (expand_dims.cc): a constant int32 axis (its first value; negative ones + rank + 1) where the
     * output has a new dimension of size 1. Float32, int8 and int16.
     */
    static Kernel expandDims(OpContext c) {
        DataMovement.requireCounts(c, 2, 2, 1);
        Tensor in = c.input(0);
        Tensor out = c.output(0);
        DataMovement.requireCopy(c, in, "input", out, "output", TensorType.FLOAT32, TensorType.INT8, TensorType.INT16);
        Tensor axisTensor = c.input(1);
        if (axisTensor.rank() > 1) {
            throw c.fail("axis '" + Printable.name(axisTensor.name()) + "' has shape " + axisTensor.shape() + "; expected one value");
        }
        int[] axisValues = DataMovement.constantInts(c, 1, "axis", false);
        if (axisValues.length == 0) {
            throw c.fail("axis '" + Printable.name(axisTensor.name()) + "' is empty");
        }
        int rank = in.rank();
        int axis = axisValues[0] < 0 ? axisValues[0] + rank + 1 : axisValues[0];
        if (axis < 0 || axis > rank) {
            throw c.fail("axis " + axisValues[0] + " is out of range for input rank " + rank);
        }
        int[] expected = new int[rank + 1];
        for (int d = 0; d <= rank; d++) {
            expected[d] = d < axis ? in.dim(d) : d == axis ? 1 : in.dim(d - 1);
        }
        DataMovement.requireShape(c, out, "output", expected);
        return DataMovement.copyKernel(c);
    }
}
