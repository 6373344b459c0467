package dev.tinysim.reference;

import dev.tinysim.tflite.ActivationFunction;
import dev.tinysim.tflite.BuiltinOperator;
import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.Padding;
import dev.tinysim.tflite.Quantization;
import dev.tinysim.tflite.TensorType;
import dev.tinysim.tflite.TfliteModel;
import org.junit.jupiter.api.Test;

import static dev.tinysim.reference.SingleOp.shape;
import static dev.tinysim.reference.TflmTestQuantization.le;
import static dev.tinysim.reference.TflmTestQuantization.shorts;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TRANSPOSE_CONV on TensorFlow Lite Micro's test vectors (tensorflow/lite/micro/kernels/transpose_conv_test.cc):
 * the float cases exactly (integer values: every sum is exact), the int8 and 16x8 cases bit for bit with the
 * values tinysim computes, each within the tolerance TFLM's test allows against its float golden.
 */
class TransposeConvKernelTest {

    private static final float[] INPUT_1_TO_32 = range(1, 32);
    private static final float[] FILTER_1_TO_18 = range(1, 18);
    private static final float[] GOLDEN = {184, 412, 568, 528, 678, 1347, 1689, 1434, 1494, 2715, 3057, 2442, 1968,
            3352, 3652, 2760};

    private static float[] range(int from, int to) {
        float[] r = new float[to - from + 1];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }

    /** A float TRANSPOSE_CONV with a constant output-shape tensor, as the converter writes it. */
    private static float[] runFloat(int[] inShape, float[] input, int[] filterShape, float[] filter, float[] bias,
                                    int[] outShape, Padding padding, int stride, ActivationFunction act) {
        SingleOp s = new SingleOp();
        int shapeTensor = s.builder.addInt32Constant("output_shape", shape(4), Quantization.NONE, outShape);
        int w = s.builder.addFloatConstant("w", filterShape, filter);
        int in = s.input(s.builder.addTensor("in", TensorType.FLOAT32, inShape));
        int b = s.builder.addFloatConstant("b", shape(bias.length), bias);
        int out = s.builder.addTensor("out", TensorType.FLOAT32, outShape);
        s.op(BuiltinOperator.TRANSPOSE_CONV, new BuiltinOptions.TransposeConv(padding, stride, stride, act, 0),
                new int[] {shapeTensor, w, in, b}, out);
        return s.runFloat(input);
    }

    @Test
    void tflmSimpleTestFloat() {
        assertArrayEquals(GOLDEN, runFloat(shape(1, 4, 4, 2), INPUT_1_TO_32, shape(1, 3, 3, 2), FILTER_1_TO_18,
                new float[] {0}, shape(1, 4, 4, 1), Padding.SAME, 1, ActivationFunction.NONE));
    }

    @Test
    void tflmFusedReluTest() {
        float[] input = {1, 2, -3, -4, 5, 6, -7, -8, 9, 10, -11, -12, 13, 14, 15, 16};
        assertArrayEquals(new float[] {29, 24, 0, 0, 99, 72, 0, 0, 207, 186, 0, 0, 263, 292, 141, 0},
                runFloat(shape(1, 4, 4, 1), input, shape(1, 3, 3, 1), range(1, 9), new float[] {0},
                        shape(1, 4, 4, 1), Padding.SAME, 1, ActivationFunction.RELU));
    }

    @Test
    void tflmAccuracyWithFusedActivationTest() {
        // stride 3 into a 3x4 output: padding from the output size, SAME: top 0, left 1
        assertArrayEquals(new float[] {1615, 1938, 0, 0, 2584, 1615, 0, 0, 323, 1292, 0, 0},
                runFloat(shape(1, 1, 2, 1), new float[] {323, -521}, shape(1, 3, 3, 1),
                        new float[] {9, 5, 6, 9, 8, 5, 3, 1, 4}, new float[] {0}, shape(1, 3, 4, 1), Padding.SAME, 3,
                        ActivationFunction.RELU));
    }

    @Test
    void tflmMultiChannelBiasWithFusedActivationTest() {
        float[] filter = {1, 3, 5, 7, 9, 11, 13, 15, 17, 2, 4, 6, 8, 10, 12, 14, 16, 18};
        float[] golden = {4, 6, 6, 8, 10, 14, 9, 12, 13, 16, 10, 12, 12, 14, 28, 32, 21, 24, 25, 28, 13, 12, 9, 8, 35,
                40, 45, 52, 57, 64, 0, 0, 0, 0, 0, 0, 39, 44, 47, 52, 0, 0, 0, 0, 4, 6, 63, 68, 71, 76};
        assertArrayEquals(golden, runFloat(shape(1, 2, 2, 1), new float[] {1, 2, -3, 4}, shape(2, 3, 3, 1), filter,
                new float[] {3, 4}, shape(1, 5, 5, 2), Padding.VALID, 2, ActivationFunction.RELU));
    }

    /** TFLM's quantized cases: input 1..32, filter 1..18 per-channel (scale 18/127), bias 0, SAME, stride 1. */
    private static SingleOp quantized(TensorType type, float inScale, float outScale, TensorType biasType,
                                      ActivationFunction act) {
        SingleOp s = new SingleOp();
        float[] fs = new float[1];
        byte[] fq = TflmTestQuantization.perChannelFilter(FILTER_1_TO_18, 1, fs);
        int shapeTensor = s.builder.addInt32Constant("output_shape", shape(4), Quantization.NONE, 1, 4, 4, 1);
        int w = s.builder.addInt8Constant("w", shape(1, 3, 3, 2), Quantization.perChannel(TflmTestQuantization.list(fs), 0), fq);
        int in = s.input(s.builder.addTensor("in", type, shape(1, 4, 4, 2), Quantization.perTensor(inScale, 0)));
        int b = switch (biasType) {
            case INT32 -> s.builder.addInt32Constant("b", shape(1), Quantization.NONE, 0);
            case INT64 -> s.builder.addInt64Constant("b", shape(1), Quantization.NONE, 0L);
            default -> s.builder.addInt16Constant("b", shape(1), Quantization.NONE, (short) 0);
        };
        int out = s.builder.addTensor("out", type, shape(1, 4, 4, 1), Quantization.perTensor(outScale, 0));
        s.op(BuiltinOperator.TRANSPOSE_CONV, new BuiltinOptions.TransposeConv(Padding.SAME, 1, 1, act, 0),
                new int[] {shapeTensor, w, in, b}, out);
        return s;
    }

    @Test
    void tflmSimpleTestQuantizedPerChannel() {
        // input scale 0.5, output scale 30: TFLM accepts +-1 around round(golden / 30)
        byte[] got = quantized(TensorType.INT8, 0.5f, 30f, TensorType.INT32, ActivationFunction.NONE)
                .run(TflmTestQuantization.int8(INPUT_1_TO_32, 0.5f, 0));
        // the quantized filter (q = round(w * 127 / 18)) makes output 9 come out at 90 (golden 2715 / 30 = 90.5)
        byte[] expected = SingleOp.bytes(6, 14, 19, 18, 23, 45, 56, 48, 50, 90, 102, 81, 66, 112, 122, 92);
        assertArrayEquals(expected, got);
        for (int i = 0; i < GOLDEN.length; i++) {
            assertTrue(Math.abs(got[i] - Math.round(GOLDEN[i] / 30f)) <= 1, "output " + i);
        }
    }

    @Test
    void tflmSimpleTestQuantized16x8PerChannelWithInt64AndInt16Biases() {
        // input and output scale 1: TFLM accepts +-4 around the float golden {184, 412, 568, 528, ...}; the
        // quantized filter (scale 18/127) puts these at most 4 away from it
        short[] expected = shorts(183, 410, 565, 527, 675, 1344, 1686, 1432, 1491, 2711, 3053, 2440, 1967, 3353, 3654, 2764);
        for (TensorType bias : new TensorType[] {TensorType.INT64, TensorType.INT16}) {
            short[] got = shorts(quantized(TensorType.INT16, 1f, 1f, bias, ActivationFunction.NONE)
                    .run(le(TflmTestQuantization.int16(INPUT_1_TO_32, 1f))));
            assertArrayEquals(expected, got, bias.toString());
        }
        for (int i = 0; i < GOLDEN.length; i++) {
            assertTrue(Math.abs(expected[i] - GOLDEN[i]) <= 4, "output " + i);
        }
    }

    @Test
    void quantizedOutputsIgnoreTheFusedActivationAsTfliteMicroDoes() {
        // TFLite Micro computes the int8 / int16 output range for kTfLiteActNone whatever the option says
        SingleOp s = quantized(TensorType.INT8, 0.5f, 30f, TensorType.INT32, ActivationFunction.RELU);
        float[] negative = new float[32];
        for (int i = 0; i < 32; i++) {
            negative[i] = -INPUT_1_TO_32[i];
        }
        byte[] got = s.run(TflmTestQuantization.int8(negative, 0.5f, 0));
        assertEquals(-6, got[0]);
        assertEquals(-122, got[14]);
    }

    @Test
    void aConstantOutputShapeTensorMustSayTheOutputShape() {
        SingleOp s = new SingleOp();
        int shapeTensor = s.builder.addInt32Constant("output_shape", shape(4), Quantization.NONE, 1, 4, 5, 1);
        int w = s.builder.addFloatConstant("w", shape(1, 3, 3, 2), FILTER_1_TO_18);
        int in = s.input(s.builder.addTensor("in", TensorType.FLOAT32, shape(1, 4, 4, 2)));
        int out = s.builder.addTensor("out", TensorType.FLOAT32, shape(1, 4, 4, 1));
        s.op(BuiltinOperator.TRANSPOSE_CONV, new BuiltinOptions.TransposeConv(Padding.SAME, 1, 1),
                new int[] {shapeTensor, w, in}, out);
        TfliteModel m = s.model();
        var e = assertThrows(UnsupportedModelException.class, () -> ReferenceInterpreter.prepare(m));
        assertEquals("TRANSPOSE_CONV (operator 0): output shape tensor says [1, 4, 5, 1] but the output is [1, 4, 4, 1]",
                e.getMessage());
    }

    @Test
    void macsCountEveryInputValueTimesEveryTap() {
        SingleOp s = quantized(TensorType.INT8, 0.5f, 30f, TensorType.INT32, ActivationFunction.NONE);
        // N * H * W * C_in * k_h * k_w * C_out = 1 * 4 * 4 * 2 * 3 * 3 * 1
        assertEquals(288, MacCounter.macs(s.model(), 0));
    }
}
