package dev.tinysim.reference;

import dev.tinysim.tflite.ActivationFunction;
import dev.tinysim.tflite.BuiltinOperator;
import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.ModelBuilder;
import dev.tinysim.tflite.Quantization;
import dev.tinysim.tflite.TensorType;
import dev.tinysim.tflite.TfliteModel;
import dev.tinysim.tflite.TfliteReader;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * UNIDIRECTIONAL_SEQUENCE_LSTM on TFLite Micro's own test vectors (tensorflow/lite/micro/kernels/testdata/
 * lstm_test_data.cc, Get2X2LstmEvalCheckData and Create2x3x2X2Float/Int8NodeContents, checked as
 * unidirectional_sequence_lstm_test.cc checks them: float within 1e-6, int8 within 1e-2, int16 (16x8) within 1e-3
 * after dequantization),
 * time-major and batch-major, and the variants TFLM's kernel refuses.
 */
class LstmKernelTest {

    // Get2X2LstmEvalCheckData: batch 2, time 3, input 2 (batch-major [2, 3, 2])
    static final float[] INPUT = {0.2f, 0.3f, 0.2f, 0.3f, 0.2f, 0.3f, -0.98f, 0.62f, 0.01f, 0.99f, 0.49f, -0.32f};
    static final float[] EXPECTED_OUTPUT = {
        0.26455893f, 0.26870455f, 0.47935803f, 0.47937014f, 0.58013272f, 0.58013278f,
        -1.41184672e-3f, -1.43329117e-5f, 0.46887168f, 0.46891281f, 0.50054074f, 0.50054148f};
    static final float[] EXPECTED_HIDDEN = {0.58013272f, 0.58013278f, 0.50054074f, 0.50054148f};
    static final float[] EXPECTED_CELL = {0.89740515f, 0.8974053f, 0.80327607f, 0.80327785f};
    // Create2x3x2X2FloatNodeContents: per gate {input weights, recurrent weights, bias}, gate order input, forget,
    // cell, output (lstm_shared.h's order)
    static final float[][][] GATES = {
        {{10, 10, 20, 20}, {10, 10, 20, 20}, {-1, -2}},           // input gate: large weights, remember
        {{-10, -10, -20, -20}, {-10, -10, -20, -20}, {1, 2}},     // forget gate: forget
        {{1, 1, 1, 1}, {1, 1, 1, 1}, {0, 0}},                     // cell gate
        {{1, 1, 1, 1}, {1, 1, 1, 1}, {0, 0}}};                    // output gate
    static final float CELL_CLIP = 6;

    record Built(TfliteModel model, int hidden, int cell) {
    }

    private static TfliteModel read(ModelBuilder b) {
        try {
            return TfliteReader.read(b.toBytes(), "lstm.tflite");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The float 2x3x2x2 LSTM; {@code timeMajor} lays the same data out as [time, batch, input]. */
    static Built floatLstm(boolean timeMajor) {
        ModelBuilder b = new ModelBuilder();
        int in = b.addTensor("in", TensorType.FLOAT32, timeMajor ? new int[] {3, 2, 2} : new int[] {2, 3, 2});
        int[] inputs = new int[24];
        Arrays.fill(inputs, -1);
        inputs[0] = in;
        for (int g = 0; g < 4; g++) {
            inputs[1 + g] = b.addFloatConstant("w" + g, new int[] {2, 2}, GATES[g][0]);
            inputs[5 + g] = b.addFloatConstant("r" + g, new int[] {2, 2}, GATES[g][1]);
            inputs[12 + g] = b.addFloatConstant("b" + g, new int[] {2}, GATES[g][2]);
        }
        inputs[18] = b.addVariable("hidden", TensorType.FLOAT32, new int[] {2, 2}, Quantization.NONE);
        inputs[19] = b.addVariable("cell", TensorType.FLOAT32, new int[] {2, 2}, Quantization.NONE);
        int out = b.addTensor("out", TensorType.FLOAT32, timeMajor ? new int[] {3, 2, 2} : new int[] {2, 3, 2});
        b.addOperator(BuiltinOperator.UNIDIRECTIONAL_SEQUENCE_LSTM, options(timeMajor), inputs, new int[] {out});
        b.inputs(in).outputs(out);
        return new Built(read(b), inputs[18], inputs[19]);
    }

    static BuiltinOptions.UnidirectionalSequenceLstm options(boolean timeMajor) {
        return new BuiltinOptions.UnidirectionalSequenceLstm(ActivationFunction.TANH, CELL_CLIP, 3f, timeMajor, true, false);
    }

    /** [batch][time][k] to [time][batch][k] */
    static float[] toTimeMajor(float[] v, int k) {
        float[] r = new float[v.length];
        for (int b = 0; b < 2; b++) {
            for (int t = 0; t < 3; t++) {
                System.arraycopy(v, (b * 3 + t) * k, r, (t * 2 + b) * k, k);
            }
        }
        return r;
    }

    @Test
    void floatMatchesTflmGoldens() {
        for (boolean timeMajor : new boolean[] {false, true}) {
            Built m = floatLstm(timeMajor);
            ReferenceSession s = ReferenceInterpreter.prepare(m.model()).newSession();
            InferenceResult r = s.invokeWithIntermediates(List.of(TensorValues.fromFloats(timeMajor ? toTimeMajor(INPUT, 2) : INPUT)));
            float[] out = TensorValues.toFloats(m.model().mainSubgraph().outputTensor(0), r.outputs().get(0));
            float[] want = timeMajor ? toTimeMajor(EXPECTED_OUTPUT, 2) : EXPECTED_OUTPUT;
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], out[i], 1e-6f, "time-major " + timeMajor + ", output " + i);
            }
            float[] hidden = TensorValues.toFloats(m.model().mainSubgraph().tensor(m.hidden()), r.tensor(m.hidden()));
            float[] cell = TensorValues.toFloats(m.model().mainSubgraph().tensor(m.cell()), r.tensor(m.cell()));
            for (int i = 0; i < 4; i++) {
                assertEquals(EXPECTED_HIDDEN[i], hidden[i], 1e-6f);
                assertEquals(EXPECTED_CELL[i], cell[i], 1e-6f);
            }
        }
    }

    @Test
    void theStateCarriesIntoTheNextInvoke() {
        Built m = floatLstm(false);
        ReferenceInterpreter ref = ReferenceInterpreter.prepare(m.model());
        ReferenceSession s = ref.newSession();
        byte[] x = TensorValues.fromFloats(INPUT);
        byte[] first = s.invoke(List.of(x)).get(0);
        byte[] second = s.invoke(List.of(x)).get(0);
        assertTrue(Arrays.equals(first, ref.invoke(List.of(x)).get(0)));
        assertTrue(!Arrays.equals(first, second), "the second invoke starts from the first one's final state");
    }

    // Get2X2Int8LstmQuantizationSettings (the gate weight and bias scales are also the 16x8 ones' weight scales)
    static final float IN_SCALE = 0.00784313725490196f;
    static final float HIDDEN_SCALE = 0.004705882165580988f;
    static final int HIDDEN_ZP = -21;
    static final float CELL_SCALE = 0.00024414062f;
    static final float[][] GATE_SCALES = {   // {weights, bias} per gate, gate order input, forget, cell, output
        {0.15748031496062992f, 0.0012351397251814111f}, {0.15748031496062992f, 0.0012351397251814111f},
        {0.007874015748031496f, 6.175698625907056e-5f}, {0.007874015748031496f, 6.175698625907056e-5f}};

    private static int q(float v, float scale, int zp, int lo, int hi) {
        return (int) Math.max(lo, Math.min(hi, DeterministicMath.roundHalfAway(v / scale) + zp));
    }

    static Built int8Lstm() {
        ModelBuilder b = new ModelBuilder();
        int in = b.addTensor("in", TensorType.INT8, new int[] {2, 3, 2}, Quantization.perTensor(IN_SCALE, 0));
        int[] inputs = new int[24];
        Arrays.fill(inputs, -1);
        inputs[0] = in;
        for (int g = 0; g < 4; g++) {
            float ws = GATE_SCALES[g][0];
            byte[] w = new byte[4];
            byte[] r = new byte[4];
            for (int i = 0; i < 4; i++) {
                w[i] = (byte) q(GATES[g][0][i], ws, 0, -127, 127);
                r[i] = (byte) q(GATES[g][1][i], ws, 0, -127, 127);
            }
            int[] bias = {q(GATES[g][2][0], GATE_SCALES[g][1], 0, Integer.MIN_VALUE, Integer.MAX_VALUE),
                q(GATES[g][2][1], GATE_SCALES[g][1], 0, Integer.MIN_VALUE, Integer.MAX_VALUE)};
            inputs[1 + g] = b.addInt8Constant("w" + g, new int[] {2, 2}, Quantization.perTensor(ws, 0), w);
            inputs[5 + g] = b.addInt8Constant("r" + g, new int[] {2, 2}, Quantization.perTensor(ws, 0), r);
            inputs[12 + g] = b.addInt32Constant("b" + g, new int[] {2}, Quantization.perTensor(GATE_SCALES[g][1], 0), bias);
        }
        inputs[18] = b.addVariable("hidden", TensorType.INT8, new int[] {2, 2}, Quantization.perTensor(HIDDEN_SCALE, HIDDEN_ZP));
        inputs[19] = b.addVariable("cell", TensorType.INT16, new int[] {2, 2}, Quantization.perTensor(CELL_SCALE, 0));
        int out = b.addTensor("out", TensorType.INT8, new int[] {2, 3, 2}, Quantization.perTensor(HIDDEN_SCALE, HIDDEN_ZP));
        b.addOperator(BuiltinOperator.UNIDIRECTIONAL_SEQUENCE_LSTM, options(false), inputs, new int[] {out});
        b.inputs(in).outputs(out);
        return new Built(read(b), inputs[18], inputs[19]);
    }

    @Test
    void int8MatchesTflmGoldensWithinItsTolerance() {
        Built m = int8Lstm();
        byte[] x = new byte[INPUT.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (byte) q(INPUT[i], IN_SCALE, 0, -128, 127);
        }
        InferenceResult r = ReferenceInterpreter.prepare(m.model()).newSession().invokeWithIntermediates(List.of(x));
        byte[] out = r.outputs().get(0);
        for (int i = 0; i < out.length; i++) {
            assertEquals(EXPECTED_OUTPUT[i], (out[i] - HIDDEN_ZP) * HIDDEN_SCALE, 1e-2f, "output " + i);
        }
        java.nio.ShortBuffer cell = java.nio.ByteBuffer.wrap(r.tensor(m.cell())).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .asShortBuffer();
        for (int i = 0; i < 4; i++) {
            assertEquals(EXPECTED_CELL[i], cell.get(i) * CELL_SCALE, 1e-2f, "cell " + i);
        }
    }

    // Get2X2Int16LstmQuantizationSettings: int16 activations, int64 biases
    static final float IN_SCALE_16 = 3.0518044e-5f;
    static final float HIDDEN_SCALE_16 = 2.1362956633198035e-05f;
    static final float[] BIAS_SCALES_16 = {4.8059911474468205e-06f, 4.8059911474468205e-06f, 2.40299557372341e-07f,
        2.40299557372341e-07f};

    static Built int16Lstm() {
        ModelBuilder b = new ModelBuilder();
        int in = b.addTensor("in", TensorType.INT16, new int[] {2, 3, 2}, Quantization.perTensor(IN_SCALE_16, 0));
        int[] inputs = new int[24];
        Arrays.fill(inputs, -1);
        inputs[0] = in;
        for (int g = 0; g < 4; g++) {
            float ws = GATE_SCALES[g][0];
            byte[] w = new byte[4];
            byte[] r = new byte[4];
            for (int i = 0; i < 4; i++) {
                w[i] = (byte) q(GATES[g][0][i], ws, 0, -127, 127);
                r[i] = (byte) q(GATES[g][1][i], ws, 0, -127, 127);
            }
            long[] bias = {(long) DeterministicMath.roundHalfAway(GATES[g][2][0] / BIAS_SCALES_16[g]),
                (long) DeterministicMath.roundHalfAway(GATES[g][2][1] / BIAS_SCALES_16[g])};
            inputs[1 + g] = b.addInt8Constant("w" + g, new int[] {2, 2}, Quantization.perTensor(ws, 0), w);
            inputs[5 + g] = b.addInt8Constant("r" + g, new int[] {2, 2}, Quantization.perTensor(ws, 0), r);
            inputs[12 + g] = b.addInt64Constant("b" + g, new int[] {2}, Quantization.perTensor(BIAS_SCALES_16[g], 0), bias);
        }
        inputs[18] = b.addVariable("hidden", TensorType.INT16, new int[] {2, 2}, Quantization.perTensor(HIDDEN_SCALE_16, 0));
        inputs[19] = b.addVariable("cell", TensorType.INT16, new int[] {2, 2}, Quantization.perTensor(CELL_SCALE, 0));
        int out = b.addTensor("out", TensorType.INT16, new int[] {2, 3, 2}, Quantization.perTensor(HIDDEN_SCALE_16, 0));
        b.addOperator(BuiltinOperator.UNIDIRECTIONAL_SEQUENCE_LSTM, options(false), inputs, new int[] {out});
        b.inputs(in).outputs(out);
        return new Built(read(b), inputs[18], inputs[19]);
    }

    @Test
    void int16MatchesTflmGoldensWithinItsTolerance() {
        Built m = int16Lstm();
        short[] x = new short[INPUT.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (short) q(INPUT[i], IN_SCALE_16, 0, -32768, 32767);
        }
        java.nio.ByteBuffer xb = java.nio.ByteBuffer.allocate(2 * x.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        xb.asShortBuffer().put(x);
        InferenceResult r = ReferenceInterpreter.prepare(m.model()).newSession().invokeWithIntermediates(List.of(xb.array()));
        java.nio.ShortBuffer out = java.nio.ByteBuffer.wrap(r.outputs().get(0)).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .asShortBuffer();
        for (int i = 0; i < EXPECTED_OUTPUT.length; i++) {
            assertEquals(EXPECTED_OUTPUT[i], out.get(i) * HIDDEN_SCALE_16, 1e-3f, "output " + i);
        }
        java.nio.ShortBuffer cell = java.nio.ByteBuffer.wrap(r.tensor(m.cell())).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .asShortBuffer();
        for (int i = 0; i < 4; i++) {
            assertEquals(EXPECTED_CELL[i], cell.get(i) * CELL_SCALE, 1e-2f, "cell " + i);
        }
    }

    @Test
    void theInt8HiddenStateStartsAtItsZeroPoint() {
        // TFLM's ResetVariableTensors fills an INT8 variable with its zero point (-21 here), not 0: with an all-zero
        // input the first step's recurrent products see the zero point, i.e. a real hidden state of 0.
        // Had it started at 0 (a real +0.099), the large recurrent weights would move every gate: the outputs would
        // no longer follow the float LSTM's on the same (zero) input.
        Built m = int8Lstm();
        byte[] out = ReferenceInterpreter.prepare(m.model()).invoke(List.of(new byte[12])).get(0);
        Built f = floatLstm(false);
        float[] want = TensorValues.toFloats(f.model().mainSubgraph().outputTensor(0),
                ReferenceInterpreter.prepare(f.model()).invoke(List.of(TensorValues.fromFloats(new float[12]))).get(0));
        for (int i = 0; i < out.length; i++) {
            assertEquals(want[i], (out[i] - HIDDEN_ZP) * HIDDEN_SCALE, 1e-2f, "output " + i);
        }
    }

    @Test
    void variantsTflmRefusesAreRefusedByName() {
        // a peephole weight present
        Built base = floatLstm(false);
        ModelBuilder b = new ModelBuilder();
        int in = b.addTensor("in", TensorType.FLOAT32, new int[] {1, 1, 2});
        int[] inputs = new int[24];
        Arrays.fill(inputs, -1);
        inputs[0] = in;
        for (int g = 0; g < 4; g++) {
            inputs[1 + g] = b.addFloatConstant("w" + g, new int[] {2, 2}, GATES[g][0]);
            inputs[5 + g] = b.addFloatConstant("r" + g, new int[] {2, 2}, GATES[g][1]);
            inputs[12 + g] = b.addFloatConstant("b" + g, new int[] {2}, GATES[g][2]);
        }
        inputs[10] = b.addFloatConstant("peephole", new int[] {2}, 1f, 1f);
        inputs[18] = b.addVariable("hidden", TensorType.FLOAT32, new int[] {1, 2}, Quantization.NONE);
        inputs[19] = b.addVariable("cell", TensorType.FLOAT32, new int[] {1, 2}, Quantization.NONE);
        int out = b.addTensor("out", TensorType.FLOAT32, new int[] {1, 1, 2});
        b.addOperator(BuiltinOperator.UNIDIRECTIONAL_SEQUENCE_LSTM, options(false), inputs, new int[] {out});
        b.inputs(in).outputs(out);
        UnsupportedModelException e = assertThrows(UnsupportedModelException.class, () -> ReferenceInterpreter.prepare(read(b)));
        assertTrue(e.getMessage().contains("UNIDIRECTIONAL_SEQUENCE_LSTM (operator 0)") && e.getMessage().contains("peephole"),
                e.getMessage());
        assertTrue(ReferenceInterpreter.prepare(base.model()).isStateful());
    }

    @Test
    void roundedLog2IsTheNearestInteger() {
        assertEquals(-12, LstmKernel.roundedLog2(0.00024414062f));
        assertEquals(-11, LstmKernel.roundedLog2(4.8828125e-4f));
        assertEquals(-11, LstmKernel.roundedLog2(0.0006f));     // log2 = -10.70
        assertEquals(-10, LstmKernel.roundedLog2(0.0007f));     // log2 = -10.48
        assertEquals(1, LstmKernel.roundedLog2(1.5f));          // 0.58
    }
}
