package dev.tinysim.reference;

import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;

import java.util.ArrayList;
import java.util.List;
import dev.tinysim.text.Printable;

/**
 * STRIDED_SLICE as TFLite Micro runs it (strided_slice_common.cc, reference strided_slice.h and
 * strided_slice_logic.h): constant int32 begin, end and strides, one value per input dimension (rank 1 to 4);
 * begin_mask, end_mask and shrink_axis_mask. The output shape is checked with Prepare's StartForAxis /
 * StopForAxis; the elements are those of Eval's loops over the shape padded to 5-D
 * (StridedSliceStartForAxis / StridedSliceEndForAxis).
 *
 * <p>TFLite Micro sets ellipsis_mask and new_axis_mask to 0 and never passes the {@code offset} option to its
 * kernel, so a model that uses them would be computed as if they were absent: rejected here. A shrunk axis
 * whose Eval loop would not run (begin at or past the end of the axis, or a negative stride) would leave the
 * output unwritten in TFLite Micro: rejected too.
 */
final class StridedSliceKernel {

    private StridedSliceKernel() {
    }

    static Kernel create(OpContext c) {
        DataMovement.requireCounts(c, 4, 4, 1);
        Tensor in = c.input(0);
        Tensor out = c.output(0);
        DataMovement.requireCopy(c, in, "input", out, "output", TensorType.FLOAT32, TensorType.INT8,
                TensorType.INT16, TensorType.INT32, TensorType.BOOL);
        BuiltinOptions.StridedSlice o = c.options(BuiltinOptions.StridedSlice.class);
        if (o.ellipsisMask() != 0) {
            throw c.fail("ellipsis_mask " + o.ellipsisMask() + " is not supported: TFLite Micro ignores it and would"
                    + " compute a different slice than the model describes");
        }
        if (o.newAxisMask() != 0) {
            throw c.fail("new_axis_mask " + o.newAxisMask() + " is not supported: TFLite Micro ignores it and would"
                    + " compute a different slice than the model describes");
        }
        if (o.offset()) {
            throw c.fail("the offset option is not supported: TFLite Micro ignores it and would compute a"
                    + " different slice than the model describes");
        }
        int rank = in.rank();
        if (rank < 1 || rank > 4) {
            throw c.fail("input '" + Printable.name(in.name()) + "' has rank " + rank + "; STRIDED_SLICE supports ranks 1 to 4");
        }
        int[] begin = vector(c, 1, "begin", rank);
        int[] end = vector(c, 2, "end", rank);
        int[] strides = vector(c, 3, "strides", rank);
        int[] shape = in.shapeArray();
        List<Integer> expected = new ArrayList<>();
        for (int a = 0; a < rank; a++) {
            if (strides[a] == 0) {
                throw c.fail("stride of dimension " + a + " is 0");
            }
            boolean shrink = (o.shrinkAxisMask() & (1 << a)) != 0;
            int start = prepareStart(begin[a], strides[a], shape[a], (o.beginMask() & (1 << a)) != 0);
            int stop = shrink ? start + 1 : prepareStop(end[a], strides[a], shape[a], (o.endMask() & (1 << a)) != 0);
            int dim = (int) Math.ceil((stop - start) / (float) strides[a]);
            if (!shrink) {
                expected.add(Math.max(dim, 0));
            }
        }
        DataMovement.requireShape(c, out, "output", expected.stream().mapToInt(Integer::intValue).toArray());

        // Eval: the shape and the parameters padded to 5-D at the front (full ranges of size-1 dimensions).
        int pad = 5 - rank;
        int[] s5 = new int[5];
        int[][] offsets = new int[5][];
        for (int a = 0; a < 5; a++) {
            if (a < pad) {
                s5[a] = 1;
                offsets[a] = new int[] {0};
                continue;
            }
            int d = a - pad;
            s5[a] = shape[d];
            int stride = strides[d];
            int start = evalStart(begin[d], stride, shape[d], (o.beginMask() & (1 << d)) != 0);
            boolean shrink = (o.shrinkAxisMask() & (1 << d)) != 0;
            int stop;
            if (shrink) {
                stop = start >= shape[d] ? start : start + 1;
            } else {
                stop = evalStop(end[d], stride, shape[d], (o.endMask() & (1 << d)) != 0);
            }
            // the positions start, start + stride, ... while < stop (> stop for a negative stride); counted in
            // long arithmetic, since a stride may be any non-zero int
            long n = stride > 0 ? Math.max(0, ((long) stop - start + stride - 1) / stride)
                    : Math.max(0, ((long) start - stop - stride - 1) / -(long) stride);
            int[] positions = new int[(int) Math.min(n, Integer.MAX_VALUE)];
            for (int k = 0; k < positions.length; k++) {
                positions[k] = (int) (start + (long) k * stride);
            }
            if (shrink && positions.length != 1) {
                throw c.fail("shrinks dimension " + d + " with begin " + begin[d] + " and stride " + stride
                        + ", which selects no element of size " + shape[d] + " (TFLite Micro would leave the output"
                        + " unwritten)");
            }
            offsets[a] = positions;
        }
        int count = 1;
        for (int[] off : offsets) {
            count *= off.length;
        }
        if (count != out.elementCount()) {
            throw c.fail("selects " + count + " elements but the output has " + out.elementCount());
        }
        int[] map = new int[count];
        int k = 0;
        for (int i0 : offsets[0]) {
            for (int i1 : offsets[1]) {
                for (int i2 : offsets[2]) {
                    for (int i3 : offsets[3]) {
                        for (int i4 : offsets[4]) {
                            map[k++] = (((i0 * s5[1] + i1) * s5[2] + i2) * s5[3] + i3) * s5[4] + i4;
                        }
                    }
                }
            }
        }
        int i = c.inputIndex(0);
        int oi = c.outputIndex(0);
        return t -> t.set(oi, DataMovement.select(t.raw(i), map));
    }

    private static int[] vector(OpContext c, int input, String role, int rank) {
        int[] v = DataMovement.constantInts(c, input, role, false);
        if (v.length != rank) {
            throw c.fail(role + " '" + Printable.name(c.input(input).name()) + "' has " + v.length + " values; the input has rank " + rank);
        }
        return v;
    }

    private static int clamp(int v, int stride, int size) {
        return stride > 0 ? Math.clamp(v, 0, size) : Math.clamp(v, -1, size - 1);
    }

    /** strided_slice_logic.h StartForAxis (Prepare). */
    static int prepareStart(int begin, int stride, int size, boolean masked) {
        int start = begin;
        if (masked) {
            start = stride > 0 ? Integer.MIN_VALUE : Integer.MAX_VALUE;
        }
        if (start < 0) {
            start += size;
        }
        return clamp(start, stride, size);
    }

    /** strided_slice_logic.h StopForAxis (Prepare), for an axis that is not shrunk. */
    static int prepareStop(int end, int stride, int size, boolean masked) {
        int stop = end;
        if (masked) {
            stop = stride > 0 ? Integer.MAX_VALUE : Integer.MIN_VALUE;
        }
        if (stop < 0) {
            stop += size;
        }
        return clamp(stop, stride, size);
    }

    /** strided_slice_logic.h StridedSliceStartForAxis (Eval). */
    static int evalStart(int begin, int stride, int size, boolean masked) {
        int start = begin;
        if (start < 0) {
            start += size;
        }
        start = clamp(start, stride, size);
        if (masked) {
            start = stride > 0 ? 0 : size - 1;
        }
        return start;
    }

    /** strided_slice_logic.h StridedSliceEndForAxis (Eval), for an axis that is not shrunk, offset false. */
    static int evalStop(int end, int stride, int size, boolean masked) {
        int stop = end;
        if (stop < 0) {
            stop += size;
        }
        stop = clamp(stop, stride, size);
        if (masked) {
            stop = stride > 0 ? size : -1;
        }
        return stop;
    }
}
