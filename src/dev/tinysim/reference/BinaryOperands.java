package dev.tinysim.reference;

import dev.tinysim.tflite.ActivationFunction;
import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;

import java.util.Arrays;
import java.util.function.Function;

/**
 * The two operands and the output of a broadcasting binary operator (SUB, MAXIMUM, MINIMUM,
 * SQUARED_DIFFERENCE, DIV, PRELU): numpy broadcasting of the input shapes, which must give the output's
 * shape (leading 1s aside, as TFLite's extended shapes), and for each output element the operand
 * elements it reads.
 */
record BinaryOperands(Tensor in1, Tensor in2, Tensor out, int i1, int i2, int o, int[] index1, int[] index2) {

    static BinaryOperands of(OpContext c) {
        c.requireInputs(2, 2);
        Tensor in1 = c.input(0);
        Tensor in2 = c.input(1);
        Tensor out = c.output(0);
        int[] shape = Broadcast.shape(in1.shape(), in2.shape());
        if (shape == null || !Arrays.equals(withoutLeadingOnes(shape), withoutLeadingOnes(out.shapeArray()))) {
            throw c.fail("input shapes " + in1.shape() + " and " + in2.shape() + " do not broadcast to output shape "
                    + out.shape());
        }
        Broadcast bc = Broadcast.of(in1.shape(), in2.shape());
        return new BinaryOperands(in1, in2, out, c.inputIndex(0), c.inputIndex(1), c.outputIndex(0), bc.index1(),
                bc.index2());
    }

    static int[] withoutLeadingOnes(int[] shape) {
        int i = 0;
        while (i < shape.length && shape[i] == 1) {
            i++;
        }
        return Arrays.copyOfRange(shape, i, shape.length);
    }

    /** Both inputs and the output have one type, one of {@code allowed}. */
    TensorType sameType(OpContext c, TensorType... allowed) {
        c.requireType(out, "output", allowed);
        c.requireType(in1, "input 1", out.type());
        c.requireType(in2, "input 2", out.type());
        return out.type();
    }

    int size() {
        return index1.length;
    }

    /** Options, when present, must be the operator's own (fieldless) table, as the runtime checks. */
    static void requireOptionsType(OpContext c, int unionType) {
        int t = c.op.options().unionType();
        if (t != 0 && t != unionType) {
            throw c.fail("expected " + dev.tinysim.tflite.BuiltinOptions.typeName(unionType) + " but the operator has "
                    + c.op.options().unionTypeName());
        }
    }

    /**
     * The fused activation of an operator's options; NONE when the operator has no options table (the
     * runtime reads the defaults then), a failure for options of another type.
     */
    static <T extends BuiltinOptions> ActivationFunction activation(OpContext c, Class<T> type,
                                                                   Function<T, ActivationFunction> field) {
        if (c.op.options().unionType() == 0) {
            return ActivationFunction.NONE;
        }
        ActivationFunction a = field.apply(c.options(type));
        c.requireSupportedActivation(a);
        return a;
    }
}
