package dev.tinysim.reference;

import dev.tinysim.tflite.Tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Converts tensor bytes to real values: dequantizes int8 and int16 outputs, decodes the other types. */
public final class TensorValues {

    private TensorValues() {
    }

    /**
     * Real values of a tensor's bytes: {@code scale * (q - zp)} for quantized INT8 and INT16 (per-tensor
     * scale; computed in float as DEQUANTIZE does), the values themselves for FLOAT32, INT32, INT64 (as
     * float), UINT8 and BOOL (0 or 1).
     */
    public static float[] toFloats(Tensor tensor, byte[] bytes) {
        int n = tensor.elementCount();
        float[] out = new float[n];
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        switch (tensor.type()) {
            case INT8 -> {
                float scale = tensor.quantization().isQuantized() ? tensor.quantization().scaleValue() : 1f;
                int zp = tensor.quantization().zeroPointValue();
                for (int i = 0; i < n; i++) {
                    out[i] = (float) (bytes[i] - zp) * scale;
                }
            }
            case INT16 -> {
                float scale = tensor.quantization().isQuantized() ? tensor.quantization().scaleValue() : 1f;
                int zp = tensor.quantization().zeroPointValue();
                for (int i = 0; i < n; i++) {
                    out[i] = (float) (b.getShort(2 * i) - zp) * scale;
                }
            }
            case INT64 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = b.getLong(8 * i);
                }
            }
            case UINT8, BOOL -> {
                for (int i = 0; i < n; i++) {
                    out[i] = bytes[i] & 0xff;
                }
            }
            case FLOAT32 -> b.asFloatBuffer().get(out);
            case INT32 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = b.getInt(4 * i);
                }
            }
            default -> throw new IllegalArgumentException("cannot convert " + tensor.type());
        }
        return out;
    }

    /** Quantizes real values for an INT8 tensor exactly as QUANTIZE does (round half away, clamp). */
    public static byte[] quantize(Tensor tensor, float[] values) {
        float scale = tensor.quantization().scaleValue();
        int zp = tensor.quantization().zeroPointValue();
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            int q = (int) DeterministicMath.roundHalfAway(values[i] / scale) + zp;
            out[i] = (byte) QuantizedMath.clamp(q, -128, 127);
        }
        return out;
    }

    /** Encodes floats as little-endian FLOAT32 tensor bytes. */
    public static byte[] fromFloats(float[] values) {
        return InputGenerator.floats(values);
    }

    /** Index of the largest value (the first one on ties). */
    public static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }
}
