package dev.tinysim.reference;

import dev.tinysim.tflite.BuiltinOperator;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;
import dev.tinysim.text.Printable;

/**
 * Elementwise math of TFLite Micro's elementwise.cc, neg.cc, floor.cc, ceil.cc, round.cc and zeros_like.cc: ABS
 * (float32, int8, int16), NEG, SQRT, SQUARE, FLOOR, CEIL, ROUND (float32 only, as in TFLM) and ZEROS_LIKE (int32,
 * float32). The runtime's twin: firmware-images/runtime/ts_ops_math.c.
 */
final class MathKernels {

    private static final float ARM_DEFAULT_NAN = Float.intBitsToFloat(0x7fc00000);

    private MathKernels() {
    }

    /**
     * ABS. float32: the sign bit cleared. int8, and int16 with quantization (zero points 0), as TFLM's
     * AbsEvalQuantized: |q - zp_in|, times in_scale / out_scale (QuantizeMultiplier of the double quotient) only when
     * the two float scales differ, plus zp_out, clamped. int16 without quantization: std::abs stored as int16.
     */
    static Kernel abs(OpContext c) {
        UnaryOperand u = UnaryOperand.of(c, TensorType.FLOAT32, TensorType.INT8, TensorType.INT16);
        if (u.in().type() == TensorType.FLOAT32) {
            return u.floats(x -> Float.intBitsToFloat(Float.floatToRawIntBits(x) & 0x7fffffff));
        }
        boolean int8 = u.in().type() == TensorType.INT8;
        if (!int8 && !u.in().quantization().isQuantized()) {
            return u.ints(q -> (short) Math.abs(q));
        }
        float inScale = c.scale(u.in(), "input");
        float outScale = c.scale(u.out(), "output");
        int zpIn = u.in().quantization().zeroPointValue();
        int zpOut = u.out().quantization().zeroPointValue();
        if (!int8 && (zpIn != 0 || zpOut != 0)) {
            throw c.fail("int16 input and output must have zero point 0");
        }
        boolean rescale = inScale != outScale;
        QuantizedMath.Multiplier m = rescale ? ElementwiseMath.multiplier(c, (double) inScale / (double) outScale, "ABS") : null;
        int lo = int8 ? -128 : -32768;
        int hi = int8 ? 127 : 32767;
        return u.ints(q -> {
            int v = Math.abs(q - zpIn);
            int r = (rescale ? QuantizedMath.multiplyByQuantizedMultiplier(v, m.multiplier(), m.shift()) : v) + zpOut;
            return QuantizedMath.clamp(r, lo, hi);
        });
    }

    /** NEG, SQRT, SQUARE, FLOOR, CEIL, ROUND: float32 only (TFLM's kernels take nothing else). */
    static Kernel float32(OpContext c, BuiltinOperator op) {
        UnaryOperand u = UnaryOperand.of(c, TensorType.FLOAT32);
        return switch (op) {
            case NEG -> u.floats(x -> Float.intBitsToFloat(Float.floatToRawIntBits(x) ^ 0x80000000));
            case SQRT -> u.floats(MathKernels::sqrt);
            case SQUARE -> u.floats(x -> x * x);
            case FLOOR -> u.floats(x -> (float) Math.floor(x));
            case CEIL -> u.floats(x -> (float) Math.ceil(x));
            case ROUND -> u.floats(MathKernels::roundToNearest);
            default -> throw c.fail("is not an elementwise math operator");
        };
    }

    /** std::sqrt as the Arm FPU's VSQRT gives it: correctly rounded, NaN unchanged, a negative number the default NaN. */
    static float sqrt(float x) {
        if (x != x) {
            return x;
        }
        if (x < 0.0f) {
            return ARM_DEFAULT_NAN;
        }
        return (float) Math.sqrt(x);
    }

    /**
     * TFLite's reference_ops RoundToNearest: floor, then up when the rest is above one half, or exactly one half with
     * an odd floor (so -0.3 gives +0.0, unlike Math.rint).
     */
    static float roundToNearest(float x) {
        float f = (float) Math.floor(x);
        float diff = x - f;
        if (diff < 0.5f || (diff == 0.5f && (int) f % 2 == 0)) {
            return f;
        }
        return f + 1.0f;
    }

    /** ZEROS_LIKE (int32, float32): zeros of the input's shape and type. */
    static Kernel zerosLike(OpContext c) {
        c.requireInputs(1, 1);
        Tensor in = c.input(0);
        Tensor out = c.output(0);
        c.requireType(in, "input", TensorType.INT32, TensorType.FLOAT32);
        c.requireType(out, "output", in.type());
        if (!in.shape().equals(out.shape())) {
            throw c.fail("input shape " + in.shape() + " and output shape " + out.shape() + " must be equal");
        }
        int o = c.outputIndex(0);
        return t -> ConvKernel.newOutput(t, o, out);
    }

    /**
     * FLOOR_DIV (TFLM floor_div.cc): float32 only, broadcasting (rank 4 at most when the shapes differ); any zero in the
     * denominator fails at run time, as TFLM's Eval ("Division by 0"); each element {@code (float) floor((double) x /
     * (double) y)} (reference_ops::FloorDiv divides in double).
     */
    static Kernel floorDiv(OpContext c) {
        BinaryOperands ops = BinaryOperands.of(c);
        ops.sameType(c, TensorType.FLOAT32);
        if (!ops.in1().shape().equals(ops.in2().shape())
                && (ops.in1().rank() > 4 || ops.in2().rank() > 4 || ops.out().rank() > 4)) {
            throw c.fail("input shapes " + ops.in1().shape() + " and " + ops.in2().shape()
                    + " differ: broadcasting is limited to rank 4");
        }
        int[] i1 = ops.index1();
        int[] i2 = ops.index2();
        String name = c.name;
        int index = c.index;
        return t -> {
            float[] x = t.f32(ops.i1());
            float[] y = t.f32(ops.i2());
            for (int k = 0; k < y.length; k++) {
                if (y[k] == 0.0f) {
                    throw new KernelFailureException(name + " (operator " + index + "): division by 0 (denominator element "
                            + k + ")");
                }
            }
            float[] r = (float[]) ConvKernel.newOutput(t, ops.o(), ops.out());
            for (int k = 0; k < i1.length; k++) {
                r[k] = (float) Math.floor((double) x[i1[k]] / (double) y[i2[k]]);
            }
        };
    }

    /**
     * FILL (TFLM fill.cc): the scalar value (input 1: float32, int32 or int8, the output's type) in every output
     * element, raw (no requantization, as TFLM); a constant dims tensor (input 0: an int8, int16, int32 or int64 vector)
     * must equal the output's shape, a computed one is not read (as TFLM).
     */
    static Kernel fill(OpContext c) {
        c.requireInputs(2, 2);
        Tensor dims = c.input(0);
        Tensor value = c.input(1);
        Tensor out = c.output(0);
        if (value.rank() != 0) {
            throw c.fail("value '" + Printable.name(value.name()) + "' must be a scalar (rank 0), has shape " + value.shape());
        }
        c.requireType(out, "output", TensorType.FLOAT32, TensorType.INT32, TensorType.INT8);
        c.requireType(value, "value", out.type());
        if (c.model.isConstant(dims)) {
            if (dims.rank() != 1 || dims.dim(0) != out.rank()) {
                throw c.fail("dims '" + Printable.name(dims.name()) + "' has shape " + dims.shape() + "; expected [" + out.rank() + "]");
            }
            c.requireType(dims, "dims", TensorType.INT8, TensorType.INT16, TensorType.INT32, TensorType.INT64);
            Object d = c.constant(0, "dims");
            for (int k = 0; k < out.rank(); k++) {
                long v = switch (d) {
                    case byte[] a -> a[k];
                    case short[] a -> a[k];
                    case int[] a -> a[k];
                    case long[] a -> a[k];
                    default -> throw new IllegalStateException("dims " + d.getClass());
                };
                if (v != out.dim(k)) {
                    throw c.fail("dims " + Printable.name(dims.name()) + " do not equal the output shape " + out.shape());
                }
            }
        }
        int vi = c.inputIndex(1);
        int o = c.outputIndex(0);
        return t -> {
            Object v = t.raw(vi);
            Object r = ConvKernel.newOutput(t, o, out);
            switch (r) {
                case float[] f -> java.util.Arrays.fill(f, ((float[]) v)[0]);
                case int[] f -> java.util.Arrays.fill(f, ((int[]) v)[0]);
                case byte[] f -> java.util.Arrays.fill(f, ((byte[]) v)[0]);
                default -> throw new IllegalStateException("FILL output " + r.getClass());
            }
        };
    }
}
