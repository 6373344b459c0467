package dev.tinysim.quantize;

import dev.tinysim.tflite.BuiltinOperator;
import dev.tinysim.tflite.Operator;
import dev.tinysim.tflite.TensorType;

/**
 * ADD, MUL, RELU, MEAN: every activation input int8 (INT32 inputs must be constants: MEAN's axes), the output
 * quantized from its calibrated range.
 */
final class CalibratedOutputRewriter {
    private CalibratedOutputRewriter() {
    }

    static void rewrite(PostTrainingQuantizer.Conversion c, int index, BuiltinOperator b, Operator op) {
        for (int k = 0; k < op.inputs().size(); k++) {
            int t = op.input(k);
            if (t >= 0 && c.graph.tensor(t).type() == TensorType.INT32) {
                c.requireInt32Constant(index, b, op, k);
            } else {
                c.requireActivationInput(index, b, op, k);
            }
        }
        c.assignCalibrated(op.output(0));
    }
}
