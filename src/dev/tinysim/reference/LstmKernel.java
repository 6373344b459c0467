package dev.tinysim.reference;

import dev.tinysim.tflite.ActivationFunction;
import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;
import dev.tinysim.text.Printable;

/**
 * UNIDIRECTIONAL_SEQUENCE_LSTM, TFLite Micro's kernel (micro/kernels/unidirectional_sequence_lstm.cc,
 * lstm_eval.h/.cc, lstm_eval_common.cc, lstm_shared.h): float32 ({@link LstmFloat}), and int8 or int16
 * activations with int8 weights, an int16 cell state and int32 or int64 biases ({@link LstmInteger})
 * (docs/inference-semantics.md, "Sequence operators and state"). This class checks the operator and picks
 * the kernel.
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

    static final int INPUT = 0;
    static final int[] INPUT_WEIGHTS = {1, 2, 3, 4};       // input, forget, cell, output gate
    static final int[] RECURRENT_WEIGHTS = {5, 6, 7, 8};
    static final int[] BIASES = {12, 13, 14, 15};
    static final int HIDDEN = 18;
    static final int CELL = 19;
    static final int GATE_INPUT = 0;
    static final int GATE_FORGET = 1;
    static final int GATE_CELL = 2;
    static final int GATE_OUTPUT = 3;

    /** Batch, time steps, input and state sizes, and where row {@code (b, t)} of the input and output is. */
    record Shape(boolean timeMajor, int batches, int steps, int inputSize, int state) {
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
                throw c.fail("bias '" + Printable.name(b.name()) + "' (input " + i + ") has shape " + b.shape() + ", expected [" + s.state() + "]");
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
            return LstmFloat.create(c, s, o.cellClip());
        }
        c.requireType(in, "input", TensorType.INT8, TensorType.INT16, TensorType.FLOAT32);
        boolean int16 = in.type() == TensorType.INT16;
        c.requireType(c.input(1), "gate weights", TensorType.INT8);
        // TFLM reads the biases as int32 (8x8 LSTM) or int64 (16x8 LSTM) without checking their type
        c.requireType(c.input(12), "gate bias", int16 ? TensorType.INT64 : TensorType.INT32);
        c.requireType(cell, "cell state", TensorType.INT16);
        return LstmInteger.create(c, s, o.cellClip(), int16);
    }

    private static void requireShape(OpContext c, int i, String role, int rows, int cols) {
        Tensor w = c.input(i);
        if (w.rank() != 2 || w.dim(0) != rows || w.dim(1) != cols) {
            throw c.fail(role + " '" + Printable.name(w.name()) + "' (input " + i + ") has shape " + w.shape() + ", expected [" + rows + ", "
                    + cols + "]");
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
