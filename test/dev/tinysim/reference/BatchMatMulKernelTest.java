package dev.tinysim.reference;

import dev.tinysim.tflite.BuiltinOperator;
import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.Quantization;
import dev.tinysim.tflite.TensorType;
import dev.tinysim.tflite.TfliteModel;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.tinysim.reference.SingleOp.shape;
import static dev.tinysim.reference.TflmTestQuantization.le;
import static dev.tinysim.reference.TflmTestQuantization.shorts;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * BATCH_MATMUL on TensorFlow Lite Micro's test vectors (tensorflow/lite/micro/kernels/batch_matmul_test.cc):
 * float cases with adj_x / adj_y, broadcasting from either side, ranks 2 to 4, a constant rhs run twice; the int8
 * and int16 cases, which TFLM checks for exact equality.
 */
class BatchMatMulKernelTest {

    private static float[] iota(int n, int from) {
        float[] r = new float[n];
        for (int i = 0; i < n; i++) {
            r[i] = from + i;
        }
        return r;
    }

    private static float[] runFloat(int[] lhsShape, float[] lhs, int[] rhsShape, float[] rhs, int[] outShape,
                                    boolean adjX, boolean adjY) {
        SingleOp s = new SingleOp();
        int l = s.input(s.builder.addTensor("lhs", TensorType.FLOAT32, lhsShape));
        int r = s.input(s.builder.addTensor("rhs", TensorType.FLOAT32, rhsShape));
        int out = s.builder.addTensor("out", TensorType.FLOAT32, outShape);
        s.op(BuiltinOperator.BATCH_MATMUL, new BuiltinOptions.BatchMatMul(adjX, adjY), new int[] {l, r}, out);
        return s.runFloat(lhs, rhs);
    }

    private static final float[] SIMPLE = {74, 80, 86, 92, 173, 188, 203, 218};

    @Test
    void tflmFloatSimpleAndAdjoints() {
        assertArrayEquals(SIMPLE, runFloat(shape(1, 2, 3), iota(6, 1), shape(1, 3, 4), iota(12, 7), shape(1, 2, 4),
                false, false));
        assertArrayEquals(SIMPLE, runFloat(shape(1, 2, 3), iota(6, 1), shape(1, 4, 3),
                new float[] {7, 11, 15, 8, 12, 16, 9, 13, 17, 10, 14, 18}, shape(1, 2, 4), false, true));
        assertArrayEquals(SIMPLE, runFloat(shape(1, 3, 2), new float[] {1, 4, 2, 5, 3, 6}, shape(1, 3, 4), iota(12, 7),
                shape(1, 2, 4), true, false));
    }

    @Test
    void tflmFloatOnesFlattenAndBatchSizeTwo() {
        assertArrayEquals(new float[] {30, 70, 278, 382, 782, 950}, runFloat(shape(3, 2, 1, 4), iota(24, 1),
                shape(3, 1, 4, 1), iota(12, 1), shape(3, 2, 1, 1), false, false));
        assertArrayEquals(new float[] {30, 70, 110, 150, 486, 590, 694, 798, 1454, 1622, 1790, 1958},
                runFloat(shape(3, 2, 2, 4), iota(48, 1), shape(3, 1, 4, 1), iota(12, 1), shape(3, 2, 2, 1), false, false));
        assertArrayEquals(new float[] {74, 80, 86, 92, 173, 188, 203, 218, 560, 584, 608, 632, 767, 800, 833, 866},
                runFloat(shape(2, 2, 3), iota(12, 1), shape(2, 3, 4), iota(24, 7), shape(2, 2, 4), false, false));
    }

    @Test
    void tflmFloatBroadcasts() {
        float[] broadcast = {74, 80, 86, 92, 173, 188, 203, 218, 272, 296, 320, 344, 371, 404, 437, 470};
        assertArrayEquals(broadcast, runFloat(shape(2, 2, 3), iota(12, 1), shape(3, 4), iota(12, 7), shape(2, 2, 4),
                false, false));
        assertArrayEquals(broadcast, runFloat(shape(2, 3, 2), new float[] {1, 4, 2, 5, 3, 6, 7, 10, 8, 11, 9, 12},
                shape(3, 4), iota(12, 7), shape(2, 2, 4), true, false));
        float[] broadcast2 = {29, 32, 35, 38, 65, 72, 79, 86, 101, 112, 123, 134, 53, 56, 59, 62, 121, 128, 135, 142,
                189, 200, 211, 222, 77, 80, 83, 86, 177, 184, 191, 198, 277, 288, 299, 310, 137, 152, 167, 182, 173,
                192, 211, 230, 209, 232, 255, 278, 257, 272, 287, 302, 325, 344, 363, 382, 393, 416, 439, 462, 377,
                392, 407, 422, 477, 496, 515, 534, 577, 600, 623, 646};
        assertArrayEquals(broadcast2, runFloat(shape(2, 1, 3, 2), iota(12, 1), shape(3, 2, 4), iota(24, 7),
                shape(2, 3, 3, 4), false, false));
        assertArrayEquals(broadcast2, runFloat(shape(2, 1, 2, 3), new float[] {1, 3, 5, 2, 4, 6, 7, 9, 11, 8, 10, 12},
                shape(3, 4, 2), new float[] {7, 11, 8, 12, 9, 13, 10, 14, 15, 19, 16, 20, 17, 21, 18, 22, 23, 27, 24, 28,
                        25, 29, 26, 30}, shape(2, 3, 3, 4), true, true));
        assertArrayEquals(new float[] {185, 200, 460, 500, 735, 800, 1010, 1100, 335, 350, 860, 900, 1385, 1450, 1910,
                2000, 485, 500, 1260, 1300, 2035, 2100, 2810, 2900}, runFloat(shape(4, 5), iota(20, 1),
                shape(3, 1, 5, 2), iota(30, 7), shape(3, 1, 4, 2), false, false));
    }

    @Test
    void tflmConstantRhsTwice() {
        SingleOp s = new SingleOp();
        int l = s.input(s.builder.addTensor("lhs", TensorType.FLOAT32, shape(1, 6, 2)));
        int r = s.builder.addFloatConstant("rhs", shape(2, 3), 6, 3, 7, 4, 6, 9);
        int out = s.builder.addTensor("out", TensorType.FLOAT32, shape(1, 6, 3));
        s.op(BuiltinOperator.BATCH_MATMUL, new BuiltinOptions.BatchMatMul(false, false), new int[] {l, r}, out);
        ReferenceInterpreter interpreter = ReferenceInterpreter.prepare(s.model());
        byte[] in = TensorValues.fromFloats(new float[] {6, 3, 7, 4, 6, 9, 2, 6, 7, 4, 3, 7});
        byte[] expected = TensorValues.fromFloats(new float[] {48, 36, 69, 58, 45, 85, 72, 72, 123, 36, 42, 68, 58, 45,
                85, 46, 51, 84});
        assertArrayEquals(expected, interpreter.invoke(List.of(in)).get(0));
        assertArrayEquals(expected, interpreter.invoke(List.of(in)).get(0));
    }

    private static final float[] Q_LHS = {1, 2, 3, 4, 5, 6, 7, 8, -9, -10, 1, 2, 3, 4, 5, 6, 7, -8, 9, -10};
    private static final float[] Q_RHS = {1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 6, 7, 7, 7, 8, 8, 8, 9, 9,
            9, 10, 10, 10};

    @Test
    void tflmQuantizedInt8() {
        // TFLM: scale and zero point from [-63.5, 64] for both operands (0.5, -1), [-127, 128] for the output (1, -1)
        SingleOp s = new SingleOp();
        Quantization q = Quantization.perTensor(0.5f, -1);
        int l = s.input(s.builder.addTensor("lhs", TensorType.INT8, shape(2, 10), q));
        int r = s.input(s.builder.addTensor("rhs", TensorType.INT8, shape(10, 3), q));
        int out = s.builder.addTensor("out", TensorType.INT8, shape(2, 3), Quantization.perTensor(1f, -1));
        s.op(BuiltinOperator.BATCH_MATMUL, new BuiltinOptions.BatchMatMul(false, false), new int[] {l, r}, out);
        assertArrayEquals(SingleOp.bytes(22, 22, 22, 56, 56, 56),
                s.run(TflmTestQuantization.int8(Q_LHS, 0.5f, -1), TflmTestQuantization.int8(Q_RHS, 0.5f, -1)));
    }

    @Test
    void tflmQuantizedInt16() {
        float scale = 10.0f / 32767;
        SingleOp s = new SingleOp();
        int l = s.input(s.builder.addTensor("lhs", TensorType.INT16, shape(2, 10), Quantization.perTensor(scale, 0)));
        int r = s.input(s.builder.addTensor("rhs", TensorType.INT16, shape(10, 3), Quantization.perTensor(scale, 0)));
        int out = s.builder.addTensor("out", TensorType.INT16, shape(2, 3), Quantization.perTensor(1f, 0));
        s.op(BuiltinOperator.BATCH_MATMUL, new BuiltinOptions.BatchMatMul(false, false), new int[] {l, r}, out);
        assertArrayEquals(shorts(23, 23, 23, 57, 57, 57), shorts(s.run(le(TflmTestQuantization.int16(Q_LHS, scale)),
                le(TflmTestQuantization.int16(Q_RHS, scale)))));
    }

    @Test
    void refusesBatchDimensionsThatDoNotBroadcastAndInt16ZeroPoints() {
        SingleOp s = new SingleOp();
        int l = s.input(s.builder.addTensor("lhs", TensorType.FLOAT32, shape(2, 2, 3)));
        int r = s.input(s.builder.addTensor("rhs", TensorType.FLOAT32, shape(3, 3, 4)));
        int out = s.builder.addTensor("out", TensorType.FLOAT32, shape(3, 2, 4));
        s.op(BuiltinOperator.BATCH_MATMUL, new BuiltinOptions.BatchMatMul(false, false), new int[] {l, r}, out);
        TfliteModel m = s.model();
        var e = assertThrows(UnsupportedModelException.class, () -> ReferenceInterpreter.prepare(m));
        assertTrue(e.getMessage().contains("batch dimension 0 of lhs [2, 2, 3] and rhs [3, 3, 4] cannot be broadcast"),
                e.getMessage());

        SingleOp z = new SingleOp();
        int zl = z.input(z.builder.addTensor("lhs", TensorType.INT16, shape(2, 3), Quantization.perTensor(0.1f, 3)));
        int zr = z.input(z.builder.addTensor("rhs", TensorType.INT16, shape(3, 2), Quantization.perTensor(0.1f, 0)));
        int zo = z.builder.addTensor("out", TensorType.INT16, shape(2, 2), Quantization.perTensor(0.1f, 0));
        z.op(BuiltinOperator.BATCH_MATMUL, new BuiltinOptions.BatchMatMul(false, false), new int[] {zl, zr}, zo);
        TfliteModel zm = z.model();
        var ez = assertThrows(UnsupportedModelException.class, () -> ReferenceInterpreter.prepare(zm));
        assertTrue(ez.getMessage().contains("has zero point 3"), ez.getMessage());
    }

    @Test
    void macsAreOutputElementsTimesDepth() {
        SingleOp s = new SingleOp();
        int l = s.input(s.builder.addTensor("lhs", TensorType.FLOAT32, shape(2, 1, 2, 3)));
        int r = s.input(s.builder.addTensor("rhs", TensorType.FLOAT32, shape(3, 4, 3)));
        int out = s.builder.addTensor("out", TensorType.FLOAT32, shape(2, 3, 2, 4));
        s.op(BuiltinOperator.BATCH_MATMUL, new BuiltinOptions.BatchMatMul(false, true), new int[] {l, r}, out);
        assertEquals(2 * 3 * 2 * 4 * 3, MacCounter.macs(s.model(), 0));
        SingleOp t = new SingleOp();
        int tl = t.input(t.builder.addTensor("lhs", TensorType.FLOAT32, shape(5, 2)));
        int tr = t.input(t.builder.addTensor("rhs", TensorType.FLOAT32, shape(5, 7)));
        int to = t.builder.addTensor("out", TensorType.FLOAT32, shape(2, 7));
        t.op(BuiltinOperator.BATCH_MATMUL, new BuiltinOptions.BatchMatMul(true, false), new int[] {tl, tr}, to);
        assertEquals(2 * 7 * 5, MacCounter.macs(t.model(), 0)); // adj_x: the depth is the lhs's first dimension
    }
}
