package dev.tinysim.reference;

import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;

/**
 * Weights of a float operator: either float32 values, or int8 values with per-channel scales (hybrid
 * models), dequantized on the fly as {@code (float) q * scale[channel]} inside the accumulation loop,
 * exactly as the firmware does (no dequantized copy in RAM).
 */
final class FloatWeights {

    private final float[] values;
    private final byte[] quantized;
    private final float[] scales;

    private FloatWeights(float[] values, byte[] quantized, float[] scales) {
        this.values = values;
        this.quantized = quantized;
        this.scales = scales;
    }

    static FloatWeights of(OpContext c, Tensor filter, int channels, int channelDim) {
        if (filter.type() == TensorType.FLOAT32) {
            return new FloatWeights((float[]) c.constant(1, "filter"), null, null);
        }
        float[] scales = c.channelScales(filter, channels, channelDim);
        return new FloatWeights(null, (byte[]) c.constant(1, "filter"), scales);
    }

    /** Weight at flat index {@code i}, which belongs to output channel {@code channel}. */
    float get(int i, int channel) {
        return values != null ? values[i] : (float) quantized[i] * scales[channel];
    }
}
