package dev.tinysim.reference;

import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;
import dev.tinysim.text.Printable;

/**
 * FULLY_CONNECTED: int8 (per-tensor or per-channel weights), int16 (16x8: per-tensor int8 weights, int64 bias)
 * and float32 (float or hybrid int8 weights).
 */
final class FullyConnectedKernel {

    private FullyConnectedKernel() {
    }

    static Kernel create(OpContext c) {
        c.requireInputs(2, 3);
        BuiltinOptions.FullyConnected o = c.options(BuiltinOptions.FullyConnected.class);
        c.requireSupportedActivation(o.activation());
        if (o.weightsFormat() != 0) {
            throw c.fail("weights_format " + o.weightsFormat() + " (shuffled weights) is not supported");
        }
        Tensor in = c.input(0);
        Tensor filter = c.input(1);
        Tensor out = c.output(0);
        c.requireRank(filter, "weights", 2);
        int outDepth = filter.dim(0);
        int accumDepth = filter.dim(1);
        if (accumDepth <= 0 || in.elementCount() % accumDepth != 0) {
            throw c.fail("input shape " + in.shape() + " is not a multiple of the weights' depth " + accumDepth);
        }
        int batches = in.elementCount() / accumDepth;
        if (out.elementCount() != batches * outDepth) {
            throw c.fail("output shape " + out.shape() + " does not hold " + batches + " x " + outDepth + " values");
        }
        int inIdx = c.inputIndex(0);
        int outIdx = c.outputIndex(0);
        if (in.type() == TensorType.INT16) {
            return int16(c, o, batches, outDepth, accumDepth);
        }
        if (in.type() == TensorType.INT8) {
            c.requireType(filter, "weights", TensorType.INT8);
            c.requireType(out, "output", TensorType.INT8);
            int[] bias = ConvKernel.intBias(c, outDepth);
            byte[] weights = (byte[]) c.constant(1, "weights");
            Requantizer rq;
            int filterOffset;
            if (filter.quantization().isPerChannel()) {
                rq = Requantizer.forConv(c, in, filter, out, outDepth, 0);
                filterOffset = 0;
            } else {
                // TFLite GetQuantizedConvolutionMultipler: the scale product is a float product, then widened.
                float product = c.scale(in, "input") * c.scale(filter, "weights");
                double real = (double) product / (double) c.scale(out, "output");
                rq = Requantizer.uniform(QuantizedMath.quantizeMultiplier(real), outDepth, c.zeroPoint(out, "output"));
                filterOffset = -c.zeroPoint(filter, "weights");
            }
            ActivationRange act = ActivationRange.int8(o.activation(), c.scale(out, "output"), c.zeroPoint(out, "output"), c);
            int inputOffset = -c.zeroPoint(in, "input");
            return t -> {
                byte[] input = t.int8(inIdx);
                byte[] output = (byte[]) ConvKernel.newOutput(t, outIdx, out);
                for (int b = 0; b < batches; b++) {
                    for (int oc = 0; oc < outDepth; oc++) {
                        int acc = 0;
                        for (int d = 0; d < accumDepth; d++) {
                            acc += (weights[oc * accumDepth + d] + filterOffset) * (input[b * accumDepth + d] + inputOffset);
                        }
                        if (bias != null) {
                            acc += bias[oc];
                        }
                        output[b * outDepth + oc] = (byte) act.clamp(rq.apply(acc, oc));
                    }
                }
            };
        }
        c.requireType(in, "input", TensorType.FLOAT32);
        c.requireType(out, "output", TensorType.FLOAT32);
        c.requireType(filter, "weights", TensorType.FLOAT32, TensorType.INT8);
        float[] bias = ConvKernel.floatBias(c, outDepth);
        FloatWeights w = FloatWeights.of(c, filter, outDepth, 0);
        ActivationRange act = ActivationRange.float32(o.activation(), c);
        return t -> {
            float[] input = t.f32(inIdx);
            float[] output = (float[]) ConvKernel.newOutput(t, outIdx, out);
            for (int b = 0; b < batches; b++) {
                for (int oc = 0; oc < outDepth; oc++) {
                    float total = 0.0f;
                    for (int d = 0; d < accumDepth; d++) {
                        total += input[b * accumDepth + d] * w.get(oc * accumDepth + d, oc);
                    }
                    float biasValue = bias != null ? bias[oc] : 0.0f;
                    output[b * outDepth + oc] = act.clamp(total + biasValue);
                }
            }
        };
    }

    /**
     * 16x8 (TFLite Micro's reference_integer_ops::FullyConnected for int16): per-tensor int8 weights with their
     * offset, int16 input and output with zero point 0, int64 accumulator and bias, int64 rescaling.
     */
    private static Kernel int16(OpContext c, BuiltinOptions.FullyConnected o, int batches, int outDepth, int accumDepth) {
        Tensor in = c.input(0);
        Tensor filter = c.input(1);
        Tensor out = c.output(0);
        c.requireType(filter, "weights", TensorType.INT8);
        c.requireType(out, "output", TensorType.INT16);
        float inScale = Int16Quantization.symmetricScale(c, in, "input");
        float outScale = Int16Quantization.symmetricScale(c, out, "output");
        if (filter.quantization().isPerChannel()) {
            throw c.fail("weights '" + Printable.name(filter.name()) + "' are per-channel quantized; TFLite Micro supports per-channel "
                    + "FULLY_CONNECTED weights with int8 activations only");
        }
        long[] bias = (long[]) Int16Convolutions.bias(c, outDepth, TensorType.INT64);
        // GetQuantizedConvolutionMultipler: the scale product in float, then widened.
        float product = inScale * c.scale(filter, "weights");
        QuantizedMath.Multiplier m = QuantizedMath.quantizeMultiplier((double) product / (double) outScale);
        Int16Quantization.requireInt64Rescalable(c, m, "output");
        int filterOffset = -c.zeroPoint(filter, "weights");
        ActivationRange act = ActivationRange.int16(o.activation(), outScale, 0, c);
        byte[] weights = (byte[]) c.constant(1, "weights");
        int inIdx = c.inputIndex(0);
        int outIdx = c.outputIndex(0);
        return t -> {
            short[] input = t.int16(inIdx);
            short[] output = (short[]) ConvKernel.newOutput(t, outIdx, out);
            for (int b = 0; b < batches; b++) {
                for (int oc = 0; oc < outDepth; oc++) {
                    long acc = 0;
                    for (int d = 0; d < accumDepth; d++) {
                        acc += (weights[oc * accumDepth + d] + filterOffset) * input[b * accumDepth + d];
                    }
                    if (bias != null) {
                        acc += bias[oc];
                    }
                    int scaled = QuantizedMath.multiplyByQuantizedMultiplier(acc, m.multiplier(), m.shift());
                    output[b * outDepth + oc] = (short) act.clamp(scaled);
                }
            }
        };
    }
}
