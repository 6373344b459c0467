package dev.tinysim.reference;

import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;
import dev.tinysim.text.Printable;

/**
 * PACK (TFLite Micro pack.cc): values_count inputs of one shape stacked along a new output dimension
 * {@code axis} (options; negative + output rank). Float32, int8, int16, int32 and int64. TFLite Micro reads
 * values_count inputs and trusts the shapes; tinysim requires values_count to be the input count and every
 * shape to fit.
 */
final class PackKernel {

    private PackKernel() {
    }

    static Kernel create(OpContext c) {
        BuiltinOptions.Pack o = c.options(BuiltinOptions.Pack.class);
        int n = c.inputCount();
        DataMovement.requireCounts(c, 1, Integer.MAX_VALUE, 1);
        if (o.valuesCount() != n) {
            throw c.fail("values_count " + o.valuesCount() + " differs from the input count " + n);
        }
        Tensor out = c.output(0);
        int rank = out.rank();
        int axis = o.axis() < 0 ? o.axis() + rank : o.axis();
        if (axis < 0 || axis >= rank) {
            throw c.fail("axis " + o.axis() + " is out of range for output rank " + rank);
        }
        int[] shape = out.shapeArray();
        if (shape[axis] != n) {
            throw c.fail("output '" + Printable.name(out.name()) + "' has " + shape[axis] + " positions along axis " + axis + " for "
                    + n + " inputs");
        }
        int[] inShape = new int[rank - 1];
        for (int d = 0, k = 0; d < rank; d++) {
            if (d != axis) {
                inShape[k++] = shape[d];
            }
        }
        int[] inputs = new int[n];
        for (int k = 0; k < n; k++) {
            Tensor in = c.input(k);
            DataMovement.requireCopy(c, in, "input " + k, out, "output", TensorType.FLOAT32, TensorType.INT8,
                    TensorType.INT16, TensorType.INT32, TensorType.INT64);
            DataMovement.requireShape(c, in, "input " + k, inShape);
            inputs[k] = c.inputIndex(k);
        }
        int outer = DataMovement.product(shape, 0, axis);
        int block = DataMovement.product(shape, axis + 1, rank);
        int o2 = c.outputIndex(0);
        return t -> {
            Object r = ConvKernel.newOutput(t, o2, out);
            for (int k = 0; k < n; k++) {
                Object x = t.raw(inputs[k]);
                for (int a = 0; a < outer; a++) {
                    System.arraycopy(x, a * block, r, (a * n + k) * block, block);
                }
            }
        };
    }
}
