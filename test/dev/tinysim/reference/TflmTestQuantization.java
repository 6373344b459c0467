package dev.tinysim.reference;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * How TensorFlow Lite Micro's kernel tests quantize their float test vectors
 * (tensorflow/lite/micro/test_helpers.cc, micro_utils.h), so that tinysim's tests can run the same cases:
 * {@code round(x / scale) + zero_point} in float, ties away from zero, clamped to the type; symmetric per-channel
 * filters with {@code scale = max|w| / 127}; biases at {@code input_scale * filter_scale} (float product).
 */
final class TflmTestQuantization {

    private TflmTestQuantization() {
    }

    static long quantize(float x, float scale, int zeroPoint, long min, long max) {
        long q = (long) DeterministicMath.roundHalfAway(x / scale) + zeroPoint;
        return Math.max(min, Math.min(max, q));
    }

    static byte[] int8(float[] x, float scale, int zeroPoint) {
        byte[] q = new byte[x.length];
        for (int i = 0; i < x.length; i++) {
            q[i] = (byte) quantize(x[i], scale, zeroPoint, -128, 127);
        }
        return q;
    }

    static short[] int16(float[] x, float scale) {
        short[] q = new short[x.length];
        for (int i = 0; i < x.length; i++) {
            q[i] = (short) quantize(x[i], scale, 0, -32768, 32767);
        }
        return q;
    }

    /** Per-channel symmetric int8 filter along dimension 0 ({@code channels} equal slices); fills {@code scales}. */
    static byte[] perChannelFilter(float[] w, int channels, float[] scales) {
        int per = w.length / channels;
        byte[] q = new byte[w.length];
        for (int c = 0; c < channels; c++) {
            float max = 0;
            for (int i = 0; i < per; i++) {
                max = Math.max(max, Math.abs(w[c * per + i]));
            }
            scales[c] = max / 127f;
            for (int i = 0; i < per; i++) {
                q[c * per + i] = (byte) quantize(w[c * per + i], scales[c], 0, -127, 127);
            }
        }
        return q;
    }

    static long[] bias64(float[] b, float inputScale, float[] filterScales) {
        long[] q = new long[b.length];
        for (int c = 0; c < b.length; c++) {
            q[c] = (long) DeterministicMath.roundHalfAway(b[c] / (inputScale * filterScales[c]));
        }
        return q;
    }

    static int[] bias32(float[] b, float inputScale, float[] filterScales) {
        long[] q = bias64(b, inputScale, filterScales);
        int[] r = new int[q.length];
        for (int c = 0; c < q.length; c++) {
            r[c] = (int) q[c];
        }
        return r;
    }

    static List<Float> list(float[] v) {
        List<Float> l = new ArrayList<>();
        for (float f : v) {
            l.add(f);
        }
        return l;
    }

    static byte[] le(short[] v) {
        ByteBuffer b = ByteBuffer.allocate(2 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asShortBuffer().put(v);
        return b.array();
    }

    static short[] shorts(byte[] bytes) {
        short[] v = new short[bytes.length / 2];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(v);
        return v;
    }

    static short[] shorts(int... v) {
        short[] s = new short[v.length];
        for (int i = 0; i < v.length; i++) {
            s[i] = (short) v[i];
        }
        return s;
    }
}
