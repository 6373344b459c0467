package dev.tinysim.reference;

import dev.tinysim.tflite.ActivationFunction;
import dev.tinysim.tflite.BuiltinOperator;
import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.Quantization;
import dev.tinysim.tflite.TensorType;
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
 * SUB, MAXIMUM, MINIMUM, SQUARED_DIFFERENCE, DIV, PRELU and the int16 ADD / MUL: values derived by hand,
 * and TFLM's own test vectors where the comment names the file (tensorflow/lite/micro/kernels/*_test.cc).
 */
class ElementwiseOperatorsTest {

    static SingleOp binary(BuiltinOperator op, BuiltinOptions o, TensorType t, int[] s1, Quantization q1, int[] s2,
                           Quantization q2, int[] so, Quantization qo) {
        SingleOp s = new SingleOp();
        int a = s.input(s.builder.addTensor("a", t, s1, q1));
        int b = s.input(s.builder.addTensor("b", t, s2, q2));
        int out = s.builder.addTensor("out", t, so, qo);
        return s.op(op, o, new int[] {a, b}, out);
    }

    static byte[] shorts(int... v) {
        ByteBuffer b = ByteBuffer.allocate(2 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : v) {
            b.putShort((short) x);
        }
        return b.array();
    }

    static int[] fromShorts(byte[] raw) {
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        int[] r = new int[raw.length / 2];
        for (int i = 0; i < r.length; i++) {
            r[i] = b.getShort();
        }
        return r;
    }

    @Test
    void floatSubBroadcastsAndAppliesTheActivation() {
        SingleOp s = binary(BuiltinOperator.SUB, new BuiltinOptions.Sub(ActivationFunction.RELU6), TensorType.FLOAT32,
                shape(2, 2), Quantization.NONE, shape(2), Quantization.NONE, shape(2, 2), Quantization.NONE);
        // rows (1, 9) and (-3, 4) minus (0.5, -0.5): 0.5, 9.5 -> 6, -3.5 -> 0, 4.5
        assertArrayEquals(new float[] {0.5f, 6f, 0f, 4.5f},
                s.runFloat(new float[] {1, 9, -3, 4}, new float[] {0.5f, -0.5f}));
    }

    @Test
    void int8SubRescalesBothInputs() {
        SingleOp s = binary(BuiltinOperator.SUB, new BuiltinOptions.Sub(ActivationFunction.NONE), TensorType.INT8,
                shape(4), Quantization.perTensor(0.5f, 0), shape(4), Quantization.perTensor(0.25f, 4), shape(4),
                Quantization.perTensor(1.0f, -10));
        // real = 0.5 a - 0.25 (b - 4); out = round(real) - 10:
        //   a=10,b=12: 3 -> -7;  a=-20,b=4: -10 -> -20;  a=100,b=-128: 50 + 33 = 83 -> 73;  a=-128,b=127: -64 - 30.75 -> -105
        assertArrayEquals(new int[] {-7, -20, 73, -105},
                ints(s.run(bytes(10, -20, 100, -128), bytes(12, 4, -128, 127))));
    }

    @Test
    void int16AddAndSubUseTheGeneralPathWithShift15() {
        for (boolean pot : new boolean[] {true, false}) {
            SingleOp add = binary(BuiltinOperator.ADD, new BuiltinOptions.Add(ActivationFunction.NONE, pot),
                    TensorType.INT16, shape(3), Quantization.perTensor(1f / 1024, 0), shape(3),
                    Quantization.perTensor(1f / 2048, 0), shape(3), Quantization.perTensor(1f / 512, 0));
            // real = a/1024 + b/2048; out = real * 512 = a/2 + b/4 (rounded):
            //   1000 + 2000 -> 500 + 500 = 1000;  -3 + 2 -> -1.5 + 0.5 = -1;  32767 + 32767 -> 16383.5 + 8191.75 -> 24575
            assertArrayEquals(new int[] {1000, -1, 24575},
                    fromShorts(add.run(shorts(1000, -3, 32767), shorts(2000, 2, 32767))), "pot_scale_int16 " + pot);
        }
        SingleOp sub = binary(BuiltinOperator.SUB, new BuiltinOptions.Sub(ActivationFunction.RELU, false),
                TensorType.INT16, shape(3), Quantization.perTensor(1f / 1024, 0), shape(3),
                Quantization.perTensor(1f / 1024, 0), shape(3), Quantization.perTensor(1f / 1024, 0));
        assertArrayEquals(new int[] {0, 5, 32767}, fromShorts(sub.run(shorts(-10, 7, 32767), shorts(10, 2, -32768))));
    }

    @Test
    void int16MulNeedsSymmetricQuantization() {
        SingleOp mul = binary(BuiltinOperator.MUL, new BuiltinOptions.Mul(ActivationFunction.NONE), TensorType.INT16,
                shape(3), Quantization.perTensor(1f / 256, 0), shape(3), Quantization.perTensor(1f / 256, 0), shape(3),
                Quantization.perTensor(1f / 256, 0));
        // (a/256)(b/256)*256 = ab/256: 512*768/256 = 1536; -300*300/256 = -351.56 -> -352; 32767^2/256 saturates
        assertArrayEquals(new int[] {1536, -352, 32767}, fromShorts(mul.run(shorts(512, -300, 32767), shorts(768, 300, 32767))));
        SingleOp bad = binary(BuiltinOperator.MUL, new BuiltinOptions.Mul(ActivationFunction.NONE), TensorType.INT16,
                shape(1), Quantization.perTensor(1f / 256, 3), shape(1), Quantization.perTensor(1f / 256, 0), shape(1),
                Quantization.perTensor(1f / 256, 0));
        assertThrows(UnsupportedModelException.class, () -> bad.run(shorts(1), shorts(1)));
    }

    @Test
    void maximumAndMinimumCompareRawValues() {
        // element by element, ties and near ties included
        float[] a = {1.0f, 0.0f, -1.0f, 11.0f, -2.0f, -1.44f};
        float[] b = {-1.0f, 0.0f, 1.0f, 12.0f, -3.0f, -1.43f};
        SingleOp max = binary(BuiltinOperator.MAXIMUM, new BuiltinOptions.NoFields(BuiltinOptions.MAXIMUM_MINIMUM),
                TensorType.FLOAT32, shape(3, 1, 2), Quantization.NONE, shape(3, 1, 2), Quantization.NONE,
                shape(3, 1, 2), Quantization.NONE);
        assertArrayEquals(new float[] {1.0f, 0.0f, 1.0f, 12.0f, -2.0f, -1.43f}, max.runFloat(a, b));
        SingleOp min = binary(BuiltinOperator.MINIMUM, new BuiltinOptions.NoFields(BuiltinOptions.MAXIMUM_MINIMUM),
                TensorType.FLOAT32, shape(3, 1, 2), Quantization.NONE, shape(3, 1, 2), Quantization.NONE,
                shape(3, 1, 2), Quantization.NONE);
        assertArrayEquals(new float[] {-1.0f, 0.0f, -1.0f, 11.0f, -3.0f, -1.44f}, min.runFloat(a, b));
        // int8, broadcast of a scalar: raw values compared, no requantization
        Quantization q = Quantization.perTensor(0.5f, -3);
        SingleOp max8 = binary(BuiltinOperator.MAXIMUM, BuiltinOptions.NONE, TensorType.INT8, shape(4), q, shape(1), q,
                shape(4), q);
        assertArrayEquals(new int[] {5, 5, 100, 5}, ints(max8.run(bytes(-128, 5, 100, -7), bytes(5))));
    }

    @Test
    void squaredDifferenceFloatAndInt8() {
        SingleOp f = binary(BuiltinOperator.SQUARED_DIFFERENCE, BuiltinOptions.NONE, TensorType.FLOAT32, shape(3),
                Quantization.NONE, shape(3), Quantization.NONE, shape(3), Quantization.NONE);
        assertArrayEquals(new float[] {4f, 0.25f, 0f}, f.runFloat(new float[] {1, -0.5f, 3}, new float[] {-1, 0, 3}));
        // int8: inputs at 0.1, output at 0.05, zero points 0: (a - b)^2 * 0.01 / 0.05 = (a - b)^2 / 5
        SingleOp q = binary(BuiltinOperator.SQUARED_DIFFERENCE, BuiltinOptions.NONE, TensorType.INT8, shape(4),
                Quantization.perTensor(0.1f, 0), shape(4), Quantization.perTensor(0.1f, 0), shape(4),
                Quantization.perTensor(0.05f, -128));
        // (10 - 0)^2 / 5 = 20 -> -108;  (-5 - 5)^2/5 = 20 -> -108;  (3-2)^2/5 = 0.2 -> -128;  (100 - -100)^2/5 saturates
        assertArrayEquals(new int[] {-108, -108, -128, 127}, ints(q.run(bytes(10, -5, 3, 100), bytes(0, 5, 2, -100))));
    }

    @Test
    void floatDivMatchesTflmVectors() {
        // TFLM div_test.cc FloatDivOpTestActNone and FloatDivOpTestActReluN1To1
        SingleOp none = binary(BuiltinOperator.DIV, new BuiltinOptions.Div(ActivationFunction.NONE), TensorType.FLOAT32,
                shape(1, 2, 2, 1), Quantization.NONE, shape(1, 2, 2, 1), Quantization.NONE, shape(1, 2, 2, 1),
                Quantization.NONE);
        float[] r = none.runFloat(new float[] {-0.2f, 0.2f, -1.2f, 0.8f}, new float[] {0.5f, 0.2f, -1.5f, 0.5f});
        assertArrayEquals(new float[] {-0.4f, 1.0f, 0.8f, 1.6f}, r, 1e-5f);
        SingleOp relu = binary(BuiltinOperator.DIV, new BuiltinOptions.Div(ActivationFunction.RELU_N1_TO_1),
                TensorType.FLOAT32, shape(1, 2, 2, 1), Quantization.NONE, shape(1, 2, 2, 1), Quantization.NONE,
                shape(1, 2, 2, 1), Quantization.NONE);
        r = relu.runFloat(new float[] {-0.2f, 0.2f, -1.2f, 0.8f}, new float[] {0.1f, 0.2f, -1.5f, 0.5f});
        assertArrayEquals(new float[] {-1.0f, 1.0f, 0.8f, 1.0f}, r, 1e-5f);
    }

    @Test
    void int8DivMatchesTflmVectorsWithinTheirTolerance() {
        // TFLM div_test.cc QuantizedDivOpTestActNone: data in [-1, 1], scale 2/255, zero point 0 here;
        // TFLM's tolerance 2 * step + step^2
        float scale = 2.0f / 255;
        Quantization q = Quantization.perTensor(scale, 0);
        SingleOp s = binary(BuiltinOperator.DIV, new BuiltinOptions.Div(ActivationFunction.NONE), TensorType.INT8,
                shape(1, 2, 2, 1), q, shape(1, 2, 2, 1), q, shape(1, 2, 2, 1), q);
        float[] x = {-0.8f, -0.2f, 0.3f, 0.7f};
        float[] y = {-0.8f, 0.4f, 0.8f, 1.0f};
        float[] want = {1.0f, -0.5f, 0.375f, 0.7f};
        byte[] out = s.run(quantize(x, scale), quantize(y, scale));
        for (int i = 0; i < 4; i++) {
            assertEquals(want[i], out[i] * scale, 2 * scale + scale * scale, "element " + i);
        }
    }

    @Test
    void int8DivOfTheZeroPointByALargeDivisorIsOneStepUp() {
        // 0 / y: the dividend's headroom is 31, so the final rounding shift exceeds 31 once the divisor's
        // reciprocal shift passes the output shift; TFLM's code then gives 1 on a Cortex-M (documented).
        // Scales 1: output multiplier 1 -> shift 1; divisor 64 has reciprocal shift 6: exponent 31 - 1 + 6 = 36.
        Quantization q = Quantization.perTensor(1f, 0);
        SingleOp s = binary(BuiltinOperator.DIV, new BuiltinOptions.Div(ActivationFunction.NONE), TensorType.INT8,
                shape(3), q, shape(3), q, shape(3), q);
        // 0/64 -> 1 (exponent 36); 0/1 -> 0 (exponent 30); 100/50 -> 2
        assertArrayEquals(new int[] {1, 0, 2}, ints(s.run(bytes(0, 0, 100), bytes(64, 1, 50))));
    }

    @Test
    void preluMatchesTflmVectors() {
        // TFLM prelu_test.cc FloatPreluActivationsOpTest
        SingleOp f = binary(BuiltinOperator.PRELU, BuiltinOptions.NONE, TensorType.FLOAT32, shape(2, 2, 3),
                Quantization.NONE, shape(1, 1, 3), Quantization.NONE, shape(2, 2, 3), Quantization.NONE);
        float[] in = {0, 0, 0, 1, 1, 1, -1, -1, -1, -2, -2, -2};
        // (TFLM compares within 1e-5; bit for bit, x * 0 for x < 0 is -0.0)
        assertArrayEquals(new float[] {0, 0, 0, 1, 1, 1, -0f, -1, -2, -0f, -2, -4}, f.runFloat(in, new float[] {0, 1, 2}));
        // QuantizedInt8PreluActivationsOpTest: every scale 2/255, zero point 0, alpha {0, 0.5, -0.5}
        float scale = 2.0f / 255;
        Quantization q = Quantization.perTensor(scale, 0);
        SingleOp s = binary(BuiltinOperator.PRELU, BuiltinOptions.NONE, TensorType.INT8, shape(2, 2, 3), q,
                shape(1, 1, 3), q, shape(2, 2, 3), q);
        float[] x = {0, 0, 0, 0.5f, 0.5f, 0.5f, -1, -1, -1, -0.25f, -0.25f, -0.25f};
        float[] golden = {0, 0, 0, 0.5f, 0.5f, 0.5f, 0, -0.5f, 0.5f, 0, -0.125f, 0.125f};
        byte[] out = s.run(quantize(x, scale), quantize(new float[] {0, 0.5f, -0.5f}, scale));
        for (int i = 0; i < golden.length; i++) {
            assertEquals(golden[i], out[i] * scale, scale, "element " + i);
        }
    }

    @Test
    void binaryOperatorsRejectShapesThatDoNotBroadcast() {
        SingleOp s = binary(BuiltinOperator.SUB, BuiltinOptions.NONE, TensorType.FLOAT32, shape(2, 3),
                Quantization.NONE, shape(2), Quantization.NONE, shape(2, 3), Quantization.NONE);
        UnsupportedModelException e = assertThrows(UnsupportedModelException.class,
                () -> s.runFloat(new float[6], new float[2]));
        assertTrue(e.getMessage().contains("SUB (operator 0)"), e.getMessage());
        // a leading 1 in the output is allowed (TFLite's extended shapes)
        SingleOp lead = binary(BuiltinOperator.MAXIMUM, BuiltinOptions.NONE, TensorType.FLOAT32, shape(3),
                Quantization.NONE, shape(3), Quantization.NONE, shape(1, 3), Quantization.NONE);
        assertArrayEquals(new float[] {2, 2, 3}, lead.runFloat(new float[] {1, 2, 3}, new float[] {2, 2, 2}));
    }

    static byte[] quantize(float[] v, float scale) {
        byte[] r = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = (byte) QuantizedMath.clamp(Math.round(v[i] / scale), -128, 127);
        }
        return r;
    }

    static List<Integer> list(int... v) {
        return java.util.Arrays.stream(v).boxed().toList();
    }
}
