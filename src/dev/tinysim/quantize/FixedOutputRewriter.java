package dev.tinysim.quantize;

import dev.tinysim.tflite.BuiltinOperator;
import dev.tinysim.tflite.Operator;
import dev.tinysim.tflite.Quantization;

/**
 * SOFTMAX, LOGISTIC: the output has the spec's fixed parameters, scale 1/256 and zero point -128
 * ({@link PostTrainingQuantizer#PROBABILITY_SCALE}), whatever the calibration saw.
 */
final class FixedOutputRewriter {
    private FixedOutputRewriter() {
    }

    static void rewrite(PostTrainingQuantizer.Conversion c, int index, BuiltinOperator b, Operator op) {
        c.requireActivationInput(index, b, op, 0);
        c.setActivation(op.output(0), Quantization.perTensor(PostTrainingQuantizer.PROBABILITY_SCALE,
                PostTrainingQuantizer.PROBABILITY_ZERO_POINT));
    }
}
