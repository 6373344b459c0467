package dev.tinysim.tflite;

import java.util.List;

/**
 * Affine quantization parameters of a tensor: {@code real = scale * (q - zero_point)}. One entry per
 * tensor, or one per slice along {@code quantizedDimension} (per-channel). {@code min}/{@code max} are
 * informational (kept for round trips). Lists are never null; {@link #NONE} has them all empty.
 */
public record Quantization(List<Float> scale, List<Long> zeroPoint, int quantizedDimension,
                           List<Float> min, List<Float> max) {

    public static final Quantization NONE = new Quantization(List.of(), List.of(), 0, List.of(), List.of());

    public Quantization {
        scale = List.copyOf(scale);
        zeroPoint = List.copyOf(zeroPoint);
        min = List.copyOf(min);
        max = List.copyOf(max);
    }

    public static Quantization perTensor(float scale, long zeroPoint) {
        return new Quantization(List.of(scale), List.of(zeroPoint), 0, List.of(), List.of());
    }

    /** Per-channel scales along {@code dimension}, all zero points 0 (TFLite's symmetric weight scheme). */
    public static Quantization perChannel(List<Float> scales, int dimension) {
        return new Quantization(scales, scales.stream().map(s -> 0L).toList(), dimension, List.of(), List.of());
    }

    public boolean isQuantized() {
        return !scale.isEmpty();
    }

    public boolean isPerChannel() {
        return scale.size() > 1;
    }

    /** The first (per-tensor) scale. */
    public float scaleValue() {
        if (scale.isEmpty()) {
            throw new IllegalStateException("tensor is not quantized");
        }
        return scale.get(0);
    }

    /** The first (per-tensor) zero point, 0 when none is stored. */
    public int zeroPointValue() {
        return zeroPoint.isEmpty() ? 0 : (int) (long) zeroPoint.get(0);
    }

    public float[] scaleArray() {
        float[] out = new float[scale.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = scale.get(i);
        }
        return out;
    }
}
