package dev.tinysim.reference;

import dev.tinysim.tflite.ActivationFunction;

/** Clamping ranges of fused activations, as TFLite computes them (docs/inference-semantics.md §1). */
record ActivationRange(int min, int max, float minF, float maxF) {

    /** TFLite CalculateActivationRangeQuantized for an int8 output. */
    static ActivationRange int8(ActivationFunction activation, float outputScale, int outputZeroPoint, OpContext c) {
        return quantized(activation, outputScale, outputZeroPoint, -128, 127, c);
    }

    /** TFLite CalculateActivationRangeQuantized for an int16 output. */
    static ActivationRange int16(ActivationFunction activation, float outputScale, int outputZeroPoint, OpContext c) {
        return quantized(activation, outputScale, outputZeroPoint, -32768, 32767, c);
    }

    private static ActivationRange quantized(ActivationFunction activation, float outputScale, int outputZeroPoint,
                                             int qmin, int qmax, OpContext c) {
        return switch (activation) {
            case NONE -> new ActivationRange(qmin, qmax, 0f, 0f);
            case RELU -> new ActivationRange(Math.max(qmin, quantize(0.0f, outputScale, outputZeroPoint, c)), qmax, 0f, 0f);
            case RELU6 -> new ActivationRange(Math.max(qmin, quantize(0.0f, outputScale, outputZeroPoint, c)),
                    Math.min(qmax, quantize(6.0f, outputScale, outputZeroPoint, c)), 0f, 0f);
            case RELU_N1_TO_1 -> new ActivationRange(Math.max(qmin, quantize(-1.0f, outputScale, outputZeroPoint, c)),
                    Math.min(qmax, quantize(1.0f, outputScale, outputZeroPoint, c)), 0f, 0f);
            default -> throw c.fail("fused activation " + activation + " is not supported");
        };
    }

    private static int quantize(float f, float scale, int zeroPoint, OpContext c) {
        float tmp = DeterministicMath.roundHalfAway(f / scale);
        if (!(tmp >= -2147483648f && tmp <= 2147483647f)) {
            throw c.fail("activation bound " + f + " overflows int32 at output scale " + scale);
        }
        return zeroPoint + (int) tmp;
    }

    /** TFLite CalculateActivationRange for a float output. */
    static ActivationRange float32(ActivationFunction activation, OpContext c) {
        return switch (activation) {
            case NONE -> new ActivationRange(0, 0, -Float.MAX_VALUE, Float.MAX_VALUE);
            case RELU -> new ActivationRange(0, 0, 0f, Float.MAX_VALUE);
            case RELU6 -> new ActivationRange(0, 0, 0f, 6f);
            case RELU_N1_TO_1 -> new ActivationRange(0, 0, -1f, 1f);
            default -> throw c.fail("fused activation " + activation + " is not supported");
        };
    }

    int clamp(int v) {
        return v < min ? min : (v > max ? max : v);
    }

    float clamp(float v) {
        return DeterministicMath.clamp(v, minF, maxF);
    }
}
