package dev.tinysim.reference;

/**
 * TFLite's int16 lookup tables (kernels/internal/common.h gen_lut&lt;float, int16_t, int16_t&gt; and
 * lut_lookup_with_interpolation) as int16 SOFTMAX builds them: 512 samples of a function over
 * [inputMin, inputMax] mapped to [-1, 1], each corrected by half the interpolation error at its midpoint,
 * plus the value at inputMax; looked up with 7 bits of linear interpolation. Float arithmetic only;
 * exp is {@link DeterministicMath#expf} where TFLM calls std::exp.
 */
final class Int16Lut {

    static final int SIZE = 513;

    private Int16Lut() {
    }

    @FunctionalInterface
    interface FloatFunction {
        float apply(float x);
    }

    /** exp on [-10, 0] (int16 SOFTMAX's exp table). */
    static short[] exp() {
        return generate(DeterministicMath::expf, -10.0f, 0.0f);
    }

    /** 1 / (1 + x) on [0, 1] (int16 SOFTMAX's reciprocal table). */
    static short[] oneOverOnePlusX() {
        return generate(x -> 1.0f / (1.0f + x), 0.0f, 1.0f);
    }

    static short[] generate(FloatFunction func, float inputMin, float inputMax) {
        final int steps = 512;
        short[] lut = new short[SIZE];
        float step = (inputMax - inputMin) / steps;
        float halfStep = step / 2;
        float outputScalingInv = 65536.0f / 2.0f; // (int16 range + 1) / (output max - output min)
        for (int i = 0; i < steps; i++) {
            float val = func.apply(inputMin + i * step);
            float valMidpoint = func.apply(inputMin + i * step + halfStep);
            float valNext = func.apply(inputMin + (i + 1) * step);
            float sampleVal = DeterministicMath.roundHalfAway(val * outputScalingInv);
            float midpointInterpVal = DeterministicMath.roundHalfAway(
                    (valNext * outputScalingInv + DeterministicMath.roundHalfAway(val * outputScalingInv)) / 2);
            float midpointVal = DeterministicMath.roundHalfAway(valMidpoint * outputScalingInv);
            float midpointErr = midpointInterpVal - midpointVal;
            float bias = DeterministicMath.roundHalfAway(midpointErr / 2);
            lut[i] = (short) DeterministicMath.clamp(sampleVal - bias, -32768.0f, 32767.0f);
        }
        lut[steps] = (short) DeterministicMath.clamp(
                DeterministicMath.roundHalfAway(func.apply(inputMax) * outputScalingInv), -32768.0f, 32767.0f);
        return lut;
    }

    /** lut_lookup_with_interpolation for int16 values and an int16 table. */
    static short lookup(short value, short[] lut) {
        int index = 256 + (value >> 7);
        int offset = value & 0x7f;
        short base = lut[index];
        short slope = (short) (lut[index + 1] - lut[index]);
        int delta = (slope * offset + 64) >> 7;
        return (short) (base + delta);
    }
}
