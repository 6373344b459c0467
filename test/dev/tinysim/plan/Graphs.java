package dev.tinysim.plan;

import dev.tinysim.tflite.ActivationFunction;
import dev.tinysim.tflite.BuiltinOperator;
import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.ModelBuilder;
import dev.tinysim.tflite.Quantization;
import dev.tinysim.tflite.TensorType;

/** Small float graphs whose arena plans are derived by hand in the tests. */
public final class Graphs {
    private Graphs() {
    }

    /**
     * x, y: FLOAT32 [1, 8] inputs (32 bytes each) → ADD → s [1, 8] (32 bytes) → FULLY_CONNECTED (weights [12, 8]) →
     * out [1, 12] (48 bytes). Tensors: 0 x, 1 y, 2 s, 3 weights (constant), 4 out. TFLite Micro plans 112 bytes; 96
     * suffice (see PlannerTest).
     */
    public static byte[] addThenFullyConnected() {
        ModelBuilder b = new ModelBuilder();
        int x = b.addTensor("x", TensorType.FLOAT32, new int[]{1, 8});
        int y = b.addTensor("y", TensorType.FLOAT32, new int[]{1, 8});
        int s = b.addTensor("s", TensorType.FLOAT32, new int[]{1, 8});
        float[] w = new float[12 * 8];
        for (int i = 0; i < w.length; i++) {
            w[i] = ((i * 37) % 17 - 8) / 16f;
        }
        int weights = b.addFloatConstant("weights", new int[]{12, 8}, w);
        int out = b.addTensor("out", TensorType.FLOAT32, new int[]{1, 12});
        b.addOperator(BuiltinOperator.ADD, new BuiltinOptions.Add(ActivationFunction.NONE, false), new int[]{y, x}, new int[]{s});
        b.addOperator(BuiltinOperator.FULLY_CONNECTED, new BuiltinOptions.FullyConnected(ActivationFunction.NONE),
                new int[]{s, weights, -1}, new int[]{out});
        return b.inputs(x, y).outputs(out).toBytes();
    }

    /**
     * Inputs p (never read) and r, FLOAT32 [1, 4] (16 bytes); RELU(r) → q, the output. Tensors: 0 p, 1 q, 2 r.
     * Lifetimes p [0, 0], q [1, 1], r [0, 1]: all three the same size, so TFLite Micro's tie order decides.
     */
    public static byte[] ties() {
        ModelBuilder b = new ModelBuilder();
        int p = b.addTensor("p", TensorType.FLOAT32, new int[]{1, 4});
        int q = b.addTensor("q", TensorType.FLOAT32, new int[]{1, 4});
        int r = b.addTensor("r", TensorType.FLOAT32, new int[]{1, 4});
        b.addOperator(BuiltinOperator.RELU, BuiltinOptions.NONE, new int[]{r}, new int[]{q});
        return b.inputs(p, r).outputs(q).toBytes();
    }

    /**
     * Every kind of tensor the planner must tell apart. Tensors: 0 x (input, read by operators 0 and 1), 1 u (input
     * nothing reads), 2 r = RELU(x), 3 a constant, 4 a variable, 5 d (touched by nothing, FLOAT32 [1, 2]), 6 s = ADD(r, x),
     * 7 o = RELU6(s) (output), 8 r2 = RELU(r) (output). FLOAT32 [1, 4] unless said.
     */
    public static byte[] everyKind() {
        ModelBuilder b = new ModelBuilder();
        int x = b.addTensor("x", TensorType.FLOAT32, new int[]{1, 4});
        int u = b.addTensor("u", TensorType.FLOAT32, new int[]{1, 4});
        int r = b.addTensor("r", TensorType.FLOAT32, new int[]{1, 4});
        b.addFloatConstant("c", new int[]{1, 4}, 1f, 2f, 3f, 4f);
        b.addVariable("v", TensorType.FLOAT32, new int[]{1, 4}, null);
        b.addTensor("d", TensorType.FLOAT32, new int[]{1, 2});
        int s = b.addTensor("s", TensorType.FLOAT32, new int[]{1, 4});
        int o = b.addTensor("o", TensorType.FLOAT32, new int[]{1, 4});
        int r2 = b.addTensor("r2", TensorType.FLOAT32, new int[]{1, 4});
        b.addOperator(BuiltinOperator.RELU, BuiltinOptions.NONE, new int[]{x}, new int[]{r});
        b.addOperator(BuiltinOperator.ADD, new BuiltinOptions.Add(ActivationFunction.NONE, false), new int[]{r, x}, new int[]{s});
        b.addOperator(BuiltinOperator.RELU6, BuiltinOptions.NONE, new int[]{s}, new int[]{o});
        b.addOperator(BuiltinOperator.RELU, BuiltinOptions.NONE, new int[]{r}, new int[]{r2});
        return b.inputs(x, u).outputs(o, r2).toBytes();
    }

    /**
     * The shape of {@link #addThenFullyConnected} at any scale: x, y FLOAT32 [1, 8m] → ADD → s → PAD (4m zeros at the end)
     * → out [1, 12m]. Tensors: 0 x, 1 y, 2 s, 3 paddings (constant), 4 out. TFLite Micro plans 112m bytes, 96m suffice.
     */
    public static byte[] addThenPad(int m) {
        ModelBuilder b = new ModelBuilder();
        int x = b.addTensor("x", TensorType.FLOAT32, new int[]{1, 8 * m});
        int y = b.addTensor("y", TensorType.FLOAT32, new int[]{1, 8 * m});
        int s = b.addTensor("s", TensorType.FLOAT32, new int[]{1, 8 * m});
        int pads = b.addInt32Constant("paddings", new int[]{2, 2}, Quantization.NONE, 0, 0, 0, 4 * m);
        int out = b.addTensor("out", TensorType.FLOAT32, new int[]{1, 12 * m});
        b.addOperator(BuiltinOperator.ADD, new BuiltinOptions.Add(ActivationFunction.NONE, false), new int[]{y, x}, new int[]{s});
        b.addOperator(BuiltinOperator.PAD, new BuiltinOptions.NoFields(BuiltinOptions.PAD), new int[]{s, pads}, new int[]{out});
        return b.inputs(x, y).outputs(out).toBytes();
    }
}
