package dev.tinysim.reference;

import dev.tinysim.tflite.ActivationFunction;
import dev.tinysim.tflite.BuiltinOperator;
import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;

import java.util.Arrays;

/** ADD and MUL with broadcasting, int8 (TFLite's integer reference arithmetic) and float32. */
final class ElementwiseKernel {

    private ElementwiseKernel() {
    }

    static Kernel create(OpContext c, BuiltinOperator kind) {
        c.requireInputs(2, 2);
        ActivationFunction activation = kind == BuiltinOperator.ADD
                ? c.options(BuiltinOptions.Add.class).activation()
                : c.options(BuiltinOptions.Mul.class).activation();
        c.requireSupportedActivation(activation);
        Tensor in1 = c.input(0);
        Tensor in2 = c.input(1);
        Tensor out = c.output(0);
        Broadcast bc = Broadcast.of(in1.shape(), in2.shape());
        if (bc == null || !Arrays.equals(withoutLeadingOnes(bc.outShape()), withoutLeadingOnes(out.shapeArray()))) {
            throw c.fail("input shapes " + in1.shape() + " and " + in2.shape() + " do not broadcast to output shape "
                    + out.shape());
        }
        int i1 = c.inputIndex(0);
        int i2 = c.inputIndex(1);
        int o = c.outputIndex(0);
        int[] idx1 = bc.index1();
        int[] idx2 = bc.index2();
        boolean add = kind == BuiltinOperator.ADD;
        if (in1.type() == TensorType.INT8) {
            c.requireType(in2, "input 2", TensorType.INT8);
            c.requireType(out, "output", TensorType.INT8);
            ActivationRange act = ActivationRange.int8(activation, c.scale(out, "output"), c.zeroPoint(out, "output"), c);
            IntBinary f = add ? addInt8(c, in1, in2, out) : mulInt8(c, in1, in2, out);
            return t -> {
                byte[] a = t.int8(i1);
                byte[] b = t.int8(i2);
                byte[] r = (byte[]) ConvKernel.newOutput(t, o, out);
                for (int i = 0; i < idx1.length; i++) {
                    r[i] = (byte) act.clamp(f.apply(a[idx1[i]], b[idx2[i]]));
                }
            };
        }
        c.requireType(in1, "input 1", TensorType.FLOAT32);
        c.requireType(in2, "input 2", TensorType.FLOAT32);
        c.requireType(out, "output", TensorType.FLOAT32);
        ActivationRange act = ActivationRange.float32(activation, c);
        return t -> {
            float[] a = t.f32(i1);
            float[] b = t.f32(i2);
            float[] r = (float[]) ConvKernel.newOutput(t, o, out);
            for (int i = 0; i < idx1.length; i++) {
                float x = a[idx1[i]];
                float y = b[idx2[i]];
                r[i] = act.clamp(add ? x + y : x * y);
            }
        };
    }

    private static int[] withoutLeadingOnes(int[] shape) {
        int i = 0;
        while (i < shape.length && shape[i] == 1) {
            i++;
        }
        return Arrays.copyOfRange(shape, i, shape.length);
    }

    @FunctionalInterface
    interface IntBinary {
        int apply(int a, int b);
    }

    /** TFLM PrepareGeneralAdd + reference_integer_ops::AddElementwise (left shift 20). */
    private static IntBinary addInt8(OpContext c, Tensor in1, Tensor in2, Tensor out) {
        float s1 = c.scale(in1, "input 1");
        float s2 = c.scale(in2, "input 2");
        float so = c.scale(out, "output");
        int zp1 = c.zeroPoint(in1, "input 1");
        int zp2 = c.zeroPoint(in2, "input 2");
        int zpo = c.zeroPoint(out, "output");
        final int leftShift = 20;
        double twiceMaxInputScale = 2 * (double) Math.max(s1, s2);
        QuantizedMath.Multiplier m1 = smallerThanOne(c, (double) s1 / twiceMaxInputScale);
        QuantizedMath.Multiplier m2 = smallerThanOne(c, (double) s2 / twiceMaxInputScale);
        QuantizedMath.Multiplier mo = smallerThanOne(c, twiceMaxInputScale / ((1 << leftShift) * (double) so));
        return (a, b) -> {
            int shifted1 = (a - zp1) * (1 << leftShift);
            int shifted2 = (b - zp2) * (1 << leftShift);
            int scaled1 = QuantizedMath.multiplyByQuantizedMultiplier(shifted1, m1);
            int scaled2 = QuantizedMath.multiplyByQuantizedMultiplier(shifted2, m2);
            return QuantizedMath.multiplyByQuantizedMultiplier(scaled1 + scaled2, mo) + zpo;
        };
    }

    private static QuantizedMath.Multiplier smallerThanOne(OpContext c, double real) {
        if (!(real > 0.0 && real < 1.0)) {
            throw c.fail("requantization multiplier " + real + " is not in (0, 1)");
        }
        return QuantizedMath.quantizeMultiplier(real);
    }

    /** TFLM mul_common.cc + reference_integer_ops::MulElementwise. */
    private static IntBinary mulInt8(OpContext c, Tensor in1, Tensor in2, Tensor out) {
        double real = (double) c.scale(in1, "input 1") * (double) c.scale(in2, "input 2")
                / (double) c.scale(out, "output");
        QuantizedMath.Multiplier m = QuantizedMath.quantizeMultiplier(real);
        int zp1 = c.zeroPoint(in1, "input 1");
        int zp2 = c.zeroPoint(in2, "input 2");
        int zpo = c.zeroPoint(out, "output");
        return (a, b) -> zpo + QuantizedMath.multiplyByQuantizedMultiplier((a - zp1) * (b - zp2), m);
    }
}
