package dev.tinysim.quantize;

import dev.tinysim.tflite.BuiltinOperator;
import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.Operator;
import dev.tinysim.tflite.Quantization;
import dev.tinysim.tflite.TensorType;

import java.util.List;

/**
 * CONCATENATION: the output quantized from its calibrated range; a constant input is quantized to the output's
 * parameters, an activation input with other parameters is requantized to them by a QUANTIZE int8 -> int8 operator
 * (TFLite's ApplyConstraints) that the operator then reads instead ({@code in}: the operator's inputs, updated).
 */
final class ConcatenationRewriter {
    private ConcatenationRewriter() {
    }

    static void rewrite(PostTrainingQuantizer.Conversion c, int index, BuiltinOperator b, Operator op, List<Integer> in) {
        int o = op.output(0);
        c.assignCalibrated(o);
        Quantization target = c.activation[o];
        for (int k = 0; k < op.inputs().size(); k++) {
            int t = op.input(k);
            if (c.model.isConstant(c.graph.tensor(t))) {
                c.setConstant(t, new PostTrainingQuantizer.ConstantData(TensorType.INT8, target,
                        QuantizationMath.quantizeAffine(c.floats(t), target.scaleValue(), target.zeroPointValue())));
                continue;
            }
            c.requireActivationInput(index, b, op, k);
            if (!sameParameters(c.activation[t], target)) {
                // TFLite's ApplyConstraints: requantize this input to the output's parameters
                int r = c.addTensor(c.graph.tensor(t).name() + "_requantized", c.graph.tensor(t), target);
                c.operators.add(new PostTrainingQuantizer.NewOperator(BuiltinOperator.QUANTIZE, 2,
                        new BuiltinOptions.NoFields(BuiltinOptions.QUANTIZE), List.of(t), List.of(r)));
                in.set(k, r);
            }
        }
    }

    private static boolean sameParameters(Quantization a, Quantization b) {
        return a.scaleValue() == b.scaleValue() && a.zeroPointValue() == b.zeroPointValue();
    }
}
