package dev.tinysim.reference;

import dev.tinysim.tflite.BuiltinOperator;
import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.ModelBuilder;
import dev.tinysim.tflite.Quantization;
import dev.tinysim.tflite.TensorType;
import dev.tinysim.tflite.TfliteModel;
import dev.tinysim.tflite.TfliteReader;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import static dev.tinysim.reference.SingleOp.bytes;
import static dev.tinysim.reference.SingleOp.ints;
import static dev.tinysim.reference.SingleOp.shape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TRANSPOSE, STRIDED_SLICE, SLICE, SQUEEZE, EXPAND_DIMS, SPLIT, SPLIT_V, UNPACK, PACK, GATHER,
 * RESIZE_NEAREST_NEIGHBOR, ARG_MAX and RESHAPE int16. Where a case says "TFLM x_test.cc Name", its input and
 * expected output are that test's arrays (tensorflow/lite/micro/kernels/x_test.cc); the others are derived by
 * hand in the comments.
 */
class DataMovementOperatorsTest {

    private static final Quantization Q8 = Quantization.perTensor(0.5f, -3);
    private static final Quantization Q16 = Quantization.perTensor(0.001f, 0);

    // ---------------------------------------------------------------- TRANSPOSE

    @Test
    void transposeMovesDimensionsByThePermutation() {
        // [2, 3] values 0..5, perm [1, 0]: out[j][i] = in[i][j].
        SingleOp s = new SingleOp();
        int in = s.input(s.builder.addTensor("in", TensorType.INT8, shape(2, 3), Q8));
        int perm = s.builder.addInt32Constant("perm", shape(2), Quantization.NONE, 1, 0);
        int out = s.builder.addTensor("out", TensorType.INT8, shape(3, 2), Q8);
        s.op(BuiltinOperator.TRANSPOSE, new BuiltinOptions.NoFields(BuiltinOptions.TRANSPOSE), new int[] {in, perm}, out);
        assertArrayEquals(new int[] {0, 3, 1, 4, 2, 5}, ints(s.run(bytes(0, 1, 2, 3, 4, 5))));

        // [2, 2, 3] values 0..11, perm [2, 0, 1]: out[k][i][j] = in[i][j][k] = 6i + 3j + k.
        SingleOp f = new SingleOp();
        int fin = f.input(f.builder.addTensor("in", TensorType.FLOAT32, shape(2, 2, 3)));
        int fperm = f.builder.addInt32Constant("perm", shape(3), Quantization.NONE, 2, 0, 1);
        int fout = f.builder.addTensor("out", TensorType.FLOAT32, shape(3, 2, 2));
        f.op(BuiltinOperator.TRANSPOSE, new BuiltinOptions.NoFields(BuiltinOptions.TRANSPOSE), new int[] {fin, fperm}, fout);
        assertArrayEquals(new float[] {0, 3, 6, 9, 1, 4, 7, 10, 2, 5, 8, 11},
                f.runFloat(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}));
    }

    @Test
    void transposeInt16AndItsRejections() {
        SingleOp s = new SingleOp();
        int in = s.input(s.builder.addTensor("in", TensorType.INT16, shape(2, 2), Q16));
        int perm = s.builder.addInt32Constant("perm", shape(2), Quantization.NONE, 1, 0);
        int out = s.builder.addTensor("out", TensorType.INT16, shape(2, 2), Q16);
        s.op(BuiltinOperator.TRANSPOSE, new BuiltinOptions.NoFields(BuiltinOptions.TRANSPOSE), new int[] {in, perm}, out);
        assertArrayEquals(shorts(-32768, 300, 7, 32767), s.run(shorts(-32768, 7, 300, 32767)));

        assertRejected("perm [0, 0] is not a permutation", b -> {
            int x = b.addTensor("in", TensorType.FLOAT32, shape(2, 2));
            int p = b.addInt32Constant("perm", shape(2), Quantization.NONE, 0, 0);
            int o = b.addTensor("out", TensorType.FLOAT32, shape(2, 2));
            b.addOperator(BuiltinOperator.TRANSPOSE, new BuiltinOptions.NoFields(BuiltinOptions.TRANSPOSE),
                    new int[] {x, p}, new int[] {o});
            return new int[] {x, o};
        });
        assertRejected("has type INT32, expected [FLOAT32, INT8, INT16]", b -> {
            int x = b.addTensor("in", TensorType.INT32, shape(2));
            int p = b.addInt32Constant("perm", shape(1), Quantization.NONE, 0);
            int o = b.addTensor("out", TensorType.INT32, shape(2));
            b.addOperator(BuiltinOperator.TRANSPOSE, new BuiltinOptions.NoFields(BuiltinOptions.TRANSPOSE),
                    new int[] {x, p}, new int[] {o});
            return new int[] {x, o};
        });
    }

    // ---------------------------------------------------------------- STRIDED_SLICE

    /** One float STRIDED_SLICE on {@code input} of shape {@code inShape}. */
    private static float[] stridedSlice(int[] inShape, float[] input, int[] begin, int[] end, int[] strides,
                                        int beginMask, int endMask, int shrinkMask, int[] outShape) {
        SingleOp s = new SingleOp();
        int in = s.input(s.builder.addTensor("in", TensorType.FLOAT32, inShape));
        int n = begin.length;
        int b = s.builder.addInt32Constant("begin", shape(n), Quantization.NONE, begin);
        int e = s.builder.addInt32Constant("end", shape(n), Quantization.NONE, end);
        int st = s.builder.addInt32Constant("strides", shape(n), Quantization.NONE, strides);
        int out = s.builder.addTensor("out", TensorType.FLOAT32, outShape);
        s.op(BuiltinOperator.STRIDED_SLICE, new BuiltinOptions.StridedSlice(beginMask, endMask, 0, 0, shrinkMask, false),
                new int[] {in, b, e, st}, out);
        return s.runFloat(input);
    }

    @Test
    void stridedSliceMatchesTflmTestVectors() {
        float[] x4 = {1, 2, 3, 4};
        // TFLM strided_slice_test.cc In1D_OutOfRangeBegin, In1D_NegativeEnd, In1D_OutOfRangeEnd, In1D_BeginMask,
        // In1D_NegativeBeginNegativeStride, In1D_OutOfRangeBeginNegativeStride, In1D_NegativeEndNegativeStride,
        // In1D_OutOfRangeEndNegativeStride, In1D_EndMask
        assertArrayEquals(new float[] {1, 2, 3}, stridedSlice(shape(4), x4, vec(-5), vec(3), vec(1), 0, 0, 0, shape(3)));
        assertArrayEquals(new float[] {2}, stridedSlice(shape(4), x4, vec(1), vec(-2), vec(1), 0, 0, 0, shape(1)));
        assertArrayEquals(new float[] {2, 3, 4}, stridedSlice(shape(4), x4, vec(-3), vec(5), vec(1), 0, 0, 0, shape(3)));
        assertArrayEquals(new float[] {1, 2, 3}, stridedSlice(shape(4), x4, vec(1), vec(3), vec(1), 1, 0, 0, shape(3)));
        assertArrayEquals(new float[] {3}, stridedSlice(shape(4), x4, vec(-2), vec(-3), vec(-1), 0, 0, 0, shape(1)));
        assertArrayEquals(new float[] {4}, stridedSlice(shape(4), x4, vec(5), vec(2), vec(-1), 0, 0, 0, shape(1)));
        assertArrayEquals(new float[] {3, 2}, stridedSlice(shape(4), x4, vec(2), vec(-4), vec(-1), 0, 0, 0, shape(2)));
        assertArrayEquals(new float[] {2, 1}, stridedSlice(shape(4), x4, vec(-3), vec(-5), vec(-1), 0, 0, 0, shape(2)));
        assertArrayEquals(new float[] {2, 3, 4}, stridedSlice(shape(4), x4, vec(1), vec(3), vec(1), 0, 1, 0, shape(3)));
        // In1D_NegStride, In1D_OddLenStride2
        assertArrayEquals(new float[] {3, 2, 1}, stridedSlice(shape(3), new float[] {1, 2, 3}, vec(-1), vec(-4), vec(-1),
                0, 0, 0, shape(3)));
        assertArrayEquals(new float[] {1, 3}, stridedSlice(shape(3), new float[] {1, 2, 3}, vec(0), vec(3), vec(2),
                0, 0, 0, shape(2)));
        // In2D, In2D_Stride2, In2D_NegStride, In2D_BeginMask, In2D_EndMask, In2D_NegStrideBeginMask,
        // In2D_NegStrideEndMask
        float[] x6 = {1, 2, 3, 4, 5, 6};
        assertArrayEquals(new float[] {4, 5}, stridedSlice(shape(2, 3), x6, vec(1, 0), vec(2, 2), vec(1, 1), 0, 0, 0,
                shape(1, 2)));
        assertArrayEquals(new float[] {1, 3}, stridedSlice(shape(2, 3), x6, vec(0, 0), vec(2, 3), vec(2, 2), 0, 0, 0,
                shape(1, 2)));
        assertArrayEquals(new float[] {6, 5, 4}, stridedSlice(shape(2, 3), x6, vec(1, -1), vec(2, -4), vec(2, -1),
                0, 0, 0, shape(1, 3)));
        assertArrayEquals(new float[] {1, 2, 4, 5}, stridedSlice(shape(2, 3), x6, vec(1, 0), vec(2, 2), vec(1, 1),
                1, 0, 0, shape(2, 2)));
        assertArrayEquals(new float[] {4, 5, 6}, stridedSlice(shape(2, 3), x6, vec(1, 0), vec(2, 2), vec(1, 1),
                0, 2, 0, shape(1, 3)));
        assertArrayEquals(new float[] {6, 5, 4}, stridedSlice(shape(2, 3), x6, vec(1, -2), vec(2, -4), vec(1, -1),
                2, 0, 0, shape(1, 3)));
        assertArrayEquals(new float[] {5, 4}, stridedSlice(shape(2, 3), x6, vec(1, -2), vec(2, -3), vec(1, -1),
                0, 2, 0, shape(1, 2)));
        // In3D_Strided2: [2, 3, 2] values 1..12, stride 2 everywhere -> {1, 5}
        assertArrayEquals(new float[] {1, 5}, stridedSlice(shape(2, 3, 2),
                new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, vec(0, 0, 0), vec(2, 3, 2), vec(2, 2, 2), 0, 0, 0,
                shape(1, 2, 1)));
    }

    @Test
    void stridedSliceWithExtremeStridesSelectsOneElement() {
        float[] x4 = {1, 2, 3, 4};
        // begin 3, end 4, stride 2^31 - 1: one position, 3 -> {4}; begin 1, end -5 (-> -1), stride -2^31: 1 -> {2}
        assertArrayEquals(new float[] {4}, stridedSlice(shape(4), x4, vec(3), vec(4), vec(Integer.MAX_VALUE), 0, 0, 0,
                shape(1)));
        assertArrayEquals(new float[] {2}, stridedSlice(shape(4), x4, vec(1), vec(-5), vec(Integer.MIN_VALUE), 0, 0, 0,
                shape(1)));
    }

    @Test
    void stridedSliceShrinksAxes() {
        float[] x6 = {1, 2, 3, 4, 5, 6};
        // [2, 3], shrink axis 0 at row 1: the row {4, 5, 6}, rank 1; the end value of a shrunk axis is not read.
        assertArrayEquals(new float[] {4, 5, 6}, stridedSlice(shape(2, 3), x6, vec(1, 0), vec(0, 3), vec(1, 1),
                0, 0, 1, shape(3)));
        // shrink both: begin (-1, -2) = element [1][1] = 5, a scalar.
        assertArrayEquals(new float[] {5}, stridedSlice(shape(2, 3), x6, vec(-1, -2), vec(0, 0), vec(1, 1),
                0, 0, 3, shape()));
        // TFLite Micro clamps a shrunk begin below the axis to 0 (forward stride): element [0][2] = 3.
        assertArrayEquals(new float[] {3}, stridedSlice(shape(2, 3), x6, vec(-7, 2), vec(0, 3), vec(1, 1),
                0, 0, 1, shape(1)));
    }

    @Test
    void stridedSliceRejectsWhatTflmWouldComputeDifferently() {
        for (int[] masks : new int[][] {{1, 0, 0}, {0, 1, 0}}) {
            String what = masks[0] != 0 ? "ellipsis_mask 1 is not supported" : "new_axis_mask 1 is not supported";
            assertRejected(what, b -> stridedSliceModel(b, new BuiltinOptions.StridedSlice(0, 0, masks[0], masks[1], 0,
                    false), vec(0), vec(2), vec(1), shape(2)));
        }
        assertRejected("the offset option is not supported", b -> stridedSliceModel(b,
                new BuiltinOptions.StridedSlice(0, 0, 0, 0, 0, true), vec(0), vec(2), vec(1), shape(2)));
        // a shrunk axis with begin past its end, or a negative stride, selects nothing in TFLite Micro's Eval
        assertRejected("which selects no element", b -> stridedSliceModel(b,
                new BuiltinOptions.StridedSlice(0, 0, 0, 0, 1, false), vec(4), vec(5), vec(1), shape()));
        assertRejected("which selects no element", b -> stridedSliceModel(b,
                new BuiltinOptions.StridedSlice(0, 0, 0, 0, 1, false), vec(1), vec(0), vec(-1), shape()));
        assertRejected("stride of dimension 0 is 0", b -> stridedSliceModel(b,
                new BuiltinOptions.StridedSlice(0, 0, 0, 0, 0, false), vec(0), vec(2), vec(0), shape(2)));
        assertRejected("output 'out' has shape [3], expected [2]", b -> stridedSliceModel(b,
                new BuiltinOptions.StridedSlice(0, 0, 0, 0, 0, false), vec(0), vec(2), vec(1), shape(3)));
    }

    private static int[] stridedSliceModel(ModelBuilder b, BuiltinOptions.StridedSlice o, int[] begin, int[] end,
                                           int[] strides, int[] outShape) {
        int x = b.addTensor("in", TensorType.FLOAT32, shape(4));
        int bt = b.addInt32Constant("begin", shape(1), Quantization.NONE, begin);
        int et = b.addInt32Constant("end", shape(1), Quantization.NONE, end);
        int st = b.addInt32Constant("strides", shape(1), Quantization.NONE, strides);
        int out = b.addTensor("out", TensorType.FLOAT32, outShape);
        b.addOperator(BuiltinOperator.STRIDED_SLICE, o, new int[] {x, bt, et, st}, new int[] {out});
        return new int[] {x, out};
    }

    // ---------------------------------------------------------------- SLICE

    @Test
    void sliceWithSizeMinusOneAndInt64Indices() {
        // [3, 2, 3, 1] = 1,1,1, 2,2,2, 3,3,3, 4,4,4, 5,5,5, 6,6,6; begin (1,0,0,0), size (2,1,-1,1):
        // rows 1 and 2 of dimension 0, row 0 of dimension 1, all 3 of dimension 2 -> 3,3,3, 5,5,5.
        for (boolean int64 : new boolean[] {false, true}) {
            SingleOp s = new SingleOp();
            int in = s.input(s.builder.addTensor("in", TensorType.INT8, shape(3, 2, 3, 1), Q8));
            int b = int64 ? s.builder.addInt64Constant("begin", shape(4), Quantization.NONE, 1, 0, 0, 0)
                    : s.builder.addInt32Constant("begin", shape(4), Quantization.NONE, 1, 0, 0, 0);
            int z = int64 ? s.builder.addInt64Constant("size", shape(4), Quantization.NONE, 2, 1, -1, 1)
                    : s.builder.addInt32Constant("size", shape(4), Quantization.NONE, 2, 1, -1, 1);
            int out = s.builder.addTensor("out", TensorType.INT8, shape(2, 1, 3, 1), Q8);
            s.op(BuiltinOperator.SLICE, new BuiltinOptions.NoFields(BuiltinOptions.SLICE), new int[] {in, b, z}, out);
            assertArrayEquals(new int[] {3, 3, 3, 5, 5, 5},
                    ints(s.run(bytes(1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 6))));
        }
        assertRejected("size 3 of dimension 0 does not fit 4 - begin 2", b -> {
            int x = b.addTensor("in", TensorType.FLOAT32, shape(4));
            int bt = b.addInt32Constant("begin", shape(1), Quantization.NONE, 2);
            int st = b.addInt32Constant("size", shape(1), Quantization.NONE, 3);
            int out = b.addTensor("out", TensorType.FLOAT32, shape(3));
            b.addOperator(BuiltinOperator.SLICE, new BuiltinOptions.NoFields(BuiltinOptions.SLICE), new int[] {x, bt, st},
                    new int[] {out});
            return new int[] {x, out};
        });
    }

    // ---------------------------------------------------------------- SQUEEZE, EXPAND_DIMS, RESHAPE

    @Test
    void squeezeExpandDimsAndReshapeCopyValues() {
        SingleOp s = new SingleOp();
        int in = s.input(s.builder.addTensor("in", TensorType.BOOL, shape(1, 3, 1)));
        int out = s.builder.addTensor("out", TensorType.BOOL, shape(3, 1));
        s.op(BuiltinOperator.SQUEEZE, new BuiltinOptions.Squeeze(List.of(-3)), new int[] {in}, out);
        assertArrayEquals(bytes(1, 0, 1), s.run(bytes(1, 0, 1)));

        SingleOp e = new SingleOp();
        int ein = e.input(e.builder.addTensor("in", TensorType.INT16, shape(2, 2), Q16));
        int axis = e.builder.addInt32Constant("axis", shape(), Quantization.NONE, -2); // -2 + rank 2 + 1 = 1
        int eout = e.builder.addTensor("out", TensorType.INT16, shape(2, 1, 2), Q16);
        e.op(BuiltinOperator.EXPAND_DIMS, new BuiltinOptions.NoFields(BuiltinOptions.EXPAND_DIMS), new int[] {ein, axis}, eout);
        assertArrayEquals(shorts(1, -2, 3, -4), e.run(shorts(1, -2, 3, -4)));

        SingleOp r = new SingleOp();
        int rin = r.input(r.builder.addTensor("in", TensorType.INT16, shape(2, 3), Q16));
        int rout = r.builder.addTensor("out", TensorType.INT16, shape(3, 2), Q16);
        r.op(BuiltinOperator.RESHAPE, new BuiltinOptions.Reshape(List.of(3, 2)), new int[] {rin}, rout);
        assertArrayEquals(shorts(9, 8, 7, -6, -5, -4), r.run(shorts(9, 8, 7, -6, -5, -4)));

        assertRejected("squeeze dimension 0 is not a dimension of size 1", b -> {
            int x = b.addTensor("in", TensorType.FLOAT32, shape(2, 1));
            int o = b.addTensor("out", TensorType.FLOAT32, shape(2));
            b.addOperator(BuiltinOperator.SQUEEZE, new BuiltinOptions.Squeeze(List.of(0)), new int[] {x}, new int[] {o});
            return new int[] {x, o};
        });
        assertRejected("must share quantization parameters", b -> {
            int x = b.addTensor("in", TensorType.INT16, shape(2), Q16);
            int o = b.addTensor("out", TensorType.INT16, shape(1, 2), Quantization.perTensor(0.002f, 0));
            b.addOperator(BuiltinOperator.RESHAPE, new BuiltinOptions.Reshape(List.of(1, 2)), new int[] {x}, new int[] {o});
            return new int[] {x, o};
        });
    }

    // ---------------------------------------------------------------- SPLIT, SPLIT_V, UNPACK, PACK

    @Test
    void splitGivesEveryOutputItsBlock() {
        // [2, 2, 2, 2] values 1..16 split in 2 along axis 1 (written -3): rows (1..4, 9..12) and (5..8, 13..16).
        ModelBuilder b = new ModelBuilder();
        int axis = b.addInt32Constant("axis", shape(), Quantization.NONE, -3);
        int in = b.addTensor("in", TensorType.FLOAT32, shape(2, 2, 2, 2));
        int o1 = b.addTensor("o1", TensorType.FLOAT32, shape(2, 1, 2, 2));
        int o2 = b.addTensor("o2", TensorType.FLOAT32, shape(2, 1, 2, 2));
        b.addOperator(BuiltinOperator.SPLIT, new BuiltinOptions.Split(2), new int[] {axis, in}, new int[] {o1, o2});
        List<byte[]> out = run(b.inputs(in).outputs(o1, o2), floats(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16));
        assertArrayEquals(floats(1, 2, 3, 4, 9, 10, 11, 12), out.get(0));
        assertArrayEquals(floats(5, 6, 7, 8, 13, 14, 15, 16), out.get(1));
    }

    @Test
    void splitVTakesTheSizesFromTheOutputShapes() {
        // [2, 4] int32 split along axis 1 into 1 + 3 columns; size_splits says (-1, 3).
        ModelBuilder b = new ModelBuilder();
        int in = b.addTensor("in", TensorType.INT32, shape(2, 4));
        int sizes = b.addInt32Constant("size_splits", shape(2), Quantization.NONE, -1, 3);
        int axis = b.addInt32Constant("axis", shape(1), Quantization.NONE, 1);
        int o1 = b.addTensor("o1", TensorType.INT32, shape(2, 1));
        int o2 = b.addTensor("o2", TensorType.INT32, shape(2, 3));
        b.addOperator(BuiltinOperator.SPLIT_V, new BuiltinOptions.SplitV(2), new int[] {in, sizes, axis}, new int[] {o1, o2});
        List<byte[]> out = run(b.inputs(in).outputs(o1, o2), le(10, 11, 12, 13, 20, 21, 22, 23));
        assertArrayEquals(le(10, 20), out.get(0));
        assertArrayEquals(le(11, 12, 13, 21, 22, 23), out.get(1));
    }

    @Test
    void unpackAndPackAreInverse() {
        // UNPACK [3, 2] along axis 1: columns {1, 3, 5} and {2, 4, 6}; PACK them back along axis 0: [2, 3].
        ModelBuilder b = new ModelBuilder();
        int in = b.addTensor("in", TensorType.INT8, shape(3, 2), Q8);
        int c0 = b.addTensor("c0", TensorType.INT8, shape(3), Q8);
        int c1 = b.addTensor("c1", TensorType.INT8, shape(3), Q8);
        int out = b.addTensor("out", TensorType.INT8, shape(2, 3), Q8);
        b.addOperator(BuiltinOperator.UNPACK, new BuiltinOptions.Unpack(2, -1), new int[] {in}, new int[] {c0, c1});
        b.addOperator(BuiltinOperator.PACK, new BuiltinOptions.Pack(2, 0), new int[] {c0, c1}, new int[] {out});
        List<byte[]> r = run(b.inputs(in).outputs(out, c1), bytes(1, 2, 3, 4, 5, 6));
        assertArrayEquals(bytes(1, 3, 5, 2, 4, 6), r.get(0));
        assertArrayEquals(bytes(2, 4, 6), r.get(1));

        // PACK three [2] vectors along axis 1 (int64): {1, 4}, {2, 5}, {3, 6} -> [[1, 2, 3], [4, 5, 6]].
        ModelBuilder p = new ModelBuilder();
        int a = p.addTensor("a", TensorType.INT64, shape(2));
        int k2 = p.addInt64Constant("b", shape(2), Quantization.NONE, 2, 5);
        int k3 = p.addInt64Constant("c", shape(2), Quantization.NONE, 3, 6);
        int po = p.addTensor("out", TensorType.INT64, shape(2, 3));
        p.addOperator(BuiltinOperator.PACK, new BuiltinOptions.Pack(3, -1), new int[] {a, k2, k3}, new int[] {po});
        assertArrayEquals(longs(1, 2, 3, 4, 5, 6), run(p.inputs(a).outputs(po), longs(1, 4)).get(0));

        assertRejected("values_count 3 differs from the input count 2", m -> {
            int x = m.addTensor("x", TensorType.FLOAT32, shape(2));
            int y = m.addFloatConstant("y", shape(2), 1, 2);
            int o = m.addTensor("out", TensorType.FLOAT32, shape(2, 2));
            m.addOperator(BuiltinOperator.PACK, new BuiltinOptions.Pack(3, 0), new int[] {x, y}, new int[] {o});
            return new int[] {x, o};
        });
    }

    // ---------------------------------------------------------------- GATHER

    @Test
    void gatherMatchesTflmTestVectors() {
        // TFLM gather_test.cc GatherOp_Axis1: [1, 2, 3] = 1..6, positions {1, 0}, axis 1 -> {4, 5, 6, 1, 2, 3}
        assertArrayEquals(floats(4, 5, 6, 1, 2, 3), gather(TensorType.FLOAT32, shape(1, 2, 3), floats(1, 2, 3, 4, 5, 6),
                shape(2), new int[] {1, 0}, 1, 0, shape(1, 2, 3)));
        // GatherOp_LastAxis: axis -1, positions {2, 0} -> {3, 1, 6, 4}
        assertArrayEquals(floats(3, 1, 6, 4), gather(TensorType.FLOAT32, shape(1, 2, 3), floats(1, 2, 3, 4, 5, 6),
                shape(2), new int[] {2, 0}, -1, 0, shape(1, 2, 2)));
        // GatherOp_Int8Int32: [2, 2] = {-13, -120, 14, 15}, positions {1, 0} -> {14, 15, -13, -120}
        assertArrayEquals(bytes(14, 15, -13, -120), gather(TensorType.INT8, shape(2, 2), bytes(-13, -120, 14, 15),
                shape(2), new int[] {1, 0}, 0, 0, shape(2, 2)));
        // GatherOp_BatchDims1 (int8): params [2, 2, 3, 5] = 0..59, positions [2, 2, 2] = {1,0,0,1,1,0,0,1}, axis 2
        byte[] params = new byte[60];
        for (int i = 0; i < 60; i++) {
            params[i] = (byte) i;
        }
        assertArrayEquals(bytes(
                5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 20, 21, 22, 23, 24, 15, 16, 17, 18, 19, 15, 16,
                17, 18, 19, 20, 21, 22, 23, 24, 35, 36, 37, 38, 39, 30, 31, 32, 33, 34, 30, 31, 32, 33, 34, 35, 36, 37, 38,
                39, 50, 51, 52, 53, 54, 45, 46, 47, 48, 49, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54),
                gather(TensorType.INT8, shape(2, 2, 3, 5), params, shape(2, 2, 2), new int[] {1, 0, 0, 1, 1, 0, 0, 1}, 2, 1,
                        shape(2, 2, 2, 2, 5)));
        // GatherOp_BatchDims2 (float): same data, batch_dims 2 -> {5..9, 0..4, 15..19, 20..24, 35..39, 30..34, 45..54}
        float[] fp = new float[60];
        for (int i = 0; i < 60; i++) {
            fp[i] = i;
        }
        assertArrayEquals(floats(5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 35, 36, 37, 38, 39,
                30, 31, 32, 33, 34, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54),
                gather(TensorType.FLOAT32, shape(2, 2, 3, 5), TensorValues.fromFloats(fp), shape(2, 2, 2),
                        new int[] {1, 0, 0, 1, 1, 0, 0, 1}, 2, 2, shape(2, 2, 2, 5)));
    }

    private static byte[] gather(TensorType t, int[] paramsShape, byte[] params, int[] positionsShape, int[] positions,
                                 int axis, int batchDims, int[] outShape) {
        SingleOp s = new SingleOp();
        Quantization q = t == TensorType.INT8 ? Q8 : Quantization.NONE;
        int in = s.input(s.builder.addTensor("params", t, paramsShape, q));
        int pos = s.builder.addInt32Constant("positions", positionsShape, Quantization.NONE, positions);
        int out = s.builder.addTensor("out", t, outShape, q);
        s.op(BuiltinOperator.GATHER, new BuiltinOptions.Gather(axis, batchDims), new int[] {in, pos}, out);
        return s.run(params);
    }

    @Test
    void gatherWithComputedPositionsChecksThemAtEveryRun() {
        ModelBuilder b = new ModelBuilder();
        int table = b.addFloatConstant("table", shape(3, 2), 1, 2, 3, 4, 5, 6);
        int pos = b.addTensor("positions", TensorType.INT32, shape(2));
        int out = b.addTensor("out", TensorType.FLOAT32, shape(2, 2));
        b.addOperator(BuiltinOperator.GATHER, new BuiltinOptions.Gather(0, 0), new int[] {table, pos}, new int[] {out});
        TfliteModel m = read(b.inputs(pos).outputs(out));
        ReferenceInterpreter r = ReferenceInterpreter.prepare(m);
        assertArrayEquals(floats(5, 6, 1, 2), r.invoke(List.of(le(2, 0))).get(0));
        var e = assertThrows(UnsupportedModelException.class, () -> r.invoke(List.of(le(1, 3))));
        assertEquals("GATHER (operator 0): position 3 (element 1 of the positions) is outside [0, 3)", e.getMessage());

        assertRejected("position -1 (element 0 of the positions) is outside [0, 2)", m2 -> {
            int x = m2.addTensor("x", TensorType.FLOAT32, shape(2));
            int p = m2.addInt32Constant("p", shape(1), Quantization.NONE, -1);
            int o = m2.addTensor("out", TensorType.FLOAT32, shape(1));
            m2.addOperator(BuiltinOperator.GATHER, new BuiltinOptions.Gather(0, 0), new int[] {x, p}, new int[] {o});
            return new int[] {x, o};
        });
    }

    // ---------------------------------------------------------------- RESIZE_NEAREST_NEIGHBOR

    private static byte[] resize(TensorType t, int[] inShape, byte[] input, int oh, int ow, boolean align, boolean half) {
        SingleOp s = new SingleOp();
        Quantization q = t == TensorType.INT8 ? Q8 : t == TensorType.INT16 ? Q16 : Quantization.NONE;
        int in = s.input(s.builder.addTensor("in", t, inShape, q));
        int size = s.builder.addInt32Constant("size", shape(2), Quantization.NONE, oh, ow);
        int out = s.builder.addTensor("out", t, shape(inShape[0], oh, ow, inShape[3]), q);
        s.op(BuiltinOperator.RESIZE_NEAREST_NEIGHBOR, new BuiltinOptions.ResizeNearestNeighbor(align, half),
                new int[] {in, size}, out);
        return s.run(input);
    }

    @Test
    void resizeNearestNeighborMatchesTflmTestVectors() {
        // TFLM resize_nearest_neighbor_test.cc HorizontalResizeInt8, VerticalResize, TwoDimensionalResize,
        // TwoDimensionalResizeWithTwoBatchesInt16, ThreeDimensionalResize
        assertArrayEquals(bytes(-3, -3, 6), resize(TensorType.INT8, shape(1, 1, 2, 1), bytes(-3, 6), 1, 3, false, false));
        assertArrayEquals(floats(3, 3, 9), resize(TensorType.FLOAT32, shape(1, 2, 1, 1), floats(3, 9), 3, 1, false, false));
        assertArrayEquals(floats(3, 3, 6, 3, 3, 6, 9, 9, 12), resize(TensorType.FLOAT32, shape(1, 2, 2, 1),
                floats(3, 6, 9, 12), 3, 3, false, false));
        assertArrayEquals(shorts(3, 3, 6, 3, 3, 6, 9, 9, -12, -4, -4, 10, -4, -4, 10, 10, 10, 16),
                resize(TensorType.INT16, shape(2, 2, 2, 1), shorts(3, 6, 9, -12, -4, 10, 10, 16), 3, 3, false, false));
        assertArrayEquals(floats(3, 4, 3, 4, 6, 10, 3, 4, 3, 4, 6, 10, 9, 10, 9, 10, 12, 16),
                resize(TensorType.FLOAT32, shape(1, 2, 2, 2), floats(3, 4, 6, 10, 9, 10, 12, 16), 3, 3, false, false));
    }

    @Test
    void resizeNearestNeighborAlignCornersAndHalfPixelCenters() {
        // 1-D along the width, input {3, 6}, output width 3:
        //   align_corners: scale (2-1)/(3-1) = 0.5, x = round(0, 0.5, 1.0) = 0, 1, 1            -> 3, 6, 6
        //   half_pixel_centers: scale 2/3, x = floor(0.5, 1.5, 2.5 times 0.6666667) = 0, 1, 1   -> 3, 6, 6
        //   neither: floor(0, 1, 2 times 0.6666667) = 0, 0, 1                                     -> 3, 3, 6
        assertArrayEquals(bytes(3, 6, 6), resize(TensorType.INT8, shape(1, 1, 2, 1), bytes(3, 6), 1, 3, true, false));
        assertArrayEquals(bytes(3, 6, 6), resize(TensorType.INT8, shape(1, 1, 2, 1), bytes(3, 6), 1, 3, false, true));
        // Input {1, 2, 3}, output width 2, half_pixel_centers: scale 1.5, x = floor(0.75, 2.25) = 0, 2 -> 1, 3;
        // align_corners: scale 2, x = round(0, 2) = 0, 2 -> 1, 3; neither: floor(0, 1.5) = 0, 1 -> 1, 2.
        assertArrayEquals(bytes(1, 3), resize(TensorType.INT8, shape(1, 1, 3, 1), bytes(1, 2, 3), 1, 2, false, true));
        assertArrayEquals(bytes(1, 3), resize(TensorType.INT8, shape(1, 1, 3, 1), bytes(1, 2, 3), 1, 2, true, false));
        assertArrayEquals(bytes(1, 2), resize(TensorType.INT8, shape(1, 1, 3, 1), bytes(1, 2, 3), 1, 2, false, false));
        // Both flags, {1, 2, 3} to width 5: scale (3-1)/(5-1) = 0.5, round((x + 0.5) * 0.5) for x = 0..4:
        //   round(0.25, 0.75, 1.25, 1.75, 2.25) = 0, 1, 1, 2, 2 -> 1, 2, 2, 3, 3.
        assertArrayEquals(bytes(1, 2, 2, 3, 3), resize(TensorType.INT8, shape(1, 1, 3, 1), bytes(1, 2, 3), 1, 5, true, true));
    }

    // ---------------------------------------------------------------- ARG_MAX

    @Test
    void argMaxKeepsTheFirstOfEqualValues() {
        // [2, 3] int8 along axis 1 (written -1): rows {1, 9, 9} -> 1 (first of the ties), {-5, -7, -6} -> 0.
        SingleOp s = new SingleOp();
        int in = s.input(s.builder.addTensor("in", TensorType.INT8, shape(2, 3), Q8));
        int axis = s.builder.addInt32Constant("axis", shape(1), Quantization.NONE, -1);
        int out = s.builder.addTensor("out", TensorType.INT32, shape(2));
        s.op(BuiltinOperator.ARG_MAX, new BuiltinOptions.ArgMax(2), new int[] {in, axis}, out);
        assertArrayEquals(le(1, 0), s.run(bytes(1, 9, 9, -5, -7, -6)));

        // float along axis 0: columns {NaN, 1}, {2, NaN}, {-inf, -inf} -> 0 (NaN first is kept), 0, 0.
        SingleOp f = new SingleOp();
        int fin = f.input(f.builder.addTensor("in", TensorType.FLOAT32, shape(2, 3)));
        int faxis = f.builder.addInt32Constant("axis", shape(), Quantization.NONE, 0);
        int fout = f.builder.addTensor("out", TensorType.INT32, shape(3));
        f.op(BuiltinOperator.ARG_MAX, new BuiltinOptions.ArgMax(2), new int[] {fin, faxis}, fout);
        float inf = Float.NEGATIVE_INFINITY;
        assertArrayEquals(le(0, 0, 0), f.run(floats(Float.NaN, 2, inf, 1, Float.NaN, inf)));

        assertRejected("output 'out' has type INT64, expected [INT32]", b -> {
            int x = b.addTensor("in", TensorType.FLOAT32, shape(3));
            int a = b.addInt32Constant("axis", shape(1), Quantization.NONE, 0);
            int o = b.addTensor("out", TensorType.INT64, shape());
            b.addOperator(BuiltinOperator.ARG_MAX, new BuiltinOptions.ArgMax(4), new int[] {x, a}, new int[] {o});
            return new int[] {x, o};
        });
    }

    // ---------------------------------------------------------------- helpers

    interface Graph {
        /** Builds the model; returns {graph input, graph output}. */
        int[] build(ModelBuilder b);
    }

    static void assertRejected(String expectedPart, Graph graph) {
        ModelBuilder b = new ModelBuilder();
        int[] io = graph.build(b);
        TfliteModel m = read(b.inputs(io[0]).outputs(io[1]));
        var e = assertThrows(UnsupportedModelException.class, () -> ReferenceInterpreter.prepare(m));
        assertTrue(e.getMessage().contains(expectedPart), e.getMessage());
    }

    static TfliteModel read(ModelBuilder b) {
        try {
            return TfliteReader.read(b.toBytes(), "test.tflite");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static List<byte[]> run(ModelBuilder b, byte[] input) {
        return ReferenceInterpreter.run(read(b), List.of(input));
    }

    static int[] vec(int... v) {
        return v;
    }

    static byte[] le(int... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(v);
        return b.array();
    }

    static byte[] shorts(int... v) {
        ByteBuffer b = ByteBuffer.allocate(2 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : v) {
            b.putShort((short) x);
        }
        return b.array();
    }

    static byte[] longs(long... v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(v);
        return b.array();
    }

    static byte[] floats(float... v) {
        return TensorValues.fromFloats(v);
    }
}
