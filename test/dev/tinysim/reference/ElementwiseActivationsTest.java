package dev.tinysim.reference;

import dev.tinysim.tflite.BuiltinOperator;
import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.Quantization;
import dev.tinysim.tflite.TensorType;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static dev.tinysim.reference.ElementwiseOperatorsTest.fromShorts;
import static dev.tinysim.reference.ElementwiseOperatorsTest.shorts;
import static dev.tinysim.reference.SingleOp.bytes;
import static dev.tinysim.reference.SingleOp.ints;
import static dev.tinysim.reference.SingleOp.shape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HARD_SWISH, LEAKY_RELU, EXP, RSQRT, LOG_SOFTMAX, CAST and int16 SOFTMAX: values derived by hand, bounds
 * against the real functions, and TFLM's test vectors where the comment names the file
 * (tensorflow/lite/micro/kernels/*_test.cc).
 */
class ElementwiseActivationsTest {

    private static SingleOp unary(BuiltinOperator op, BuiltinOptions o, TensorType in, Quantization qi, TensorType out,
                                  Quantization qo, int... shape) {
        SingleOp s = new SingleOp();
        int i = s.input(s.builder.addTensor("in", in, shape, qi));
        int r = s.builder.addTensor("out", out, shape, qo);
        return s.op(op, o, new int[] {i}, r);
    }

    private static byte[] all256() {
        byte[] b = new byte[256];
        for (int i = 0; i < 256; i++) {
            b[i] = (byte) (i - 128);
        }
        return b;
    }

    @Test
    void floatHardSwishIsTflitesExpression() {
        SingleOp s = unary(BuiltinOperator.HARD_SWISH, BuiltinOptions.NONE, TensorType.FLOAT32, Quantization.NONE,
                TensorType.FLOAT32, Quantization.NONE, 6);
        float[] got = s.runFloat(new float[] {-4, -1.5f, 0, 1, 3, 5});
        // x * min(6, max(0, x + 3)) / 6; -4 * 0 is -0.0
        assertArrayEquals(new float[] {-0.0f, -0.375f, 0, 4f / 6f, 3, 5}, got);
    }

    @Test
    void int8HardSwishTracksTheFunctionOnEveryInput() {
        float si = 0.05f;
        float so = 0.03f;
        SingleOp s = unary(BuiltinOperator.HARD_SWISH, BuiltinOptions.NONE, TensorType.INT8,
                Quantization.perTensor(si, 3), TensorType.INT8, Quantization.perTensor(so, -40), 256);
        byte[] out = s.run(all256());
        double worst = 0;
        for (int i = 0; i < 256; i++) {
            double x = si * (i - 128 - 3);
            double want = x * Math.min(6, Math.max(0, x + 3)) / 6;
            double got = so * (out[i] + 40);
            if (want / so + -40 <= 127) { // inside the representable range
                worst = Math.max(worst, Math.abs(got - want) / so);
            }
        }
        // the 16-bit fixed point of TFLite's kernel is within one output step of the real function
        assertTrue(worst <= 1.0, "worst error " + worst + " output steps");
    }

    @Test
    void leakyReluFloatAndInt8() {
        SingleOp f = unary(BuiltinOperator.LEAKY_RELU, new BuiltinOptions.LeakyRelu(0.2f), TensorType.FLOAT32,
                Quantization.NONE, TensorType.FLOAT32, Quantization.NONE, 4);
        assertArrayEquals(new float[] {-2f * 0.2f, 3, 0, -0.0f}, f.runFloat(new float[] {-2, 3, 0, -0.0f}));
        // int8, negative alpha: in 0.5 / out 0.25 (zero point 10), alpha -0.5 gives the multiplier -1.0
        SingleOp q = unary(BuiltinOperator.LEAKY_RELU, new BuiltinOptions.LeakyRelu(-0.5f), TensorType.INT8,
                Quantization.perTensor(0.5f, 0), TensorType.INT8, Quantization.perTensor(0.25f, 10), 4);
        // 4 (2.0) -> 8 + 10; -4 (-2.0) -> 1.0 -> 4 + 10; -128 (-64) -> 32 -> 128 + 10 saturates; 0 -> 10
        assertArrayEquals(new int[] {18, 14, 127, 10}, ints(q.run(bytes(4, -4, -128, 0))));
    }

    @Test
    void negativeMultipliersKeepTflitesRounding() {
        // TFLite fixes up only +2^31: a significand rounding to -2^31 stays INT32_MIN, shift unchanged
        QuantizedMath.Multiplier m = ElementwiseMath.multiplierSigned(null, -0.99999999999, "test");
        assertEquals(Integer.MIN_VALUE, m.multiplier());
        assertEquals(0, m.shift());
        m = ElementwiseMath.multiplierSigned(null, -1.0, "test");
        assertEquals(-(1 << 30), m.multiplier());
        assertEquals(1, m.shift());
        m = ElementwiseMath.multiplierSigned(null, -0.75, "test");
        assertEquals(-1610612736, m.multiplier());
        assertEquals(0, m.shift());
    }

    @Test
    void expIsTheDeterministicExpAndFloatOnly() {
        SingleOp s = unary(BuiltinOperator.EXP, BuiltinOptions.NONE, TensorType.FLOAT32, Quantization.NONE,
                TensorType.FLOAT32, Quantization.NONE, 4);
        float[] x = {0, 1, -3.5f, 10};
        float[] got = s.runFloat(x);
        for (int i = 0; i < x.length; i++) {
            assertEquals(Float.floatToIntBits(DeterministicMath.expf(x[i])), Float.floatToIntBits(got[i]));
            assertEquals(Math.exp(x[i]), got[i], Math.ulp((float) Math.exp(x[i])) * 2);
        }
        SingleOp q = unary(BuiltinOperator.EXP, BuiltinOptions.NONE, TensorType.INT8, Quantization.perTensor(0.1f, 0),
                TensorType.INT8, Quantization.perTensor(0.1f, 0), 2);
        assertThrows(UnsupportedModelException.class, () -> q.run(bytes(1, 2)));
    }

    @Test
    void rsqrtFloatAndInt8() {
        SingleOp f = unary(BuiltinOperator.RSQRT, BuiltinOptions.NONE, TensorType.FLOAT32, Quantization.NONE,
                TensorType.FLOAT32, Quantization.NONE, 5);
        float[] got = f.runFloat(new float[] {4, 0.25f, -1, 0, -0.0f});
        assertEquals(0.5f, got[0]);
        assertEquals(2f, got[1]);
        assertEquals(0x7fc00000, Float.floatToRawIntBits(got[2]), "negative: the Arm default NaN");
        assertEquals(Float.POSITIVE_INFINITY, got[3]);
        assertEquals(Float.NEGATIVE_INFINITY, got[4]);
        // int8: in 0.01 (zero point -128), out 0.1 (zero point -128): out = 100 / sqrt(q + 128) - 128
        SingleOp q = unary(BuiltinOperator.RSQRT, BuiltinOptions.NONE, TensorType.INT8,
                Quantization.perTensor(0.01f, -128), TensorType.INT8, Quantization.perTensor(0.1f, -128), 5);
        // v = 100 -> 10 -> -118; v = 1 -> 100 -> -28; v = 25 -> 20 -> -108; v = 0 -> 127 (TFLM: the maximum);
        // v = 2 -> 70.7 -> -57
        assertArrayEquals(new int[] {-118, -28, -108, 127, -57}, ints(q.run(bytes(-28, -127, -103, -128, -126))));
        // a value below the input zero point fails at run time, as TFLM's Eval does
        SingleOp neg = unary(BuiltinOperator.RSQRT, BuiltinOptions.NONE, TensorType.INT8,
                Quantization.perTensor(0.01f, 0), TensorType.INT8, Quantization.perTensor(0.1f, 0), 2);
        KernelFailureException e = assertThrows(KernelFailureException.class, () -> neg.run(bytes(5, -1)));
        assertTrue(e.getMessage().startsWith("RSQRT (operator 0)"), e.getMessage());
    }

    @Test
    void floatLogSoftmaxMatchesTheDefinition() {
        SingleOp s = unary(BuiltinOperator.LOG_SOFTMAX, BuiltinOptions.NONE, TensorType.FLOAT32, Quantization.NONE,
                TensorType.FLOAT32, Quantization.NONE, 2, 5);
        float[] x = {1, 2, 3, 4, 5, -1, -2, -3, -4, -5};
        float[] got = s.runFloat(x);
        double logSum = Math.log(Math.exp(-4) + Math.exp(-3) + Math.exp(-2) + Math.exp(-1) + 1);
        for (int i = 0; i < 5; i++) {
            assertEquals(x[i] - 5 - logSum, got[i], 1e-6);
            assertEquals(-(i + 1) + 1 - logSum, got[5 + i], 1e-6);
        }
    }

    @Test
    void int8LogSoftmaxTracksTheRealFunction() {
        float si = 0.1f;
        SingleOp s = unary(BuiltinOperator.LOG_SOFTMAX, BuiltinOptions.NONE, TensorType.INT8,
                Quantization.perTensor(si, -5), TensorType.INT8, Quantization.perTensor(16f / 256, 127), 1, 8);
        java.util.SplittableRandom rng = new java.util.SplittableRandom(7);
        for (int trial = 0; trial < 100; trial++) {
            byte[] in = new byte[8];
            for (int i = 0; i < 8; i++) {
                in[i] = (byte) rng.nextInt(-128, 128);
            }
            byte[] out = s.run(in);
            double sum = 0;
            for (byte v : in) {
                sum += Math.exp(si * (v + 5));
            }
            for (int i = 0; i < 8; i++) {
                double want = Math.max(-16, si * (in[i] + 5) - Math.log(sum)); // out range [-16, 0]
                double got = (out[i] - 127) * 16.0 / 256;
                assertTrue(Math.abs(got - want) <= 16.0 / 256 + 1e-9, "trial " + trial + ": " + got + " vs " + want);
            }
        }
        SingleOp wrongOut = unary(BuiltinOperator.LOG_SOFTMAX, BuiltinOptions.NONE, TensorType.INT8,
                Quantization.perTensor(si, 0), TensorType.INT8, Quantization.perTensor(1f / 256, -128), 1, 8);
        assertThrows(UnsupportedModelException.class, () -> wrongOut.run(new byte[8]));
    }

    private static byte[] floats(float... v) {
        return TensorValues.fromFloats(v);
    }

    private static byte[] ints32(int... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : v) {
            b.putInt(x);
        }
        return b.array();
    }

    private static SingleOp cast(TensorType from, TensorType to, int n) {
        return unary(BuiltinOperator.CAST, new BuiltinOptions.Cast(from.code(), to.code()), from, Quantization.NONE, to,
                Quantization.NONE, n);
    }

    @Test
    void castIsStaticCastAsOnArm() {
        // float -> int8: toward zero, saturating to int32 (NaN -> 0), then the low 8 bits
        byte[] r = cast(TensorType.FLOAT32, TensorType.INT8, 7).run(floats(300.7f, -1.5f, Float.NaN,
                Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 127.9f, -129f));
        assertArrayEquals(new int[] {44, -1, 0, -1, 0, 127, 127}, ints(r));
        // int32 -> int16 keeps the low 16 bits; float -> int32 saturates
        assertArrayEquals(new int[] {4464, 25536, -1}, fromShorts(cast(TensorType.INT32, TensorType.INT16, 3)
                .run(ints32(70000, -40000, -1))));
        r = cast(TensorType.FLOAT32, TensorType.INT32, 2).run(floats(3e9f, -2.9f));
        assertEquals(Integer.MAX_VALUE, ByteBuffer.wrap(r).order(ByteOrder.LITTLE_ENDIAN).getInt(0));
        assertEquals(-2, ByteBuffer.wrap(r).order(ByteOrder.LITTLE_ENDIAN).getInt(4));
        // integers and bools to float round to nearest even
        SingleOp i2f = cast(TensorType.INT32, TensorType.FLOAT32, 2);
        assertArrayEquals(new float[] {16777216f, -7f}, toFloats(i2f.run(ints32(16777217, -7))));
        assertArrayEquals(new float[] {0f, 1f, 1f}, toFloats(cast(TensorType.BOOL, TensorType.FLOAT32, 3)
                .run(bytes(0, 1, 1))));
        assertArrayEquals(new float[] {32767f, -32768f}, toFloats(cast(TensorType.INT16, TensorType.FLOAT32, 2)
                .run(shorts(32767, -32768))));
        // TFLM has no uint8 or bool output: refused
        assertThrows(UnsupportedModelException.class, () -> cast(TensorType.INT8, TensorType.UINT8, 1).run(bytes(1)));
        assertThrows(UnsupportedModelException.class, () -> cast(TensorType.INT8, TensorType.BOOL, 1).run(bytes(1)));
    }

    private static float[] toFloats(byte[] raw) {
        float[] f = new float[raw.length / 4];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
        return f;
    }

    // TFLM softmax_test.cc: input_data_1d / golden_1d, input_data_3d / golden_3d (tolerance 1 and 7 in int16 steps)
    private static final float[] INPUT_1D = {1.0f, 2.0f, 3.0f, 4.0f, 5.0f};
    private static final float[] GOLDEN_1D = {0.011656231f, 0.031684921f, 0.086128544f, 0.234121657f, 0.636408647f};
    private static final float[] INPUT_3D = {3, 6, -5, 4, -9, -10, -10, -8, 2, 2, 8, -5, -8, 5, -6, -8, 6, 1, -10, -8,
        7, 6, -10, -4, -5, 2, 7, 9, -9, 7, -4, -2, 8, 2, 2, 3, 6, 6, 2, 4, 9, 7, -7, 0, 4, -3, 8, 8, -3, -4, -9, -9, 4,
        -8, -1, -10, -2, 6, -7, 0};
    private static final float[] GOLDEN_3D = {0.042009463f, 0.843782625f, 0.000014093f, 0.114193561f, 0.000000258f,
        0.000003072f, 0.000003072f, 0.000022699f, 0.499985578f, 0.499985578f, 0.952571219f, 0.000002153f,
        0.000000107f, 0.047425728f, 0.000000792f, 0.000000826f, 0.993305397f, 0.006692839f, 0.000000112f,
        0.000000826f, 0.731046347f, 0.268936922f, 0.000000030f, 0.000012210f, 0.000004492f, 0.000717124f,
        0.106430599f, 0.786421666f, 0.000000012f, 0.106430599f, 0.000006114f, 0.000045174f, 0.995015917f,
        0.002466398f, 0.002466398f, 0.022595176f, 0.453836234f, 0.453836234f, 0.008312301f, 0.061420055f,
        0.875505904f, 0.118486839f, 0.000000099f, 0.000108046f, 0.005899112f, 0.000008351f, 0.499990113f,
        0.499990113f, 0.000008351f, 0.000003072f, 0.000002245f, 0.000002245f, 0.993296627f, 0.000006103f,
        0.006692780f, 0.000000112f, 0.000334520f, 0.997191323f, 0.000002254f, 0.002471790f};

    private static void int16SoftmaxWithin(float[] input, float[] golden, int[] shape, int tolerance) {
        SingleOp s = unary(BuiltinOperator.SOFTMAX, new BuiltinOptions.Softmax(1f), TensorType.INT16,
                Quantization.perTensor(0.1f, 0), TensorType.INT16, Quantization.perTensor(1f / 32768, 0), shape);
        int[] q = new int[input.length];
        for (int i = 0; i < q.length; i++) {
            q[i] = Math.round(input[i] / 0.1f);
        }
        int[] got = fromShorts(s.run(shorts(q)));
        for (int i = 0; i < golden.length; i++) {
            long want = Math.round(golden[i] * 32768.0);
            assertTrue(Math.abs(got[i] - want) <= tolerance, "element " + i + ": " + got[i] + " vs " + want);
        }
    }

    @Test
    void int16SoftmaxMatchesTflmVectors() {
        int16SoftmaxWithin(INPUT_1D, GOLDEN_1D, shape(1, 5), 1);
        int16SoftmaxWithin(INPUT_3D, GOLDEN_3D, shape(3, 4, 5), 7);
    }

    @Test
    void int8ToInt16SoftmaxMatchesTflmVectors() {
        SingleOp s = unary(BuiltinOperator.SOFTMAX, new BuiltinOptions.Softmax(1f), TensorType.INT8,
                Quantization.perTensor(0.1f, 0), TensorType.INT16, Quantization.perTensor(1f / 65536, -32768), 1, 5);
        int[] got = fromShorts(s.run(bytes(10, 20, 30, 40, 50)));
        for (int i = 0; i < 5; i++) {
            long want = Math.round(GOLDEN_1D[i] * 65536.0) - 32768;
            assertTrue(Math.abs(got[i] - want) <= 1, "element " + i + ": " + got[i] + " vs " + want);
        }
    }

    @Test
    void int16SoftmaxTablesAreTflitesGenLut() {
        short[] exp = Int16Lut.exp();
        short[] recip = Int16Lut.oneOverOnePlusX();
        // end points: exp(0) = 1 and 1/(1+0) = 1 saturate at 32767, 1/(1+1) = 0.5 is 16384
        assertEquals(32767, exp[512]);
        assertEquals(32767, recip[0]);
        assertEquals(16384, recip[512]);
        // first entry: exp(-10) * 32768 = 1.488 rounds to 1; the next sample 1.517 and the midpoint 1.502
        // give an interpolated midpoint round((1.517 + 1) / 2) = 1 against round(1.502) = 2: error -1,
        // bias round(-0.5) = -1, so the entry is 1 - (-1) = 2
        assertEquals(2, exp[0]);
        // The exp table is built with DeterministicMath.expf where TFLM calls std::exp: with the correctly
        // rounded float exp instead, how many of its 513 entries differ (the figure the docs state)
        short[] exact = Int16Lut.generate(x -> (float) Math.exp(x), -10.0f, 0.0f);
        int differ = 0;
        for (int i = 0; i < exp.length; i++) {
            differ += exp[i] != exact[i] ? 1 : 0;
        }
        assertEquals(0, differ, "entries that differ from a table built with the correctly rounded exp");
        // interpolation between entries: 7 bits of offset
        assertEquals(recip[256], Int16Lut.lookup((short) 0, recip));
        assertEquals(exp[511] + ((exp[512] - exp[511]) * 127 + 64 >> 7), Int16Lut.lookup((short) 32767, exp));
    }

    @Test
    void tanhFloatInt8AndInt16() {
        SingleOp f = unary(BuiltinOperator.TANH, BuiltinOptions.NONE, TensorType.FLOAT32, Quantization.NONE,
                TensorType.FLOAT32, Quantization.NONE, 4);
        float[] x = {0.3f, -2f, 12f, -0.0f};
        float[] got = f.runFloat(x);
        for (int i = 0; i < x.length; i++) {
            assertEquals(Float.floatToIntBits(DeterministicMath.tanhf(x[i])), Float.floatToIntBits(got[i]));
        }
        // int8: every input, output in units of 1/128 (TFLM's TANH ignores the output's quantization)
        float si = 0.04f;
        SingleOp q = unary(BuiltinOperator.TANH, BuiltinOptions.NONE, TensorType.INT8, Quantization.perTensor(si, 7),
                TensorType.INT8, Quantization.perTensor(1f / 128, 0), 256);
        byte[] out = q.run(all256());
        for (int i = 0; i < 256; i++) {
            double want = Math.max(-128, Math.min(127, Math.tanh(si * (i - 128 - 7)) * 128));
            assertTrue(Math.abs(out[i] - want) <= 0.5 + 1e-9, "input " + (i - 128) + ": " + out[i] + " vs " + want);
        }
    }

    @Test
    void int16TanhAndLogisticUseTflitesParameters() {
        // power-of-two input scale 2^-12: multiplier 0 (TFLite's POT case), i.e. 3 << 0 on Q3.12
        assertArrayEquals(new int[] {0, 0}, int16Params(1f / 4096, false));
        // TANH also takes 2^-11 (left shift 1)
        assertArrayEquals(new int[] {0, 1}, int16Params(1f / 2048, true));
        // general scale 1e-3: 12.288 doubled 11 times to 25165.8, truncated; left shift 11
        assertArrayEquals(new int[] {25165, 11}, int16Params(1e-3f, true));
        // 1.0 in Q3.12 (4096): TFLite's table gives logistic 23956 and tanh 24956 (Q0.15)
        SingleOp lo = unary(BuiltinOperator.LOGISTIC, BuiltinOptions.NONE, TensorType.INT16,
                Quantization.perTensor(1f / 4096, 0), TensorType.INT16, Quantization.perTensor(1f / 32768, 0), 2);
        assertArrayEquals(new int[] {23956, 16384}, fromShorts(lo.run(shorts(4096, 0))));
        SingleOp ta = unary(BuiltinOperator.TANH, BuiltinOptions.NONE, TensorType.INT16,
                Quantization.perTensor(1f / 4096, 0), TensorType.INT16, Quantization.perTensor(1f / 32768, 0), 2);
        assertArrayEquals(new int[] {24956, -24956}, fromShorts(ta.run(shorts(4096, -4096))));
        SingleOp badOut = unary(BuiltinOperator.TANH, BuiltinOptions.NONE, TensorType.INT16,
                Quantization.perTensor(1f / 4096, 0), TensorType.INT16, Quantization.perTensor(1f / 256, 0), 1);
        assertThrows(UnsupportedModelException.class, () -> badOut.run(shorts(1)));
    }

    /** ElementwiseMath.int16ActivationParams of a one-operator model with that input scale. */
    private static int[] int16Params(float inputScale, boolean tanh) {
        SingleOp s = unary(tanh ? BuiltinOperator.TANH : BuiltinOperator.LOGISTIC, BuiltinOptions.NONE,
                TensorType.INT16, Quantization.perTensor(inputScale, 0), TensorType.INT16,
                Quantization.perTensor(1f / 32768, 0), 1);
        var model = s.model();
        var graph = model.mainSubgraph();
        OpContext c = new OpContext(model, graph, graph.operators().get(0), 0, "TANH");
        return ElementwiseMath.int16ActivationParams(c, c.input(0), c.output(0), tanh);
    }

    @Test
    void logfIsWithinTwoUlps() {
        long worst = 0;
        for (int i = 1; i <= 400_000; i++) {
            float x = i * 0.00025f;
            float y = Math.scalb((float) (i % 977 + 1) / 977.0f, i % 240 - 120);
            for (float v : new float[] {x, y}) {
                float got = DeterministicMath.logf(v);
                float want = (float) Math.log(v);
                worst = Math.max(worst, Math.abs((long) Float.floatToIntBits(got) - Float.floatToIntBits(want)));
            }
        }
        assertTrue(worst <= 2, "worst " + worst + " ulp");
        assertEquals(0.0f, DeterministicMath.logf(1.0f));
        assertEquals(Float.NEGATIVE_INFINITY, DeterministicMath.logf(0.0f));
        assertEquals(0x7fc00000, Float.floatToRawIntBits(DeterministicMath.logf(-2.0f)));
        assertEquals(Float.POSITIVE_INFINITY, DeterministicMath.logf(Float.POSITIVE_INFINITY));
        assertEquals(Math.log(Float.MIN_VALUE), DeterministicMath.logf(Float.MIN_VALUE), 1e-5);
    }

    @Test
    void fixedPointTanhAndLogTrackTheRealFunctions() {
        double worstTanh = 0;
        for (int raw = -(15 << 27); raw <= (15 << 27); raw += 1 << 17) { // Q4.27 over (-15, 15)
            double x = raw / (double) (1 << 27);
            double got = FixedPoint.tanh(raw, 4) / 2147483648.0;
            worstTanh = Math.max(worstTanh, Math.abs(got - Math.tanh(x)));
        }
        assertTrue(worstTanh < 1e-6, "tanh error " + worstTanh);
        assertEquals(0, FixedPoint.tanh(0, 4));
        double worstLog = 0;
        for (int raw = 1 << 19; raw > 0 && raw < Integer.MAX_VALUE - (1 << 16); raw += 1 << 16) { // Q12.19 in [1, 4096)
            double x = raw / (double) (1 << 19);
            double got = FixedPoint.logXGreaterThanOrEqualTo1(raw, 12, 5) / (double) (1 << 26);
            worstLog = Math.max(worstLog, Math.abs(got - Math.log(x)));
        }
        assertTrue(worstLog < 1e-6, "log error " + worstLog);
    }
}
