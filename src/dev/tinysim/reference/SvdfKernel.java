package dev.tinysim.reference;

import dev.tinysim.tflite.ActivationFunction;
import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;
import dev.tinysim.text.Printable;

/**
 * SVDF, TFLite Micro's kernel (micro/kernels/svdf.cc, svdf_common.cc): float32, and int8 with an int16 or
 * int8 state and time weights (docs/inference-semantics.md, "Sequence operators and state": SVDF).
 *
 * <p>Inputs: 0 input {@code [batch, input_size]}, 1 weights_feature {@code [filters, input_size]}, 2
 * weights_time {@code [filters, memory]}, 3 bias {@code [units]} (optional), 4 the state, a variable
 * {@code [batch, memory * filters]}; output {@code [batch, units]}, units = filters / rank. Each run shifts
 * the state left by one element, writes this run's feature products into the last column of every filter's
 * memory, then reduces the memory with the time weights.
 */
final class SvdfKernel {

    private SvdfKernel() {
    }

    /** The operator's shape, checked at prepare as TFLM's PrepareSvdf checks it. */
    private record Shape(int batches, int inputSize, int filters, int memory, int rank, int units) {
        int stateSize() {
            return batches * filters * memory;
        }
    }

    static Kernel create(OpContext c) {
        c.requireInputs(5, 5);
        BuiltinOptions.Svdf o = c.options(BuiltinOptions.Svdf.class);
        Tensor in = c.input(0);
        Tensor featureWeights = c.input(1);
        Tensor timeWeights = c.input(2);
        Tensor state = c.input(4);
        Tensor out = c.output(0);
        if (o.rank() < 1) {
            throw c.fail("rank " + o.rank() + " must be at least 1");
        }
        c.requireRank(in, "input", 2);
        c.requireRank(featureWeights, "weights_feature", 2);
        c.requireRank(timeWeights, "weights_time", 2);
        c.requireRank(state, "state", 2);
        c.requireRank(out, "output", 2);
        int batches = in.dim(0);
        int inputSize = in.dim(1);
        int filters = featureWeights.dim(0);
        if (filters % o.rank() != 0) {
            throw c.fail("weights_feature has " + filters + " filters, not a multiple of rank " + o.rank());
        }
        Shape s = new Shape(batches, inputSize, filters, timeWeights.dim(1), o.rank(), filters / o.rank());
        if (featureWeights.dim(1) != inputSize) {
            throw c.fail("weights_feature " + featureWeights.shape() + " does not match input size " + inputSize);
        }
        if (timeWeights.dim(0) != filters) {
            throw c.fail("weights_time " + timeWeights.shape() + " does not have " + filters + " filters");
        }
        if (out.dim(0) != batches || out.dim(1) != s.units()) {
            throw c.fail("output shape " + out.shape() + " differs from [" + batches + ", " + s.units() + "]");
        }
        if (state.dim(0) != batches || state.dim(1) != s.memory() * filters) {
            throw c.fail("state '" + Printable.name(state.name()) + "' has shape " + state.shape() + ", expected [" + batches + ", "
                    + s.memory() * filters + "]");
        }
        if (!state.isVariable()) {
            throw c.fail("state '" + Printable.name(state.name()) + "' (input 4) must be a variable tensor");
        }
        if (c.optionalInputIndex(3) >= 0 && (c.input(3).rank() < 1 || c.input(3).dim(0) != s.units())) {
            throw c.fail("bias '" + Printable.name(c.input(3).name()) + "' has shape " + c.input(3).shape() + ", expected [" + s.units() + "]");
        }
        c.requireType(in, "input", TensorType.FLOAT32, TensorType.INT8);
        return in.type() == TensorType.INT8 ? integer(c, s) : float32(c, s, o.activation());
    }

    private static Kernel integer(OpContext c, Shape s) {
        Tensor in = c.input(0);
        Tensor featureWeights = c.input(1);
        Tensor timeWeights = c.input(2);
        Tensor state = c.input(4);
        Tensor out = c.output(0);
        c.requireType(featureWeights, "weights_feature", TensorType.INT8);
        c.requireType(timeWeights, "weights_time", TensorType.INT16, TensorType.INT8);
        // TFLM picks the state's element type from weights_time's type; a state of another type would be misread.
        c.requireType(state, "state", timeWeights.type());
        c.requireType(out, "output", TensorType.INT8);
        float inScale = c.scale(in, "input");
        float featureScale = c.scale(featureWeights, "weights_feature");
        float timeScale = c.scale(timeWeights, "weights_time");
        float stateScale = c.scale(state, "state");
        float outScale = c.scale(out, "output");
        int[] biasValues = null;
        if (c.optionalInputIndex(3) >= 0) {
            Tensor b = c.input(3);
            c.requireType(b, "bias", TensorType.INT32);
            // TFLM: |bias scale - state scale * weights_time scale| < 1e-5 (the product in float, then widened).
            // A bias without quantization parameters has scale 0 there (and passes when the product is below 1e-5).
            float biasScale = b.quantization().isQuantized() ? b.quantization().scaleValue() : 0f;
            double product = (double) (stateScale * timeScale);
            if (!(Math.abs((double) biasScale - product) < 1e-5)) {
                throw c.fail("bias scale " + b.quantization().scaleValue() + " is not state scale x weights_time scale ("
                        + product + ")");
            }
            biasValues = (int[]) c.constant(3, "bias");
        }
        int[] bias = biasValues;
        // TFLM: the scales are combined in float, then widened to double.
        QuantizedMath.Multiplier m1 = multiplier(c, (double) (inScale * featureScale / stateScale), "input x weights_feature / state");
        QuantizedMath.Multiplier m2 = multiplier(c, (double) (stateScale * timeScale / outScale), "state x weights_time / output");
        int inZp = c.zeroPoint(in, "input");
        int outZp = c.zeroPoint(out, "output");
        boolean int16State = state.type() == TensorType.INT16;
        int stateZp = stateZeroPoint(c, state, int16State);
        int stateMin = int16State ? Short.MIN_VALUE : Byte.MIN_VALUE;
        int stateMax = int16State ? Short.MAX_VALUE : Byte.MAX_VALUE;
        byte[] wf = (byte[]) c.constant(1, "weights_feature");
        int[] wt = toInts(c.constant(2, "weights_time"));
        int inIdx = c.inputIndex(0);
        int stateIdx = c.inputIndex(4);
        int outIdx = c.outputIndex(0);
        return t -> {
            byte[] input = t.int8(inIdx);
            Object stateArray = t.raw(stateIdx);
            int[] st = toInts(stateArray);
            shiftLeft(st);
            // feature matmul into the last column of every filter's memory
            for (int b = 0; b < s.batches(); b++) {
                for (int r = 0; r < s.filters(); r++) {
                    int dot = 0;
                    for (int k = 0; k < s.inputSize(); k++) {
                        dot += wf[r * s.inputSize() + k] * (input[b * s.inputSize() + k] - inZp);
                    }
                    dot = QuantizedMath.multiplyByQuantizedMultiplier(dot, m1);
                    dot = stateZp + dot;
                    st[(b * s.filters() + r) * s.memory() + s.memory() - 1] = QuantizedMath.clamp(dot, stateMin, stateMax);
                }
            }
            byte[] output = (byte[]) ConvKernel.newOutput(t, outIdx, out);
            for (int b = 0; b < s.batches(); b++) {
                // time: one int32 dot product per filter over its memory
                int[] scratch = new int[s.filters()];
                for (int i = 0; i < s.filters(); i++) {
                    int acc = 0;
                    int base = (b * s.filters() + i) * s.memory();
                    for (int j = 0; j < s.memory(); j++) {
                        acc += wt[i * s.memory() + j] * (st[base + j] - stateZp);
                    }
                    scratch[i] = acc;
                }
                // bias, rank reduction, rescale (TFLM applies no fused activation in the integer kernel)
                for (int u = 0; u < s.units(); u++) {
                    int acc = bias != null ? bias[u] : 0;
                    for (int j = 0; j < s.rank(); j++) {
                        acc += scratch[u * s.rank() + j];
                    }
                    int v = QuantizedMath.multiplyByQuantizedMultiplier(acc, m2) + outZp;
                    output[b * s.units() + u] = (byte) QuantizedMath.clamp(v, -128, 127);
                }
            }
            storeInts(st, stateArray);
        };
    }

    private static Kernel float32(OpContext c, Shape s, ActivationFunction activation) {
        Tensor featureWeights = c.input(1);
        Tensor timeWeights = c.input(2);
        Tensor state = c.input(4);
        Tensor out = c.output(0);
        c.requireType(featureWeights, "weights_feature", TensorType.FLOAT32);
        c.requireType(timeWeights, "weights_time", TensorType.FLOAT32);
        c.requireType(state, "state", TensorType.FLOAT32);
        c.requireType(out, "output", TensorType.FLOAT32);
        float[] bias = null;
        if (c.optionalInputIndex(3) >= 0) {
            c.requireType(c.input(3), "bias", TensorType.FLOAT32);
            bias = (float[]) c.constant(3, "bias");
        }
        float[] wf = (float[]) c.constant(1, "weights_feature");
        float[] wt = (float[]) c.constant(2, "weights_time");
        float[] biasValues = bias;
        int inIdx = c.inputIndex(0);
        int stateIdx = c.inputIndex(4);
        int outIdx = c.outputIndex(0);
        return t -> {
            float[] input = t.f32(inIdx);
            float[] st = t.f32(stateIdx);
            System.arraycopy(st, 1, st, 0, st.length - 1);
            for (int b = 0; b < s.batches(); b++) {
                for (int r = 0; r < s.filters(); r++) {
                    float dot = 0.0f;
                    for (int k = 0; k < s.inputSize(); k++) {
                        dot += wf[r * s.inputSize() + k] * input[b * s.inputSize() + k];
                    }
                    st[(b * s.filters() + r) * s.memory() + s.memory() - 1] = dot;
                }
            }
            float[] output = (float[]) ConvKernel.newOutput(t, outIdx, out);
            for (int b = 0; b < s.batches(); b++) {
                float[] scratch = new float[s.filters()];
                for (int i = 0; i < s.filters(); i++) {
                    float acc = 0.0f;
                    int base = (b * s.filters() + i) * s.memory();
                    for (int j = 0; j < s.memory(); j++) {
                        acc += wt[i * s.memory() + j] * st[base + j];
                    }
                    scratch[i] = acc;
                }
                for (int u = 0; u < s.units(); u++) {
                    float acc = biasValues != null ? biasValues[u] : 0.0f;
                    for (int j = 0; j < s.rank(); j++) {
                        acc += scratch[u * s.rank() + j];
                    }
                    output[b * s.units() + u] = activate(activation, acc);
                }
            }
        };
    }

    /** TFLM's ActivationValFloat (micro/kernels/activation_utils.h), with std::max/min and ts_tanhf. */
    static float activate(ActivationFunction a, float x) {
        return switch (a) {
            case NONE -> x;
            case RELU -> DeterministicMath.cmax(0.0f, x);
            case RELU_N1_TO_1 -> DeterministicMath.cmax(-1.0f, DeterministicMath.cmin(x, 1.0f));
            case RELU6 -> DeterministicMath.cmax(0.0f, DeterministicMath.cmin(x, 6.0f));
            case TANH -> DeterministicMath.tanhf(x);
            case SIGN_BIT -> (Float.floatToRawIntBits(x) < 0) ? 1.0f : 0.0f;
        };
    }

    private static QuantizedMath.Multiplier multiplier(OpContext c, double real, String what) {
        QuantizedMath.Multiplier m = QuantizedMath.quantizeMultiplier(real);
        if (m.shift() > 30) {
            throw c.fail("the " + what + " scale ratio " + real + " is too large");
        }
        return m;
    }

    /** The state's zero point: int8 range for an int8 state, int16 range for an int16 state. */
    private static int stateZeroPoint(OpContext c, Tensor state, boolean int16) {
        if (!int16) {
            return c.zeroPoint(state, "state");
        }
        long zp = state.quantization().zeroPoint().isEmpty() ? 0 : state.quantization().zeroPoint().get(0);
        if (zp < Short.MIN_VALUE || zp > Short.MAX_VALUE) {
            throw c.fail("state '" + Printable.name(state.name()) + "' has zero point " + zp + ", outside the int16 range");
        }
        return (int) zp;
    }

    private static void shiftLeft(int[] v) {
        System.arraycopy(v, 1, v, 0, v.length - 1);
    }

    private static int[] toInts(Object a) {
        if (a instanceof short[] h) {
            int[] r = new int[h.length];
            for (int i = 0; i < h.length; i++) {
                r[i] = h[i];
            }
            return r;
        }
        byte[] b = (byte[]) a;
        int[] r = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            r[i] = b[i];
        }
        return r;
    }

    private static void storeInts(int[] v, Object a) {
        if (a instanceof short[] h) {
            for (int i = 0; i < h.length; i++) {
                h[i] = (short) v[i];
            }
        } else {
            byte[] b = (byte[]) a;
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) v[i];
            }
        }
    }
}
