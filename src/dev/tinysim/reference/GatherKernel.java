package dev.tinysim.reference;

import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;

/**
 * GATHER (TFLite Micro gather.cc): float32 or int8 params, int32 positions, {@code axis} and
 * {@code batch_dims} from the options with TFLite Micro's Prepare checks. Output shape
 * params[:axis] + positions[batch_dims:] + params[axis+1:]. Positions may be computed at run time; each must be
 * in [0, params dimension axis), else the run fails (TFLite Micro's Eval returns an error); constant positions
 * are checked once, before running.
 */
final class GatherKernel {

    private GatherKernel() {
    }

    static Kernel create(OpContext c) {
        DataMovement.requireCounts(c, 2, 2, 1);
        BuiltinOptions.Gather o = c.options(BuiltinOptions.Gather.class);
        Tensor in = c.input(0);
        Tensor coords = c.input(1);
        Tensor out = c.output(0);
        c.requireType(coords, "positions", TensorType.INT32);
        DataMovement.requireCopy(c, in, "params", out, "output", TensorType.FLOAT32, TensorType.INT8);
        int rank = in.rank();
        int axis = o.axis() < 0 ? o.axis() + rank : o.axis();
        if (axis < 0 || axis >= rank) {
            throw c.fail("axis " + o.axis() + " is out of range for params rank " + rank);
        }
        int batchDims = o.batchDims() < 0 ? o.batchDims() + coords.rank() : o.batchDims();
        if (batchDims < 0 || batchDims > axis || batchDims >= rank || batchDims > coords.rank()) {
            throw c.fail("batch_dims " + o.batchDims() + " is out of range for axis " + axis + ", params rank " + rank
                    + " and positions rank " + coords.rank());
        }
        for (int d = 0; d < batchDims; d++) {
            if (in.dim(d) != coords.dim(d)) {
                throw c.fail("batch dimension " + d + " differs: params " + in.shape() + ", positions " + coords.shape());
            }
        }
        int[] shape = in.shapeArray();
        int[] expected = new int[rank + coords.rank() - 1 - batchDims];
        int e = 0;
        for (int d = 0; d < axis; d++) {
            expected[e++] = shape[d];
        }
        for (int d = batchDims; d < coords.rank(); d++) {
            expected[e++] = coords.dim(d);
        }
        for (int d = axis + 1; d < rank; d++) {
            expected[e++] = shape[d];
        }
        DataMovement.requireShape(c, out, "output", expected);
        Geometry g = new Geometry(DataMovement.product(shape, 0, batchDims), DataMovement.product(shape, batchDims, axis),
                shape[axis], DataMovement.product(shape, axis + 1, rank),
                DataMovement.product(coords.shapeArray(), batchDims, coords.rank()));
        int i = c.inputIndex(0);
        int p = c.inputIndex(1);
        int oi = c.outputIndex(0);
        if (c.model.isConstant(coords)) {
            int[] map = g.map((int[]) c.constant(1, "positions"), c);
            return t -> t.set(oi, DataMovement.select(t.raw(i), map));
        }
        return t -> t.set(oi, DataMovement.select(t.raw(i), g.map(t.i32(p), c)));
    }

    /** TFLite Micro's loop bounds: batch, outer, axis and inner sizes of params, positions per batch. */
    private record Geometry(int batches, int outer, int axisSize, int inner, int coordsPerBatch) {

        /** For each output element, the params element it copies; fails on a position outside the axis. */
        int[] map(int[] positions, OpContext c) {
            int[] map = new int[batches * outer * coordsPerBatch * inner];
            int k = 0;
            for (int b = 0; b < batches; b++) {
                for (int a = 0; a < outer; a++) {
                    for (int q = 0; q < coordsPerBatch; q++) {
                        int v = positions[b * coordsPerBatch + q];
                        if (v < 0 || v >= axisSize) {
                            throw c.fail("position " + v + " (element " + (b * coordsPerBatch + q) + " of the positions)"
                                    + " is outside [0, " + axisSize + ")");
                        }
                        int from = ((b * outer + a) * axisSize + v) * inner;
                        for (int x = 0; x < inner; x++) {
                            map[k++] = from + x;
                        }
                    }
                }
            }
            return map;
        }
    }
}
