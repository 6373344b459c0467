package dev.tinysim.differential;

import dev.tinysim.tflite.ActivationFunction;
import dev.tinysim.tflite.BuiltinOperator;
import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.ModelBuilder;
import dev.tinysim.tflite.Quantization;
import dev.tinysim.tflite.TensorType;

import java.util.ArrayList;
import java.util.List;

/**
 * The operators with state: SVDF (float32; int8 with an int16 or, sometimes, an int8 state) with random
 * batch, input size, filters, rank, memory, bias or none, fused activation; UNIDIRECTIONAL_SEQUENCE_LSTM
 * (float32; int8 with an int16 cell state; the 16x8 LSTM) with random batch, time steps, input and state sizes, time-major
 * or not, cell clip or none. Scales are chosen so that the integer models do not simply saturate. Also
 * QUANTIZE int8/int16 -> int32 (TFLM's Requantize to int32, the last operator of keyword_scrambled.tflite).
 */
public final class SequenceOperatorCases implements OperatorCases {

    @Override
    public List<Variant> variants() {
        List<Variant> v = new ArrayList<>();
        for (String t : List.of("int8", "float32")) {
            v.add(new Variant(BuiltinOperator.SVDF, t));
            v.add(new Variant(BuiltinOperator.UNIDIRECTIONAL_SEQUENCE_LSTM, t));
        }
        v.add(new Variant(BuiltinOperator.UNIDIRECTIONAL_SEQUENCE_LSTM, "int16"));
        // QUANTIZE int8/int16 -> int32, which keyword_scrambled.tflite ends with (added with the SVDF work)
        v.add(new Variant(BuiltinOperator.QUANTIZE, "int32"));
        return v;
    }

    @Override
    public void build(Variant v, Gen g, ModelBuilder b) {
        switch (v.op()) {
            case SVDF -> svdf(v.type().equals("int8"), g, b);
            case UNIDIRECTIONAL_SEQUENCE_LSTM -> {
                if (v.type().equals("int16")) {
                    lstm16(g, b);
                } else {
                    lstm(v.type().equals("int8"), g, b);
                }
            }
            case QUANTIZE -> {
                int[] shape = {g.r(1, 3), g.r(1, 30)};
                boolean in16 = g.coin();
                int in = b.addTensor("in", in16 ? TensorType.INT16 : TensorType.INT8, shape,
                        Quantization.perTensor(in16 ? (float) (0.00002 + g.unit() * 0.001) : g.scale(), in16 ? g.r(-300, 300) : g.r(-30, 30)));
                int out = b.addTensor("out", TensorType.INT32, shape, Quantization.perTensor((float) (0.00001 + g.unit() * 0.01),
                        g.r(-1000, 1000)));
                b.addOperator(BuiltinOperator.QUANTIZE, new BuiltinOptions.NoFields(BuiltinOptions.QUANTIZE), new int[] {in},
                        new int[] {out});
                b.inputs(in).outputs(out);
            }
            default -> throw new IllegalArgumentException("not in this family: " + v);
        }
    }

    private static final ActivationFunction[] FLOAT_ACTIVATIONS = {ActivationFunction.NONE, ActivationFunction.RELU,
        ActivationFunction.RELU_N1_TO_1, ActivationFunction.RELU6, ActivationFunction.TANH, ActivationFunction.SIGN_BIT};

    static void svdf(boolean int8, Gen g, ModelBuilder b) {
        int batches = g.r(1, 3);
        int inputSize = g.r(1, 40);
        int rank = g.r(1, 3);
        int units = g.r(1, 24);
        int filters = units * rank;
        int memory = g.r(1, 10);
        boolean withBias = g.r(0, 3) != 0;
        ActivationFunction act = FLOAT_ACTIVATIONS[g.r(0, FLOAT_ACTIVATIONS.length - 1)];
        BuiltinOptions.Svdf options = new BuiltinOptions.Svdf(rank, act, false);
        int[] inShape = {batches, inputSize};
        int[] stateShape = {batches, memory * filters};
        if (!int8) {
            int in = b.addTensor("in", TensorType.FLOAT32, inShape);
            int wf = b.addFloatConstant("weights_feature", new int[] {filters, inputSize}, g.floats(filters * inputSize, 0.5f));
            int wt = b.addFloatConstant("weights_time", new int[] {filters, memory}, g.floats(filters * memory, 0.5f));
            int bias = withBias ? b.addFloatConstant("bias", new int[] {units}, g.floats(units, 1f)) : -1;
            int state = b.addVariable("state", TensorType.FLOAT32, stateShape, Quantization.NONE);
            int out = b.addTensor("out", TensorType.FLOAT32, new int[] {batches, units});
            b.addOperator(BuiltinOperator.SVDF, options, new int[] {in, wf, wt, bias, state}, new int[] {out});
            b.inputs(in).outputs(out);
            return;
        }
        boolean state16 = g.r(0, 3) != 0;
        float inScale = g.scale();
        float featureScale = (float) (0.002 + g.unit() * 0.02);
        // Scales that keep the integer values mostly inside their ranges on full-range random data: a feature
        // sum has a standard deviation of about 74 * 74 * sqrt(inputSize) in integer units (74 ~ the deviation of a
        // uniform int8), aimed at ~8000 in an int16 state (~30 in an int8 one); a time sum has ~ (time weight
        // deviation) x (state deviation) x sqrt(memory * rank), aimed at ~40 in the int8 output.
        double stateDev = state16 ? 8000 : 30;
        double timeDev = state16 ? 18900 : 74;
        float stateScale = (float) (inScale * featureScale * 5476 * Math.sqrt(inputSize) / stateDev * (0.5 + g.unit()));
        float timeScale = (float) ((state16 ? 1.0 / 16000 : 1.0 / 60) * (0.5 + g.unit()));
        float outScale = (float) (stateScale * timeScale * timeDev * stateDev * Math.sqrt(memory * rank) / 40
                * (0.5 + g.unit()));
        int in = b.addTensor("in", TensorType.INT8, inShape, Quantization.perTensor(inScale, g.r(-30, 30)));
        int wf = b.addInt8Constant("weights_feature", new int[] {filters, inputSize}, Quantization.perTensor(featureScale, 0),
                g.bytes(filters * inputSize));
        int wt;
        int state;
        int stateZp = g.r(0, 4) == 0 ? g.r(-5, 5) : 0;
        if (state16) {
            wt = b.addInt16Constant("weights_time", new int[] {filters, memory}, Quantization.perTensor(timeScale, 0),
                    g.shorts(filters * memory, 32767));
            state = b.addVariable("state", TensorType.INT16, stateShape, Quantization.perTensor(stateScale, stateZp));
        } else {
            wt = b.addInt8Constant("weights_time", new int[] {filters, memory}, Quantization.perTensor(timeScale, 0),
                    g.bytes(filters * memory));
            state = b.addVariable("state", TensorType.INT8, stateShape, Quantization.perTensor(stateScale, stateZp));
        }
        int bias = withBias ? b.addInt32Constant("bias", new int[] {units}, Quantization.perTensor(stateScale * timeScale, 0),
                g.ints(units, 20000)) : -1;
        int out = b.addTensor("out", TensorType.INT8, new int[] {batches, units}, Quantization.perTensor(outScale, g.r(-20, 20)));
        b.addOperator(BuiltinOperator.SVDF, options, new int[] {in, wf, wt, bias, state}, new int[] {out});
        b.inputs(in).outputs(out);
    }

    static void lstm(boolean int8, Gen g, ModelBuilder b) {
        int batches = g.r(1, 2);
        int steps = g.r(1, 4);
        int inputSize = g.r(1, 24);
        int state = g.r(1, 20);
        boolean timeMajor = g.coin();
        float[] clips = {0f, 0f, 3f, 10f};
        float cellClip = clips[g.r(0, 3)];
        int[] inShape = timeMajor ? new int[] {steps, batches, inputSize} : new int[] {batches, steps, inputSize};
        int[] outShape = timeMajor ? new int[] {steps, batches, state} : new int[] {batches, steps, state};
        int[] inputs = new int[24];
        java.util.Arrays.fill(inputs, -1);
        BuiltinOptions.UnidirectionalSequenceLstm options = new BuiltinOptions.UnidirectionalSequenceLstm(
                ActivationFunction.TANH, cellClip, 0f, timeMajor, false, false);
        if (!int8) {
            inputs[0] = b.addTensor("in", TensorType.FLOAT32, inShape);
            for (int gate = 0; gate < 4; gate++) {
                inputs[1 + gate] = b.addFloatConstant("w" + gate, new int[] {state, inputSize},
                        g.floats(state * inputSize, (float) (2 / Math.sqrt(inputSize))));
                inputs[5 + gate] = b.addFloatConstant("r" + gate, new int[] {state, state},
                        g.floats(state * state, (float) (2 / Math.sqrt(state))));
                inputs[12 + gate] = b.addFloatConstant("b" + gate, new int[] {state}, g.floats(state, 1f));
            }
            inputs[18] = b.addVariable("hidden", TensorType.FLOAT32, new int[] {batches, state}, Quantization.NONE);
            inputs[19] = b.addVariable("cell", TensorType.FLOAT32, new int[] {batches, state}, Quantization.NONE);
            int out = b.addTensor("out", TensorType.FLOAT32, outShape);
            b.addOperator(BuiltinOperator.UNIDIRECTIONAL_SEQUENCE_LSTM, options, inputs, new int[] {out});
            b.inputs(inputs[0]).outputs(out);
            return;
        }
        float inScale = (float) (0.005 + g.unit() * 0.05);
        int inZp = g.r(-30, 30);
        // hidden values are in (-1, 1); the cell state in a power-of-two scale (TFLite's quantizer makes it one)
        float hiddenScale = (float) ((0.6 + g.unit() * 0.6) / 128);
        int hiddenZp = g.r(-10, 10);
        float cellScale = (float) Math.scalb(1.0, -g.r(10, 13));
        inputs[0] = b.addTensor("in", TensorType.INT8, inShape, Quantization.perTensor(inScale, inZp));
        for (int gate = 0; gate < 4; gate++) {
            // gate pre-activations of a few units: sums of inputSize products of ~74 * scale each
            float wScale = (float) (1.5 / (Math.sqrt(inputSize) * 74 * inScale * 74) * (0.5 + g.unit()));
            float rScale = (float) (1.5 / (Math.sqrt(state) * 74 * hiddenScale * 74) * (0.5 + g.unit()));
            inputs[1 + gate] = b.addInt8Constant("w" + gate, new int[] {state, inputSize}, Quantization.perTensor(wScale, 0),
                    g.bytes(state * inputSize));
            inputs[5 + gate] = b.addInt8Constant("r" + gate, new int[] {state, state}, Quantization.perTensor(rScale, 0),
                    g.bytes(state * state));
            inputs[12 + gate] = b.addInt32Constant("b" + gate, new int[] {state}, Quantization.perTensor(inScale * wScale, 0),
                    g.ints(state, (int) Math.min(1e9, 1.0 / (inScale * wScale))));
        }
        inputs[18] = b.addVariable("hidden", TensorType.INT8, new int[] {batches, state},
                Quantization.perTensor(hiddenScale, hiddenZp));
        inputs[19] = b.addVariable("cell", TensorType.INT16, new int[] {batches, state}, Quantization.perTensor(cellScale, 0));
        int out = b.addTensor("out", TensorType.INT8, outShape, Quantization.perTensor(hiddenScale, hiddenZp));
        b.addOperator(BuiltinOperator.UNIDIRECTIONAL_SEQUENCE_LSTM, options, inputs, new int[] {out});
        b.inputs(inputs[0]).outputs(out);
    }

    /** The 16x8 LSTM: int16 activations (zero point 0), int8 weights, int64 biases, int16 cell state. */
    static void lstm16(Gen g, ModelBuilder b) {
        int batches = g.r(1, 2);
        int steps = g.r(1, 4);
        int inputSize = g.r(1, 24);
        int state = g.r(1, 20);
        boolean timeMajor = g.coin();
        float[] clips = {0f, 0f, 3f, 10f};
        int[] inShape = timeMajor ? new int[] {steps, batches, inputSize} : new int[] {batches, steps, inputSize};
        int[] outShape = timeMajor ? new int[] {steps, batches, state} : new int[] {batches, steps, state};
        int[] inputs = new int[24];
        java.util.Arrays.fill(inputs, -1);
        float inScale = (float) ((1 + g.unit() * 3) / 32768);
        float hiddenScale = (float) ((0.6 + g.unit() * 0.6) / 32768);
        float cellScale = (float) Math.scalb(1.0, -g.r(10, 13));
        inputs[0] = b.addTensor("in", TensorType.INT16, inShape, Quantization.perTensor(inScale, 0));
        for (int gate = 0; gate < 4; gate++) {
            // pre-activations of a few units: sums of inputSize products of ~18900 (a uniform int16's deviation) x 74
            float wScale = (float) (1.5 / (Math.sqrt(inputSize) * 18900 * inScale * 74) * (0.5 + g.unit()));
            float rScale = (float) (1.5 / (Math.sqrt(state) * 18900 * hiddenScale * 74) * (0.5 + g.unit()));
            inputs[1 + gate] = b.addInt8Constant("w" + gate, new int[] {state, inputSize}, Quantization.perTensor(wScale, 0),
                    g.bytes(state * inputSize));
            inputs[5 + gate] = b.addInt8Constant("r" + gate, new int[] {state, state}, Quantization.perTensor(rScale, 0),
                    g.bytes(state * state));
            inputs[12 + gate] = b.addInt64Constant("b" + gate, new int[] {state}, Quantization.perTensor(inScale * wScale, 0),
                    g.longs(state, (long) Math.min(1e12, 1.0 / (inScale * wScale))));
        }
        inputs[18] = b.addVariable("hidden", TensorType.INT16, new int[] {batches, state}, Quantization.perTensor(hiddenScale, 0));
        inputs[19] = b.addVariable("cell", TensorType.INT16, new int[] {batches, state}, Quantization.perTensor(cellScale, 0));
        int out = b.addTensor("out", TensorType.INT16, outShape, Quantization.perTensor(hiddenScale, 0));
        b.addOperator(BuiltinOperator.UNIDIRECTIONAL_SEQUENCE_LSTM, new BuiltinOptions.UnidirectionalSequenceLstm(
                ActivationFunction.TANH, clips[g.r(0, 3)], 0f, timeMajor, false, false), inputs, new int[] {out});
        b.inputs(inputs[0]).outputs(out);
    }
}
