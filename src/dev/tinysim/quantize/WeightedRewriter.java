package dev.tinysim.quantize;

import dev.tinysim.tflite.BuiltinOperator;
import dev.tinysim.tflite.Operator;
import dev.tinysim.tflite.Quantization;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED: weights int8 symmetric, per output channel for the convolutions
 * (dimension 0 / 3; FULLY_CONNECTED per tensor unless {@code --per-channel-fc}), their range widened so that the int32
 * bias fits ({@link QuantizationMath#adjustForBias}); bias int32 with scale input_scale * weight_scale[c] and zero
 * point 0; the output quantized from its calibrated range.
 */
final class WeightedRewriter {
    private WeightedRewriter() {
    }

    /** CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED: weights, bias, calibrated output. */
    static void rewrite(PostTrainingQuantizer.Conversion c, int index, BuiltinOperator b, Operator op) {
        int x = c.requireActivationInput(index, b, op, 0);
        float inputScale = c.activation[x].scaleValue();
        int w = op.input(1);
        Tensor wt = w < 0 ? null : c.graph.tensor(w);
        if (wt == null || !c.model.isConstant(wt) || wt.type() != TensorType.FLOAT32) {
            throw new QuantizationException("operator " + index + " (" + b + "): the weights must be a FLOAT32 constant"
                    + (wt == null ? "" : "; tensor " + w + " ('" + dev.tinysim.text.Printable.name(wt.name()) + "') is " + (c.model.isConstant(wt) ? "a " + wt.type() + " constant" : "computed at run time")));
        }
        int[] shape = wt.shapeArray();
        int dim = switch (b) {
            case CONV_2D -> 0;
            case DEPTHWISE_CONV_2D -> 3;
            default -> c.options.perChannelFullyConnected() ? 0 : -1;
        };
        if (dim >= shape.length) {
            throw new QuantizationException("operator " + index + " (" + b + "): weights of shape "
                    + Arrays.toString(shape) + " have no dimension " + dim);
        }
        float[] weights = c.floats(w);
        int bIndex = op.input(2);
        float[] bias = null;
        if (bIndex >= 0) {
            Tensor bt = c.graph.tensor(bIndex);
            if (!c.model.isConstant(bt) || bt.type() != TensorType.FLOAT32) {
                throw new QuantizationException("operator " + index + " (" + b + "): the bias must be a FLOAT32 constant");
            }
            bias = c.floats(bIndex);
            int channels = dim >= 0 ? shape[dim] : (b == BuiltinOperator.FULLY_CONNECTED ? shape[0] : shape[3]);
            if (bias.length != channels) {
                throw new QuantizationException("operator " + index + " (" + b + "): bias has " + bias.length
                        + " values for " + channels + " output channels");
            }
        }
        QuantizationMath.SymmetricWeights q;
        if (dim >= 0) {
            float[][] ranges = QuantizationMath.perChannelMinMax(weights, shape, dim);
            float[][] adjusted = bias == null ? null : QuantizationMath.adjustForBias(ranges, bias, inputScale);
            q = QuantizationMath.symmetricPerChannel(weights, shape, dim, adjusted != null ? adjusted : ranges);
        } else {
            float min = Float.POSITIVE_INFINITY;
            float max = Float.NEGATIVE_INFINITY;
            for (float v : weights) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            float[][] adjusted = bias == null ? null
                    : QuantizationMath.adjustForBias(new float[][] {{min}, {max}}, bias, inputScale);
            q = QuantizationMath.symmetricPerTensor(weights,
                    adjusted != null ? new float[] {adjusted[0][0], adjusted[1][0]} : new float[] {min, max});
        }
        Quantization wq = q.dimension() >= 0
                ? Quantization.perChannel(QuantizationMath.boxed(q.scales()), q.dimension())
                : Quantization.perTensor(q.scales()[0], 0);
        c.setConstant(w, new PostTrainingQuantizer.ConstantData(TensorType.INT8, wq, q.values()));
        if (bias != null) {
            float[] biasScales = new float[q.scales().length];
            int[] qb = QuantizationMath.bias(bias, inputScale, q.scales(), biasScales);
            Quantization bq = q.dimension() >= 0
                    ? Quantization.perChannel(QuantizationMath.boxed(biasScales), 0)
                    : Quantization.perTensor(biasScales[0], 0);
            ByteBuffer bytes = ByteBuffer.allocate(4 * qb.length).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asIntBuffer().put(qb);
            c.setConstant(bIndex, new PostTrainingQuantizer.ConstantData(TensorType.INT32, bq, bytes.array()));
        }
        c.assignCalibrated(op.output(0));
        c.operators.add(new PostTrainingQuantizer.NewOperator(b, PostTrainingQuantizer.Conversion.int8Version(b, op), op.options(), op.inputs(), op.outputs()));
    }
}
