package dev.tinysim.reference;

import dev.tinysim.tflite.Tensor;

/**
 * Per-output-channel requantization of int32 accumulators: {@code MBQM(acc, mult[c], shift[c]) + zp_out}.
 */
final class Requantizer {

    private final int[] multipliers;
    private final int[] shifts;
    private final int outputZeroPoint;

    private Requantizer(int[] multipliers, int[] shifts, int outputZeroPoint) {
        this.multipliers = multipliers;
        this.shifts = shifts;
        this.outputZeroPoint = outputZeroPoint;
    }

    /**
     * CONV_2D / DEPTHWISE_CONV_2D / per-channel FULLY_CONNECTED (TFLite PopulateConvolutionQuantizationParams):
     * {@code real[c] = (double) s_in * (double) s_filter[c] / (double) s_out}, left to right in double.
     */
    static Requantizer forConv(OpContext c, Tensor in, Tensor filter, Tensor out, int channels, int channelDim) {
        double inScale = c.scale(in, "input");
        double outScale = c.scale(out, "output");
        float[] filterScales = c.channelScales(filter, channels, channelDim);
        int[] m = new int[channels];
        int[] s = new int[channels];
        for (int ch = 0; ch < channels; ch++) {
            QuantizedMath.Multiplier q = QuantizedMath.quantizeMultiplier(inScale * (double) filterScales[ch] / outScale);
            m[ch] = q.multiplier();
            s[ch] = q.shift();
        }
        return new Requantizer(m, s, c.zeroPoint(out, "output"));
    }

    /** A single multiplier for every channel. */
    static Requantizer uniform(QuantizedMath.Multiplier q, int channels, int outputZeroPoint) {
        int[] m = new int[channels];
        int[] s = new int[channels];
        java.util.Arrays.fill(m, q.multiplier());
        java.util.Arrays.fill(s, q.shift());
        return new Requantizer(m, s, outputZeroPoint);
    }

    /** The int64 accumulators of the 16x8 kernels: TFLite's int64 MultiplyByQuantizedMultiplier. */
    int apply64(long acc, int channel) {
        return QuantizedMath.multiplyByQuantizedMultiplier(acc, multipliers[channel], shifts[channel]) + outputZeroPoint;
    }

    /** Rejects a multiplier TFLite's int64 rescaling does not handle (shift above 7). */
    Requantizer requireInt64Rescalable(OpContext c) {
        for (int ch = 0; ch < shifts.length; ch++) {
            Int16Quantization.requireInt64Rescalable(c, new QuantizedMath.Multiplier(multipliers[ch], shifts[ch]),
                    "channel " + ch + " requantization");
        }
        return this;
    }

    int apply(int acc, int channel) {
        return QuantizedMath.multiplyByQuantizedMultiplier(acc, multipliers[channel], shifts[channel]) + outputZeroPoint;
    }
}
