package dev.tinysim.reference;

import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;
import dev.tinysim.text.Printable;

/**
 * TRANSPOSE (TFLite Micro transpose.cc): output dimension d is input dimension perm[d]; perm is a constant
 * int32 vector. Float32, int8 and int16, rank 1 to 5. Stricter than TFLite Micro where its kernel would read
 * outside the input: perm must be a permutation and the output shape the permuted input shape.
 */
final class TransposeKernel {

    private TransposeKernel() {
    }

    static Kernel create(OpContext c) {
        DataMovement.requireCounts(c, 2, 2, 1);
        Tensor in = c.input(0);
        Tensor out = c.output(0);
        DataMovement.requireCopy(c, in, "input", out, "output", TensorType.FLOAT32, TensorType.INT8, TensorType.INT16);
        int rank = in.rank();
        if (rank < 1 || rank > 5) {
            throw c.fail("input '" + Printable.name(in.name()) + "' has rank " + rank + "; TRANSPOSE supports ranks 1 to 5");
        }
        Tensor permTensor = c.input(1);
        if (permTensor.rank() != 1 || permTensor.dim(0) != rank) {
            throw c.fail("perm '" + Printable.name(permTensor.name()) + "' has shape " + permTensor.shape() + ", expected [" + rank + "]");
        }
        int[] perm = DataMovement.constantInts(c, 1, "perm", false);
        boolean[] seen = new boolean[rank];
        int[] inShape = in.shapeArray();
        int[] outShape = new int[rank];
        for (int d = 0; d < rank; d++) {
            if (perm[d] < 0 || perm[d] >= rank || seen[perm[d]]) {
                throw c.fail("perm " + java.util.Arrays.toString(perm) + " is not a permutation of 0.." + (rank - 1));
            }
            seen[perm[d]] = true;
            outShape[d] = inShape[perm[d]];
        }
        DataMovement.requireShape(c, out, "output", outShape);
        int[] inStrides = DataMovement.strides(inShape);
        int[] map = new int[out.elementCount()];
        int[] pos = new int[rank];
        for (int k = 0; k < map.length; k++) {
            int src = 0;
            for (int d = 0; d < rank; d++) {
                src += pos[d] * inStrides[perm[d]];
            }
            map[k] = src;
            for (int d = rank - 1; d >= 0 && ++pos[d] == outShape[d]; d--) {
                pos[d] = 0;
            }
        }
        int i = c.inputIndex(0);
        int o = c.outputIndex(0);
        return t -> t.set(o, DataMovement.select(t.raw(i), map));
    }
}
