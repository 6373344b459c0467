package dev.tinysim.reference;

import dev.tinysim.tflite.ActivationFunction;
import dev.tinysim.tflite.BuiltinOperator;
import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.Padding;
import dev.tinysim.tflite.Quantization;
import dev.tinysim.tflite.TensorType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static dev.tinysim.reference.SingleOp.bytes;
import static dev.tinysim.reference.SingleOp.ints;
import static dev.tinysim.reference.SingleOp.shape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED. Float cases use small integer values, so every product
 * and sum is exact and the expected outputs, worked out by hand in the comments, are exact whatever the
 * summation order. int8 cases choose power-of-two scales so the requantization is a plain shift.
 */
class ConvolutionOperatorsTest {

    private static final float[] IMAGE_3X3 = {1, 2, 3, 4, 5, 6, 7, 8, 9};

    @Test
    void floatConvValidPadding() {
        SingleOp s = new SingleOp();
        int in = s.input(s.builder.addTensor("in", TensorType.FLOAT32, shape(1, 3, 3, 1)));
        int w = s.builder.addFloatConstant("w", shape(1, 2, 2, 1), 1, 0, 0, -1);
        int b = s.builder.addFloatConstant("b", shape(1), 10);
        int out = s.builder.addTensor("out", TensorType.FLOAT32, shape(1, 2, 2, 1));
        s.op(BuiltinOperator.CONV_2D, new BuiltinOptions.Conv2D(Padding.VALID, 1, 1, ActivationFunction.NONE),
                new int[] {in, w, b}, out);
        // out(y,x) = in(y,x) - in(y+1,x+1) + 10 = -4 + 10 everywhere.
        assertArrayEquals(new float[] {6, 6, 6, 6}, s.runFloat(IMAGE_3X3));
    }

    @Test
    void floatConvSamePaddingStrideTwoPutsTheExtraPaddingBottomRight() {
        SingleOp s = new SingleOp();
        int in = s.input(s.builder.addTensor("in", TensorType.FLOAT32, shape(1, 3, 3, 1)));
        int w = s.builder.addFloatConstant("w", shape(1, 2, 2, 1), 1, 1, 1, 1);
        int out = s.builder.addTensor("out", TensorType.FLOAT32, shape(1, 2, 2, 1));
        s.op(BuiltinOperator.CONV_2D, new BuiltinOptions.Conv2D(Padding.SAME, 2, 2, ActivationFunction.RELU6),
                new int[] {in, w, -1}, out);
        // SAME, stride 2: out = ceil(3/2) = 2, total padding = (2-1)*2 + 2 - 3 = 1 -> top/left 0, bottom/right 1.
        // Windows: rows {0,1} x cols {0,1} = 1+2+4+5 = 12; {0,1}x{2} = 3+6 = 9; {2}x{0,1} = 7+8 = 15; {2}x{2} = 9.
        // RELU6 clamps all to 6.
        assertArrayEquals(new float[] {6, 6, 6, 6}, s.runFloat(IMAGE_3X3));
        SingleOp s2 = new SingleOp();
        int in2 = s2.input(s2.builder.addTensor("in", TensorType.FLOAT32, shape(1, 3, 3, 1)));
        int w2 = s2.builder.addFloatConstant("w", shape(1, 2, 2, 1), 1, 1, 1, 1);
        int out2 = s2.builder.addTensor("out", TensorType.FLOAT32, shape(1, 2, 2, 1));
        s2.op(BuiltinOperator.CONV_2D, new BuiltinOptions.Conv2D(Padding.SAME, 2, 2, ActivationFunction.NONE),
                new int[] {in2, w2, -1}, out2);
        assertArrayEquals(new float[] {12, 9, 15, 9}, s2.runFloat(IMAGE_3X3));
    }

    @Test
    void floatConvWithDilationAndTwoChannelsAndGroups() {
        SingleOp s = new SingleOp();
        int in = s.input(s.builder.addTensor("in", TensorType.FLOAT32, shape(1, 3, 3, 1)));
        // dilation 2 turns the 2x2 filter into the four corners of the 3x3 image.
        int w = s.builder.addFloatConstant("w", shape(2, 2, 2, 1), 1, 1, 1, 1, 1, 0, 0, -1);
        int out = s.builder.addTensor("out", TensorType.FLOAT32, shape(1, 1, 1, 2));
        s.op(BuiltinOperator.CONV_2D, new BuiltinOptions.Conv2D(Padding.VALID, 1, 1, ActivationFunction.NONE, 2, 2, 0),
                new int[] {in, w, -1}, out);
        // channel 0: 1+3+7+9 = 20; channel 1: 1 - 9 = -8.
        assertArrayEquals(new float[] {20, -8}, s.runFloat(IMAGE_3X3));

        SingleOp g = new SingleOp();
        int gin = g.input(g.builder.addTensor("in", TensorType.FLOAT32, shape(1, 1, 1, 4)));
        int gw = g.builder.addFloatConstant("w", shape(2, 1, 1, 2), 1, 2, 3, 4);
        int gout = g.builder.addTensor("out", TensorType.FLOAT32, shape(1, 1, 1, 2));
        g.op(BuiltinOperator.CONV_2D, new BuiltinOptions.Conv2D(Padding.VALID, 1, 1, ActivationFunction.NONE),
                new int[] {gin, gw, -1}, gout);
        // Two groups: out0 = 1*1 + 2*2 (input channels 0,1); out1 = 3*3 + 4*4 (input channels 2,3).
        assertArrayEquals(new float[] {5, 25}, g.runFloat(new float[] {1, 2, 3, 4}));
    }

    @Test
    void hybridConvDequantizesInt8FiltersOnTheFly() {
        SingleOp s = new SingleOp();
        int in = s.input(s.builder.addTensor("in", TensorType.FLOAT32, shape(1, 3, 3, 1)));
        int w = s.builder.addInt8Constant("w", shape(2, 2, 2, 1), Quantization.perChannel(List.of(0.5f, 0.25f), 0),
                bytes(2, 0, 0, -2, 4, 4, 4, 4));
        int b = s.builder.addFloatConstant("b", shape(2), 0.5f, 0);
        int out = s.builder.addTensor("out", TensorType.FLOAT32, shape(1, 2, 2, 2));
        s.op(BuiltinOperator.CONV_2D, new BuiltinOptions.Conv2D(Padding.VALID, 1, 1, ActivationFunction.NONE),
                new int[] {in, w, b}, out);
        // channel 0 weights 2*0.5 = 1, 0, 0, -2*0.5 = -1: in(y,x) - in(y+1,x+1) + 0.5 = -3.5;
        // channel 1 weights all 4*0.25 = 1: sums of 2x2 windows 12, 16, 24, 28.
        assertArrayEquals(new float[] {-3.5f, 12, -3.5f, 16, -3.5f, 24, -3.5f, 28}, s.runFloat(IMAGE_3X3));
    }

    @Test
    void int8ConvPerChannelWithReluAndBias() {
        SingleOp s = new SingleOp();
        int in = s.input(s.builder.addTensor("in", TensorType.INT8, shape(1, 2, 2, 1), Quantization.perTensor(0.5f, -1)));
        int w = s.builder.addInt8Constant("w", shape(2, 2, 2, 1), Quantization.perChannel(List.of(0.5f, 1.0f), 0),
                bytes(1, 1, 1, 1, 1, -1, 1, -1));
        int b = s.builder.addInt32Constant("b", shape(2), Quantization.perChannel(List.of(0.25f, 0.5f), 0), 8, 0);
        int out = s.builder.addTensor("out", TensorType.INT8, shape(1, 1, 1, 2), Quantization.perTensor(1.0f, 2));
        s.op(BuiltinOperator.CONV_2D, new BuiltinOptions.Conv2D(Padding.VALID, 1, 1, ActivationFunction.RELU),
                new int[] {in, w, b}, out);
        // Inputs q = 7, 3, 15, -9 -> q - zp = 8, 4, 16, -8.
        // ch0: acc = 8+4+16-8 = 20, + bias 8 = 28, multiplier 0.5*0.5/1 = 0.25 -> 7, + zp 2 = 9.
        // ch1: acc = 8-4+16+8 = 28, multiplier 0.5 -> 14, + 2 = 16. RELU lower bound = zp 2: no effect.
        assertArrayEquals(new int[] {9, 16}, ints(s.run(bytes(7, 3, 15, -9))));
        // All inputs at -128: ch0 acc = 4 * (-127) + 8 = -500 -> -125 + 2 = -123 -> RELU clamps to 2.
        assertArrayEquals(new int[] {2, 2}, ints(s.run(bytes(-128, -128, -128, -128))));
    }

    @Test
    void depthwiseFloatWithDepthMultiplierTwo() {
        SingleOp s = new SingleOp();
        int in = s.input(s.builder.addTensor("in", TensorType.FLOAT32, shape(1, 2, 2, 2)));
        // Output channel oc = ic * 2 + m. Filter [1, 2, 2, 4], value at (y, x, oc).
        int w = s.builder.addFloatConstant("w", shape(1, 2, 2, 4),
                1, 1, 0, 1,
                1, 0, 0, 1,
                1, 0, 0, 1,
                1, 0, 1, 1);
        int b = s.builder.addFloatConstant("b", shape(4), 0, 100, 0, 0);
        int out = s.builder.addTensor("out", TensorType.FLOAT32, shape(1, 1, 1, 4));
        s.op(BuiltinOperator.DEPTHWISE_CONV_2D, new BuiltinOptions.DepthwiseConv2D(Padding.VALID, 1, 1, 2,
                ActivationFunction.NONE), new int[] {in, w, b}, out);
        // Input channel 0 = 1,2,3,4 at (0,0),(0,1),(1,0),(1,1); channel 1 = 10,20,30,40.
        // oc0 (ic0): 1+2+3+4 = 10; oc1 (ic0): 1*1 + 100 = 101; oc2 (ic1): 40; oc3 (ic1): 100.
        assertArrayEquals(new float[] {10, 101, 40, 100}, s.runFloat(new float[] {1, 10, 2, 20, 3, 30, 4, 40}));
    }

    @Test
    void int8DepthwiseWithSamePadding() {
        SingleOp s = new SingleOp();
        int in = s.input(s.builder.addTensor("in", TensorType.INT8, shape(1, 2, 2, 1), Quantization.perTensor(1f, 0)));
        int w = s.builder.addInt8Constant("w", shape(1, 3, 3, 1), Quantization.perChannel(List.of(0.5f), 3),
                bytes(1, 1, 1, 1, 1, 1, 1, 1, 1));
        int out = s.builder.addTensor("out", TensorType.INT8, shape(1, 2, 2, 1), Quantization.perTensor(1f, 0));
        s.op(BuiltinOperator.DEPTHWISE_CONV_2D, new BuiltinOptions.DepthwiseConv2D(Padding.SAME, 1, 1, 1,
                ActivationFunction.NONE), new int[] {in, w, -1}, out);
        // 3x3 all-ones window over a 2x2 image covers all four pixels from every position: sum = 2+4+6+8 = 20,
        // times 0.5 = 10.
        assertArrayEquals(new int[] {10, 10, 10, 10}, ints(s.run(bytes(2, 4, 6, 8))));
    }

    @Test
    void floatFullyConnected() {
        SingleOp s = new SingleOp();
        int in = s.input(s.builder.addTensor("in", TensorType.FLOAT32, shape(2, 3)));
        int w = s.builder.addFloatConstant("w", shape(2, 3), 1, 2, 3, -1, 0, 1);
        int b = s.builder.addFloatConstant("b", shape(2), 1, -1);
        int out = s.builder.addTensor("out", TensorType.FLOAT32, shape(2, 2));
        s.op(BuiltinOperator.FULLY_CONNECTED, new BuiltinOptions.FullyConnected(ActivationFunction.RELU),
                new int[] {in, w, b}, out);
        // batch 0 (1,1,1): 6+1 = 7, 0-1 = -1 -> 0;  batch 1 (1,0,2): 7+1 = 8, 1-1 = 0.
        assertArrayEquals(new float[] {7, 0, 8, 0}, s.runFloat(new float[] {1, 1, 1, 1, 0, 2}));
    }

    @Test
    void int8FullyConnectedUsesFilterOffsetAndFloatScaleProduct() {
        SingleOp s = new SingleOp();
        int in = s.input(s.builder.addTensor("in", TensorType.INT8, shape(1, 2), Quantization.perTensor(0.5f, 10)));
        int w = s.builder.addInt8Constant("w", shape(1, 2), Quantization.perTensor(0.5f, 1), bytes(3, 5));
        int out = s.builder.addTensor("out", TensorType.INT8, shape(1, 1), Quantization.perTensor(0.125f, -3));
        s.op(BuiltinOperator.FULLY_CONNECTED, new BuiltinOptions.FullyConnected(ActivationFunction.NONE),
                new int[] {in, w, -1}, out);
        // (3-1)*(14-10) + (5-1)*(12-10) = 8 + 8 = 16; multiplier 0.25/0.125 = 2 -> 32, + zp -3 = 29.
        assertArrayEquals(new int[] {29}, ints(s.run(bytes(14, 12))));
    }

    /**
     * Independent cross-check of the int8 FC/conv arithmetic on random data: the exact real-valued result
     * (double, from dequantized values) quantized with plain rounding may differ from TFLite's double-rounding
     * integer pipeline by at most 1 LSB.
     */
    @Test
    void int8FullyConnectedIsWithinOneLsbOfTheRealValuedResult() {
        SplittableRandom rng = new SplittableRandom(3);
        int depth = 64;
        int outs = 32;
        byte[] weights = new byte[depth * outs];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (byte) rng.nextInt(-127, 128);
        }
        float inScale = 0.0371f;
        float wScale = 0.00813f;
        float outScale = 0.0922f;
        SingleOp s = new SingleOp();
        int in = s.input(s.builder.addTensor("in", TensorType.INT8, shape(1, depth), Quantization.perTensor(inScale, 7)));
        int w = s.builder.addInt8Constant("w", shape(outs, depth), Quantization.perTensor(wScale, 0), weights);
        int out = s.builder.addTensor("out", TensorType.INT8, shape(1, outs), Quantization.perTensor(outScale, -5));
        s.op(BuiltinOperator.FULLY_CONNECTED, new BuiltinOptions.FullyConnected(ActivationFunction.NONE),
                new int[] {in, w, -1}, out);
        var model = s.model();
        int exact = 0;
        int total = 0;
        for (int trial = 0; trial < 50; trial++) {
            byte[] x = new byte[depth];
            for (int i = 0; i < depth; i++) {
                x[i] = (byte) rng.nextInt(-128, 128);
            }
            byte[] got = ReferenceInterpreter.run(model, List.of(x)).get(0);
            for (int o = 0; o < outs; o++) {
                double real = 0;
                for (int d = 0; d < depth; d++) {
                    real += (double) inScale * (x[d] - 7) * (double) wScale * weights[o * depth + d];
                }
                long expected = Math.max(-128, Math.min(127, Math.round(real / outScale) - 5));
                assertTrue(Math.abs(expected - got[o]) <= 1, "output " + o + ": " + got[o] + " vs " + expected);
                exact += expected == got[o] ? 1 : 0;
                total++;
            }
        }
        assertTrue(exact > total * 0.95, exact + " of " + total + " exact");
    }
}
