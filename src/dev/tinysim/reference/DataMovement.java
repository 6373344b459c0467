package dev.tinysim.reference;

import dev.tinysim.tflite.Quantization;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;

import java.util.Arrays;
import dev.tinysim.text.Printable;

/**
 * What the operators that only move data (TRANSPOSE, the slices, SQUEEZE, SPLIT, PACK, GATHER, ...) share:
 * input/output counts, the type and quantization rules of a copy, constant index vectors, and copying
 * elements of any stored type ({@code byte[]}, {@code short[]}, {@code int[]}, {@code long[]}, {@code float[]})
 * by an index map.
 */
final class DataMovement {

    /** Every type the interpreter stores (TFLite Micro's RESHAPE and SQUEEZE copy bytes of any of them). */
    static final TensorType[] STORED_TYPES = {TensorType.INT8, TensorType.UINT8, TensorType.BOOL, TensorType.INT16,
            TensorType.INT32, TensorType.INT64, TensorType.FLOAT32};

    private DataMovement() {
    }

    /** Exactly {@code outputs} outputs and between {@code min} and {@code max} inputs. */
    static void requireCounts(OpContext c, int min, int max, int outputs) {
        int n = c.inputCount();
        if (n < min || n > max) {
            throw c.fail("has " + n + " inputs, expected " + (min == max ? String.valueOf(min) : min + " to " + max));
        }
        if (c.op.outputs().size() != outputs) {
            throw c.fail("has " + c.op.outputs().size() + " outputs, expected " + outputs);
        }
    }

    /**
     * A copy from {@code in} to {@code out}: the input has one of the {@code allowed} types (the ones TFLite
     * Micro's kernel implements), the output the same type, and quantized types the same scale and zero point
     * (the bytes are copied unchanged; TFLite Micro does not check this, the converter always makes them equal).
     */
    static void requireCopy(OpContext c, Tensor in, String inRole, Tensor out, String outRole, TensorType... allowed) {
        c.requireType(in, inRole, allowed);
        c.requireType(out, outRole, in.type());
        requireSameQuantization(c, in, inRole, out, outRole);
        if (out.elementCount() == 0) {
            throw c.fail(outRole + " '" + Printable.name(out.name()) + "' has shape " + out.shape() + ": empty tensors are not supported");
        }
    }

    static void requireSameQuantization(OpContext c, Tensor a, String aRole, Tensor b, String bRole) {
        if (a.type() != TensorType.INT8 && a.type() != TensorType.INT16 && a.type() != TensorType.UINT8) {
            return;
        }
        Quantization qa = a.quantization();
        Quantization qb = b.quantization();
        boolean same = qa.isQuantized() == qb.isQuantized() && (!qa.isQuantized()
                || (qa.scaleValue() == qb.scaleValue() && qa.zeroPointValue() == qb.zeroPointValue()));
        if (!same) {
            throw c.fail(aRole + " '" + Printable.name(a.name()) + "' (" + describe(qa) + ") and " + bRole + " '" + Printable.name(b.name()) + "' ("
                    + describe(qb) + ") must share quantization parameters: the operator copies values unchanged");
        }
    }

    private static String describe(Quantization q) {
        return q.isQuantized() ? "scale " + q.scaleValue() + ", zero point " + q.zeroPointValue() : "not quantized";
    }

    /**
     * The values of a constant integer input (INT32, or INT64 when {@code int64} is allowed; flattened), as
     * ints. Rejects a non-constant tensor, another type, and INT64 values outside the int range.
     */
    static int[] constantInts(OpContext c, int input, String role, boolean int64) {
        Tensor t = c.input(input);
        if (int64) {
            c.requireType(t, role, TensorType.INT32, TensorType.INT64);
        } else {
            c.requireType(t, role, TensorType.INT32);
        }
        Object v = c.constant(input, role);
        if (v instanceof int[] ints) {
            return ints;
        }
        long[] longs = (long[]) v;
        int[] out = new int[longs.length];
        for (int i = 0; i < longs.length; i++) {
            if (longs[i] != (int) longs[i]) {
                throw c.fail(role + " '" + Printable.name(t.name()) + "' value " + longs[i] + " does not fit 32 bits");
            }
            out[i] = (int) longs[i];
        }
        return out;
    }

    /** Row-major element strides of a shape. */
    static int[] strides(int[] shape) {
        int[] s = new int[shape.length];
        int stride = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            s[d] = stride;
            stride *= shape[d];
        }
        return s;
    }

    /** Product of {@code shape[from..to)}. */
    static int product(int[] shape, int from, int to) {
        int p = 1;
        for (int d = from; d < to; d++) {
            p *= shape[d];
        }
        return p;
    }

    static void requireShape(OpContext c, Tensor out, String role, int[] expected) {
        if (!Arrays.equals(out.shapeArray(), expected)) {
            throw c.fail(role + " '" + Printable.name(out.name()) + "' has shape " + out.shape() + ", expected "
                    + Arrays.toString(expected));
        }
    }

    /** A new array of {@code src}'s element type holding {@code src[index[k]]} for every k. */
    static Object select(Object src, int[] index) {
        int n = index.length;
        return switch (src) {
            case byte[] s -> {
                byte[] r = new byte[n];
                for (int k = 0; k < n; k++) {
                    r[k] = s[index[k]];
                }
                yield r;
            }
            case short[] s -> {
                short[] r = new short[n];
                for (int k = 0; k < n; k++) {
                    r[k] = s[index[k]];
                }
                yield r;
            }
            case int[] s -> {
                int[] r = new int[n];
                for (int k = 0; k < n; k++) {
                    r[k] = s[index[k]];
                }
                yield r;
            }
            case long[] s -> {
                long[] r = new long[n];
                for (int k = 0; k < n; k++) {
                    r[k] = s[index[k]];
                }
                yield r;
            }
            case float[] s -> {
                float[] r = new float[n];
                for (int k = 0; k < n; k++) {
                    r[k] = s[index[k]];
                }
                yield r;
            }
            default -> throw new IllegalStateException("not a tensor array: " + src);
        };
    }

    /** A kernel that copies input 0 to output 0 unchanged. */
    static Kernel copyKernel(OpContext c) {
        int i = c.inputIndex(0);
        int o = c.outputIndex(0);
        return t -> t.set(o, copyOf(t.raw(i)));
    }

    /** A copy of a tensor array (RESHAPE, SQUEEZE, EXPAND_DIMS: the values do not change). */
    static Object copyOf(Object src) {
        return switch (src) {
            case byte[] s -> s.clone();
            case short[] s -> s.clone();
            case int[] s -> s.clone();
            case long[] s -> s.clone();
            case float[] s -> s.clone();
            default -> throw new IllegalStateException("not a tensor array: " + src);
        };
    }
}
