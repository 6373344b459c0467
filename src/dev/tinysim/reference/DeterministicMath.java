package dev.tinysim.reference;

/**
 * Float helpers whose results the C runtime reproduces bit for bit (docs/inference-semantics.md §7):
 * C++ std::min/std::max semantics, C round(), and our own {@link #expf(float)}.
 */
public final class DeterministicMath {

    private DeterministicMath() {
    }

    static final float LOG2E = Float.intBitsToFloat(0x3fb8aa3b);
    static final float LN2_HI = Float.intBitsToFloat(0x3f317200);
    static final float LN2_LO = Float.intBitsToFloat(0x35bfbe8e);
    static final float C2 = Float.intBitsToFloat(0x3f000000);
    static final float C3 = Float.intBitsToFloat(0x3e2aaaab);
    static final float C4 = Float.intBitsToFloat(0x3d2aaaab);
    static final float C5 = Float.intBitsToFloat(0x3c088889);
    static final float C6 = Float.intBitsToFloat(0x3ab60b61);
    static final float C7 = Float.intBitsToFloat(0x39500d01);
    static final float HI_LIMIT = Float.intBitsToFloat(0x42b17217);
    static final float LO_LIMIT = -87.0f;

    /**
     * Deterministic e^x for float: Cody-Waite range reduction by ln 2 and a degree-7 Taylor polynomial in
     * Horner form, every step one IEEE float operation. Below -87 it returns +0 (true result < 1.7e-38),
     * above 88.7228317 +inf. Must stay identical to the pseudo-code in docs/inference-semantics.md §7.
     */
    public static float expf(float x) {
        if (x != x) {
            return x;
        }
        if (x > HI_LIMIT) {
            return Float.POSITIVE_INFINITY;
        }
        if (x < LO_LIMIT) {
            return 0.0f;
        }
        float k = x * LOG2E;
        int n = (int) (k >= 0.0f ? k + 0.5f : k - 0.5f);
        float nf = (float) n;
        float r = x - nf * LN2_HI;
        r = r - nf * LN2_LO;
        float p = C7;
        p = p * r + C6;
        p = p * r + C5;
        p = p * r + C4;
        p = p * r + C3;
        p = p * r + C2;
        p = p * r + 1.0f;
        p = p * r + 1.0f;
        if (n > 127) {
            return (p * 2.0f) * pow2(127);
        }
        return p * pow2(n);
    }

    /** TFLite reference_ops::Logistic (float) with {@link #expf}. C: {@code ts_logisticf}. */
    public static float logisticf(float x) {
        if (x > 16.619047164916992188f) {
            return 1.0f;
        }
        if (x < -9.0f) {
            return expf(x);
        }
        return 1.0f / (1.0f + expf(-x));
    }

    static final float T0 = Float.intBitsToFloat(0xbeaaaaaa);
    static final float T1 = Float.intBitsToFloat(0x3e088833);
    static final float T2 = Float.intBitsToFloat(0xbd5cf738);
    static final float T3 = Float.intBitsToFloat(0x3cb1c542);
    static final float T4 = Float.intBitsToFloat(0xbc05f943);
    static final float T5 = Float.intBitsToFloat(0x3b0c6e6e);

    /**
     * Deterministic tanh for float (docs/inference-semantics.md, "Sequence operators and state"): below 0.625
     * the odd polynomial {@code a + a*(z*P(z))}, z = a*a, P of degree 5 in Horner form; up to 9.1 {@code 1 - 2/(expf(2a) + 1)};
     * above, 1. The sign is put back at the end (tanh(-0) = -0). At most 1 ulp from the correctly rounded
     * result. Must stay identical to {@code ts_tanhf} in ts_quant.c.
     */
    public static float tanhf(float x) {
        if (x != x) {
            return x;
        }
        float a = Math.abs(x);
        float r;
        if (a < 0.625f) {
            float z = a * a;
            float p = T5;
            p = p * z + T4;
            p = p * z + T3;
            p = p * z + T2;
            p = p * z + T1;
            p = p * z + T0;
            r = a + a * (z * p);
        } else if (a < 9.1f) {
            float e = expf(a + a);
            r = 1.0f - 2.0f / (e + 1.0f);
        } else {
            r = 1.0f;
        }
        return Math.copySign(r, x);
    }

    static final float SQRT2 = Float.intBitsToFloat(0x3fb504f3);
    static final float L3 = Float.intBitsToFloat(0x3eaaaaab);
    static final float L5 = Float.intBitsToFloat(0x3e4ccccd);
    static final float L7 = Float.intBitsToFloat(0x3e124925);
    static final float L9 = Float.intBitsToFloat(0x3de38e39);

    /**
     * Deterministic natural logarithm for float (float LOG_SOFTMAX): x = m * 2^k with m in (sqrt(1/2),
     * sqrt(2)], log(m) = 2 atanh(s), s = (m - 1) / (m + 1), by the Taylor series of atanh up to s^9, every
     * step one IEEE float operation. Negative x gives the Arm default NaN (0x7fc00000), 0 gives -inf. Must
     * stay identical to ts_logf and the pseudo-code in docs/inference-semantics.md ("ts_logf").
     */
    public static float logf(float x) {
        if (x != x) {
            return x;
        }
        if (x < 0.0f) {
            return Float.intBitsToFloat(0x7fc00000);
        }
        if (x == 0.0f) {
            return Float.NEGATIVE_INFINITY;
        }
        if (x == Float.POSITIVE_INFINITY) {
            return x;
        }
        int k = 0;
        if (x < Float.MIN_NORMAL) {
            x = x * 8388608.0f; // 2^23, exact
            k = -23;
        }
        int bits = Float.floatToRawIntBits(x);
        k += (bits >>> 23) - 127;
        float m = Float.intBitsToFloat((bits & 0x007fffff) | 0x3f800000);
        if (m > SQRT2) {
            m = m * 0.5f;
            k = k + 1;
        }
        float f = m - 1.0f;
        float s = f / (2.0f + f);
        float z = s * s;
        float p = L9;
        p = p * z + L7;
        p = p * z + L5;
        p = p * z + L3;
        p = p * z + 1.0f;
        float logM = (s + s) * p;
        float kf = (float) k;
        return kf * LN2_HI + (kf * LN2_LO + logM);
    }

    private static float pow2(int n) {
        return Float.intBitsToFloat((n + 127) << 23);
    }

    /** C++ std::max for floats: {@code (a < b) ? b : a} (keeps a on NaN and on equal signed zeros). */
    public static float cmax(float a, float b) {
        return (a < b) ? b : a;
    }

    /** C++ std::min for floats: {@code (b < a) ? b : a}. */
    public static float cmin(float a, float b) {
        return (b < a) ? b : a;
    }

    /** TFLite ActivationFunctionWithMinMax: {@code min(max(x, lo), hi)} with C++ semantics. */
    public static float clamp(float x, float lo, float hi) {
        return cmin(cmax(x, lo), hi);
    }

    /** C round() for doubles: nearest integer, ties away from zero (Java's Math.round ties toward +inf). */
    public static double roundHalfAway(double x) {
        if (Double.isNaN(x) || Double.isInfinite(x)) {
            return x;
        }
        double a = Math.abs(x);
        double t = Math.floor(a);
        if (a - t >= 0.5) {
            t += 1.0;
        }
        return Math.copySign(t, x);
    }

    /** C roundf(). Exact: the float value, its floor and their difference are all exact in double. */
    public static float roundHalfAway(float x) {
        return (float) roundHalfAway((double) x);
    }
}
