package dev.tinysim.quantize;

import dev.tinysim.tflite.BuiltinOperator;
import dev.tinysim.tflite.Operator;

/**
 * AVERAGE_POOL_2D, MAX_POOL_2D, RESHAPE, PAD, RELU6: the output takes the input's scale and zero point (the spec;
 * RELU6: what the int8 kernel assumes); any other input must be an INT32 constant (a shape, the paddings).
 */
final class PassThroughRewriter {
    private PassThroughRewriter() {
    }

    static void rewrite(PostTrainingQuantizer.Conversion c, int index, BuiltinOperator b, Operator op) {
        // the spec: input and output share scale and zero point (RELU6: what the int8 kernel assumes)
        int x = c.requireActivationInput(index, b, op, 0);
        for (int k = 1; k < op.inputs().size(); k++) {
            c.requireInt32Constant(index, b, op, k);
        }
        c.setActivation(op.output(0), c.activation[x]);
    }
}
