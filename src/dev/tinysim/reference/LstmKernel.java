package dev.tinysim.reference;

import dev.tinysim.tflite.ActivationFunction;
import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;

/**
 * UNIDIRECTIONAL_SEQUENCE_LSTM, TFLite Micro's kernel (micro/kernels/unidirectional_sequence_lstm.cc,
 * lstm_eval.h/.cc, lstm_eval_common.cc, lstm_shared.h): float32, and int8 activations and weights with an
 * int16 cell state and int32 biases (docs/inference-semantics.md, "Sequence operators and state").
 *
 * <p>Inputs as lstm_shared.h numbers them: 0 input {@code [batch, time, in]} ({@code [time, batch, in]} when
 * time-major), 1-4 input weights {@code [state, in]} (input, forget, cell, output gate), 5-8 recurrent weights
 * {@code [state, state]}, 12-15 gate biases {@code [state]}, 18 hidden state and 19 cell state (variables,
 * {@code batch * state} elements). TFLM's kernel supports exactly this standard LSTM: peephole (9-11),
 * projection (16-17) and layer-norm (20-23) tensors must be absent, and so must be none of 1-8 (no CIFG).
 * The operator's {@code intermediates} are ignored, as TFLM ignores them.
 */
final class LstmKernel {

    private LstmKernel() {
    }

    private static final int INPUT = 0;
    private static final int[] INPUT_WEIGHTS = {1, 2, 3, 4};       // input, forget, cell, output gate
    private static final int[] RECURRENT_WEIGHTS = {5, 6, 7, 8};
    private static final int[] BIASES = {12, 13, 14, 15};
    private static final int HIDDEN = 18;
    private static final int CELL = 19;
    private static final int GATE_INPUT = 0;
    private static final int GATE_FORGET = 1;
    private static final int GATE_CELL = 2;
    private static final int GATE_OUTPUT = 3;

    /** Batch, time steps, input and state sizes, and where row {@code (b, t)} of the input and output is. */
    private record Shape(boolean timeMajor, int batches, int steps, int inputSize, int state) {
        int row(int b, int t) {
            return timeMajor ? t * batches + b : b * steps + t;
        }
    }

    static Kernel create(OpContext c) {
        c.requireInputs(24, 24);
        BuiltinOptions.UnidirectionalSequenceLstm o = c.options(BuiltinOptions.UnidirectionalSequenceLstm.class);
        for (int[] absent : new int[][] {{9, 10, 11}, {16, 17}, {20, 21, 22, 23}}) {
            for (int i : absent) {
                if (c.optionalInputIndex(i) >= 0) {
                    String what = i <= 11 ? "peephole weights" : i <= 17 ? "projection" : "layer normalization";
                    throw c.fail("input " + i + " (" + what + ") is present; TFLite Micro's LSTM supports only the standard "
                            + "LSTM (no peephole, projection or layer norm)");
                }
            }
        }
        for (int i = 1; i <= 8; i++) {
            if (c.optionalInputIndex(i) < 0) {
                throw c.fail("input " + i + " (gate weights) is missing; TFLite Micro's LSTM needs all four gates (no CIFG)");
            }
        }
        for (int i : BIASES) {
            if (c.optionalInputIndex(i) < 0) {
                throw c.fail("input " + i + " (gate bias) is missing");
            }
        }
        Tensor in = c.input(INPUT);
        Tensor hidden = c.input(HIDDEN);
        Tensor cell = c.input(CELL);
        Tensor out = c.output(0);
        if (!hidden.isVariable() || !cell.isVariable()) {
            throw c.fail("the hidden state (input 18) and the cell state (input 19) must be variable tensors");
        }
        c.requireRank(in, "input", 3);
        c.requireRank(hidden, "hidden state", 2);
        c.requireRank(out, "output", 3);
        boolean timeMajor = o.timeMajor();
        Shape s = new Shape(timeMajor, timeMajor ? in.dim(1) : in.dim(0), timeMajor ? in.dim(0) : in.dim(1), in.dim(2),
                hidden.dim(1));
        for (int i : INPUT_WEIGHTS) {
            requireShape(c, i, "input weights", s.state(), s.inputSize());
        }
        for (int i : RECURRENT_WEIGHTS) {
            requireShape(c, i, "recurrent weights", s.state(), s.state());
        }
        for (int i : BIASES) {
            Tensor b = c.input(i);
            if (b.rank() != 1 || b.dim(0) != s.state()) {
                throw c.fail("bias '" + b.name() + "' (input " + i + ") has shape " + b.shape() + ", expected [" + s.state() + "]");
            }
        }
        if (hidden.elementCount() != s.batches() * s.state() || cell.elementCount() != s.batches() * s.state()) {
            throw c.fail("the states have " + hidden.elementCount() + " and " + cell.elementCount() + " elements, expected "
                    + s.batches() + " x " + s.state());
        }
        if (out.dim(0) != in.dim(0) || out.dim(1) != in.dim(1) || out.dim(2) != s.state()) {
            throw c.fail("output shape " + out.shape() + " differs from [" + in.dim(0) + ", " + in.dim(1) + ", " + s.state() + "]");
        }
        if (!(o.cellClip() >= 0)) {
            throw c.fail("cell_clip " + o.cellClip() + " is negative");
        }
        if (o.activation() != ActivationFunction.TANH) {
            throw c.fail("cell gate activation " + o.activation() + " is not supported (TFLite Micro's LSTM supports TANH)");
        }
        c.requireType(hidden, "hidden state", in.type());
        c.requireType(out, "output", in.type());
        TensorType weightType = c.input(INPUT_WEIGHTS[1]).type();
        for (int i = 1; i <= 8; i++) {
            c.requireType(c.input(i), "gate weights (input " + i + ")", weightType);
        }
        TensorType biasType = c.input(BIASES[1]).type();
        for (int i : BIASES) {
            c.requireType(c.input(i), "gate bias (input " + i + ")", biasType);
        }
        if (in.type() == TensorType.FLOAT32) {
            c.requireType(c.input(1), "gate weights", TensorType.FLOAT32);
            c.requireType(c.input(12), "gate bias", TensorType.FLOAT32);
            c.requireType(cell, "cell state", TensorType.FLOAT32);
            return FloatLstm.create(c, s.timeMajor(), s.batches(), s.steps(), s.inputSize(), s.state(), o.cellClip());
        }
        if (in.type() == TensorType.INT16) {
            throw c.fail("int16 activations (the 16x8 LSTM) are not supported yet");
        }
        c.requireType(in, "input", TensorType.INT8, TensorType.FLOAT32);
        c.requireType(c.input(1), "gate weights", TensorType.INT8);
        c.requireType(c.input(12), "gate bias", TensorType.INT32);
        c.requireType(cell, "cell state", TensorType.INT16);
        return IntegerLstm.create(c, s.timeMajor(), s.batches(), s.steps(), s.inputSize(), s.state(), o.cellClip());
    }

    private static void requireShape(OpContext c, int i, String role, int rows, int cols) {
        Tensor w = c.input(i);
        if (w.rank() != 2 || w.dim(0) != rows || w.dim(1) != cols) {
            throw c.fail(role + " '" + w.name() + "' (input " + i + ") has shape " + w.shape() + ", expected [" + rows + ", "
                    + cols + "]");
        }
    }

    /** The float LSTM: TFLM's EvalLstm&lt;float, float, float, float&gt;. */
    private static final class FloatLstm {
        static Kernel create(OpContext c, boolean timeMajor, int batches, int steps, int inputSize, int state, float cellClip) {
            Shape s = new Shape(timeMajor, batches, steps, inputSize, state);
            float[][] w = new float[4][];
            float[][] rw = new float[4][];
            float[][] bias = new float[4][];
            for (int g = 0; g < 4; g++) {
                w[g] = (float[]) c.constant(INPUT_WEIGHTS[g], "input weights");
                rw[g] = (float[]) c.constant(RECURRENT_WEIGHTS[g], "recurrent weights");
                bias[g] = (float[]) c.constant(BIASES[g], "gate bias");
            }
            int inIdx = c.inputIndex(INPUT);
            int hIdx = c.inputIndex(HIDDEN);
            int cIdx = c.inputIndex(CELL);
            int outIdx = c.outputIndex(0);
            Tensor out = c.output(0);
            return t -> {
                float[] input = t.f32(inIdx);
                float[] h = t.f32(hIdx);
                float[] cs = t.f32(cIdx);
                float[] output = (float[]) ConvKernel.newOutput(t, outIdx, out);
                float[] forget = new float[state];
                float[] inGate = new float[state];
                float[] cellGate = new float[state];
                float[] outGate = new float[state];
                for (int b = 0; b < batches; b++) {
                    int hb = b * state;
                    for (int step = 0; step < steps; step++) {
                        int x = s.row(b, step) * inputSize;
                        gate(input, x, inputSize, w[GATE_FORGET], bias[GATE_FORGET], h, hb, state, rw[GATE_FORGET], false, forget);
                        gate(input, x, inputSize, w[GATE_INPUT], bias[GATE_INPUT], h, hb, state, rw[GATE_INPUT], false, inGate);
                        gate(input, x, inputSize, w[GATE_CELL], bias[GATE_CELL], h, hb, state, rw[GATE_CELL], true, cellGate);
                        for (int k = 0; k < state; k++) {
                            // Mul (with the NONE activation clamp), Mul, AddElementWise, Clipping
                            float kept = DeterministicMath.clamp(forget[k] * cs[hb + k], -Float.MAX_VALUE, Float.MAX_VALUE);
                            float added = DeterministicMath.clamp(inGate[k] * cellGate[k], -Float.MAX_VALUE, Float.MAX_VALUE);
                            float v = kept + added;
                            if (cellClip > 0) {
                                v = DeterministicMath.cmax(DeterministicMath.cmin(cellClip, v), -cellClip);
                            }
                            cs[hb + k] = v;
                        }
                        gate(input, x, inputSize, w[GATE_OUTPUT], bias[GATE_OUTPUT], h, hb, state, rw[GATE_OUTPUT], false, outGate);
                        int o = s.row(b, step) * state;
                        for (int k = 0; k < state; k++) {
                            float v = DeterministicMath.clamp(DeterministicMath.tanhf(cs[hb + k]) * outGate[k],
                                    -Float.MAX_VALUE, Float.MAX_VALUE);
                            h[hb + k] = v;
                            output[o + k] = v;
                        }
                    }
                }
            };
        }

        /** TFLM CalculateLstmGate (float): FC(input) with bias + FC(hidden) without, then sigmoid or tanh. */
        private static void gate(float[] input, int x, int inputSize, float[] w, float[] bias, float[] h, int hb, int state,
                                 float[] rw, boolean tanh, float[] out) {
            for (int k = 0; k < state; k++) {
                float total = 0.0f;
                for (int i = 0; i < inputSize; i++) {
                    total += input[x + i] * w[k * inputSize + i];
                }
                float fromInput = DeterministicMath.clamp(total + bias[k], -Float.MAX_VALUE, Float.MAX_VALUE);
                float rec = 0.0f;
                for (int i = 0; i < state; i++) {
                    rec += h[hb + i] * rw[k * state + i];
                }
                float fromHidden = DeterministicMath.clamp(rec + 0.0f, -Float.MAX_VALUE, Float.MAX_VALUE);
                float sum = fromInput + fromHidden;
                out[k] = tanh ? DeterministicMath.tanhf(sum) : DeterministicMath.logisticf(sum);
            }
        }
    }

    /** The int8 LSTM: TFLM's EvalLstm&lt;int8_t, int8_t, int16_t, int32_t&gt;. */
    private static final class IntegerLstm {

        /** One fully connected product of a gate: TFLM's FullyConnectedParams for an int16 output at scale 2^-12. */
        private record Fc(byte[] weights, int[] bias, int inputOffset, QuantizedMath.Multiplier m) {
        }

        static Kernel create(OpContext c, boolean timeMajor, int batches, int steps, int inputSize, int state, float cellClip) {
            Shape s = new Shape(timeMajor, batches, steps, inputSize, state);
            Tensor in = c.input(INPUT);
            Tensor hidden = c.input(HIDDEN);
            Tensor cell = c.input(CELL);
            float inScale = c.scale(in, "input");
            float hiddenScale = c.scale(hidden, "hidden state");
            float cellScale = c.scale(cell, "cell state");
            int inZp = c.zeroPoint(in, "input");
            int hiddenZp = c.zeroPoint(hidden, "hidden state");
            if (cell.quantization().zeroPointValue() != 0) {
                throw c.fail("cell state '" + cell.name() + "' must have zero point 0");
            }
            c.requireType(c.output(0), "output", TensorType.INT8);
            final float gateInputScale = 1.0f / 4096;      // the FC outputs: Q3.12, the int16 sigmoid/tanh input
            Fc[] fcIn = new Fc[4];
            Fc[] fcRec = new Fc[4];
            for (int g = 0; g < 4; g++) {
                fcIn[g] = fc(c, INPUT_WEIGHTS[g], inScale, inZp, gateInputScale, (int[]) c.constant(BIASES[g], "gate bias"));
                fcRec[g] = fc(c, RECURRENT_WEIGHTS[g], hiddenScale, hiddenZp, gateInputScale, null);
            }
            final float gateOutputScale = 1.0f / 32768;    // sigmoid/tanh outputs: Q0.15
            // CreateInterGateMulParams: (double)s1 * (double)s2 / (double)s_out
            QuantizedMath.Multiplier forgetCell = mulMultiplier(c, gateOutputScale, cellScale, cellScale);
            QuantizedMath.Multiplier inputCell = mulMultiplier(c, gateOutputScale, gateOutputScale, cellScale);
            QuantizedMath.Multiplier outputHidden = mulMultiplier(c, gateOutputScale, gateOutputScale, hiddenScale);
            int cellPower = roundedLog2(cellScale);
            if (cellPower < -43 || cellPower > 17) {
                throw c.fail("cell state scale " + cellScale + " (2^" + cellPower + ") is outside what the int16 tanh supports");
            }
            // lstm_internal::Tanh(cell_state_scale_power): input left shift 15 + power - 3, negative -> multiplier 3
            int tanhShift = 15 + cellPower - 3;
            QuantizedMath.Int16Rescale cellTanh = tanhShift < 0 ? QuantizedMath.Int16Rescale.of(3, -tanhShift)
                    : QuantizedMath.Int16Rescale.of(0, tanhShift);
            QuantizedMath.Int16Rescale gate = QuantizedMath.Int16Rescale.of(0, 0);
            boolean clip = cellClip > 0;
            int quantizedClip = (int) Math.min(Math.max((double) cellClip / (double) cellScale, -32768.0), 32767.0);
            int inIdx = c.inputIndex(INPUT);
            int hIdx = c.inputIndex(HIDDEN);
            int cIdx = c.inputIndex(CELL);
            int outIdx = c.outputIndex(0);
            Tensor out = c.output(0);
            return t -> {
                byte[] input = t.int8(inIdx);
                byte[] h = t.int8(hIdx);
                short[] cs = t.int16(cIdx);
                byte[] output = (byte[]) ConvKernel.newOutput(t, outIdx, out);
                short[] forget = new short[state];
                short[] inGate = new short[state];
                short[] cellGate = new short[state];
                short[] outGate = new short[state];
                for (int b = 0; b < batches; b++) {
                    int hb = b * state;
                    for (int step = 0; step < steps; step++) {
                        int x = s.row(b, step) * inputSize;
                        gate(input, x, inputSize, fcIn[GATE_FORGET], h, hb, state, fcRec[GATE_FORGET], forget);
                        sigmoid(forget, gate);
                        gate(input, x, inputSize, fcIn[GATE_INPUT], h, hb, state, fcRec[GATE_INPUT], inGate);
                        sigmoid(inGate, gate);
                        gate(input, x, inputSize, fcIn[GATE_CELL], h, hb, state, fcRec[GATE_CELL], cellGate);
                        for (int k = 0; k < state; k++) {
                            cellGate[k] = QuantizedMath.tanhInt16(cellGate[k], gate);
                        }
                        for (int k = 0; k < state; k++) {
                            int kept = clamp16(QuantizedMath.multiplyByQuantizedMultiplier(forget[k] * cs[hb + k], forgetCell));
                            int added = clamp16(QuantizedMath.multiplyByQuantizedMultiplier(inGate[k] * cellGate[k], inputCell));
                            int v = clamp16(kept + added);
                            if (clip) {
                                v = Math.max(Math.min(quantizedClip, v), (short) -quantizedClip);
                            }
                            cs[hb + k] = (short) v;
                        }
                        gate(input, x, inputSize, fcIn[GATE_OUTPUT], h, hb, state, fcRec[GATE_OUTPUT], outGate);
                        sigmoid(outGate, gate);
                        int o = s.row(b, step) * state;
                        for (int k = 0; k < state; k++) {
                            int tanhCell = QuantizedMath.tanhInt16(cs[hb + k], cellTanh);
                            int v = hiddenZp + QuantizedMath.multiplyByQuantizedMultiplier(tanhCell * outGate[k], outputHidden);
                            byte q = (byte) QuantizedMath.clamp(v, -128, 127);
                            h[hb + k] = q;
                            output[o + k] = q;
                        }
                    }
                }
            };
        }

        private static int clamp16(int v) {
            return QuantizedMath.clamp(v, Short.MIN_VALUE, Short.MAX_VALUE);
        }

        private static void sigmoid(short[] v, QuantizedMath.Int16Rescale r) {
            for (int k = 0; k < v.length; k++) {
                v[k] = QuantizedMath.logisticInt16(v[k], r);
            }
        }

        /** CalculateLstmGate (integer): FC(input) + FC(hidden), each requantized to int16, added with saturation. */
        private static void gate(byte[] input, int x, int inputSize, Fc fcIn, byte[] h, int hb, int state, Fc fcRec,
                                 short[] out) {
            for (int k = 0; k < state; k++) {
                int acc = 0;
                for (int i = 0; i < inputSize; i++) {
                    acc += fcIn.weights()[k * inputSize + i] * (input[x + i] + fcIn.inputOffset());
                }
                acc += fcIn.bias()[k];
                int fromInput = clamp16(QuantizedMath.multiplyByQuantizedMultiplier(acc, fcIn.m()));
                int rec = 0;
                for (int i = 0; i < state; i++) {
                    rec += fcRec.weights()[k * state + i] * (h[hb + i] + fcRec.inputOffset());
                }
                int fromHidden = clamp16(QuantizedMath.multiplyByQuantizedMultiplier(rec, fcRec.m()));
                out[k] = (short) clamp16(fromInput + fromHidden);
            }
        }

        /** CalculateOpDataFullyConnected for a gate's product (per-tensor int8 weights, zero point 0). */
        private static Fc fc(OpContext c, int weightsInput, float inputScale, int inputZp, float outputScale, int[] bias) {
            Tensor w = c.input(weightsInput);
            if (w.quantization().isPerChannel()) {
                throw c.fail("gate weights '" + w.name() + "' (input " + weightsInput + ") are per-channel quantized; "
                        + "TFLite Micro's LSTM uses one scale per weight tensor");
            }
            if (c.zeroPoint(w, "gate weights") != 0) {
                throw c.fail("gate weights '" + w.name() + "' (input " + weightsInput + ") must have zero point 0");
            }
            // GetQuantizedConvolutionMultipler: the scale product in float, widened, over the output scale
            double real = (double) (inputScale * c.scale(w, "gate weights")) / (double) outputScale;
            QuantizedMath.Multiplier m = QuantizedMath.quantizeMultiplier(real);
            if (m.shift() > 30) {
                throw c.fail("gate weights '" + w.name() + "': scale ratio " + real + " is too large");
            }
            return new Fc((byte[]) c.constant(weightsInput, "gate weights"), bias, -inputZp, m);
        }

        private static QuantizedMath.Multiplier mulMultiplier(OpContext c, float s1, float s2, float out) {
            double real = (double) s1 * (double) s2 / (double) out;
            QuantizedMath.Multiplier m = QuantizedMath.quantizeMultiplier(real);
            if (m.shift() > 30) {
                throw c.fail("an element-wise product's scale ratio " + real + " is too large");
            }
            return m;
        }
    }

    /**
     * TFLite's CheckedLog2 result as TFLM's LSTM uses it (the "is a power of two" answer is ignored): the nearest
     * integer to log2(x), here exactly from the float's exponent and significand (round up from sqrt(2)).
     * TFLite computes it with a float logarithm, which can only differ for a scale within ~1e-7 of 2^k * sqrt(2).
     */
    static int roundedLog2(float x) {
        int e = Math.getExponent(x);
        float m = Math.scalb(x, -e);   // [1, 2)
        return m >= 1.41421356f ? e + 1 : e;
    }
}
