package dev.tinysim.reference;

import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;
import dev.tinysim.text.Printable;

/**
 * RESIZE_NEAREST_NEIGHBOR (TFLite Micro resize_nearest_neighbor.cc and its reference kernel): 4-D NHWC input,
 * a constant int32 size [out_h, out_w]; every output pixel copies the input pixel {@link #nearest} picks in
 * each direction, with TFLite's float arithmetic. Float32, int8 and int16.
 */
final class ResizeNearestNeighborKernel {

    private ResizeNearestNeighborKernel() {
    }

    static Kernel create(OpContext c) {
        DataMovement.requireCounts(c, 2, 2, 1);
        BuiltinOptions.ResizeNearestNeighbor o = c.options(BuiltinOptions.ResizeNearestNeighbor.class);
        Tensor in = c.input(0);
        Tensor out = c.output(0);
        DataMovement.requireCopy(c, in, "input", out, "output", TensorType.FLOAT32, TensorType.INT8, TensorType.INT16);
        c.requireRank(in, "input", 4);
        Tensor sizeTensor = c.input(1);
        if (sizeTensor.rank() != 1 || sizeTensor.dim(0) != 2) {
            throw c.fail("size '" + Printable.name(sizeTensor.name()) + "' has shape " + sizeTensor.shape() + ", expected [2]");
        }
        int[] size = DataMovement.constantInts(c, 1, "size", false);
        int batches = in.dim(0);
        int inH = in.dim(1);
        int inW = in.dim(2);
        int depth = in.dim(3);
        DataMovement.requireShape(c, out, "output", new int[] {batches, size[0], size[1], depth});
        int[] ys = new int[size[0]];
        for (int y = 0; y < ys.length; y++) {
            ys[y] = nearest(y, inH, size[0], o.alignCorners(), o.halfPixelCenters());
        }
        int[] xs = new int[size[1]];
        for (int x = 0; x < xs.length; x++) {
            xs[x] = nearest(x, inW, size[1], o.alignCorners(), o.halfPixelCenters());
        }
        int[] map = new int[out.elementCount()];
        int k = 0;
        for (int b = 0; b < batches; b++) {
            for (int y : ys) {
                for (int x : xs) {
                    int from = ((b * inH + y) * inW + x) * depth;
                    for (int ch = 0; ch < depth; ch++) {
                        map[k++] = from + ch;
                    }
                }
            }
        }
        int i = c.inputIndex(0);
        int oi = c.outputIndex(0);
        return t -> t.set(oi, DataMovement.select(t.raw(i), map));
    }

    /** TFLite's GetNearestNeighbor, in float as TFLite computes it. */
    static int nearest(int value, int inSize, int outSize, boolean alignCorners, boolean halfPixelCenters) {
        float scale = alignCorners && outSize > 1 ? (inSize - 1) / (float) (outSize - 1) : inSize / (float) outSize;
        float offset = halfPixelCenters ? 0.5f : 0.0f;
        float v = (value + offset) * scale;
        int r = alignCorners ? (int) DeterministicMath.roundHalfAway(v) : (int) Math.floor(v);
        r = Math.min(r, inSize - 1);
        if (halfPixelCenters) {
            r = Math.max(0, r);
        }
        return r;
    }
}
