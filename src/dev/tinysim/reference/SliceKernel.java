package dev.tinysim.reference;

import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;
import dev.tinysim.text.Printable;

/**
 * SLICE (TFLite Micro slice.cc, reference slice.h): begin and size, both int32 or both int64, one value per
 * input dimension (rank up to 5); size -1 means "to the end". TFLite Micro validates begin and size when it
 * runs (begin in [0, dim], size in [0, dim - begin]) and checks only that the output has as many elements as
 * the slice; the elements are written in row-major order of the slice. tinysim requires begin and size to be
 * constants (TFLite Micro also reads computed ones) and checks them before running.
 */
final class SliceKernel {

    private SliceKernel() {
    }

    static Kernel create(OpContext c) {
        DataMovement.requireCounts(c, 3, 3, 1);
        Tensor in = c.input(0);
        Tensor out = c.output(0);
        DataMovement.requireCopy(c, in, "input", out, "output", TensorType.FLOAT32, TensorType.INT32, TensorType.INT8,
                TensorType.INT16, TensorType.BOOL);
        Tensor beginTensor = c.input(1);
        Tensor sizeTensor = c.input(2);
        if (beginTensor.type() != sizeTensor.type()) {
            throw c.fail("begin '" + Printable.name(beginTensor.name()) + "' is " + beginTensor.type() + " but size '"
                    + Printable.name(sizeTensor.name()) + "' is " + sizeTensor.type() + "; they must have the same type");
        }
        int rank = in.rank();
        if (rank > 5) {
            throw c.fail("input '" + Printable.name(in.name()) + "' has rank " + rank + "; SLICE supports ranks up to 5");
        }
        for (Tensor t : new Tensor[] {beginTensor, sizeTensor}) {
            if (t.rank() != 1 || t.dim(0) != rank) {
                throw c.fail("'" + Printable.name(t.name()) + "' has shape " + t.shape() + ", expected [" + rank + "]");
            }
        }
        int[] begin = DataMovement.constantInts(c, 1, "begin", true);
        int[] size = DataMovement.constantInts(c, 2, "size", true);
        int[] shape = in.shapeArray();
        int[] stop = new int[rank];
        long count = 1;
        for (int d = 0; d < rank; d++) {
            if (begin[d] < 0 || begin[d] > shape[d]) {
                throw c.fail("begin " + begin[d] + " of dimension " + d + " is outside [0, " + shape[d] + "]");
            }
            int resolved = size[d] == -1 ? shape[d] - begin[d] : size[d];
            if (resolved < 0 || resolved > shape[d] - begin[d]) {
                throw c.fail("size " + size[d] + " of dimension " + d + " does not fit " + shape[d] + " - begin "
                        + begin[d]);
            }
            stop[d] = begin[d] + resolved;
            count *= resolved;
        }
        if (count != out.elementCount()) {
            throw c.fail("the slice has " + count + " elements but output '" + Printable.name(out.name()) + "' " + out.shape() + " has "
                    + out.elementCount());
        }
        int[] strides = DataMovement.strides(shape);
        int[] map = new int[(int) count];
        int[] pos = begin.clone();
        for (int k = 0; k < map.length; k++) {
            int src = 0;
            for (int d = 0; d < rank; d++) {
                src += pos[d] * strides[d];
            }
            map[k] = src;
            for (int d = rank - 1; d >= 0 && ++pos[d] == stop[d]; d--) {
                pos[d] = begin[d];
            }
        }
        int i = c.inputIndex(0);
        int o = c.outputIndex(0);
        return t -> t.set(o, DataMovement.select(t.raw(i), map));
    }
}
