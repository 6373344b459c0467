package dev.tinysim.reference;

import dev.tinysim.tflite.Tensor;
import dev.tinysim.text.Printable;

/**
 * BROADCAST_TO (TFLite Micro broadcast_to.cc, reference BroadcastTo, at most 5 dimensions): the input copied to the
 * shape given by the constant int32 or int64 vector input 1, numpy rules (the input right-aligned, each of its
 * dimensions 1 or the target's). Any stored type; input and output quantization equal, as every byte copy. The
 * runtime's twin: prepare_broadcast_to in firmware-images/runtime/ts_ops_shape.c.
 */
final class BroadcastToKernel {

    private BroadcastToKernel() {
    }

    static Kernel create(OpContext c) {
        DataMovement.requireCounts(c, 2, 2, 1);
        Tensor in = c.input(0);
        Tensor out = c.output(0);
        DataMovement.requireCopy(c, in, "input", out, "output", DataMovement.STORED_TYPES);
        Tensor shapeTensor = c.input(1);
        if (shapeTensor.rank() != 1) {
            throw c.fail("shape '" + Printable.name(shapeTensor.name()) + "' has shape " + shapeTensor.shape() + "; expected a vector");
        }
        int[] shape = DataMovement.constantInts(c, 1, "shape", true);
        int n = shape.length;
        if (n > 5 || in.rank() > n) {
            throw c.fail("target rank " + n + " is above 5 or below the input's rank " + in.rank());
        }
        DataMovement.requireShape(c, out, "output", shape);
        int off = n - in.rank();
        int[] inStrides = DataMovement.strides(in.shapeArray());
        int[] step = new int[n];
        for (int d = 0; d < n; d++) {
            int id = d >= off ? in.dim(d - off) : 1;
            if (id != 1 && id != shape[d]) {
                throw c.fail("input shape " + in.shape() + " does not broadcast to " + java.util.Arrays.toString(shape));
            }
            step[d] = id == 1 ? 0 : inStrides[d - off];
        }
        int[] map = new int[out.elementCount()];
        int[] pos = new int[n];
        for (int k = 0; k < map.length; k++) {
            int src = 0;
            for (int d = 0; d < n; d++) {
                src += pos[d] * step[d];
            }
            map[k] = src;
            for (int d = n - 1; d >= 0 && ++pos[d] == shape[d]; d--) {
                pos[d] = 0;
            }
        }
        int i = c.inputIndex(0);
        int o = c.outputIndex(0);
        return t -> t.set(o, DataMovement.select(t.raw(i), map));
    }
}
