package dev.tinysim.reference;

import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Values of a subgraph's tensors during one run, as typed Java arrays: {@code byte[]} for INT8, UINT8 and
 * BOOL (0 or 1), {@code short[]} for INT16, {@code int[]} for INT32, {@code long[]} for INT64, {@code float[]}
 * for FLOAT32. Conversion from and to the little-endian byte layout of the .tflite format / the firmware
 * happens only at the boundary.
 */
final class TensorArrays {

    private final Object[] values;

    TensorArrays(int tensorCount) {
        values = new Object[tensorCount];
    }

    boolean has(int index) {
        return values[index] != null;
    }

    void set(int index, Object array) {
        values[index] = array;
    }

    byte[] int8(int index) {
        return (byte[]) values[index];
    }

    float[] f32(int index) {
        return (float[]) values[index];
    }

    int[] i32(int index) {
        return (int[]) values[index];
    }

    short[] int16(int index) {
        return (short[]) values[index];
    }

    long[] i64(int index) {
        return (long[]) values[index];
    }

    Object raw(int index) {
        return values[index];
    }

    static boolean isStorable(TensorType type) {
        return switch (type) {
            case INT8, UINT8, BOOL, INT16, INT32, INT64, FLOAT32 -> true;
            default -> false;
        };
    }

    /** Decodes little-endian bytes of a tensor into its typed array. */
    static Object decode(Tensor tensor, ByteBuffer bytes) {
        ByteBuffer le = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int n = tensor.elementCount();
        return switch (tensor.type()) {
            case INT8, UINT8, BOOL -> {
                byte[] out = new byte[n];
                le.get(out);
                yield out;
            }
            case INT16 -> {
                short[] out = new short[n];
                le.asShortBuffer().get(out);
                yield out;
            }
            case INT64 -> {
                long[] out = new long[n];
                le.asLongBuffer().get(out);
                yield out;
            }
            case FLOAT32 -> {
                float[] out = new float[n];
                le.asFloatBuffer().get(out);
                yield out;
            }
            case INT32 -> {
                int[] out = new int[n];
                le.asIntBuffer().get(out);
                yield out;
            }
            default -> throw new IllegalStateException("type " + tensor.type() + " is not stored");
        };
    }

    /** The NaN an x86 FPU/SSE unit generates (sign set, "QNaN floating-point indefinite"). */
    static final int X86_DEFAULT_NAN = 0xffc00000;
    /** The NaN an Arm FPU generates: what the firmware stores, so what the reference stores too. */
    static final int ARM_DEFAULT_NAN = 0x7fc00000;

    /** Encodes a typed array into little-endian bytes (a generated NaN as the Arm default NaN, as the firmware has it). */
    static byte[] encode(Object array) {
        if (array instanceof byte[] b) {
            return b.clone();
        }
        if (array instanceof float[] f) {
            ByteBuffer out = ByteBuffer.allocate(4 * f.length).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : f) {
                int bits = Float.floatToRawIntBits(v);
                // x86 makes a NaN out of non-NaN operands (0 * inf, inf - inf) as 0xffc00000; the Cortex-M4's FPU and
                // libgcc's soft float make the Arm default NaN 0x7fc00000 (Armv7-M ARM, A2.5.2 "Default NaN").
                // A NaN carried in from an operand keeps its sign and payload on both, so only this pattern differs.
                out.putInt(bits == X86_DEFAULT_NAN ? ARM_DEFAULT_NAN : bits);
            }
            return out.array();
        }
        if (array instanceof int[] i) {
            ByteBuffer out = ByteBuffer.allocate(4 * i.length).order(ByteOrder.LITTLE_ENDIAN);
            out.asIntBuffer().put(i);
            return out.array();
        }
        if (array instanceof short[] h) {
            ByteBuffer out = ByteBuffer.allocate(2 * h.length).order(ByteOrder.LITTLE_ENDIAN);
            out.asShortBuffer().put(h);
            return out.array();
        }
        if (array instanceof long[] l) {
            ByteBuffer out = ByteBuffer.allocate(8 * l.length).order(ByteOrder.LITTLE_ENDIAN);
            out.asLongBuffer().put(l);
            return out.array();
        }
        throw new IllegalStateException("unknown array " + array);
    }

    static Object allocate(Tensor tensor) {
        int n = tensor.elementCount();
        return switch (tensor.type()) {
            case INT8, UINT8, BOOL -> new byte[n];
            case INT16 -> new short[n];
            case INT64 -> new long[n];
            case FLOAT32 -> new float[n];
            case INT32 -> new int[n];
            default -> throw new IllegalStateException("type " + tensor.type() + " is not stored");
        };
    }
}
