package dev.tinysim.reference;

import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;

/**
 * The input and output of a one-input elementwise operator (HARD_SWISH, LEAKY_RELU, EXP, RSQRT,
 * LOG_SOFTMAX, TANH): same type, same shape; and the element loops over them.
 */
record UnaryOperand(Tensor in, Tensor out, int i, int o) {

    static UnaryOperand of(OpContext c, TensorType... allowed) {
        c.requireInputs(1, 1);
        Tensor in = c.input(0);
        Tensor out = c.output(0);
        c.requireType(in, "input", allowed);
        c.requireType(out, "output", in.type());
        if (!in.shape().equals(out.shape())) {
            throw c.fail("input shape " + in.shape() + " and output shape " + out.shape() + " must be equal");
        }
        return new UnaryOperand(in, out, c.inputIndex(0), c.outputIndex(0));
    }

    @FunctionalInterface
    interface FloatOp {
        float apply(float x);
    }

    @FunctionalInterface
    interface IntOp {
        int apply(int q);
    }

    Kernel floats(FloatOp f) {
        return t -> {
            float[] x = t.f32(i);
            float[] r = (float[]) ConvKernel.newOutput(t, o, out);
            for (int k = 0; k < x.length; k++) {
                r[k] = f.apply(x[k]);
            }
        };
    }

    /** int8 or int16 raw values (the input's type) in and out. */
    Kernel ints(IntOp f) {
        if (in.type() == TensorType.INT16) {
            return t -> {
                short[] x = t.int16(i);
                short[] r = (short[]) ConvKernel.newOutput(t, o, out);
                for (int k = 0; k < x.length; k++) {
                    r[k] = (short) f.apply(x[k]);
                }
            };
        }
        return t -> {
            byte[] x = t.int8(i);
            byte[] r = (byte[]) ConvKernel.newOutput(t, o, out);
            for (int k = 0; k < x.length; k++) {
                r[k] = (byte) f.apply(x[k]);
            }
        };
    }
}
