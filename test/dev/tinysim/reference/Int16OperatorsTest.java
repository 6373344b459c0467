package dev.tinysim.reference;

import dev.tinysim.tflite.ActivationFunction;
import dev.tinysim.tflite.BuiltinOperator;
import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.Padding;
import dev.tinysim.tflite.Quantization;
import dev.tinysim.tflite.TensorType;
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
 * TFLite's 16x8 mode in the reference: CONV_2D on TFLite Micro's own test vectors (conv_test.cc,
 * SimpleTestQuantized16x8PerChannel{64b,32b}Bias and ...Relu6{64b,32b}Bias), the accumulator TFLite Micro picks
 * for each bias type, DEPTHWISE_CONV_2D, FULLY_CONNECTED with the int64 rescaling's rounding, the pools,
 * QUANTIZE / DEQUANTIZE, RESHAPE, and what is refused. Expected values by hand unless they are TFLM's.
 */
class Int16OperatorsTest {

    // conv_test.cc: input [2, 2, 4, 1], filter [3, 2, 2, 1], bias [3], output [2, 1, 2, 3], VALID, stride 2.
    private static final float[] CONV_INPUT = {1, 1, 1, 1, 2, 2, 2, 2, 1, 2, 3, 4, 1, 2, 3, 4};
    private static final float[] CONV_FILTER = {1, 2, 3, 4, -1, 1, -1, 1, -1, -1, 1, 1};
    private static final float[] CONV_BIAS = {1, 2, 3};
    private static final short[] CONV_GOLDEN = shorts(18, 2, 5, 18, 2, 5, 17, 4, 3, 37, 4, 3); // output scale 1

    /** TFLM's conv test, quantized the way its test helpers do; bias int64, int32 or float-free (-1 = none). */
    private static short[] tflmConv16(float inScale, float outScale, float[] bias, TensorType biasType,
                                      ActivationFunction act) {
        SingleOp s = new SingleOp();
        float[] fs = new float[3];
        byte[] fq = TflmTestQuantization.perChannelFilter(CONV_FILTER, 3, fs);
        int in = s.input(s.builder.addTensor("in", TensorType.INT16, shape(2, 2, 4, 1), Quantization.perTensor(inScale, 0)));
        int w = s.builder.addInt8Constant("w", shape(3, 2, 2, 1), Quantization.perChannel(TflmTestQuantization.list(fs), 0), fq);
        int b = biasType == TensorType.INT64
                ? s.builder.addInt64Constant("b", shape(3), Quantization.NONE, TflmTestQuantization.bias64(bias, inScale, fs))
                : s.builder.addInt32Constant("b", shape(3), Quantization.NONE, TflmTestQuantization.bias32(bias, inScale, fs));
        int out = s.builder.addTensor("out", TensorType.INT16, shape(2, 1, 2, 3), Quantization.perTensor(outScale, 0));
        s.op(BuiltinOperator.CONV_2D, new BuiltinOptions.Conv2D(Padding.VALID, 2, 2, act), new int[] {in, w, b}, out);
        return shorts(s.run(le(TflmTestQuantization.int16(CONV_INPUT, inScale))));
    }

    @Test
    void conv16x8OnTflmTestVectorsWithInt64AndInt32Biases() {
        // Output 0 by hand: input q = 2x, window [[2,2],[4,4]]; channel 0 filter q {32,64,95,127} (scale 4/127),
        // bias q = round(1 / (0.5 * 4/127)) = 64: (64+128+380+508+64) * 0.5*4/127 = 1144 * 0.015748 = 18.02 -> 18.
        // TFLM accepts these outputs within 1 of its golden; tinysim gives the golden itself.
        assertArrayEquals(CONV_GOLDEN, tflmConv16(0.5f, 1.0f, CONV_BIAS, TensorType.INT64, ActivationFunction.NONE));
        assertArrayEquals(CONV_GOLDEN, tflmConv16(0.5f, 1.0f, CONV_BIAS, TensorType.INT32, ActivationFunction.NONE));
    }

    @Test
    void conv16x8Relu6OnTflmTestVectors() {
        // TFLM golden {6,2,0, 6,2,0, 6,4,0, 6,4,0} at scale 0.023529 is {255,85,0, 255,85,0, 255,170,0, 255,170,0};
        // RELU6 clamps to quantize(6.0) = round(6 / 0.023529) = 255. TFLM's test allows +-1, and the quantized
        // arithmetic gives 169 for the 170s: batch 1, channel 1 (filter {-127,127,-127,127} at scale 1/127) sees
        // inputs {1,2,1,2} -> q {43,85,43,85}, sum 127 * 84 = 10668, bias round(2 * 127 / 0.023529) = 10795,
        // (10668 + 10795) / 127 = 169 exactly.
        short[] expected = shorts(255, 85, 0, 255, 85, 0, 255, 169, 0, 255, 169, 0);
        float[] bias = {1, 2, -3};
        short[] r64 = tflmConv16(0.023529f, 0.023529f, bias, TensorType.INT64, ActivationFunction.RELU6);
        short[] r32 = tflmConv16(0.023529f, 0.023529f, bias, TensorType.INT32, ActivationFunction.RELU6);
        assertArrayEquals(expected, r64);
        assertArrayEquals(expected, r32);
    }

    /** 1x1 CONV_2D over 1024 channels of -32768 with weights -128: every product is 2^22, the sum 2^32. */
    private static short[] wideSum(TensorType biasType) {
        SingleOp s = new SingleOp();
        int in = s.input(s.builder.addTensor("in", TensorType.INT16, shape(1, 1, 1, 1024), Quantization.perTensor(1f, 0)));
        byte[] wq = new byte[1024];
        java.util.Arrays.fill(wq, (byte) -128);
        int w = s.builder.addInt8Constant("w", shape(1, 1, 1, 1024), Quantization.perTensor(1f, 0), wq);
        int b = biasType == null ? -1 : biasType == TensorType.INT64
                ? s.builder.addInt64Constant("b", shape(1), Quantization.NONE, 0L)
                : s.builder.addInt32Constant("b", shape(1), Quantization.NONE, 0);
        int out = s.builder.addTensor("out", TensorType.INT16, shape(1, 1, 1, 1), Quantization.perTensor(65536f, 0));
        s.op(BuiltinOperator.CONV_2D, new BuiltinOptions.Conv2D(Padding.VALID, 1, 1, ActivationFunction.NONE),
                new int[] {in, w, b}, out);
        short[] x = new short[1024];
        java.util.Arrays.fill(x, (short) -32768);
        return shorts(s.run(le(x)));
    }

    @Test
    void conv16x8AccumulatesInInt32WithoutAnInt64BiasAsTflmDoes() {
        // TFLite Micro: ConvPerChannel<int32_t> for an int32 bias or none, <int64_t> for an int64 bias. The sum
        // 1024 * 2^22 = 2^32 wraps to 0 in int32; in int64 it is 2^32, times 1/65536 = 65536, saturated.
        assertArrayEquals(shorts(0), wideSum(null));
        assertArrayEquals(shorts(0), wideSum(TensorType.INT32));
        assertArrayEquals(shorts(32767), wideSum(TensorType.INT64));
    }

    @Test
    void depthwise16x8AccumulatesInInt64WithAPerChannelBias() {
        SingleOp s = new SingleOp();
        int in = s.input(s.builder.addTensor("in", TensorType.INT16, shape(1, 1, 2, 2), Quantization.perTensor(1f, 0)));
        int w = s.builder.addInt8Constant("w", shape(1, 1, 2, 2), Quantization.perTensor(1f, 0), SingleOp.bytes(1, 2, 3, -1));
        int b = s.builder.addInt64Constant("b", shape(2), Quantization.NONE, 5L, -5L);
        int out = s.builder.addTensor("out", TensorType.INT16, shape(1, 1, 1, 2), Quantization.perTensor(0.5f, 0));
        s.op(BuiltinOperator.DEPTHWISE_CONV_2D, new BuiltinOptions.DepthwiseConv2D(Padding.VALID, 1, 1, 1,
                ActivationFunction.NONE, 1, 1), new int[] {in, w, b}, out);
        // channel 0: 10*1 + 30*3 + 5 = 105; channel 1: -20*2 + 40*(-1) - 5 = -85; output scale 0.5 doubles them.
        assertArrayEquals(shorts(210, -170), shorts(s.run(le(shorts(10, -20, 30, 40)))));
    }

    @Test
    void fullyConnected16x8AppliesTheFilterOffsetAndTheInt64RoundingTiesUp() {
        SingleOp s = new SingleOp();
        int in = s.input(s.builder.addTensor("in", TensorType.INT16, shape(1, 4), Quantization.perTensor(0.5f, 0)));
        int w = s.builder.addInt8Constant("w", shape(2, 4), Quantization.perTensor(0.25f, 2), SingleOp.bytes(3, 2, 1, 2, 2, 2, 2, 2));
        int b = s.builder.addInt64Constant("b", shape(2), Quantization.NONE, 1000L, -6L);
        int out = s.builder.addTensor("out", TensorType.INT16, shape(1, 2), Quantization.perTensor(0.5f, 0));
        s.op(BuiltinOperator.FULLY_CONNECTED, new BuiltinOptions.FullyConnected(ActivationFunction.NONE),
                new int[] {in, w, b}, out);
        // (w - 2) rows: (1, 0, -1, 0) -> 100 - 300 + 1000 = 800; (0, 0, 0, 0) -> -6. Multiplier 0.5*0.25/0.5 = 1/4:
        // 800/4 = 200; -6/4 = -1.5, which TFLite's int64 rescaling rounds up to -1 (the int32 one gives -2).
        assertArrayEquals(shorts(200, -1), shorts(s.run(le(shorts(100, -200, 300, 32767)))));
    }

    @Test
    void int64MultiplyByQuantizedMultiplierMatchesTflite() {
        int half = 1 << 30; // 0.5 as a Q31 multiplier
        assertEquals(-1, QuantizedMath.multiplyByQuantizedMultiplier(-6L, half, -1)); // -1.5 -> -1 (ties up)
        assertEquals(-2, QuantizedMath.multiplyByQuantizedMultiplier(-6, half, -1)); // int32: ties away from zero
        // reduced multiplier (2^30 + 2^15) >> 16 = 2^14; shift 0: (x * 2^14 + 2^14) >> 15 = floor(x / 2 + 1/2)
        assertEquals(3, QuantizedMath.multiplyByQuantizedMultiplier(5L, half, 0)); // 2.5 -> 3
        assertEquals(-2, QuantizedMath.multiplyByQuantizedMultiplier(-5L, half, 0)); // -2.5 -> -2
        assertEquals(40, QuantizedMath.multiplyByQuantizedMultiplier(5L, half, 4)); // 5 * 0.5 * 2^4, shift 11
        // The multiplier is reduced to 16 bits: 0x7FFEFFFF -> 0x7FFF (rounded), 0x7FFF0000 and above -> 0x7FFF.
        assertEquals(QuantizedMath.multiplyByQuantizedMultiplier(1L << 40, 0x7FFF0000, -31),
                QuantizedMath.multiplyByQuantizedMultiplier(1L << 40, Integer.MAX_VALUE, -31));
        assertThrows(IllegalArgumentException.class, () -> QuantizedMath.multiplyByQuantizedMultiplier(1L, half, 8));
    }

    @Test
    void int16PoolsRoundLikeInt8AndClampToTheActivation() {
        SingleOp avg = new SingleOp();
        Quantization q = Quantization.perTensor(0.5f, 0);
        int in = avg.input(avg.builder.addTensor("in", TensorType.INT16, shape(1, 2, 2, 2), q));
        int out = avg.builder.addTensor("out", TensorType.INT16, shape(1, 1, 1, 2), q);
        avg.op(BuiltinOperator.AVERAGE_POOL_2D, new BuiltinOptions.Pool2D(Padding.VALID, 1, 1, 2, 2,
                ActivationFunction.NONE), new int[] {in}, out);
        // channel 0: (100 + 101 - 100 - 103) / 4 = -0.5 -> -1 (half away from zero); channel 1: 131067 / 4 -> 32767
        assertArrayEquals(shorts(-1, 32767), shorts(avg.run(le(shorts(100, 32767, 101, 32767, -100, 32767, -103, 32766)))));

        SingleOp max = new SingleOp();
        Quantization qz = Quantization.perTensor(0.5f, -1000);
        int mi = max.input(max.builder.addTensor("in", TensorType.INT16, shape(1, 2, 2, 2), qz));
        int mo = max.builder.addTensor("out", TensorType.INT16, shape(1, 1, 1, 2), qz);
        max.op(BuiltinOperator.MAX_POOL_2D, new BuiltinOptions.Pool2D(Padding.VALID, 1, 1, 2, 2,
                ActivationFunction.RELU), new int[] {mi}, mo);
        // RELU's lower bound is the zero point -1000: max(-2000, -1500, -1200, -1100) = -1100 -> -1000; max = 7
        assertArrayEquals(shorts(-1000, 7), shorts(max.run(le(shorts(-2000, 5, -1500, -30000, -1200, 7, -1100, 6)))));
    }

    private static byte[] unary(BuiltinOperator op, TensorType from, Quantization qin, TensorType to,
                                Quantization qout, int n, byte[] input) {
        SingleOp s = new SingleOp();
        int in = s.input(s.builder.addTensor("in", from, shape(n), qin));
        int out = s.builder.addTensor("out", to, shape(n), qout);
        s.op(op, new BuiltinOptions.NoFields(op == BuiltinOperator.QUANTIZE ? BuiltinOptions.QUANTIZE
                : BuiltinOptions.DEQUANTIZE), new int[] {in}, out);
        return s.run(input);
    }

    @Test
    void quantizeConvertsEveryPairOfInt8Int16AndFloat() {
        // float -> int16, scale 0.5, zero point 10: 1.5 -> 2, -2.5 -> -3 (half away), then +10; saturation
        byte[] f = TensorValues.fromFloats(new float[] {0.75f, -1.25f, 20000f, -20000f, 1e9f});
        assertArrayEquals(shorts(12, 7, 32767, -32768, 32767), shorts(unary(BuiltinOperator.QUANTIZE,
                TensorType.FLOAT32, Quantization.NONE, TensorType.INT16, Quantization.perTensor(0.5f, 10), 5, f)));
        // int8 (0.5, -3) -> int16 (0.25, 0): multiplier 2, (x + 3) * 2
        assertArrayEquals(shorts(-250, 260, 6), shorts(unary(BuiltinOperator.QUANTIZE, TensorType.INT8,
                Quantization.perTensor(0.5f, -3), TensorType.INT16, Quantization.perTensor(0.25f, 0), 3,
                SingleOp.bytes(-128, 127, 0))));
        // int16 (0.25, 0) -> int8 (1, 5): x / 4 rounded half away from zero (10 -> 3, -10 -> -3), + 5, clamped
        assertArrayEquals(SingleOp.bytes(8, 2, 127), unary(BuiltinOperator.QUANTIZE, TensorType.INT16,
                Quantization.perTensor(0.25f, 0), TensorType.INT8, Quantization.perTensor(1f, 5), 3,
                le(shorts(10, -10, 32767))));
        // int16 (1, 0) -> int16 (0.25, 0): multiplier 4 (shift 3), saturating
        assertArrayEquals(shorts(32767, -20), shorts(unary(BuiltinOperator.QUANTIZE, TensorType.INT16,
                Quantization.perTensor(1f, 0), TensorType.INT16, Quantization.perTensor(0.25f, 0), 2, le(shorts(9000, -5)))));
    }

    @Test
    void dequantizeInt16() {
        byte[] out = unary(BuiltinOperator.DEQUANTIZE, TensorType.INT16, Quantization.perTensor(0.5f, -1000),
                TensorType.FLOAT32, Quantization.NONE, 4, le(shorts(-1000, 0, 32767, -32768)));
        float[] r = new float[4];
        java.nio.ByteBuffer.wrap(out).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(r);
        assertArrayEquals(new float[] {0f, 500f, 16883.5f, -15884f}, r);
    }

    @Test
    void reshapeCopiesInt16() {
        SingleOp s = new SingleOp();
        Quantization q = Quantization.perTensor(0.1f, 0);
        int in = s.input(s.builder.addTensor("in", TensorType.INT16, shape(2, 3), q));
        int out = s.builder.addTensor("out", TensorType.INT16, shape(3, 2), q);
        s.op(BuiltinOperator.RESHAPE, new BuiltinOptions.Reshape(List.of(3, 2)), new int[] {in}, out);
        byte[] x = le(shorts(1, -2, 300, -32768, 32767, 0));
        assertArrayEquals(x, s.run(x));
    }

    /** A 1x1 16x8 CONV_2D / DEPTHWISE_CONV_2D / FULLY_CONNECTED with the given quantization and bias. */
    private static String rejection(BuiltinOperator op, Quantization qin, Quantization qw, float outScale,
                                    TensorType biasType) {
        SingleOp s = new SingleOp();
        boolean fc = op == BuiltinOperator.FULLY_CONNECTED;
        int in = s.input(s.builder.addTensor("in", TensorType.INT16, fc ? shape(1, 2) : shape(1, 1, 1, 2), qin));
        boolean dw = op == BuiltinOperator.DEPTHWISE_CONV_2D;
        int w = s.builder.addInt8Constant("w", fc ? shape(2, 2) : dw ? shape(1, 1, 1, 2) : shape(2, 1, 1, 2), qw,
                dw ? SingleOp.bytes(1, 2) : SingleOp.bytes(1, 2, 3, 4));
        int b = biasType == null ? -1 : biasType == TensorType.INT64
                ? s.builder.addInt64Constant("b", shape(2), Quantization.NONE, 1L, 2L)
                : s.builder.addInt32Constant("b", shape(2), Quantization.NONE, 1, 2);
        int out = s.builder.addTensor("out", TensorType.INT16, fc ? shape(1, 2) : shape(1, 1, 1, 2),
                Quantization.perTensor(outScale, 0));
        BuiltinOptions o = switch (op) {
            case CONV_2D -> new BuiltinOptions.Conv2D(Padding.VALID, 1, 1, ActivationFunction.NONE);
            case DEPTHWISE_CONV_2D -> new BuiltinOptions.DepthwiseConv2D(Padding.VALID, 1, 1, 1, ActivationFunction.NONE, 1, 1);
            default -> new BuiltinOptions.FullyConnected(ActivationFunction.NONE);
        };
        s.op(op, o, new int[] {in, w, b}, out);
        try {
            ReferenceInterpreter.prepare(s.model());
            return null;
        } catch (UnsupportedModelException e) {
            return e.getMessage();
        }
    }

    @Test
    void refusesWhatTfliteMicroRefusesIn16x8() {
        Quantization sym = Quantization.perTensor(0.5f, 0);
        Quantization w = Quantization.perTensor(0.25f, 0);
        Quantization perChannel = Quantization.perChannel(List.of(0.25f, 0.5f), 0);
        String zp = rejection(BuiltinOperator.CONV_2D, Quantization.perTensor(0.5f, 2), w, 1f, TensorType.INT64);
        assertTrue(zp.contains("has zero point 2; 16x8 operators need symmetric int16 tensors"), zp);
        String fcPerChannel = rejection(BuiltinOperator.FULLY_CONNECTED, sym, perChannel, 1f, TensorType.INT64);
        assertTrue(fcPerChannel.contains("per-channel FULLY_CONNECTED weights with int8 activations only"), fcPerChannel);
        String dwBias32 = rejection(BuiltinOperator.DEPTHWISE_CONV_2D, sym, w, 1f, TensorType.INT32);
        assertTrue(dwBias32.contains("bias 'b' has type INT32, expected [INT64]"), dwBias32);
        String fcBias32 = rejection(BuiltinOperator.FULLY_CONNECTED, sym, w, 1f, TensorType.INT32);
        assertTrue(fcBias32.contains("bias 'b' has type INT32, expected [INT64]"), fcBias32);
        // real multiplier 0.5 * 0.25 / (1/1024) = 128: shift 8, beyond TFLite's int64 rescaling (<= 7) ...
        String big = rejection(BuiltinOperator.CONV_2D, sym, w, 1f / 1024, TensorType.INT64);
        assertTrue(big.contains("too large for TFLite's int64 rescaling (shift must be at most 7)"), big);
        // ... but fine for CONV_2D's int32 accumulator (int32 bias), and a multiplier of 64 fits int64's
        assertEquals(null, rejection(BuiltinOperator.CONV_2D, sym, w, 1f / 1024, TensorType.INT32));
        assertEquals(null, rejection(BuiltinOperator.DEPTHWISE_CONV_2D, sym, w, 1f / 512, TensorType.INT64));
        assertEquals(null, rejection(BuiltinOperator.CONV_2D, sym, perChannel, 1f, null));
    }
}
