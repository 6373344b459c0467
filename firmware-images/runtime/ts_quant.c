/* Requantization helpers and gemmlowp-style fixed-point functions; see ts_quant.h. */
#include "ts_quant.h"
#include <string.h>

/* ---- rounding, frexp, without libm (identical in the soft- and hard-float builds) ---- */

double ts_round(double x)
{
    if (!(x < 4503599627370496.0 && x > -4503599627370496.0)) {
        return x; /* |x| >= 2^52 is an integer already; NaN stays NaN */
    }
    double t = (double)(int64_t)x; /* truncation toward zero */
    double d = x - t;              /* exact */
    if (d >= 0.5) {
        t += 1.0;
    } else if (d <= -0.5) {
        t -= 1.0;
    }
    return t;
}

float ts_roundf(float x)
{
    if (!(x < 8388608.0f && x > -8388608.0f)) {
        return x; /* |x| >= 2^23 is an integer already; NaN stays NaN */
    }
    float t = (float)(int32_t)x;
    float d = x - t; /* exact */
    if (d >= 0.5f) {
        t += 1.0f;
    } else if (d <= -0.5f) {
        t -= 1.0f;
    }
    return t;
}

/* frexp for finite x: x = m * 2^e, |m| in [0.5, 1) */
static double ts_frexp(double x, int32_t *e)
{
    uint64_t u;
    memcpy(&u, &x, 8);
    int32_t ex = (int32_t)((u >> 52) & 0x7FFu);
    int32_t adjust = 0;
    if (ex == 0) {
        if ((u << 1) == 0) {
            *e = 0;
            return x;
        }
        x *= 18446744073709551616.0; /* 2^64: makes a subnormal normal */
        memcpy(&u, &x, 8);
        ex = (int32_t)((u >> 52) & 0x7FFu);
        adjust = -64;
    }
    *e = ex - 1022 + adjust;
    u = (u & ~(0x7FFull << 52)) | (1022ull << 52);
    memcpy(&x, &u, 8);
    return x;
}

int ts_quantize_multiplier(double m, int32_t *qm, int32_t *shift)
{
    *qm = 0;
    *shift = 0;
    if (m == 0.0) {
        return 0;
    }
    if (!(m > 0.0 && m < 1.0e300)) {
        return -1; /* negative, NaN or infinite */
    }
    int32_t e;
    double q = ts_frexp(m, &e);
    int64_t q_fixed = (int64_t)ts_round(q * 2147483648.0);
    if (q_fixed == (1ll << 31)) {
        q_fixed /= 2;
        e++;
    }
    if (e < -31) {
        e = 0;
        q_fixed = 0;
    }
    if (e > 30) {
        return -1;
    }
    *qm = (int32_t)q_fixed;
    *shift = e;
    return 0;
}

int32_t ts_input_radius(int32_t integer_bits, int32_t left_shift)
{
    /* floor(((1 << ib) - 1) * 2^(31 - ib) / 2^left_shift): exact in integers */
    int64_t v = ((1ll << integer_bits) - 1) << (31 - integer_bits);
    return (int32_t)(v >> left_shift);
}

/* ---- ts_expf: the project's deterministic exponential (docs/inference-semantics.md §7,
 * Java: dev.tinysim.reference.DeterministicMath.expf). Every line is one IEEE float operation
 * in the written order (no FMA: -ffp-contract=off), so the hard-float build, the soft-float
 * build, the x86 host build and Java agree bit for bit. Constants are given by their bits. */
static inline float f_bits(uint32_t u)
{
    float f;
    memcpy(&f, &u, 4);
    return f;
}
static inline float pow2i(int32_t n) /* 2^n for -126 <= n <= 127 */
{
    return f_bits((uint32_t)(n + 127) << 23);
}

float ts_expf(float x)
{
    const float LOG2E = f_bits(0x3fb8aa3bu), LN2_HI = f_bits(0x3f317200u), LN2_LO = f_bits(0x35bfbe8eu);
    const float C2 = f_bits(0x3f000000u), C3 = f_bits(0x3e2aaaabu), C4 = f_bits(0x3d2aaaabu);
    const float C5 = f_bits(0x3c088889u), C6 = f_bits(0x3ab60b61u), C7 = f_bits(0x39500d01u);
    const float HI_LIMIT = f_bits(0x42b17217u), LO_LIMIT = -87.0f;
    if (x != x) {
        return x;
    }
    if (x > HI_LIMIT) {
        return f_bits(0x7f800000u); /* +inf */
    }
    if (x < LO_LIMIT) {
        return 0.0f;
    }
    float k = x * LOG2E;
    int32_t n = (int32_t)(k >= 0.0f ? k + 0.5f : k - 0.5f);
    float nf = (float)n;
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
        return (p * 2.0f) * pow2i(127);
    }
    return p * pow2i(n);
}

/* TFLite reference_ops::Logistic (float) with ts_expf in place of std::exp: the float LOGISTIC
 * operator and the float LSTM's gates (docs/inference-semantics.md §5, LOGISTIC). */
float ts_logisticf(float x)
{
    if (x > 16.619047164916992188f) {
        return 1.0f;
    }
    if (x < -9.0f) {
        return ts_expf(x);
    }
    return 1.0f / (1.0f + ts_expf(-x));
}

/* ---- ts_tanhf: the project's deterministic tanh (docs/inference-semantics.md, "Sequence operators
 * and state", ts_tanhf; Java: DeterministicMath.tanhf). Below 0.625 an odd polynomial x + x*z*P(z), z = x*x, P of degree 5
 * fitted to tanh on [0, 0.625] (weighted least squares, coefficients rounded to float); from
 * 0.625 to 9.1 the identity 1 - 2/(e^(2x) + 1) with ts_expf (no cancellation there: the result
 * is above 0.55); above 9.1, 1 (tanh(9.1) rounds to 1.0f). One IEEE float operation per step. */
float ts_tanhf(float x)
{
    const float T0 = f_bits(0xbeaaaaaau), T1 = f_bits(0x3e088833u), T2 = f_bits(0xbd5cf738u);
    const float T3 = f_bits(0x3cb1c542u), T4 = f_bits(0xbc05f943u), T5 = f_bits(0x3b0c6e6eu);
    if (x != x) {
        return x;
    }
    uint32_t u;
    memcpy(&u, &x, 4);
    const uint32_t sign = u & 0x80000000u;
    const float a = f_bits(u & 0x7fffffffu);
    float r;
    if (a < 0.625f) {
        const float z = a * a;
        float p = T5;
        p = p * z + T4;
        p = p * z + T3;
        p = p * z + T2;
        p = p * z + T1;
        p = p * z + T0;
        r = a + a * (z * p);
    } else if (a < 9.1f) {
        const float e = ts_expf(a + a);
        r = 1.0f - 2.0f / (e + 1.0f);
    } else {
        r = 1.0f;
    }
    memcpy(&u, &r, 4);
    return f_bits(u | sign);
}

/* ---- int16 logistic and tanh: TFLite reference_integer_ops::Logistic / Tanh (int16 overloads),
 * the 256-entry table sigmoid(i/24) in Q0.16 with linear interpolation. */

/* sigmoid_table_uint16 of TFLite's kernels/internal/common.h (the same values as CMSIS-NN's
 * arm_nntables.c): data, not a formula (a few entries are one above round(65536 * sigmoid(i/24))). */
static const uint16_t ts_sigmoid_table[256] = {
    32768, 33451, 34133, 34813, 35493, 36169, 36843, 37513, 38180, 38841, 39498, 40149, 40794, 41432, 42064, 42688,
    43304, 43912, 44511, 45102, 45683, 46255, 46817, 47369, 47911, 48443, 48964, 49475, 49975, 50464, 50942, 51409,
    51865, 52311, 52745, 53169, 53581, 53983, 54374, 54755, 55125, 55485, 55834, 56174, 56503, 56823, 57133, 57433,
    57724, 58007, 58280, 58544, 58800, 59048, 59288, 59519, 59743, 59959, 60168, 60370, 60565, 60753, 60935, 61110,
    61279, 61441, 61599, 61750, 61896, 62036, 62172, 62302, 62428, 62549, 62666, 62778, 62886, 62990, 63090, 63186,
    63279, 63368, 63454, 63536, 63615, 63691, 63765, 63835, 63903, 63968, 64030, 64090, 64148, 64204, 64257, 64308,
    64357, 64405, 64450, 64494, 64536, 64576, 64614, 64652, 64687, 64721, 64754, 64786, 64816, 64845, 64873, 64900,
    64926, 64950, 64974, 64997, 65019, 65039, 65060, 65079, 65097, 65115, 65132, 65149, 65164, 65179, 65194, 65208,
    65221, 65234, 65246, 65258, 65269, 65280, 65291, 65301, 65310, 65319, 65328, 65337, 65345, 65352, 65360, 65367,
    65374, 65381, 65387, 65393, 65399, 65404, 65410, 65415, 65420, 65425, 65429, 65433, 65438, 65442, 65445, 65449,
    65453, 65456, 65459, 65462, 65465, 65468, 65471, 65474, 65476, 65479, 65481, 65483, 65485, 65488, 65489, 65491,
    65493, 65495, 65497, 65498, 65500, 65501, 65503, 65504, 65505, 65507, 65508, 65509, 65510, 65511, 65512, 65513,
    65514, 65515, 65516, 65517, 65517, 65518, 65519, 65520, 65520, 65521, 65522, 65522, 65523, 65523, 65524, 65524,
    65525, 65525, 65526, 65526, 65526, 65527, 65527, 65528, 65528, 65528, 65529, 65529, 65529, 65529, 65530, 65530,
    65530, 65530, 65531, 65531, 65531, 65531, 65531, 65532, 65532, 65532, 65532, 65532, 65532, 65533, 65533, 65533,
    65533, 65533, 65533, 65533, 65533, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65535};

/* The rescaled input (x * multiplier + round) >> left_shift of both functions. Computed in
 * uint32 (wrapping, as Java's int): within the documented preconditions nothing wraps. A zero
 * multiplier is TFLite's "power of two" case: 3 << left_shift, no shift. */
static inline void s16_rescale_params(int32_t *mult, int32_t *shift, int32_t *rounding)
{
    if (*mult == 0) {
        *mult = (int32_t)(3u << *shift);
        *shift = 0;
    }
    *rounding = *shift > 0 ? (int32_t)(1u << (*shift - 1)) : 0;
}

int16_t ts_logistic_s16_one(int16_t x, int32_t mult, int32_t shift, int32_t rounding)
{
    const int32_t v = (int32_t)((uint32_t)x * (uint32_t)mult + (uint32_t)rounding) >> shift;
    const uint32_t av = v < 0 ? 0u - (uint32_t)v : (uint32_t)v;
    const uint32_t uh = av >> 9;
    uint32_t result;
    if (uh >= 255u) {
        result = 0x7FFFu << 10;
    } else {
        const uint32_t ua = ts_sigmoid_table[uh], ub = ts_sigmoid_table[uh + 1];
        result = (ua << 9) + (av & 0x1FFu) * (ub - ua);
    }
    result = v >= 0 ? result + (1u << 9) : (1u << 25) - result + (1u << 9) - 1u;
    return (int16_t)(result >> 10);
}

int16_t ts_tanh_s16_one(int16_t x, int32_t mult, int32_t shift, int32_t rounding)
{
    const int32_t v = (int32_t)((uint32_t)x * (uint32_t)mult + (uint32_t)rounding) >> shift;
    const uint32_t av = v < 0 ? 0u - (uint32_t)v : (uint32_t)v;
    const uint32_t uh = av >> 8;
    int32_t result;
    if (uh >= 255u) {
        result = (int32_t)(0xFFFFu << 8);
    } else {
        const uint32_t ua = ts_sigmoid_table[uh], ub = ts_sigmoid_table[uh + 1];
        result = (int32_t)((ua << 8) + (av & 0xFFu) * (ub - ua));
    }
    result = v >= 0 ? result - (1 << 23) + (1 << 7) : -result + (1 << 23) + (1 << 7) - 1;
    return (int16_t)(result >> 8);
}

void ts_logistic_s16(int32_t input_multiplier, int32_t input_left_shift, int32_t size, const int16_t *input,
                     int16_t *output)
{
    int32_t rounding;
    s16_rescale_params(&input_multiplier, &input_left_shift, &rounding);
    for (int32_t i = 0; i < size; i++) {
        output[i] = ts_logistic_s16_one(input[i], input_multiplier, input_left_shift, rounding);
    }
}

void ts_tanh_s16(int32_t input_multiplier, int32_t input_left_shift, int32_t size, const int16_t *input,
                 int16_t *output)
{
    int32_t rounding;
    s16_rescale_params(&input_multiplier, &input_left_shift, &rounding);
    for (int32_t i = 0; i < size; i++) {
        output[i] = ts_tanh_s16_one(input[i], input_multiplier, input_left_shift, rounding);
    }
}

/* ---- ts_logf: the project's deterministic natural logarithm (docs/inference-semantics.md, "ts_logf",
 * Java: DeterministicMath.logf), used by float LOG_SOFTMAX. x = m * 2^k with m in
 * (sqrt(1/2), sqrt(2)]; log(m) = 2 atanh(s), s = (m - 1) / (m + 1), by its Taylor series up to s^9
 * (the next term is below 2^-28 relative); every line one IEEE float operation. ---- */
float ts_logf(float x)
{
    const float SQRT2 = f_bits(0x3fb504f3u), LN2_HI = f_bits(0x3f317200u), LN2_LO = f_bits(0x35bfbe8eu);
    const float C3 = f_bits(0x3eaaaaabu), C5 = f_bits(0x3e4ccccdu), C7 = f_bits(0x3e124925u);
    const float C9 = f_bits(0x3de38e39u);
    if (x != x) {
        return x;
    }
    if (x < 0.0f) {
        return f_bits(0x7fc00000u); /* the Arm default NaN */
    }
    if (x == 0.0f) {
        return f_bits(0xff800000u); /* -inf */
    }
    if (x > 3.402823466e+38f) {
        return x; /* +inf */
    }
    int32_t k = 0;
    if (x < 1.17549435e-38f) { /* subnormal: scale by 2^23, exactly */
        x = x * 8388608.0f;
        k = -23;
    }
    uint32_t u;
    memcpy(&u, &x, 4);
    k += (int32_t)(u >> 23) - 127;
    float m = f_bits((u & 0x007fffffu) | 0x3f800000u); /* [1, 2) */
    if (m > SQRT2) {
        m = m * 0.5f;
        k = k + 1;
    }
    float f = m - 1.0f; /* exact */
    float s = f / (2.0f + f);
    float z = s * s;
    float p = C9;
    p = p * z + C7;
    p = p * z + C5;
    p = p * z + C3;
    p = p * z + 1.0f;
    float log_m = (s + s) * p;
    float kf = (float)k;
    return kf * LN2_HI + (kf * LN2_LO + log_m);
}

/* ---- correctly rounded square roots without libm (libm's sqrt would also bring errno and its
 * .data): the exact integer square root, bit by bit, of the significand shifted so that the root
 * has one guard bit; a tie is impossible (it would need an odd root of an even radicand) ---- */

/* floor(sqrt(m << p)) for p even, (m << p) < 2^bits (bits even); *sticky = remainder != 0 */
static uint64_t isqrt_shifted(uint64_t m, int32_t p, int32_t bits, int *sticky)
{
    uint64_t q = 0, r = 0;
    for (int32_t i = bits - 2; i >= 0; i -= 2) {
        const uint64_t pair = i >= p ? (m >> (i - p)) & 3u : 0u; /* bits i+1, i of m << p */
        r = (r << 2) | pair;
        const uint64_t t = (q << 2) | 1u;
        q <<= 1;
        if (r >= t) {
            r -= t;
            q |= 1u;
        }
    }
    *sticky = r != 0;
    return q;
}

double ts_sqrt(double x)
{
    uint64_t u;
    memcpy(&u, &x, 8);
    if (x != x || x == 0.0 || x > 1.7976931348623157e308) {
        return x; /* NaN, +-0, +inf */
    }
    if (x < 0.0) {
        u = 0x7ff8000000000000ull;
        memcpy(&x, &u, 8);
        return x;
    }
    int32_t e = (int32_t)(u >> 52);
    uint64_t m = u & 0xfffffffffffffull;
    if (e == 0) { /* subnormal */
        e = 1;
        while (m < (1ull << 52)) {
            m <<= 1;
            e--;
        }
    } else {
        m |= 1ull << 52;
    }
    int32_t k = e - 1075; /* x = m * 2^k, m in [2^52, 2^53) */
    if (k & 1) {
        m <<= 1;
        k -= 1;
    }
    int sticky;
    const uint64_t q = isqrt_shifted(m, 54, 108, &sticky); /* [2^53, 2^54) */
    (void)sticky;
    const uint64_t mant = (q >> 1) + (q & 1u);             /* [2^52, 2^53] */
    const int32_t ex = (k - 54) / 2 + 1;                   /* root = mant * 2^ex */
    const uint64_t bits = ((uint64_t)(ex + 1075) << 52) + mant - (1ull << 52);
    memcpy(&x, &bits, 8);
    return x;
}

float ts_sqrtf(float x)
{
#if defined(__ARM_FP) && (__ARM_FP & 4)
    float r;
    __asm__("vsqrt.f32 %0, %1" : "=t"(r) : "t"(x)); /* IEEE, correctly rounded: the same bits */
    return r;
#else
    uint32_t u;
    memcpy(&u, &x, 4);
    if (x != x || x == 0.0f || x > 3.402823466e+38f) {
        return x;
    }
    if (x < 0.0f) {
        return f_bits(0x7fc00000u); /* what VSQRT gives */
    }
    int32_t e = (int32_t)(u >> 23);
    uint64_t m = u & 0x7fffffu;
    if (e == 0) {
        e = 1;
        while (m < (1u << 23)) {
            m <<= 1;
            e--;
        }
    } else {
        m |= 1u << 23;
    }
    int32_t k = e - 150; /* x = m * 2^k */
    if (k & 1) {
        m <<= 1;
        k -= 1;
    }
    const int32_t p = m >= (1u << 24) ? 24 : 26; /* root in [2^24, 2^25) */
    int sticky;
    const uint64_t q = isqrt_shifted(m, p, 52, &sticky);
    (void)sticky;
    const uint32_t mant = (uint32_t)((q >> 1) + (q & 1u));
    const int32_t ex = (k - p) / 2 + 1;
    return f_bits(((uint32_t)(ex + 150) << 23) + mant - (1u << 23));
#endif
}

int32_t ts_f2i_sat(float x)
{
    if (x != x) {
        return 0;
    }
    if (x >= 2147483648.0f) {
        return INT32_MAX;
    }
    if (x <= -2147483648.0f) {
        return INT32_MIN;
    }
    return (int32_t)x;
}

int ts_logistic_multiplier(double m, int32_t *mult, int32_t *shift)
{
    if (!(m > 0.0 && m < 1.0e300)) {
        return -1;
    }
    int32_t e;
    double q = ts_frexp(m, &e);
    double r = ts_round(q * 2147483648.0);
    *mult = r >= 2147483647.0 ? INT32_MAX : (int32_t)r; /* no 2^31 fix-up: saturating conversion */
    *shift = e;
    return 0;
}

/* ---- gemmlowp fixed point (raw int32 values) ---- */

static inline int32_t add_wrap(int32_t a, int32_t b) { return (int32_t)((uint32_t)a + (uint32_t)b); }
static inline int32_t sub_wrap(int32_t a, int32_t b) { return (int32_t)((uint32_t)a - (uint32_t)b); }

/* SaturatingRoundingMultiplyByPOT<exponent> */
static int32_t srmbpot(int32_t x, int exponent)
{
    if (exponent == 0) {
        return x;
    }
    if (exponent < 0) {
        return ts_rdbp(x, -exponent);
    }
    int32_t threshold = (int32_t)((1u << (31 - exponent)) - 1u);
    if (x > threshold) {
        return INT32_MAX;
    }
    if (x < -threshold) {
        return INT32_MIN;
    }
    return (int32_t)((uint32_t)x << exponent);
}

int32_t ts_fp_rescale(int32_t x, int src_bits, int dst_bits)
{
    return srmbpot(x, src_bits - dst_bits);
}

/* exp(a) for a in [-1/4, 0), Q0.31 */
static int32_t exp_on_interval_between_negative_one_quarter_and_0_excl(int32_t a)
{
    const int32_t constant_term = 1895147668;    /* exp(-1/8) */
    const int32_t constant_1_over_3 = 715827883; /* 1/3 */
    int32_t x = add_wrap(a, 1 << 28);
    int32_t x2 = ts_srdhm(x, x);
    int32_t x3 = ts_srdhm(x2, x);
    int32_t x4 = ts_srdhm(x2, x2);
    int32_t x4_over_4 = ts_rdbp(x4, 2);
    int32_t t = add_wrap(ts_srdhm(add_wrap(x4_over_4, x3), constant_1_over_3), x2);
    int32_t poly = ts_rdbp(t, 1);
    return add_wrap(constant_term, ts_srdhm(constant_term, add_wrap(x, poly)));
}

int32_t ts_fp_exp_on_negative_values(int32_t a, int integer_bits)
{
    const int fractional_bits = 31 - integer_bits;
    const int32_t one_quarter = (int32_t)1 << (fractional_bits - 2);
    const int32_t mask = one_quarter - 1;
    int32_t a_mod_quarter_minus_one_quarter = sub_wrap(a & mask, one_quarter);
    int32_t result = exp_on_interval_between_negative_one_quarter_and_0_excl(
        ts_fp_rescale(a_mod_quarter_minus_one_quarter, integer_bits, 0));
    int32_t remainder = sub_wrap(a_mod_quarter_minus_one_quarter, a);
    static const int32_t multipliers[7] = { 1672461947, 1302514674, 790015084, 290630308,
                                            39332535, 720401, 242 };
    for (int exponent = -2; exponent <= 4; exponent++) {
        if (integer_bits > exponent) {
            int shift = fractional_bits + exponent;
            if ((remainder & (int32_t)(1u << shift)) != 0) {
                result = ts_srdhm(result, multipliers[exponent + 2]);
            }
        }
    }
    if (integer_bits > 5) {
        int32_t clamp = -((int32_t)1 << (36 - integer_bits));
        if (a < clamp) {
            result = 0;
        }
    }
    if (a == 0) {
        result = INT32_MAX;
    }
    return result;
}

/* gemmlowp's Newton-Raphson division shared by one_over_one_plus_x_for_x_in_0_1 and
 * one_minus_x_over_one_plus_x_for_x_in_0_1: 1 / (1 + a) for a in [0, 1) (Q0 in), as Q2.29 */
static int32_t reciprocal_one_plus_x_q2(int32_t a)
{
    /* RoundingHalfSum(a, One) */
    int64_t sum = (int64_t)a + (int64_t)INT32_MAX;
    int64_t sign = sum >= 0 ? 1 : -1;
    int32_t half_denominator = (int32_t)((sum + sign) / 2);
    const int32_t constant_48_over_17 = 1515870810;      /* Q2.29 */
    const int32_t constant_neg_32_over_17 = -1010580540; /* Q2.29 */
    const int32_t one_q2 = 1 << 29;
    int32_t x = add_wrap(constant_48_over_17, ts_srdhm(half_denominator, constant_neg_32_over_17));
    for (int i = 0; i < 3; i++) {
        int32_t half_denominator_times_x = ts_srdhm(half_denominator, x);
        int32_t one_minus = sub_wrap(one_q2, half_denominator_times_x);
        x = add_wrap(x, srmbpot(ts_srdhm(x, one_minus), 2));
    }
    return x;
}

int32_t ts_fp_one_over_one_plus_x_for_x_in_0_1(int32_t a)
{
    return srmbpot(reciprocal_one_plus_x_q2(a), 1); /* Rescale<0>(ExactMulByPot<-1>(x)) */
}

int32_t ts_fp_logistic(int32_t a, int integer_bits)
{
    if (a == 0) {
        return 1 << 30;
    }
    int positive = a > 0;
    int32_t abs_input = positive ? a : sub_wrap(0, a);
    int32_t result_if_positive = ts_fp_one_over_one_plus_x_for_x_in_0_1(
        ts_fp_exp_on_negative_values(sub_wrap(0, abs_input), integer_bits));
    return positive ? result_if_positive : sub_wrap(INT32_MAX, result_if_positive);
}

/* ---- fixed point of the elementwise operators (ts_ops_elementwise.c): TANH, LOG_SOFTMAX,
 * RSQRT, DIV. Same raw-int32 conventions as above. ---- */

int32_t ts_fp_one_minus_x_over_one_plus_x_for_x_in_0_1(int32_t a)
{
    /* Rescale<0>(x - F2::One()) */
    return srmbpot(sub_wrap(reciprocal_one_plus_x_q2(a), 1 << 29), 2);
}

int32_t ts_fp_tanh(int32_t a, int integer_bits)
{
    if (a == 0) {
        return 0;
    }
    /* neg_tanh_on_negative_values(-|a|): ExactMulByPot<1> keeps the raw value, one more integer bit */
    int32_t n = a < 0 ? a : sub_wrap(0, a);
    int32_t t = ts_fp_one_minus_x_over_one_plus_x_for_x_in_0_1(
        ts_fp_exp_on_negative_values(n, integer_bits + 1));
    return a < 0 ? sub_wrap(0, t) : t;
}

static int32_t sat_add64(int64_t v)
{
    return v > INT32_MAX ? INT32_MAX : (v < INT32_MIN ? INT32_MIN : (int32_t)v);
}

static int clz32(uint32_t x) { return x == 0 ? 32 : __builtin_clz(x); }

int32_t ts_fp_log_x_ge_1(int32_t input, int input_bits, int output_bits)
{
    const int accum_bits = output_bits + 1;
    const int32_t log_2 = 1488522236, sqrt_sqrt_half = 1805811301, sqrt_half = 1518500250;
    const int32_t one_quarter = 536870912;
    const int32_t alpha_n = 117049297, alpha_d = 127690142, alpha_i = 1057819769, alpha_f = 638450708;
    const int32_t shifted_quarter = srmbpot(one_quarter, -accum_bits);
    /* the input read as Q0.31; the shifts below find its power of two */
    const int z_a_headroom_plus_1 = clz32((uint32_t)input);
    const int32_t r_a_tmp = srmbpot(input, z_a_headroom_plus_1 - 1);
    const int32_t r_a_raw = srmbpot(ts_srdhm(r_a_tmp, sqrt_half), 1);
    const int32_t z_a_pow_2_adj = sat_add64(
        (int64_t)srmbpot(input_bits - z_a_headroom_plus_1, 31 - accum_bits) + shifted_quarter);
    const int32_t z_b = ts_srdhm(input, sqrt_half);
    const int z_b_headroom = clz32((uint32_t)z_b) - 1;
    const int32_t r_b_raw = srmbpot(input, z_b_headroom);
    const int32_t z_b_pow_2_adj = sat_add64(
        (int64_t)srmbpot(input_bits - z_b_headroom, 31 - accum_bits) - shifted_quarter);
    const int32_t r = r_a_raw < r_b_raw ? r_a_raw : r_b_raw;
    const int32_t z_pow_2_adj = z_a_pow_2_adj > z_b_pow_2_adj ? z_a_pow_2_adj : z_b_pow_2_adj;
    /* RoundingHalfSum(r, sqrt_sqrt_half) */
    const int64_t hs = (int64_t)r + sqrt_sqrt_half;
    const int32_t p = (int32_t)((hs + (hs >= 0 ? 1 : -1)) / 2);
    int32_t q = sub_wrap(r, sqrt_sqrt_half);
    q = add_wrap(q, q);
    const int32_t common_sq = ts_srdhm(q, q);
    const int32_t num = add_wrap(ts_srdhm(q, r), ts_srdhm(ts_srdhm(q, common_sq), alpha_n));
    const int32_t denom_minus_one_0 = add_wrap(
        ts_srdhm(p, add_wrap(add_wrap(alpha_i, q), ts_srdhm(alpha_d, common_sq))), ts_srdhm(alpha_f, q));
    const int32_t recip_denom = ts_fp_one_over_one_plus_x_for_x_in_0_1(denom_minus_one_0);
    const int32_t num_scaled = srmbpot(num, -accum_bits);
    const int32_t sum = add_wrap(ts_srdhm(z_pow_2_adj, log_2), ts_srdhm(num_scaled, recip_denom));
    return srmbpot(sum, accum_bits - output_bits);
}

void ts_inv_sqrt_multiplier(int32_t input, int32_t reverse_shift, int32_t *mult, int32_t *shift)
{
    if (input <= 1) {
        *mult = INT32_MAX;
        *shift = 0;
        return;
    }
    int32_t s = 11;
    while (input >= (1 << 29)) {
        input /= 4;
        s++;
    }
    const uint32_t max_left_shift_bits = (uint32_t)clz32((uint32_t)input) - 1u;
    const uint32_t left_shift_bit_pairs = max_left_shift_bits / 2u - 1u;
    s -= (int32_t)left_shift_bit_pairs;
    input = (int32_t)((uint32_t)input << (2u * left_shift_bit_pairs));
    const int32_t half_input = ts_rdbp(input >> 1, 1); /* F3 */
    const int32_t half_three = (1 << 28) + (1 << 27);  /* 1.5 in F3 */
    int32_t x = 1 << 28;                               /* F3 One */
    for (int i = 0; i < 5; i++) {
        const int32_t x3 = srmbpot(ts_srdhm(ts_srdhm(x, x), x), 6);                           /* F9 -> F3 */
        x = srmbpot(sub_wrap(ts_srdhm(half_three, x), ts_srdhm(half_input, x3)), 3);          /* F6 -> F3 */
    }
    x = ts_srdhm(x, 1518500250); /* * sqrt(2)/2 */
    if (s < 0) {
        x = (int32_t)((uint32_t)x << -s);
        s = 0;
    }
    *mult = x;
    *shift = s * reverse_shift;
}

int32_t ts_rdbp_wide(int32_t x, int32_t e)
{
    if (e <= 31) {
        return ts_rdbp(x, e);
    }
    /* (1ll << e) - 1 truncated to int32 is all ones and ASR by >= 32 leaves the sign: x >> e is 0
     * or -1, the remainder is x, the threshold (-1 >> 1) + (x < 0) */
    return x >= 0 ? 1 : -1;
}

int32_t ts_fp_get_reciprocal(int32_t x, int x_integer_digits, int32_t *num_bits_over_unit)
{
    uint32_t ux = (uint32_t)x;
    int headroom_plus_one = ux == 0 ? 32 : __builtin_clz(ux);
    *num_bits_over_unit = x_integer_digits - headroom_plus_one;
    uint32_t shifted = headroom_plus_one >= 32 ? 0u : (ux << headroom_plus_one);
    int32_t shifted_sum_minus_one = (int32_t)(shifted - (1u << 31));
    return ts_fp_one_over_one_plus_x_for_x_in_0_1(shifted_sum_minus_one);
}
