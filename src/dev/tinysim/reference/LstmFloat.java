package dev.tinysim.reference;

import dev.tinysim.tflite.Tensor;

import static dev.tinysim.reference.LstmKernel.BIASES;
import static dev.tinysim.reference.LstmKernel.CELL;
import static dev.tinysim.reference.LstmKernel.GATE_CELL;
import static dev.tinysim.reference.LstmKernel.GATE_FORGET;
import static dev.tinysim.reference.LstmKernel.GATE_INPUT;
import static dev.tinysim.reference.LstmKernel.GATE_OUTPUT;
import static dev.tinysim.reference.LstmKernel.HIDDEN;
import static dev.tinysim.reference.LstmKernel.INPUT;
import static dev.tinysim.reference.LstmKernel.INPUT_WEIGHTS;
import static dev.tinysim.reference.LstmKernel.RECURRENT_WEIGHTS;

/** The float LSTM: TFLM's EvalLstm&lt;float, float, float, float&gt; (checked by {@link LstmKernel}). */
final class LstmFloat {

    private LstmFloat() {
    }

    static Kernel create(OpContext c, LstmKernel.Shape s, float cellClip) {
        int state = s.state();
        int inputSize = s.inputSize();
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
            for (int b = 0; b < s.batches(); b++) {
                int hb = b * state;
                for (int step = 0; step < s.steps(); step++) {
                    int x = s.row(b, step) * inputSize;
                    gate(input, x, inputSize, w[GATE_FORGET], bias[GATE_FORGET], h, hb, state, rw[GATE_FORGET], false, forget);
                    gate(input, x, inputSize, w[GATE_INPUT], bias[GATE_INPUT], h, hb, state, rw[GATE_INPUT], false, inGate);
                    gate(input, x, inputSize, w[GATE_CELL], bias[GATE_CELL], h, hb, state, rw[GATE_CELL], true, cellGate);
                    for (int k = 0; k < state; k++) {
                        // Mul (with the NONE activation clamp), Mul, AddElementWise, Clipping
                        float kept = clampNone(forget[k] * cs[hb + k]);
                        float added = clampNone(inGate[k] * cellGate[k]);
                        float v = kept + added;
                        if (cellClip > 0) {
                            v = DeterministicMath.cmax(DeterministicMath.cmin(cellClip, v), -cellClip);
                        }
                        cs[hb + k] = v;
                    }
                    gate(input, x, inputSize, w[GATE_OUTPUT], bias[GATE_OUTPUT], h, hb, state, rw[GATE_OUTPUT], false, outGate);
                    int o = s.row(b, step) * state;
                    for (int k = 0; k < state; k++) {
                        float v = clampNone(DeterministicMath.tanhf(cs[hb + k]) * outGate[k]);
                        h[hb + k] = v;
                        output[o + k] = v;
                    }
                }
            }
        };
    }

    private static float clampNone(float v) {
        return DeterministicMath.clamp(v, -Float.MAX_VALUE, Float.MAX_VALUE);
    }

    /** TFLM CalculateLstmGate (float): FC(input) with bias + FC(hidden) without, then sigmoid or tanh. */
    private static void gate(float[] input, int x, int inputSize, float[] w, float[] bias, float[] h, int hb, int state,
                             float[] rw, boolean tanh, float[] out) {
        for (int k = 0; k < state; k++) {
            float total = 0.0f;
            for (int i = 0; i < inputSize; i++) {
                total += input[x + i] * w[k * inputSize + i];
            }
            float fromInput = clampNone(total + bias[k]);
            float rec = 0.0f;
            for (int i = 0; i < state; i++) {
                rec += h[hb + i] * rw[k * state + i];
            }
            float fromHidden = clampNone(rec + 0.0f);
            float sum = fromInput + fromHidden;
            out[k] = tanh ? DeterministicMath.tanhf(sum) : DeterministicMath.logisticf(sum);
        }
    }
}
