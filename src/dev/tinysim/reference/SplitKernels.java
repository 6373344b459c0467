package dev.tinysim.reference;

import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;
import dev.tinysim.text.Printable;

/**
 * The operators with several outputs: SPLIT, SPLIT_V and UNPACK (TFLite Micro split.cc, split_v.cc,
 * unpack.cc). Each output is a block of consecutive positions along one axis of the input. Float32, int8,
 * int16 and int32.
 */
final class SplitKernels {

    private static final TensorType[] TYPES = {TensorType.FLOAT32, TensorType.INT8, TensorType.INT16, TensorType.INT32};

    private SplitKernels() {
    }

    /**
     * SPLIT: inputs (axis, input); a constant int32 axis (its first value, negative + rank); every output
     * takes input_dim / outputs positions along it. num_splits is not read (TFLite Micro uses the output count).
     */
    static Kernel split(OpContext c) {
        int n = c.op.outputs().size();
        DataMovement.requireCounts(c, 2, 2, Math.max(n, 1));
        Tensor in = c.input(1);
        int axis = axis(c, 0, in);
        if (in.dim(axis) % n != 0) {
            throw c.fail("dimension " + axis + " of input '" + Printable.name(in.name()) + "' (" + in.dim(axis) + ") does not split into "
                    + n + " equal parts");
        }
        int[] sizes = new int[n];
        java.util.Arrays.fill(sizes, in.dim(axis) / n);
        return blocks(c, in, c.inputIndex(1), axis, sizes);
    }

    /**
     * SPLIT_V: inputs (input, size_splits, axis); a constant int32 axis; each output takes as many positions
     * as its own shape says, in order. TFLite Micro never reads size_splits (the output shapes decide), nor
     * does tinysim.
     */
    static Kernel splitV(OpContext c) {
        int n = c.op.outputs().size();
        DataMovement.requireCounts(c, 3, 3, Math.max(n, 1));
        Tensor in = c.input(0);
        int axis = axis(c, 2, in);
        int[] sizes = new int[n];
        int total = 0;
        for (int k = 0; k < n; k++) {
            Tensor out = c.output(k);
            sizes[k] = out.rank() == in.rank() ? out.dim(axis) : -1;
            if (sizes[k] < 1) {
                throw c.fail("output " + k + " '" + Printable.name(out.name()) + "' has shape " + out.shape() + ", which is no part of input "
                        + in.shape() + " along dimension " + axis);
            }
            total += sizes[k];
        }
        if (total != in.dim(axis)) {
            throw c.fail("the outputs add up to " + total + " along dimension " + axis + " but the input has "
                    + in.dim(axis));
        }
        return blocks(c, in, c.inputIndex(0), axis, sizes);
    }

    /**
     * UNPACK: output k is the input at position k along {@code axis} (options; negative + rank), that dimension
     * removed. {@code num} must equal the output count and the size of that dimension.
     */
    static Kernel unpack(OpContext c) {
        BuiltinOptions.Unpack o = c.options(BuiltinOptions.Unpack.class);
        int n = c.op.outputs().size();
        DataMovement.requireCounts(c, 1, 1, Math.max(n, 1));
        Tensor in = c.input(0);
        int rank = in.rank();
        int axis = o.axis() < 0 ? o.axis() + rank : o.axis();
        if (axis < 0 || axis >= rank) {
            throw c.fail("axis " + o.axis() + " is out of range for input rank " + rank);
        }
        if (o.num() != n || in.dim(axis) != n) {
            throw c.fail("num " + o.num() + " must equal the output count " + n + " and dimension " + axis
                    + " of input " + in.shape());
        }
        int[] shape = in.shapeArray();
        int[] outShape = new int[rank - 1];
        for (int d = 0, k = 0; d < rank; d++) {
            if (d != axis) {
                outShape[k++] = shape[d];
            }
        }
        int outer = DataMovement.product(shape, 0, axis);
        int inner = DataMovement.product(shape, axis + 1, rank);
        int[] outputs = new int[n];
        int[][] maps = new int[n][];
        for (int k = 0; k < n; k++) {
            Tensor out = c.output(k);
            DataMovement.requireCopy(c, in, "input", out, "output " + k, TYPES);
            DataMovement.requireShape(c, out, "output " + k, outShape);
            int[] map = new int[outer * inner];
            for (int a = 0; a < outer; a++) {
                for (int b = 0; b < inner; b++) {
                    map[a * inner + b] = (a * n + k) * inner + b;
                }
            }
            maps[k] = map;
            outputs[k] = c.outputIndex(k);
        }
        return run(c.inputIndex(0), outputs, maps);
    }

    private static int axis(OpContext c, int input, Tensor in) {
        Tensor axisTensor = c.input(input);
        int[] v = DataMovement.constantInts(c, input, "axis", false);
        if (v.length == 0) {
            throw c.fail("axis '" + Printable.name(axisTensor.name()) + "' is empty");
        }
        int axis = v[0] < 0 ? v[0] + in.rank() : v[0];
        if (axis < 0 || axis >= in.rank()) {
            throw c.fail("axis " + v[0] + " is out of range for input rank " + in.rank());
        }
        return axis;
    }

    /** Outputs that take consecutive blocks of {@code sizes[k]} positions along {@code axis}, in order. */
    private static Kernel blocks(OpContext c, Tensor in, int inputIndex, int axis, int[] sizes) {
        int[] shape = in.shapeArray();
        int outer = DataMovement.product(shape, 0, axis);
        int inner = DataMovement.product(shape, axis + 1, shape.length);
        int[] outputs = new int[sizes.length];
        int[][] maps = new int[sizes.length][];
        int first = 0;
        for (int k = 0; k < sizes.length; k++) {
            Tensor out = c.output(k);
            DataMovement.requireCopy(c, in, "input", out, "output " + k, TYPES);
            int[] expected = shape.clone();
            expected[axis] = sizes[k];
            DataMovement.requireShape(c, out, "output " + k, expected);
            int block = sizes[k] * inner;
            int[] map = new int[outer * block];
            for (int a = 0; a < outer; a++) {
                for (int b = 0; b < block; b++) {
                    map[a * block + b] = (a * shape[axis] + first) * inner + b;
                }
            }
            first += sizes[k];
            maps[k] = map;
            outputs[k] = c.outputIndex(k);
        }
        return run(inputIndex, outputs, maps);
    }

    private static Kernel run(int input, int[] outputs, int[][] maps) {
        return t -> {
            Object x = t.raw(input);
            for (int k = 0; k < outputs.length; k++) {
                t.set(outputs[k], DataMovement.select(x, maps[k]));
            }
        };
    }
}
