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
import dev.tinysim.text.Printable;

/**
 * The integer LSTM (checked by {@link LstmKernel}): TFLM's EvalLstm&lt;int8_t, int8_t, int16_t, int32_t&gt; (int8
 * activations, int32 biases, int32 sums) and EvalLstm&lt;int16_t, int8_t, int16_t, int64_t&gt; (the 16x8 LSTM:
 * int16 activations with zero point 0, int64 biases and sums, TFLite's int64 rescaling). Gates in Q3.12 in, Q0.15
 * out, an int16 cell state.
 */
final class LstmInteger {

    private LstmInteger() {
    }

    /** One product of a gate: TFLM's FullyConnectedParams for an int16 output at scale 2^-12. */
    private record Fc(byte[] weights, int[] bias32, long[] bias64, int inputOffset, QuantizedMath.Multiplier m,
                      boolean wide) {
    }

    static Kernel create(OpContext c, LstmKernel.Shape s, float cellClip, boolean int16) {
        int state = s.state();
        int inputSize = s.inputSize();
        Tensor in = c.input(INPUT);
        Tensor hidden = c.input(HIDDEN);
        Tensor cell = c.input(CELL);
        float inScale;
        float hiddenScale;
        int inZp;
        int hiddenZp;
        if (int16) {
            // as the project's other 16x8 kernels: symmetric int16 activations (TFLM's 16x8 products ignore the zero point)
            inScale = Int16Quantization.symmetricScale(c, in, "input");
            hiddenScale = Int16Quantization.symmetricScale(c, hidden, "hidden state");
            inZp = 0;
            hiddenZp = 0;
        } else {
            inScale = c.scale(in, "input");
            hiddenScale = c.scale(hidden, "hidden state");
            inZp = c.zeroPoint(in, "input");
            hiddenZp = c.zeroPoint(hidden, "hidden state");
        }
        float cellScale = c.scale(cell, "cell state");
        if (cell.quantization().zeroPointValue() != 0) {
            throw c.fail("cell state '" + Printable.name(cell.name()) + "' must have zero point 0");
        }
        final float gateInputScale = 1.0f / 4096;      // the FC outputs: Q3.12, the int16 sigmoid/tanh input
        Fc[] fcIn = new Fc[4];
        Fc[] fcRec = new Fc[4];
        for (int g = 0; g < 4; g++) {
            fcIn[g] = fc(c, INPUT_WEIGHTS[g], inScale, inZp, gateInputScale, BIASES[g], int16);
            fcRec[g] = fc(c, RECURRENT_WEIGHTS[g], hiddenScale, hiddenZp, gateInputScale, -1, int16);
        }
        final float gateOutputScale = 1.0f / 32768;    // sigmoid/tanh outputs: Q0.15
        // CreateInterGateMulParams: (double)s1 * (double)s2 / (double)s_out
        QuantizedMath.Multiplier forgetCell = mulMultiplier(c, gateOutputScale, cellScale, cellScale);
        QuantizedMath.Multiplier inputCell = mulMultiplier(c, gateOutputScale, gateOutputScale, cellScale);
        QuantizedMath.Multiplier outputHidden = mulMultiplier(c, gateOutputScale, gateOutputScale, hiddenScale);
        int cellPower = LstmKernel.roundedLog2(cellScale);
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
        int hiddenMin = int16 ? Short.MIN_VALUE : Byte.MIN_VALUE;
        int hiddenMax = int16 ? Short.MAX_VALUE : Byte.MAX_VALUE;
        c.requireType(c.output(0), "output", in.type());
        int inIdx = c.inputIndex(INPUT);
        int hIdx = c.inputIndex(HIDDEN);
        int cIdx = c.inputIndex(CELL);
        int outIdx = c.outputIndex(0);
        Tensor out = c.output(0);
        return t -> {
            int[] input = ints(t.raw(inIdx));
            Object hiddenArray = t.raw(hIdx);
            int[] h = ints(hiddenArray);
            short[] cs = t.int16(cIdx);
            Object outputArray = ConvKernel.newOutput(t, outIdx, out);
            short[] forget = new short[state];
            short[] inGate = new short[state];
            short[] cellGate = new short[state];
            short[] outGate = new short[state];
            for (int b = 0; b < s.batches(); b++) {
                int hb = b * state;
                for (int step = 0; step < s.steps(); step++) {
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
                        int q = QuantizedMath.clamp(v, hiddenMin, hiddenMax);
                        h[hb + k] = q;
                        store(outputArray, o + k, q);
                    }
                }
            }
            for (int k = 0; k < h.length; k++) {
                store(hiddenArray, k, h[k]);
            }
        };
    }

    private static int[] ints(Object a) {
        if (a instanceof short[] v) {
            int[] r = new int[v.length];
            for (int i = 0; i < v.length; i++) {
                r[i] = v[i];
            }
            return r;
        }
        byte[] v = (byte[]) a;
        int[] r = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = v[i];
        }
        return r;
    }

    private static void store(Object a, int k, int value) {
        if (a instanceof short[] v) {
            v[k] = (short) value;
        } else {
            ((byte[]) a)[k] = (byte) value;
        }
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
    private static void gate(int[] input, int x, int inputSize, Fc fcIn, int[] h, int hb, int state, Fc fcRec, short[] out) {
        for (int k = 0; k < state; k++) {
            int fromInput = clamp16(product(fcIn, input, x, inputSize, k));
            int fromHidden = clamp16(product(fcRec, h, hb, state, k));
            out[k] = (short) clamp16(fromInput + fromHidden);
        }
    }

    /**
     * One output of reference_integer_ops::FullyConnected: int8 activations sum (w + 0) * (x + offset) in int32,
     * add the int32 bias and rescale with the int32 MultiplyByQuantizedMultiplier; int16 activations sum w * x in
     * int64 (no input offset in that kernel), add the int64 bias and rescale with the int64 one.
     */
    private static int product(Fc fc, int[] v, int at, int n, int k) {
        byte[] w = fc.weights();
        int row = k * n;
        if (!fc.wide()) {
            int acc = 0;
            for (int i = 0; i < n; i++) {
                acc += w[row + i] * (v[at + i] + fc.inputOffset());
            }
            if (fc.bias32() != null) {
                acc += fc.bias32()[k];
            }
            return QuantizedMath.multiplyByQuantizedMultiplier(acc, fc.m());
        }
        long acc = 0;
        for (int i = 0; i < n; i++) {
            acc += w[row + i] * v[at + i];
        }
        if (fc.bias64() != null) {
            acc += fc.bias64()[k];
        }
        return QuantizedMath.multiplyByQuantizedMultiplier(acc, fc.m().multiplier(), fc.m().shift());
    }

    /** CalculateOpDataFullyConnected for a gate's product (per-tensor int8 weights, zero point 0). */
    private static Fc fc(OpContext c, int weightsInput, float inputScale, int inputZp, float outputScale, int biasInput,
                         boolean int16) {
        Tensor w = c.input(weightsInput);
        if (w.quantization().isPerChannel()) {
            throw c.fail("gate weights '" + Printable.name(w.name()) + "' (input " + weightsInput + ") are per-channel quantized; "
                    + "TFLite Micro's LSTM uses one scale per weight tensor");
        }
        if (c.zeroPoint(w, "gate weights") != 0) {
            throw c.fail("gate weights '" + Printable.name(w.name()) + "' (input " + weightsInput + ") must have zero point 0");
        }
        // GetQuantizedConvolutionMultipler: the scale product in float, widened, over the output scale
        double real = (double) (inputScale * c.scale(w, "gate weights")) / (double) outputScale;
        QuantizedMath.Multiplier m = QuantizedMath.quantizeMultiplier(real);
        if (m.shift() > 30) {
            throw c.fail("gate weights '" + Printable.name(w.name()) + "': scale ratio " + real + " is too large");
        }
        if (int16) {
            Int16Quantization.requireInt64Rescalable(c, m, "gate product");
        }
        int[] bias32 = null;
        long[] bias64 = null;
        if (biasInput >= 0) {
            if (int16) {
                bias64 = (long[]) c.constant(biasInput, "gate bias");
            } else {
                bias32 = (int[]) c.constant(biasInput, "gate bias");
            }
        }
        return new Fc((byte[]) c.constant(weightsInput, "gate weights"), bias32, bias64, -inputZp, m, int16);
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
