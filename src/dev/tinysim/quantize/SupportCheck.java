package dev.tinysim.quantize;

import dev.tinysim.tflite.BuiltinOperator;
import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.Metadata;
import dev.tinysim.tflite.ModelBuffer;
import dev.tinysim.tflite.Operator;
import dev.tinysim.tflite.OperatorCode;
import dev.tinysim.tflite.Quantization;
import dev.tinysim.tflite.Subgraph;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;
import dev.tinysim.tflite.TfliteModel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** {@link PostTrainingQuantizer#checkSupported}: the first operator or tensor the quantizer cannot handle, named. */
final class SupportCheck {
    private SupportCheck() {
    }

    /** Throws {@link QuantizationException} naming the first operator or tensor the quantizer cannot handle. */
    static void check(TfliteModel model) {
        if (model.subgraphs().size() != 1) {
            throw new QuantizationException("the model has " + model.subgraphs().size()
                    + " subgraphs; only single-subgraph models can be quantized");
        }
        Subgraph g = model.mainSubgraph();
        for (int i = 0; i < g.operators().size(); i++) {
            Operator op = g.operators().get(i);
            OperatorCode code = model.operatorCode(op);
            BuiltinOperator b = code.builtin().orElse(null);
            if (b == BuiltinOperator.QUANTIZE || b == BuiltinOperator.DEQUANTIZE) {
                throw new QuantizationException("operator " + i + " is " + b + ": the model is already quantized");
            }
            if (b == null || !PostTrainingQuantizer.SUPPORTED.contains(b)) {
                throw new QuantizationException("operator " + i + " is " + code.displayName()
                        + ", which the quantizer does not support (supported: " + PostTrainingQuantizer.SUPPORTED + ")");
            }
            for (int t : op.inputs()) {
                if (t >= 0) {
                    Tensor tensor = g.tensor(t);
                    if (!model.isConstant(tensor) && tensor.type() != TensorType.FLOAT32) {
                        throw new QuantizationException("operator " + i + " (" + b + ") reads tensor " + t + " ('"
                                + dev.tinysim.text.Printable.name(tensor.name()) + "') of type " + tensor.type() + "; a float model has FLOAT32 activations");
                    }
                }
            }
            if (b == BuiltinOperator.CONV_2D || b == BuiltinOperator.DEPTHWISE_CONV_2D || b == BuiltinOperator.FULLY_CONNECTED) {
                for (int k = 1; k <= 2; k++) {
                    int t = op.input(k);
                    if (t < 0 && k == 2) {
                        continue;
                    }
                    if (t < 0 || !model.isConstant(g.tensor(t)) || g.tensor(t).type() != TensorType.FLOAT32) {
                        throw new QuantizationException("operator " + i + " (" + b + "): the " + (k == 1 ? "weights" : "bias")
                                + " must be a FLOAT32 constant" + (t < 0 ? "" : "; tensor " + t + " ('" + dev.tinysim.text.Printable.name(g.tensor(t).name())
                                + "') is " + (model.isConstant(g.tensor(t)) ? "a " + g.tensor(t).type() + " constant" : "computed at run time")));
                    }
                }
            }
            for (int t : op.outputs()) {
                if (g.tensor(t).type() != TensorType.FLOAT32) {
                    throw new QuantizationException("operator " + i + " (" + b + ") writes tensor " + t + " ('"
                            + dev.tinysim.text.Printable.name(g.tensor(t).name()) + "') of type " + g.tensor(t).type() + "; expected FLOAT32");
                }
            }
        }
    }
}
