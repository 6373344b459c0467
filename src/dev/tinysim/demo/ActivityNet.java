package dev.tinysim.demo;

import dev.tinysim.tflite.BuiltinOperator;
import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.ModelBuilder;
import dev.tinysim.tflite.TensorType;

import java.util.Arrays;
import java.util.List;

/**
 * The demo model: a small 1-D CNN over a [1, 1, 64, 3] accelerometer window (Keras-style Conv1D layers as
 * TFLite stores them), 19 716 parameters, 233 k multiply-accumulates per inference.
 *
 * <pre>
 * input                       [1, 1, 64, 3]   float32, g
 * conv1  CONV_2D 1x5, 16, RELU      [1, 1, 64, 16]
 * pool1  MAX_POOL_2D 1x2 /2         [1, 1, 32, 16]
 * conv2  CONV_2D 1x5, 32, RELU      [1, 1, 32, 32]
 * pool2  MAX_POOL_2D 1x2 /2         [1, 1, 16, 32]
 * dw3    DEPTHWISE_CONV_2D 1x5, RELU6  [1, 1, 16, 32]   } a depthwise-separable block
 * pw3    CONV_2D 1x1, 64, RELU      [1, 1, 16, 64]   }
 * conv4  CONV_2D 1x3 /2, 64, RELU   [1, 1, 8, 64]
 * gap    MEAN over axes 1, 2        [1, 64]
 * fc5    FULLY_CONNECTED 32, RELU   [1, 32]
 * logits FULLY_CONNECTED 4          [1, 4]
 * probabilities SOFTMAX             [1, 4]
 * </pre>
 * (Training uses the logits with a softmax cross-entropy loss; the exported model ends in SOFTMAX.)
 */
public final class ActivityNet {

    final List<CnnLayers.Layer> layers;
    final int paramCount;

    ActivityNet() {
        int t = ActivityData.SAMPLES;
        int c = ActivityData.AXES;
        layers = List.of(
                new CnnLayers.Conv("conv1", t, c, 16, 5, 1, CnnLayers.Act.RELU),
                new CnnLayers.MaxPool("pool1", t, 16),
                new CnnLayers.Conv("conv2", t / 2, 16, 32, 5, 1, CnnLayers.Act.RELU),
                new CnnLayers.MaxPool("pool2", t / 2, 32),
                new CnnLayers.Depthwise("dw3", t / 4, 32, 5, CnnLayers.Act.RELU6),
                new CnnLayers.Conv("pw3", t / 4, 32, 64, 1, 1, CnnLayers.Act.RELU),
                new CnnLayers.Conv("conv4", t / 4, 64, 64, 3, 2, CnnLayers.Act.RELU),
                new CnnLayers.GlobalMean("gap", t / 8, 64),
                new CnnLayers.Dense("fc5", 64, 32, CnnLayers.Act.RELU),
                new CnnLayers.Dense("logits", 32, ActivityData.CLASSES, CnnLayers.Act.NONE));
        int offset = 0;
        for (CnnLayers.Layer l : layers) {
            l.offset = offset;
            offset += l.paramCount();
        }
        paramCount = offset;
        for (int i = 1; i < layers.size(); i++) {
            if (layers.get(i).inSize() != layers.get(i - 1).outSize()) {
                throw new IllegalStateException("layer " + layers.get(i).name + " does not fit its input");
            }
        }
    }

    public int paramCount() {
        return paramCount;
    }

    public long macs() {
        long m = 0;
        for (CnnLayers.Layer l : layers) {
            m += l.macs();
        }
        return m;
    }

    /** He-initialized weights, zero biases. */
    float[] initialParams(Rng r) {
        float[] p = new float[paramCount];
        for (CnnLayers.Layer l : layers) {
            l.init(p, r);
        }
        return p;
    }

    /** Per-thread buffers: activations and their gradients for one sample. */
    final class Workspace {
        final float[][] acts = new float[layers.size() + 1][];
        final float[][] grads = new float[layers.size() + 1][];
        /** Transposed weights of the parameters last passed to {@link #prepare} (the caller keeps them current). */
        final float[] wt = new float[paramCount];

        Workspace() {
            acts[0] = new float[layers.get(0).inSize()];
            grads[0] = new float[layers.get(0).inSize()];
            for (int i = 0; i < layers.size(); i++) {
                acts[i + 1] = new float[layers.get(i).outSize()];
                grads[i + 1] = new float[layers.get(i).outSize()];
            }
        }
    }

    Workspace workspace() {
        return new Workspace();
    }

    /** Transposes the weights into the workspace; call again whenever the parameters have changed. */
    void prepare(float[] p, Workspace ws) {
        for (CnnLayers.Layer l : layers) {
            l.transpose(p, ws.wt);
        }
    }

    /** Forward pass with weights {@link #prepare prepared} into the workspace; returns the logits (a view into it). */
    float[] forward(float[] p, float[] x, Workspace ws) {
        System.arraycopy(x, 0, ws.acts[0], 0, x.length);
        for (int i = 0; i < layers.size(); i++) {
            layers.get(i).forward(p, ws.wt, ws.acts[i], ws.acts[i + 1]);
        }
        return ws.acts[layers.size()];
    }

    int predict(float[] p, float[] x, Workspace ws) {
        float[] z = forward(p, x, ws);
        int best = 0;
        for (int i = 1; i < z.length; i++) {
            if (z[i] > z[best]) {
                best = i;
            }
        }
        return best;
    }

    /**
     * Forward and backward for one sample with softmax cross-entropy; adds the parameter gradient into
     * {@code g} and returns the loss (natural log).
     */
    double accumulateGradient(float[] p, float[] x, int label, Workspace ws, float[] g) {
        float[] z = forward(p, x, ws);
        double max = z[0];
        for (float v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] e = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            e[i] = StrictMath.exp(z[i] - max);
            sum += e[i];
        }
        int n = layers.size();
        float[] dz = ws.grads[n];
        for (int i = 0; i < z.length; i++) {
            dz[i] = (float) (e[i] / sum - (i == label ? 1.0 : 0.0));
        }
        for (int i = n - 1; i >= 0; i--) {
            float[] dx = i == 0 ? null : ws.grads[i];
            if (dx != null) {
                Arrays.fill(dx, 0f);
            }
            layers.get(i).backward(p, ws.acts[i], ws.acts[i + 1], ws.grads[i + 1], dx, g);
        }
        return StrictMath.log(sum) - (z[label] - max);
    }

    /** The float32 .tflite file of these parameters. */
    byte[] exportFloat(float[] p, String description) {
        ModelBuilder b = new ModelBuilder().description(description);
        int in = b.addTensor("input", TensorType.FLOAT32,
                new int[] {1, 1, ActivityData.SAMPLES, ActivityData.AXES});
        int t = in;
        for (CnnLayers.Layer l : layers) {
            t = l.export(b, p, t);
        }
        int probs = b.addTensor("probabilities", TensorType.FLOAT32, new int[] {1, ActivityData.CLASSES});
        b.addOperator(BuiltinOperator.SOFTMAX, new BuiltinOptions.Softmax(1.0f), new int[] {t}, new int[] {probs});
        return b.inputs(in).outputs(probs).toBytes();
    }
}
