package dev.tinysim.quantize;

import java.util.ArrayList;
import java.util.List;

/**
 * The arithmetic of TFLite's post-training quantizer ({@code tensorflow/lite/tools/optimize/
 * quantization_utils.cc} and {@code PortableSymmetricQuantizeFloats}), in the same float/double
 * precision as the C++ so that scales, zero points and quantized values come out bit for bit the same.
 * See docs/quantization.md for the formulas and the two documented deviations (all-zero ranges).
 */
public final class QuantizationMath {

    public static final int INT8_MIN = -128;
    public static final int INT8_MAX = 127;
    /** Weights use the narrow range [-127, 127] (the spec: symmetric, zero point 0). */
    public static final int WEIGHT_MAX = 127;

    private QuantizationMath() {
    }

    /** Asymmetric per-tensor parameters of an activation: scale, zero point and the range they were made from. */
    public record Affine(float scale, int zeroPoint, float min, float max) {
    }

    /**
     * {@code GetAsymmetricQuantizationParams(min, max, -128, 127)}: the range is widened to contain 0,
     * {@code scale = (max - min) / 255} and the zero point is {@code round(-128 - min / scale)} clamped
     * to [-128, 127], all in float. Deviation: an all-zero range ({@code min == max == 0}, where TFLite
     * would produce scale 0, which no int8 kernel accepts) gets scale 1 and zero point -128.
     */
    public static Affine asymmetric(float min, float max) {
        if (Float.isNaN(min) || Float.isNaN(max) || Float.isInfinite(min) || Float.isInfinite(max)) {
            throw new QuantizationException("cannot quantize the range [" + min + ", " + max + "]");
        }
        float qmin = INT8_MIN;
        float qmax = INT8_MAX;
        min = Math.min(min, 0.0f);
        max = Math.max(max, 0.0f);
        float scale = (max - min) / (qmax - qmin);
        if (scale == 0f) {
            return new Affine(1.0f, INT8_MIN, min, max);
        }
        float zeroPointFromMin = qmin - min / scale;
        int zeroPoint;
        if (zeroPointFromMin < qmin) {
            zeroPoint = INT8_MIN;
        } else if (zeroPointFromMin > qmax) {
            zeroPoint = INT8_MAX;
        } else {
            zeroPoint = (int) roundHalfAway(zeroPointFromMin);
        }
        return new Affine(scale, zeroPoint, min, max);
    }

    /** Quantizes float values with affine parameters (as QUANTIZE does): round half away, add zp, clamp. */
    public static byte[] quantizeAffine(float[] values, float scale, int zeroPoint) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            long q = roundHalfAway(values[i] / scale) + zeroPoint;
            out[i] = (byte) Math.max(INT8_MIN, Math.min(INT8_MAX, q));
        }
        return out;
    }

    /**
     * Symmetric int8 weights: one scale per slice of the quantized {@code dimension}, or a single scale
     * with {@code dimension} -1 (per tensor).
     */
    public record SymmetricWeights(byte[] values, float[] scales, int dimension) {
    }

    /**
     * {@code SymmetricPerChannelQuantization}: per slice {@code c} of dimension {@code dim},
     * {@code half_range = max(|min_c|, |max_c|)}, {@code scale_c = half_range / 127},
     * {@code q = clamp(round(w * (127 / half_range)), -127, 127)} (float arithmetic, round half away).
     * {@code ranges}, when not null, replaces the per-channel min/max taken from the data (TFLite's
     * "min/max already recorded" path, used after a bias adjustment). Deviation: a channel whose
     * weights are all zero gets scale 1 (as TFLite's per-tensor function does) instead of 0, so that its
     * bias survives quantization.
     */
    public static SymmetricWeights symmetricPerChannel(float[] w, int[] shape, int dim, float[][] ranges) {
        float[][] mm = ranges != null ? ranges : perChannelMinMax(w, shape, dim);
        int channels = shape[dim];
        float[] scales = new float[channels];
        float[] inverse = new float[channels];
        float halfScale = WEIGHT_MAX;
        for (int c = 0; c < channels; c++) {
            float halfRange = Math.max(Math.abs(mm[0][c]), Math.abs(mm[1][c]));
            if (halfRange == 0f) {
                scales[c] = 1.0f;
                inverse[c] = 0f;
            } else {
                scales[c] = halfRange / halfScale;
                inverse[c] = halfScale / halfRange;
            }
        }
        int inner = 1;
        for (int d = dim + 1; d < shape.length; d++) {
            inner *= shape[d];
        }
        byte[] q = new byte[w.length];
        for (int i = 0; i < w.length; i++) {
            int c = (i / inner) % channels;
            long v = roundHalfAway(w[i] * inverse[c]);
            q[i] = (byte) Math.max(-WEIGHT_MAX, Math.min(WEIGHT_MAX, v));
        }
        return new SymmetricWeights(q, scales, dim);
    }

    /**
     * {@code PortableSymmetricQuantizeFloats}: one scale for the whole tensor, {@code range / 127};
     * values {@code clamp(round(w * (127 / range)), -127, 127)}; an all-zero tensor gets scale 1.
     * {@code range} is {@code max(|min|, |max|)} of the data unless {@code minMax} is given.
     */
    public static SymmetricWeights symmetricPerTensor(float[] w, float[] minMax) {
        float min;
        float max;
        if (minMax != null) {
            min = minMax[0];
            max = minMax[1];
        } else {
            min = Float.POSITIVE_INFINITY;
            max = Float.NEGATIVE_INFINITY;
            for (float v : w) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        float range = Math.max(Math.abs(min), Math.abs(max));
        byte[] q = new byte[w.length];
        if (range == 0f || w.length == 0) {
            return new SymmetricWeights(q, new float[] {1.0f}, -1);
        }
        float scale = range / WEIGHT_MAX;
        float inverse = WEIGHT_MAX / range;
        for (int i = 0; i < w.length; i++) {
            long v = roundHalfAway(w[i] * inverse);
            q[i] = (byte) Math.max(-WEIGHT_MAX, Math.min(WEIGHT_MAX, v));
        }
        return new SymmetricWeights(q, new float[] {scale}, -1);
    }

    /** Per-channel [min[], max[]] of the data along {@code dim} ({@code FillPerChannelMinMax}). */
    static float[][] perChannelMinMax(float[] w, int[] shape, int dim) {
        int channels = shape[dim];
        int inner = 1;
        for (int d = dim + 1; d < shape.length; d++) {
            inner *= shape[d];
        }
        float[] min = new float[channels];
        float[] max = new float[channels];
        boolean[] seen = new boolean[channels];
        for (int i = 0; i < w.length; i++) {
            int c = (i / inner) % channels;
            float v = w[i];
            if (!seen[c]) {
                min[c] = v;
                max[c] = v;
                seen[c] = true;
            } else if (min[c] > v) {
                min[c] = v;
            } else if (max[c] < v) {
                max[c] = v;
            }
        }
        return new float[][] {min, max};
    }

    /**
     * {@code AdjustWeightsForBiasScale}: if a bias would not fit in the middle half of int32 at scale
     * {@code input_scale * weight_scale}, widen that channel's weight range so that it does. Returns the
     * (possibly widened) per-channel [min[], max[]] ranges, or null when nothing had to change.
     * Per-tensor weights pass one range ({@code minMax.length == 1} channel).
     */
    static float[][] adjustForBias(float[][] minMax, float[] bias, float inputScale) {
        final double kScale = Integer.MAX_VALUE;
        int channels = minMax[0].length;
        float[][] out = {minMax[0].clone(), minMax[1].clone()};
        boolean changed = false;
        if (channels > 1) {
            for (int c = 0; c < channels; c++) {
                float halfRange = Math.max(Math.abs(minMax[0][c]), Math.abs(minMax[1][c]));
                float weightScale = halfRange / (float) WEIGHT_MAX;
                if (Math.abs(bias[c]) >= 0.5 * inputScale * weightScale * kScale) {
                    out[1][c] = (float) (2.0 * Math.abs(bias[c]) / kScale * (WEIGHT_MAX / inputScale));
                    out[0][c] = -out[1][c];
                    changed = true;
                }
            }
        } else {
            float biasHalfRange = 0f;
            for (float b : bias) {
                biasHalfRange = Math.max(biasHalfRange, Math.abs(b));
            }
            float halfRange = Math.max(Math.abs(minMax[0][0]), Math.abs(minMax[1][0]));
            float weightScale = halfRange / (float) WEIGHT_MAX;
            if (biasHalfRange / (float) Integer.MAX_VALUE >= 0.5 * inputScale * weightScale) { // float division, as in C++
                out[0][0] = (float) (2.0 * biasHalfRange / kScale * (-WEIGHT_MAX / inputScale));
                out[1][0] = (float) (2.0 * biasHalfRange / kScale * (WEIGHT_MAX / inputScale));
                changed = true;
            }
        }
        return changed ? out : null;
    }

    /**
     * {@code SymmetricPerChannelBiasQuantize} / {@code SymmetricPerLayerBiasQuantize}: bias scale
     * {@code input_scale * weight_scale[c]} (float product), {@code q = round(b * (float)(1.0 / scale))}
     * saturated to [-INT32_MAX, INT32_MAX].
     */
    public static int[] bias(float[] b, float inputScale, float[] weightScales, float[] biasScalesOut) {
        int[] q = new int[b.length];
        for (int c = 0; c < b.length; c++) {
            float scale = inputScale * weightScales[weightScales.length == 1 ? 0 : c];
            if (biasScalesOut != null) {
                biasScalesOut[weightScales.length == 1 ? 0 : c] = scale;
            }
            float inverse = scale == 0f ? 0f : (float) (1.0 / scale);
            long v = roundHalfAway(b[c] * inverse);
            q[c] = (int) Math.max(-Integer.MAX_VALUE, Math.min(Integer.MAX_VALUE, v));
        }
        return q;
    }

    /** C's roundf: nearest, ties away from zero (float in, exact integer-valued result). */
    static long roundHalfAway(float x) {
        if (Float.isNaN(x)) {
            return 0;
        }
        double r = Math.floor(Math.abs((double) x) + 0.5);
        // |x| + 0.5 in double is exact for every float below 2^52, so floor gives roundf's result
        return (long) (x < 0 ? -r : r);
    }

    static List<Float> boxed(float[] a) {
        List<Float> out = new ArrayList<>(a.length);
        for (float v : a) {
            out.add(v);
        }
        return out;
    }
}
