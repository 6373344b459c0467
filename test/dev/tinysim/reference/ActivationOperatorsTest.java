package dev.tinysim.reference;

import dev.tinysim.tflite.BuiltinOperator;
import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.Quantization;
import dev.tinysim.tflite.TensorType;
import org.junit.jupiter.api.Test;

import static dev.tinysim.reference.SingleOp.bytes;
import static dev.tinysim.reference.SingleOp.ints;
import static dev.tinysim.reference.SingleOp.shape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SOFTMAX, LOGISTIC, RELU, RELU6, QUANTIZE, DEQUANTIZE. */
class ActivationOperatorsTest {

    private static SingleOp unary(BuiltinOperator op, BuiltinOptions options, TensorType inType, Quantization inQ,
                                  TensorType outType, Quantization outQ, int n) {
        SingleOp s = new SingleOp();
        int in = s.input(s.builder.addTensor("in", inType, shape(1, n), inQ));
        int out = s.builder.addTensor("out", outType, shape(1, n), outQ);
        return s.op(op, options, new int[] {in}, out);
    }

    private static final Quantization SOFTMAX_OUT = Quantization.perTensor(1f / 256, -128);

    @Test
    void int8SoftmaxOfEqualInputsIsUniform() {
        SingleOp s = unary(BuiltinOperator.SOFTMAX, new BuiltinOptions.Softmax(1f), TensorType.INT8,
                Quantization.perTensor(0.1f, 0), TensorType.INT8, SOFTMAX_OUT, 4);
        // 1/4 of 256 = 64 -> 64 - 128 = -64.
        assertArrayEquals(new int[] {-64, -64, -64, -64}, ints(s.run(bytes(5, 5, 5, 5))));
        // One dominant input: probability ~1 -> 127 (255/256 saturates at the int8 top), others ~0 -> -128.
        assertArrayEquals(new int[] {-128, 127, -128, -128}, ints(s.run(bytes(-100, 127, -100, -100))));
    }

    @Test
    void int8SoftmaxTracksTheRealSoftmaxWithinOneStep() {
        float scale = 0.0625f;
        SingleOp s = unary(BuiltinOperator.SOFTMAX, new BuiltinOptions.Softmax(1f), TensorType.INT8,
                Quantization.perTensor(scale, 3), TensorType.INT8, SOFTMAX_OUT, 10);
        var model = s.model();
        java.util.SplittableRandom rng = new java.util.SplittableRandom(11);
        for (int trial = 0; trial < 200; trial++) {
            byte[] x = new byte[10];
            for (int i = 0; i < 10; i++) {
                x[i] = (byte) rng.nextInt(-128, 128);
            }
            byte[] got = ReferenceInterpreter.run(model, java.util.List.of(x)).get(0);
            double sum = 0;
            for (byte v : x) {
                sum += Math.exp(scale * (v - 3));
            }
            for (int i = 0; i < 10; i++) {
                double p = Math.exp(scale * (x[i] - 3)) / sum;
                double expected = Math.min(127, Math.max(-128, Math.round(p * 256) - 128));
                assertTrue(Math.abs(expected - got[i]) <= 1, "trial " + trial + " element " + i);
            }
        }
    }

    @Test
    void floatSoftmaxMatchesTheDefinition() {
        SingleOp s = unary(BuiltinOperator.SOFTMAX, new BuiltinOptions.Softmax(2f), TensorType.FLOAT32,
                Quantization.NONE, TensorType.FLOAT32, Quantization.NONE, 3);
        float[] got = s.runFloat(new float[] {1, 2, 3});
        double z = Math.exp(2) + Math.exp(4) + Math.exp(6);
        assertEquals(Math.exp(2) / z, got[0], 1e-7);
        assertEquals(Math.exp(4) / z, got[1], 1e-7);
        assertEquals(Math.exp(6) / z, got[2], 1e-7);
    }

    @Test
    void int8LogisticTracksTheSigmoid() {
        float scale = 0.05f;
        SingleOp s = unary(BuiltinOperator.LOGISTIC, BuiltinOptions.NONE, TensorType.INT8,
                Quantization.perTensor(scale, -10), TensorType.INT8, SOFTMAX_OUT, 256);
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) (i - 128);
        }
        byte[] got = s.run(all);
        for (int i = 0; i < 256; i++) {
            double sig = 1 / (1 + Math.exp(-scale * (all[i] + 10)));
            double expected = Math.min(127, Math.round(sig * 256) - 128);
            assertTrue(Math.abs(expected - got[i]) <= 1, "q=" + all[i] + ": " + got[i] + " vs " + expected);
        }
        assertEquals(0, got[128 - 10] , "logistic(0) = 0.5 -> 128 - 128 = 0");
    }

    @Test
    void floatLogisticUsesTheCutoffsAndTsExpf() {
        SingleOp s = unary(BuiltinOperator.LOGISTIC, BuiltinOptions.NONE, TensorType.FLOAT32, Quantization.NONE,
                TensorType.FLOAT32, Quantization.NONE, 5);
        float[] got = s.runFloat(new float[] {0f, 20f, -10f, 2f, -2f});
        assertEquals(0.5f, got[0]);
        assertEquals(1.0f, got[1]);
        assertEquals(DeterministicMath.expf(-10f), got[2]);
        assertEquals(1 / (1 + Math.exp(-2)), got[3], 1e-7);
        assertEquals(1 / (1 + Math.exp(2)), got[4], 1e-7);
    }

    @Test
    void reluAndRelu6() {
        SingleOp f = unary(BuiltinOperator.RELU, BuiltinOptions.NONE, TensorType.FLOAT32, Quantization.NONE,
                TensorType.FLOAT32, Quantization.NONE, 3);
        assertArrayEquals(new float[] {0, 0, 7}, f.runFloat(new float[] {-1, 0, 7}));
        SingleOp f6 = unary(BuiltinOperator.RELU6, BuiltinOptions.NONE, TensorType.FLOAT32, Quantization.NONE,
                TensorType.FLOAT32, Quantization.NONE, 3);
        assertArrayEquals(new float[] {0, 3, 6}, f6.runFloat(new float[] {-1, 3, 7}));
        // int8 RELU requantizes: in scale 0.5 zp 2 -> out scale 1 zp -128: (q-2)*0.5 - 128, floor at -128.
        SingleOp q = unary(BuiltinOperator.RELU, BuiltinOptions.NONE, TensorType.INT8, Quantization.perTensor(0.5f, 2),
                TensorType.INT8, Quantization.perTensor(1f, -128), 3);
        assertArrayEquals(new int[] {-128, -128, -68}, ints(q.run(bytes(-50, 2, 122))));
        // int8 RELU6 clamps in the input's own quantization: zero = zp = 10, six = 6/0.25 + 10 = 34.
        Quantization q6 = Quantization.perTensor(0.25f, 10);
        SingleOp r6 = unary(BuiltinOperator.RELU6, BuiltinOptions.NONE, TensorType.INT8, q6, TensorType.INT8, q6, 3);
        assertArrayEquals(new int[] {10, 20, 34}, ints(r6.run(bytes(-5, 20, 100))));
    }

    @Test
    void quantizeRoundsHalfAwayAndSaturates() {
        SingleOp s = unary(BuiltinOperator.QUANTIZE, BuiltinOptions.NONE, TensorType.FLOAT32, Quantization.NONE,
                TensorType.INT8, Quantization.perTensor(0.5f, 3), 6);
        // x/0.5: 0.25 -> 0.5 -> 1 (+3 = 4); -0.25 -> -1 (+3 = 2); 100 -> 200 -> 127; -1000 -> -128; NaN -> 0 + 3;
        // +inf -> int32 max, + 3 wraps negative -> -128 (as the C expression does on Arm).
        float[] x = {0.25f, -0.25f, 100f, -1000f, Float.NaN, Float.POSITIVE_INFINITY};
        byte[] got = ReferenceInterpreter.run(s.model(), java.util.List.of(TensorValues.fromFloats(x))).get(0);
        assertArrayEquals(new int[] {4, 2, 127, -128, 3, -128}, ints(got));
    }

    @Test
    void requantizeAndDequantize() {
        SingleOp r = unary(BuiltinOperator.QUANTIZE, BuiltinOptions.NONE, TensorType.INT8, Quantization.perTensor(1f, 0),
                TensorType.INT8, Quantization.perTensor(0.5f, -1), 3);
        assertArrayEquals(new int[] {19, -21, 127}, ints(r.run(bytes(10, -10, 100))));
        SingleOp d = unary(BuiltinOperator.DEQUANTIZE, BuiltinOptions.NONE, TensorType.INT8,
                Quantization.perTensor(0.1f, -3), TensorType.FLOAT32, Quantization.NONE, 2);
        byte[] out = ReferenceInterpreter.run(d.model(), java.util.List.of(bytes(7, -3))).get(0);
        float[] f = TensorValues.toFloats(d.model().mainSubgraph().outputTensor(0), out);
        assertArrayEquals(new float[] {10 * 0.1f, 0f}, f);
    }
}
