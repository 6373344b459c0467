package dev.tinysim.reference;

import dev.tinysim.tflite.BuiltinOperator;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;
import dev.tinysim.text.Printable;

/**
 * EQUAL, NOT_EQUAL, LESS, LESS_EQUAL, GREATER, GREATER_EQUAL (TFLite Micro comparisons.cc, reference
 * comparisons.h): float32, int32 and int8 inputs of one type (bool too for EQUAL and NOT_EQUAL), numpy broadcasting
 * (at most rank 4 when the input shapes differ, TFLM's Broadcast4DSlow), a bool output of the broadcast shape. int8:
 * each operand {@code MBQM((q - zp) * 256, m, e)} with {@code (m, e) = QuantizeMultiplierSmallerThanOneExp(scale)}
 * (the scale must be in (0, 1) and give a shift <= 0, which TFLite CHECKs), then the int32 comparison. The runtime's
 * twin: firmware-images/runtime/ts_ops_compare.c.
 */
final class CompareKernel {

    private CompareKernel() {
    }

    private interface IntCmp {
        boolean test(int x, int y);
    }

    private interface FloatCmp {
        boolean test(float x, float y);
    }

    static Kernel create(OpContext c, BuiltinOperator op) {
        BinaryOperands ops = BinaryOperands.of(c);
        Tensor a = ops.in1();
        Tensor b = ops.in2();
        if (!a.shape().equals(b.shape()) && (a.rank() > 4 || b.rank() > 4 || ops.out().rank() > 4)) {
            throw c.fail("input shapes " + a.shape() + " and " + b.shape() + " differ: broadcasting is limited to rank 4");
        }
        boolean equality = op == BuiltinOperator.EQUAL || op == BuiltinOperator.NOT_EQUAL;
        if (equality) {
            c.requireType(a, "input 1", TensorType.FLOAT32, TensorType.INT32, TensorType.INT8, TensorType.BOOL);
        } else {
            c.requireType(a, "input 1", TensorType.FLOAT32, TensorType.INT32, TensorType.INT8);
        }
        c.requireType(b, "input 2", a.type());
        c.requireType(ops.out(), "output", TensorType.BOOL);
        IntCmp ic = switch (op) {
            case EQUAL -> (x, y) -> x == y;
            case NOT_EQUAL -> (x, y) -> x != y;
            case LESS -> (x, y) -> x < y;
            case LESS_EQUAL -> (x, y) -> x <= y;
            case GREATER -> (x, y) -> x > y;
            default -> (x, y) -> x >= y;
        };
        FloatCmp fc = switch (op) {
            case EQUAL -> (x, y) -> x == y;
            case NOT_EQUAL -> (x, y) -> x != y;
            case LESS -> (x, y) -> x < y;
            case LESS_EQUAL -> (x, y) -> x <= y;
            case GREATER -> (x, y) -> x > y;
            default -> (x, y) -> x >= y;
        };
        int[] i1 = ops.index1();
        int[] i2 = ops.index2();
        int ia = ops.i1();
        int ib = ops.i2();
        int o = ops.o();
        Tensor out = ops.out();
        return switch (a.type()) {
            case FLOAT32 -> t -> {
                float[] x = t.f32(ia);
                float[] y = t.f32(ib);
                byte[] r = (byte[]) ConvKernel.newOutput(t, o, out);
                for (int k = 0; k < i1.length; k++) {
                    r[k] = (byte) (fc.test(x[i1[k]], y[i2[k]]) ? 1 : 0);
                }
            };
            case INT32 -> t -> {
                int[] x = t.i32(ia);
                int[] y = t.i32(ib);
                byte[] r = (byte[]) ConvKernel.newOutput(t, o, out);
                for (int k = 0; k < i1.length; k++) {
                    r[k] = (byte) (ic.test(x[i1[k]], y[i2[k]]) ? 1 : 0);
                }
            };
            case BOOL -> t -> {
                byte[] x = t.int8(ia);
                byte[] y = t.int8(ib);
                byte[] r = (byte[]) ConvKernel.newOutput(t, o, out);
                for (int k = 0; k < i1.length; k++) {
                    r[k] = (byte) (ic.test(x[i1[k]] & 0xff, y[i2[k]] & 0xff) ? 1 : 0);
                }
            };
            default -> {
                QuantizedMath.Multiplier m1 = smallerThanOne(c, a, "input 1");
                QuantizedMath.Multiplier m2 = smallerThanOne(c, b, "input 2");
                int off1 = -c.zeroPoint(a, "input 1");
                int off2 = -c.zeroPoint(b, "input 2");
                yield t -> {
                    byte[] x = t.int8(ia);
                    byte[] y = t.int8(ib);
                    byte[] r = (byte[]) ConvKernel.newOutput(t, o, out);
                    for (int k = 0; k < i1.length; k++) {
                        int sx = QuantizedMath.multiplyByQuantizedMultiplier((off1 + x[i1[k]]) * 256, m1.multiplier(), m1.shift());
                        int sy = QuantizedMath.multiplyByQuantizedMultiplier((off2 + y[i2[k]]) * 256, m2.multiplier(), m2.shift());
                        r[k] = (byte) (ic.test(sx, sy) ? 1 : 0);
                    }
                };
            }
        };
    }

    /** TFLite's QuantizeMultiplierSmallerThanOneExp of the tensor's scale: 0 < scale < 1 and a shift <= 0. */
    private static QuantizedMath.Multiplier smallerThanOne(OpContext c, Tensor t, String role) {
        float s = c.scale(t, role);
        QuantizedMath.Multiplier m = QuantizedMath.quantizeMultiplier(s);
        if (!((double) s < 1.0) || m.shift() > 0) {
            throw c.fail(role + " '" + Printable.name(t.name()) + "' has scale " + s + "; a comparison needs a scale below 1");
        }
        return m;
    }
}
