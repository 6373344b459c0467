package dev.tinysim.demo;

import dev.tinysim.tflite.ActivationFunction;
import dev.tinysim.tflite.BuiltinOperator;
import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.ModelBuilder;
import dev.tinysim.tflite.Padding;
import dev.tinysim.tflite.Quantization;
import dev.tinysim.tflite.TensorType;

import java.util.Arrays;

/**
 * The layers of the demo's 1-D CNN, each with forward, backward (gradients accumulated into a flat
 * gradient array at the layer's parameter offset) and its TFLite export. A 1-D signal of {@code T}
 * steps and {@code C} channels is stored as {@code x[t * C + c]}, which is exactly NHWC {@code [1, 1, T, C]},
 * the layout TFLite gives a Keras Conv1D after its expand_dims; parameters are stored in TFLite's filter
 * layouts, so export copies them unchanged.
 *
 * <p>All arithmetic is float in a fixed order (Java float arithmetic is IEEE binary32 without fused
 * multiply-add on every JVM), so training is reproducible bit for bit.
 */
final class CnnLayers {

    private CnnLayers() {
    }

    enum Act {
        NONE(ActivationFunction.NONE), RELU(ActivationFunction.RELU), RELU6(ActivationFunction.RELU6);

        final ActivationFunction tflite;

        Act(ActivationFunction tflite) {
            this.tflite = tflite;
        }

        float apply(float v) {
            return switch (this) {
                case NONE -> v;
                case RELU -> v < 0f ? 0f : v;
                case RELU6 -> v < 0f ? 0f : (v > 6f ? 6f : v);
            };
        }

        /** Derivative, from the activation's output. */
        boolean passes(float y) {
            return switch (this) {
                case NONE -> true;
                case RELU -> y > 0f;
                case RELU6 -> y > 0f && y < 6f;
            };
        }
    }

    /** TFLite SAME padding: pad_total = max(0, (out - 1) * stride + k - in), pad_before = pad_total / 2. */
    static int samePadBefore(int in, int out, int k, int stride) {
        return Math.max(0, (out - 1) * stride + k - in) / 2;
    }

    abstract static class Layer {
        final String name;
        final int inT;
        final int inC;
        final int outT;
        final int outC;
        int offset;

        Layer(String name, int inT, int inC, int outT, int outC) {
            this.name = name;
            this.inT = inT;
            this.inC = inC;
            this.outT = outT;
            this.outC = outC;
        }

        int inSize() {
            return inT * inC;
        }

        int outSize() {
            return outT * outC;
        }

        int paramCount() {
            return 0;
        }

        long macs() {
            return 0;
        }

        void init(float[] p, Rng r) {
        }

        /**
         * Forward pass. {@code wt} holds {@link #transpose transposed} filters (for layers with a matrix
         * of weights), so that the inner loop runs over output channels: every output still sums its
         * products in the same order as a dot product would, but the loop vectorizes.
         */
        abstract void forward(float[] p, float[] wt, float[] x, float[] y);

        /** Writes this layer's weights transposed ([rows, outC] from [outC, rows]) into {@code wt}. */
        void transpose(float[] p, float[] wt) {
        }

        static void transpose(float[] p, float[] wt, int offset, int outC, int rows) {
            for (int o = 0; o < outC; o++) {
                for (int r = 0; r < rows; r++) {
                    wt[offset + r * outC + o] = p[offset + o * rows + r];
                }
            }
        }

        /** Accumulates parameter gradients into {@code g}; adds the input gradient into {@code dx} unless null. */
        abstract void backward(float[] p, float[] x, float[] y, float[] dy, float[] dx, float[] g);

        /** Adds the TFLite operator(s); returns the output tensor index. */
        abstract int export(ModelBuilder b, float[] p, int input);

        int[] outShape() {
            return new int[] {1, 1, outT, outC};
        }

        static void he(float[] p, int from, int count, int fanIn, Rng r) {
            double std = StrictMath.sqrt(2.0 / fanIn);
            for (int i = 0; i < count; i++) {
                p[from + i] = (float) (std * r.gaussian());
            }
        }
    }

    /** CONV_2D with a 1 x k filter, SAME padding, stride along time, fused activation. Filter [outC, 1, k, inC]. */
    static final class Conv extends Layer {
        final int k;
        final int stride;
        final Act act;
        final int pad;

        Conv(String name, int inT, int inC, int outC, int k, int stride, Act act) {
            super(name, inT, inC, (inT + stride - 1) / stride, outC);
            this.k = k;
            this.stride = stride;
            this.act = act;
            this.pad = samePadBefore(inT, outT, k, stride);
        }

        @Override
        int paramCount() {
            return outC * k * inC + outC;
        }

        @Override
        long macs() {
            return (long) outT * outC * k * inC;
        }

        @Override
        void init(float[] p, Rng r) {
            he(p, offset, outC * k * inC, k * inC, r);
        }

        @Override
        void transpose(float[] p, float[] wt) {
            transpose(p, wt, offset, outC, k * inC);
        }

        @Override
        void forward(float[] p, float[] wt, float[] x, float[] y) {
            int b0 = offset + outC * k * inC;
            for (int t = 0; t < outT; t++) {
                int start = t * stride - pad;
                int k0 = Math.max(0, -start);
                int k1 = Math.min(k, inT - start);
                int xBase = (start + k0) * inC;
                int len = (k1 - k0) * inC;
                int yb = t * outC;
                Arrays.fill(y, yb, yb + outC, 0f);
                for (int j = 0; j < len; j++) {
                    float xv = x[xBase + j];
                    int wb = offset + (k0 * inC + j) * outC;
                    for (int oc = 0; oc < outC; oc++) {
                        y[yb + oc] += wt[wb + oc] * xv;
                    }
                }
                for (int oc = 0; oc < outC; oc++) {
                    y[yb + oc] = act.apply(y[yb + oc] + p[b0 + oc]);
                }
            }
        }

        @Override
        void backward(float[] p, float[] x, float[] y, float[] dy, float[] dx, float[] g) {
            int b0 = offset + outC * k * inC;
            for (int t = 0; t < outT; t++) {
                int start = t * stride - pad;
                int k0 = Math.max(0, -start);
                int k1 = Math.min(k, inT - start);
                int xBase = (start + k0) * inC;
                int len = (k1 - k0) * inC;
                for (int oc = 0; oc < outC; oc++) {
                    int o = t * outC + oc;
                    if (!act.passes(y[o])) {
                        continue;
                    }
                    float dz = dy[o];
                    if (dz == 0f) {
                        continue;
                    }
                    g[b0 + oc] += dz;
                    int wBase = offset + (oc * k + k0) * inC;
                    for (int j = 0; j < len; j++) {
                        g[wBase + j] += dz * x[xBase + j];
                    }
                    if (dx != null) {
                        for (int j = 0; j < len; j++) {
                            dx[xBase + j] += dz * p[wBase + j];
                        }
                    }
                }
            }
        }

        @Override
        int export(ModelBuilder b, float[] p, int input) {
            int w = b.addFloatConstant(name + "/filter", new int[] {outC, 1, k, inC},
                    Arrays.copyOfRange(p, offset, offset + outC * k * inC));
            int bias = b.addFloatConstant(name + "/bias", new int[] {outC},
                    Arrays.copyOfRange(p, offset + outC * k * inC, offset + paramCount()));
            int out = b.addTensor(name, TensorType.FLOAT32, outShape());
            b.addOperator(BuiltinOperator.CONV_2D, new BuiltinOptions.Conv2D(Padding.SAME, stride, 1, act.tflite),
                    new int[] {input, w, bias}, new int[] {out});
            return out;
        }
    }

    /** DEPTHWISE_CONV_2D, depth multiplier 1, 1 x k, stride 1, SAME. Filter [1, 1, k, C]. */
    static final class Depthwise extends Layer {
        final int k;
        final Act act;
        final int pad;

        Depthwise(String name, int inT, int c, int k, Act act) {
            super(name, inT, c, inT, c);
            this.k = k;
            this.act = act;
            this.pad = samePadBefore(inT, inT, k, 1);
        }

        @Override
        int paramCount() {
            return k * inC + inC;
        }

        @Override
        long macs() {
            return (long) outT * outC * k;
        }

        @Override
        void init(float[] p, Rng r) {
            he(p, offset, k * inC, k, r);
        }

        @Override
        void forward(float[] p, float[] wt, float[] x, float[] y) {
            int c = inC;
            int b0 = offset + k * c;
            for (int t = 0; t < outT; t++) {
                int yb = t * c;
                Arrays.fill(y, yb, yb + c, 0f);
                for (int kk = 0; kk < k; kk++) {
                    int ti = t - pad + kk;
                    if (ti < 0 || ti >= inT) {
                        continue;
                    }
                    int xb = ti * c;
                    int wb = offset + kk * c;
                    for (int ch = 0; ch < c; ch++) {
                        y[yb + ch] += x[xb + ch] * p[wb + ch];
                    }
                }
                for (int ch = 0; ch < c; ch++) {
                    y[yb + ch] = act.apply(y[yb + ch] + p[b0 + ch]);
                }
            }
        }

        @Override
        void backward(float[] p, float[] x, float[] y, float[] dy, float[] dx, float[] g) {
            int c = inC;
            int b0 = offset + k * c;
            float[] dz = new float[c];
            for (int t = 0; t < outT; t++) {
                int yb = t * c;
                for (int ch = 0; ch < c; ch++) {
                    dz[ch] = act.passes(y[yb + ch]) ? dy[yb + ch] : 0f;
                    g[b0 + ch] += dz[ch];
                }
                for (int kk = 0; kk < k; kk++) {
                    int ti = t - pad + kk;
                    if (ti < 0 || ti >= inT) {
                        continue;
                    }
                    int xb = ti * c;
                    int wb = offset + kk * c;
                    for (int ch = 0; ch < c; ch++) {
                        g[wb + ch] += dz[ch] * x[xb + ch];
                    }
                    if (dx != null) {
                        for (int ch = 0; ch < c; ch++) {
                            dx[xb + ch] += dz[ch] * p[wb + ch];
                        }
                    }
                }
            }
        }

        @Override
        int export(ModelBuilder b, float[] p, int input) {
            int w = b.addFloatConstant(name + "/filter", new int[] {1, 1, k, inC},
                    Arrays.copyOfRange(p, offset, offset + k * inC));
            int bias = b.addFloatConstant(name + "/bias", new int[] {inC},
                    Arrays.copyOfRange(p, offset + k * inC, offset + paramCount()));
            int out = b.addTensor(name, TensorType.FLOAT32, outShape());
            b.addOperator(BuiltinOperator.DEPTHWISE_CONV_2D,
                    new BuiltinOptions.DepthwiseConv2D(Padding.SAME, 1, 1, 1, act.tflite),
                    new int[] {input, w, bias}, new int[] {out});
            return out;
        }
    }

    /** MAX_POOL_2D 1 x 2, stride 2, VALID. */
    static final class MaxPool extends Layer {
        MaxPool(String name, int inT, int c) {
            super(name, inT, c, inT / 2, c);
        }

        @Override
        void forward(float[] p, float[] wt, float[] x, float[] y) {
            int c = inC;
            for (int t = 0; t < outT; t++) {
                for (int ch = 0; ch < c; ch++) {
                    float a = x[(2 * t) * c + ch];
                    float bb = x[(2 * t + 1) * c + ch];
                    y[t * c + ch] = a >= bb ? a : bb;
                }
            }
        }

        @Override
        void backward(float[] p, float[] x, float[] y, float[] dy, float[] dx, float[] g) {
            int c = inC;
            for (int t = 0; t < outT; t++) {
                for (int ch = 0; ch < c; ch++) {
                    int ia = (2 * t) * c + ch;
                    int ib = (2 * t + 1) * c + ch;
                    dx[x[ia] >= x[ib] ? ia : ib] += dy[t * c + ch];
                }
            }
        }

        @Override
        int export(ModelBuilder b, float[] p, int input) {
            int out = b.addTensor(name, TensorType.FLOAT32, outShape());
            b.addOperator(BuiltinOperator.MAX_POOL_2D,
                    new BuiltinOptions.Pool2D(Padding.VALID, 2, 1, 2, 1, ActivationFunction.NONE),
                    new int[] {input}, new int[] {out});
            return out;
        }
    }

    /** MEAN over time (axes 1 and 2 of NHWC), keep_dims false: [1, 1, T, C] -> [1, C]. */
    static final class GlobalMean extends Layer {
        GlobalMean(String name, int inT, int c) {
            super(name, inT, c, 1, c);
        }

        @Override
        void forward(float[] p, float[] wt, float[] x, float[] y) {
            int c = inC;
            Arrays.fill(y, 0, c, 0f);
            for (int t = 0; t < inT; t++) {
                for (int ch = 0; ch < c; ch++) {
                    y[ch] += x[t * c + ch];
                }
            }
            for (int ch = 0; ch < c; ch++) {
                y[ch] = y[ch] / (float) inT;
            }
        }

        @Override
        void backward(float[] p, float[] x, float[] y, float[] dy, float[] dx, float[] g) {
            int c = inC;
            for (int t = 0; t < inT; t++) {
                for (int ch = 0; ch < c; ch++) {
                    dx[t * c + ch] += dy[ch] / (float) inT;
                }
            }
        }

        @Override
        int[] outShape() {
            return new int[] {1, outC};
        }

        @Override
        int export(ModelBuilder b, float[] p, int input) {
            int axes = b.addInt32Constant(name + "/axes", new int[] {2}, Quantization.NONE, 1, 2);
            int out = b.addTensor(name, TensorType.FLOAT32, outShape());
            b.addOperator(BuiltinOperator.MEAN, new BuiltinOptions.Reducer(false), new int[] {input, axes},
                    new int[] {out});
            return out;
        }
    }

    /** FULLY_CONNECTED, weights [out, in]. */
    static final class Dense extends Layer {
        final Act act;

        Dense(String name, int in, int out, Act act) {
            super(name, 1, in, 1, out);
            this.act = act;
        }

        @Override
        int paramCount() {
            return outC * inC + outC;
        }

        @Override
        long macs() {
            return (long) outC * inC;
        }

        @Override
        void init(float[] p, Rng r) {
            if (act == Act.NONE) { // logits: Glorot-uniform-like scale keeps the initial softmax soft
                double std = StrictMath.sqrt(1.0 / inC);
                for (int i = 0; i < outC * inC; i++) {
                    p[offset + i] = (float) (std * r.gaussian());
                }
            } else {
                he(p, offset, outC * inC, inC, r);
            }
        }

        @Override
        void transpose(float[] p, float[] wt) {
            transpose(p, wt, offset, outC, inC);
        }

        @Override
        void forward(float[] p, float[] wt, float[] x, float[] y) {
            int b0 = offset + outC * inC;
            Arrays.fill(y, 0, outC, 0f);
            for (int i = 0; i < inC; i++) {
                float xv = x[i];
                int wb = offset + i * outC;
                for (int o = 0; o < outC; o++) {
                    y[o] += wt[wb + o] * xv;
                }
            }
            for (int o = 0; o < outC; o++) {
                y[o] = act.apply(y[o] + p[b0 + o]);
            }
        }

        @Override
        void backward(float[] p, float[] x, float[] y, float[] dy, float[] dx, float[] g) {
            int b0 = offset + outC * inC;
            for (int o = 0; o < outC; o++) {
                if (!act.passes(y[o])) {
                    continue;
                }
                float dz = dy[o];
                g[b0 + o] += dz;
                int wb = offset + o * inC;
                for (int i = 0; i < inC; i++) {
                    g[wb + i] += dz * x[i];
                }
                if (dx != null) {
                    for (int i = 0; i < inC; i++) {
                        dx[i] += dz * p[wb + i];
                    }
                }
            }
        }

        @Override
        int[] outShape() {
            return new int[] {1, outC};
        }

        @Override
        int export(ModelBuilder b, float[] p, int input) {
            int w = b.addFloatConstant(name + "/weights", new int[] {outC, inC},
                    Arrays.copyOfRange(p, offset, offset + outC * inC));
            int bias = b.addFloatConstant(name + "/bias", new int[] {outC},
                    Arrays.copyOfRange(p, offset + outC * inC, offset + paramCount()));
            int out = b.addTensor(name, TensorType.FLOAT32, outShape());
            b.addOperator(BuiltinOperator.FULLY_CONNECTED, new BuiltinOptions.FullyConnected(act.tflite),
                    new int[] {input, w, bias}, new int[] {out});
            return out;
        }
    }
}
