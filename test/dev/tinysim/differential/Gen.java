package dev.tinysim.differential;

import dev.tinysim.tflite.ActivationFunction;
import dev.tinysim.tflite.ModelBuilder;
import dev.tinysim.tflite.Padding;
import dev.tinysim.tflite.Quantization;
import dev.tinysim.tflite.TensorType;

import java.util.SplittableRandom;

/** Seeded random choices for building operator models (shapes, quantization, constants). */
public final class Gen {

    private final SplittableRandom rng;

    public Gen(long seed) {
        rng = new SplittableRandom(seed);
    }

    /** Uniform in [lo, hi]. */
    public int r(int lo, int hi) {
        return rng.nextInt(lo, hi + 1);
    }

    public boolean coin() {
        return rng.nextBoolean();
    }

    public double unit() {
        return rng.nextDouble();
    }

    public long nextLong() {
        return rng.nextLong();
    }

    /** A typical activation scale. */
    public float scale() {
        return (float) (0.005 + rng.nextDouble() * 0.2);
    }

    /** Per-tensor int8 activation quantization. */
    public Quantization q() {
        return Quantization.perTensor(scale(), r(-30, 30));
    }

    /** Per-tensor int16 activation quantization (symmetric: zero point 0, as TFLite's 16x8 mode requires). */
    public Quantization q16() {
        return Quantization.perTensor((float) (0.00005 + rng.nextDouble() * 0.002), 0);
    }

    /** The quantization of an activation tensor of type {@code t}: int8, int16, or none for float. */
    public Quantization qFor(TensorType t) {
        return switch (t) {
            case INT8 -> q();
            case INT16 -> q16();
            default -> Quantization.NONE;
        };
    }

    public ActivationFunction act() {
        ActivationFunction[] a = {ActivationFunction.NONE, ActivationFunction.RELU, ActivationFunction.RELU6,
                ActivationFunction.RELU_N1_TO_1};
        return a[r(0, 3)];
    }

    public Padding padding() {
        return coin() ? Padding.SAME : Padding.VALID;
    }

    public byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) r(-128, 127);
        }
        return b;
    }

    public short[] shorts(int n, int range) {
        short[] v = new short[n];
        for (int i = 0; i < n; i++) {
            v[i] = (short) r(-range, range);
        }
        return v;
    }

    public float[] floats(int n, float range) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) ((rng.nextDouble() * 2 - 1) * range);
        }
        return f;
    }

    public int[] ints(int n, int range) {
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            v[i] = r(-range, range);
        }
        return v;
    }

    public long[] longs(int n, long range) {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = rng.nextLong(-range, range + 1);
        }
        return v;
    }

    /** A random shape of the given rank with dimensions in [lo, hi]. */
    public int[] shape(int rank, int lo, int hi) {
        int[] s = new int[rank];
        for (int i = 0; i < rank; i++) {
            s[i] = r(lo, hi);
        }
        return s;
    }

    public static int prod(int[] s) {
        int p = 1;
        for (int d : s) {
            p *= d;
        }
        return p;
    }

    /** TFLite's output size for SAME/VALID padding. */
    public static int outSize(Padding p, int in, int k, int stride, int dil) {
        int eff = (k - 1) * dil + 1;
        return p == Padding.SAME ? (in + stride - 1) / stride : (in + stride - eff) / stride;
    }

    /** An activation tensor (graph input, output or intermediate) of type {@code t}. */
    public static int activation(ModelBuilder b, String name, TensorType t, int[] shape, Quantization q) {
        return b.addTensor(name, t, shape, t == TensorType.INT8 || t == TensorType.INT16 ? q : Quantization.NONE);
    }

    /** A random constant operand of type {@code t} (int8, int16 or float32). */
    public int constant(ModelBuilder b, String name, TensorType t, int[] shape, Quantization q) {
        int n = prod(shape);
        return switch (t) {
            case INT8 -> b.addInt8Constant(name, shape, q, bytes(n));
            case INT16 -> b.addInt16Constant(name, shape, q, shorts(n, 32767));
            default -> b.addFloatConstant(name, shape, floats(n, 2f));
        };
    }

    /** TensorType of a variant's type name ("int8", "int16", "float32", "hybrid" = float32 activations). */
    public static TensorType activationType(String type) {
        return switch (type) {
            case "int8" -> TensorType.INT8;
            case "int16" -> TensorType.INT16;
            case "float32", "hybrid" -> TensorType.FLOAT32;
            default -> throw new IllegalArgumentException("type " + type);
        };
    }
}
