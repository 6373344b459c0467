package dev.tinysim.reference;

import dev.tinysim.tflite.Tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Test inputs for a tensor, as the little-endian bytes the interpreter and the firmware take.
 *
 * <ul>
 *   <li>INT8: seeded uniform over [-128, 127]; all-zero means the tensor's zero point (real 0.0);
 *       extremes alternate -128 and 127.</li>
 *   <li>FLOAT32 with quantization parameters (e.g. a float model whose int8 twin is known): uniform over
 *       the real range the int8 encoding covers, {@code scale * ([-128, 127] - zp)}.</li>
 *   <li>FLOAT32 without quantization: uniform over [-1, 1); extremes alternate -1 and 1.</li>
 *   <li>INT32: uniform over [-1000, 1000].</li>
 *   <li>INT16: uniform over [-32768, 32767]; INT64 over [-1000, 1000]; UINT8 over [0, 255]; BOOL 0 or 1.</li>
 * </ul>
 * The same seed always gives the same bytes ({@link SplittableRandom} is specified to be deterministic).
 */
public final class InputGenerator {

    private InputGenerator() {
    }

    /** Seeded random input for one tensor. */
    public static byte[] random(Tensor tensor, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int n = tensor.elementCount();
        return switch (tensor.type()) {
            case INT8 -> {
                byte[] out = new byte[n];
                for (int i = 0; i < n; i++) {
                    out[i] = (byte) rng.nextInt(-128, 128);
                }
                yield out;
            }
            case FLOAT32 -> {
                float lo = floatLow(tensor);
                float hi = floatHigh(tensor);
                float[] v = new float[n];
                for (int i = 0; i < n; i++) {
                    v[i] = lo + (float) rng.nextDouble() * (hi - lo);
                }
                yield floats(v);
            }
            case INT32 -> {
                int[] v = new int[n];
                for (int i = 0; i < n; i++) {
                    v[i] = rng.nextInt(-1000, 1001);
                }
                yield ints(v);
            }
            case INT16 -> {
                ByteBuffer b = ByteBuffer.allocate(2 * n).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < n; i++) {
                    b.putShort((short) rng.nextInt(-32768, 32768));
                }
                yield b.array();
            }
            case INT64 -> {
                ByteBuffer b = ByteBuffer.allocate(8 * n).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < n; i++) {
                    b.putLong(rng.nextInt(-1000, 1001));
                }
                yield b.array();
            }
            case UINT8, BOOL -> {
                byte[] out = new byte[n];
                int bound = tensor.type() == dev.tinysim.tflite.TensorType.BOOL ? 2 : 256;
                for (int i = 0; i < n; i++) {
                    out[i] = (byte) rng.nextInt(bound);
                }
                yield out;
            }
            default -> throw new IllegalArgumentException("no generator for " + tensor.type());
        };
    }

    /**
     * INT8 input drawn uniformly from {@code zero_point +- halfWidth} (clamped to [-128, 127]): real values
     * near 0 rather than over the whole calibrated range. Full-range noise drives some networks (the DS-CNN
     * keyword spotter) far outside the activation ranges they were calibrated for, so their int8 tensors
     * saturate and int8-vs-float comparisons measure that saturation rather than the arithmetic.
     */
    public static byte[] randomAround(Tensor tensor, long seed, int halfWidth) {
        if (tensor.type() != dev.tinysim.tflite.TensorType.INT8) {
            throw new IllegalArgumentException("randomAround is for INT8 tensors, not " + tensor.type());
        }
        SplittableRandom rng = new SplittableRandom(seed);
        int zp = tensor.quantization().zeroPointValue();
        byte[] out = new byte[tensor.elementCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) QuantizedMath.clamp(zp + rng.nextInt(-halfWidth, halfWidth + 1), -128, 127);
        }
        return out;
    }

    /** Input representing real zero: the zero point for INT8, 0.0f for FLOAT32, 0 for INT32. */
    public static byte[] zeros(Tensor tensor) {
        int n = tensor.elementCount();
        return switch (tensor.type()) {
            case INT8 -> {
                byte[] out = new byte[n];
                java.util.Arrays.fill(out, (byte) (tensor.quantization().isQuantized()
                        ? tensor.quantization().zeroPointValue() : 0));
                yield out;
            }
            case FLOAT32 -> floats(new float[n]);
            case INT32 -> ints(new int[n]);
            default -> throw new IllegalArgumentException("no generator for " + tensor.type());
        };
    }

    /** Alternating lowest and highest values of the range {@link #random} draws from. */
    public static byte[] extremes(Tensor tensor) {
        int n = tensor.elementCount();
        return switch (tensor.type()) {
            case INT8 -> {
                byte[] out = new byte[n];
                for (int i = 0; i < n; i++) {
                    out[i] = (byte) (i % 2 == 0 ? -128 : 127);
                }
                yield out;
            }
            case FLOAT32 -> {
                float[] v = new float[n];
                for (int i = 0; i < n; i++) {
                    v[i] = i % 2 == 0 ? floatLow(tensor) : floatHigh(tensor);
                }
                yield floats(v);
            }
            case INT32 -> {
                int[] v = new int[n];
                for (int i = 0; i < n; i++) {
                    v[i] = i % 2 == 0 ? -1000 : 1000;
                }
                yield ints(v);
            }
            default -> throw new IllegalArgumentException("no generator for " + tensor.type());
        };
    }

    /** Seeded random inputs for every input of a subgraph (seed + input index per input). */
    public static List<byte[]> random(List<Tensor> inputs, long seed) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            out.add(random(inputs.get(i), seed * 1_000_003L + i));
        }
        return out;
    }

    private static float floatLow(Tensor t) {
        if (t.quantization().isQuantized()) {
            return t.quantization().scaleValue() * (-128 - t.quantization().zeroPointValue());
        }
        return -1f;
    }

    private static float floatHigh(Tensor t) {
        if (t.quantization().isQuantized()) {
            return t.quantization().scaleValue() * (127 - t.quantization().zeroPointValue());
        }
        return 1f;
    }

    static byte[] floats(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return b.array();
    }

    static byte[] ints(int[] v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(v);
        return b.array();
    }

}
