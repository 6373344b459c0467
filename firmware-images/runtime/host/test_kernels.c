/* Unit tests of the runtime, native on the host (also built for Cortex-M4 under QEMU, where
 * the SIMD kernels use the real DSP instructions: see ../qemu/).
 *
 *  1. SIMD int8 kernels == reference kernels, bit for bit, on many random shapes/parameters;
 *     float32 and hybrid kernels == a literal TFLite-order oracle, bit for bit
 *  2. fixed-point helpers on known values
 *  3. ts_expf against the C library's expf (accuracy only; bit-exactness is by construction)
 *  4. robustness: every model given on the command line, truncated and with random byte
 *     corruptions, must load or fail with an error code, never crash or hang
 *
 * Prints "N passed, N failed". */
#include <stdint.h>
#include <string.h>
#ifndef TS_BARE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#endif
#include "../ts_elementwise.h"
#include "../ts_kernels.h"
#include "../ts_quant.h"
#include "../ts_runtime.h"

#ifdef TS_BARE
/* the QEMU build supplies these */
void t_print(const char *s);
void t_print_u(uint32_t v);
#else
static void t_print(const char *s) { fputs(s, stdout); }
static void t_print_u(uint32_t v) { printf("%u", v); }
#endif

static uint32_t passed, failed;
static void check(int ok, const char *what, uint32_t num)
{
    if (ok) {
        passed++;
    } else {
        failed++;
        t_print("FAIL ");
        t_print(what);
        t_print(" #");
        t_print_u(num);
        t_print("\n");
    }
}

static uint32_t rng = 12345u;
static uint32_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}
static int32_t rnd_in(int32_t lo, int32_t hi) { return lo + (int32_t)(rnd() % (uint32_t)(hi - lo + 1)); }

#define POOL_BYTES (600u * 1024u)
static uint8_t pool[POOL_BYTES] __attribute__((aligned(16)));
static uint32_t pool_used;
static void *palloc(uint32_t n)
{
    n = (n + 15u) & ~15u;
    if (pool_used + n > POOL_BYTES) {
        return NULL;
    }
    void *p = pool + pool_used;
    pool_used += n;
    return p;
}
static void fill8(int8_t *p, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        p[i] = (int8_t)rnd();
    }
}

static void random_quant(int32_t *mult, int32_t *shift, int32_t n, ts_conv_params *p)
{
    for (int32_t c = 0; c < n; c++) {
        mult[c] = (int32_t)(0x40000000u + (rnd() & 0x3FFFFFFFu));
        shift[c] = rnd_in(-12, 2);
        if (rnd() % 16 == 0) {
            shift[c] = rnd_in(-31, 30); /* the whole range QuantizeMultiplier allows */
        }
        if (rnd() % 32 == 0) {
            mult[c] = 0;                /* a multiplier that underflowed */
        }
    }
    p->in_offset = rnd_in(-127, 128);
    p->out_offset = rnd_in(-128, 127);
    p->act_min = rnd_in(-128, -60);
    p->act_max = rnd_in(40, 127);
}

/* ---- independent oracle: TFLite's reference loops transcribed literally (every tap tested,
 * indices recomputed), with MultiplyByQuantizedMultiplier exactly as the semantics doc writes
 * it (64-bit mask, gemmlowp's truncating division). The runtime's kernels are all checked
 * against these, not only against each other. ---- */
static int32_t o_srdhm(int32_t a, int32_t b)
{
    if (a == b && a == INT32_MIN) {
        return INT32_MAX;
    }
    int64_t ab = (int64_t)a * (int64_t)b;
    int64_t nudge = ab >= 0 ? (1 << 30) : (1 - (1 << 30));
    return (int32_t)((ab + nudge) / (1ll << 31));
}
static int32_t o_rdbp(int32_t x, int e)
{
    int32_t mask = (int32_t)((1ll << e) - 1);
    int32_t remainder = x & mask;
    int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
    return (x >> e) + (remainder > threshold ? 1 : 0);
}
static int32_t o_mbqm(int32_t x, int32_t m, int32_t shift)
{
    int32_t left = shift > 0 ? shift : 0, right = shift > 0 ? 0 : -shift;
    return o_rdbp(o_srdhm((int32_t)((uint32_t)x << left), m), right);
}
static int8_t o_out(int32_t acc, int32_t m, int32_t s, int32_t zp, int32_t lo, int32_t hi)
{
    acc = o_mbqm(acc, m, s) + zp;
    acc = acc < lo ? lo : acc;
    return (int8_t)(acc > hi ? hi : acc);
}

static void oracle_conv(const ts_conv_params *p, const int8_t *in, const int8_t *w, const int32_t *bias, int8_t *out)
{
    const int32_t fic = p->filter_in_c > 0 ? p->filter_in_c : p->in_c;
    const int32_t oc_per_group = p->out_c / (p->in_c / fic);
    for (int32_t b = 0; b < p->batches; b++)
        for (int32_t oy = 0; oy < p->out_h; oy++)
            for (int32_t ox = 0; ox < p->out_w; ox++)
                for (int32_t oc = 0; oc < p->out_c; oc++) {
                    int32_t acc = 0;
                    for (int32_t ky = 0; ky < p->k_h; ky++)
                        for (int32_t kx = 0; kx < p->k_w; kx++)
                            for (int32_t ic = 0; ic < fic; ic++) {
                                int32_t iy = oy * p->stride_h - p->pad_h + p->dil_h * ky;
                                int32_t ix = ox * p->stride_w - p->pad_w + p->dil_w * kx;
                                if (iy < 0 || iy >= p->in_h || ix < 0 || ix >= p->in_w) {
                                    continue;
                                }
                                int32_t iv = in[((b * p->in_h + iy) * p->in_w + ix) * p->in_c + (oc / oc_per_group) * fic + ic];
                                int32_t wv = w[((oc * p->k_h + ky) * p->k_w + kx) * fic + ic];
                                acc += wv * (iv + p->in_offset);
                            }
                    if (bias) {
                        acc += bias[oc];
                    }
                    out[((b * p->out_h + oy) * p->out_w + ox) * p->out_c + oc] =
                        o_out(acc, p->mult[oc], p->shift[oc], p->out_offset, p->act_min, p->act_max);
                }
}

static void oracle_dwconv(const ts_conv_params *p, const int8_t *in, const int8_t *w, const int32_t *bias, int8_t *out)
{
    for (int32_t b = 0; b < p->batches; b++)
        for (int32_t oy = 0; oy < p->out_h; oy++)
            for (int32_t ox = 0; ox < p->out_w; ox++)
                for (int32_t ic = 0; ic < p->in_c; ic++)
                    for (int32_t m = 0; m < p->depth_multiplier; m++) {
                        const int32_t oc = m + ic * p->depth_multiplier;
                        int32_t acc = 0;
                        for (int32_t ky = 0; ky < p->k_h; ky++)
                            for (int32_t kx = 0; kx < p->k_w; kx++) {
                                int32_t iy = oy * p->stride_h - p->pad_h + p->dil_h * ky;
                                int32_t ix = ox * p->stride_w - p->pad_w + p->dil_w * kx;
                                if (iy < 0 || iy >= p->in_h || ix < 0 || ix >= p->in_w) {
                                    continue;
                                }
                                int32_t iv = in[((b * p->in_h + iy) * p->in_w + ix) * p->in_c + ic];
                                int32_t wv = w[(ky * p->k_w + kx) * p->out_c + oc];
                                acc += wv * (iv + p->in_offset);
                            }
                        if (bias) {
                            acc += bias[oc];
                        }
                        out[((b * p->out_h + oy) * p->out_w + ox) * p->out_c + oc] =
                            o_out(acc, p->mult[oc], p->shift[oc], p->out_offset, p->act_min, p->act_max);
                    }
}

static void oracle_fc(const ts_fc_params *p, const int8_t *in, const int8_t *w, const int32_t *bias, int8_t *out)
{
    for (int32_t b = 0; b < p->batches; b++)
        for (int32_t oc = 0; oc < p->out_depth; oc++) {
            int32_t acc = 0;
            for (int32_t d = 0; d < p->in_depth; d++) {
                acc += ((int32_t)w[oc * p->in_depth + d] + p->filter_offset) * ((int32_t)in[b * p->in_depth + d] + p->in_offset);
            }
            if (bias) {
                acc += bias[oc];
            }
            const int32_t ch = p->per_channel ? oc : 0;
            out[b * p->out_depth + oc] = o_out(acc, p->mult[ch], p->shift[ch], p->out_offset, p->act_min, p->act_max);
        }
}

static void test_conv(int depthwise, uint32_t iters)
{
    for (uint32_t it = 0; it < iters; it++) {
        pool_used = 0;
        ts_conv_params p;
        memset(&p, 0, sizeof p);
        p.batches = rnd_in(1, 2);
        p.in_h = rnd_in(1, 12);
        p.in_w = rnd_in(1, 12);
        p.k_h = rnd_in(1, 4);
        p.k_w = rnd_in(1, 4);
        p.stride_h = rnd_in(1, 3);
        p.stride_w = rnd_in(1, 3);
        p.dil_h = rnd_in(1, 2);
        p.dil_w = rnd_in(1, 2);
        if (depthwise) {
            p.in_c = (rnd() & 1) ? 4 * rnd_in(1, 6) : rnd_in(1, 9);
            p.depth_multiplier = (rnd() % 3 == 0) ? rnd_in(2, 3) : 1;
            if (rnd() % 8 == 0) {
                p.in_c = rnd_in(20, 70); /* more than one 64-channel block of the reference kernel */
            }
            if (rnd() % 3 == 0) { /* the 3x3 stride-1 kernel (any channel count) */
                p.k_h = p.k_w = 3;
                p.stride_h = p.stride_w = 1;
                p.dil_h = p.dil_w = 1;
                p.depth_multiplier = 1;
            }
            p.out_c = p.in_c * p.depth_multiplier;
        } else {
            p.in_c = (rnd() & 1) ? 4 * rnd_in(1, 8) : rnd_in(1, 13);
            p.out_c = rnd_in(1, 9);
            p.depth_multiplier = 1;
            p.filter_in_c = p.in_c;
            if (rnd() % 5 == 0) { /* grouped: reference kernel only */
                int32_t groups = rnd_in(2, 3);
                p.filter_in_c = rnd_in(1, 5);
                p.in_c = groups * p.filter_in_c;
                p.out_c = groups * rnd_in(1, 3);
            }
        }
        int same = rnd() & 1;
        int32_t eh = (p.k_h - 1) * p.dil_h + 1, ew = (p.k_w - 1) * p.dil_w + 1;
        if (!same && (eh > p.in_h || ew > p.in_w)) {
            same = 1;
        }
        p.out_h = same ? (p.in_h + p.stride_h - 1) / p.stride_h : (p.in_h - eh + p.stride_h) / p.stride_h;
        p.out_w = same ? (p.in_w + p.stride_w - 1) / p.stride_w : (p.in_w - ew + p.stride_w) / p.stride_w;
        int32_t th = (p.out_h - 1) * p.stride_h + eh - p.in_h, tw = (p.out_w - 1) * p.stride_w + ew - p.in_w;
        p.pad_h = th > 0 ? th / 2 : 0;
        p.pad_w = tw > 0 ? tw / 2 : 0;
        uint32_t n_in = (uint32_t)(p.batches * p.in_h * p.in_w * p.in_c);
        uint32_t n_w = depthwise ? (uint32_t)(p.k_h * p.k_w * p.out_c) : (uint32_t)(p.out_c * p.k_h * p.k_w * p.filter_in_c);
        uint32_t n_out = (uint32_t)(p.batches * p.out_h * p.out_w * p.out_c);
        int8_t *in = palloc(n_in), *w = palloc(n_w), *o1 = palloc(n_out), *o2 = palloc(n_out), *o0 = palloc(n_out);
        int32_t *bias = palloc((uint32_t)p.out_c * 4u), *mult = palloc((uint32_t)p.out_c * 4u), *shift = palloc((uint32_t)p.out_c * 4u);
        void *scratch = palloc((uint32_t)(depthwise ? ts_dwconv_s8_simd_scratch(&p) : ts_conv_s8_simd_scratch(&p)) + 4u);
        if (!in || !w || !o0 || !o1 || !o2 || !bias || !mult || !shift || !scratch) {
            check(0, "pool", it);
            return;
        }
        fill8(in, n_in);
        fill8(w, n_w);
        for (int32_t c = 0; c < p.out_c; c++) {
            bias[c] = rnd_in(-20000, 20000);
        }
        random_quant(mult, shift, p.out_c, &p);
        p.mult = mult;
        p.shift = shift;
        const int32_t *bp = (rnd() % 4 == 0) ? NULL : bias;
        memset(o0, 0x33, n_out);
        memset(o1, 0x55, n_out);
        memset(o2, 0x2A, n_out);
        int simd = 1;
        if (depthwise) {
            oracle_dwconv(&p, in, w, bp, o0);
            ts_dwconv_s8_ref(&p, in, w, bp, o1);
            if (ts_dwconv_s8_simd_ok(&p)) {
                ts_dwconv_s8_simd(&p, in, w, bp, o2, scratch);
            } else {
                simd = 0;
            }
        } else {
            oracle_conv(&p, in, w, bp, o0);
            ts_conv_s8_ref(&p, in, w, bp, o1);
            if (p.filter_in_c == p.in_c) {
                ts_conv_s8_simd(&p, in, w, bp, o2, scratch);
            } else {
                simd = 0;
            }
        }
        check(memcmp(o0, o1, n_out) == 0, depthwise ? "dwconv ref==oracle" : "conv ref==oracle", it);
        if (simd) {
            check(memcmp(o0, o2, n_out) == 0, depthwise ? "dwconv simd==oracle" : "conv simd==oracle", it);
        }
    }
}

static void test_fc(uint32_t iters)
{
    for (uint32_t it = 0; it < iters; it++) {
        pool_used = 0;
        ts_fc_params p;
        memset(&p, 0, sizeof p);
        p.batches = rnd_in(1, 3);
        p.in_depth = rnd_in(1, 300);
        p.out_depth = rnd_in(1, 33);
        p.per_channel = rnd() & 1;
        int32_t n = p.per_channel ? p.out_depth : 1;
        int8_t *in = palloc((uint32_t)(p.batches * p.in_depth)), *w = palloc((uint32_t)(p.in_depth * p.out_depth));
        int8_t *o1 = palloc((uint32_t)(p.batches * p.out_depth)), *o2 = palloc((uint32_t)(p.batches * p.out_depth));
        int8_t *o0 = palloc((uint32_t)(p.batches * p.out_depth));
        int32_t *bias = palloc((uint32_t)p.out_depth * 4u), *mult = palloc((uint32_t)n * 4u), *shift = palloc((uint32_t)n * 4u);
        void *scratch = palloc((uint32_t)ts_fc_s8_simd_scratch(&p));
        fill8(in, (uint32_t)(p.batches * p.in_depth));
        fill8(w, (uint32_t)(p.in_depth * p.out_depth));
        for (int32_t c = 0; c < p.out_depth; c++) {
            bias[c] = rnd_in(-20000, 20000);
        }
        ts_conv_params q;
        random_quant(mult, shift, n, &q);
        p.mult = mult;
        p.shift = shift;
        p.in_offset = q.in_offset;
        p.out_offset = q.out_offset;
        p.act_min = q.act_min;
        p.act_max = q.act_max;
        p.filter_offset = (rnd() % 4 == 0) ? rnd_in(-5, 5) : 0;
        const int32_t *bp = (rnd() % 4 == 0) ? NULL : bias;
        oracle_fc(&p, in, w, bp, o0);
        ts_fc_s8_ref(&p, in, w, bp, o1);
        ts_fc_s8_simd(&p, in, w, bp, o2, scratch);
        check(memcmp(o0, o1, (size_t)(p.batches * p.out_depth)) == 0, "fc ref==oracle", it);
        check(memcmp(o0, o2, (size_t)(p.batches * p.out_depth)) == 0, "fc simd==oracle", it);
    }
}

/* ---- float32 and hybrid kernels against a literal transcription of TFLite's reference_ops
 * loops (every tap tested against the image, weights dequantized inside the MAC loop), bit for
 * bit: the kernels block output channels, skip taps outside the input, dequantize hybrid
 * weights into copies or tables (and, in the soft-float build, skip zero inputs), none of which
 * may change a bit. Inputs include +0, -0, infinities, NaN and extreme scales. */

static float f_from_bits(uint32_t u)
{
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

/* a random float: zeros (many, as after ReLU), rare infinities / NaN, else sign * 2^[-7, 3] */
static float rnd_f32(int specials)
{
    uint32_t r = rnd() % 100u;
    if (r < 30u) {
        return 0.0f;
    }
    if (r < 34u) {
        return f_from_bits(0x80000000u);
    }
    if (specials && r == 34u) {
        return f_from_bits((rnd() & 0x80000000u) | 0x7f800000u); /* ±inf */
    }
    if (specials && r == 35u) {
        return f_from_bits(0x7fc00000u | (rnd() & 0x3fffffu)); /* NaN */
    }
    return f_from_bits((rnd() & 0x80000000u) | ((uint32_t)rnd_in(120, 130) << 23) | (rnd() & 0x7fffffu));
}

/* equal bits, except that any NaN equals any NaN: which NaN payload survives an operation on
 * two NaNs depends on the instruction's operand order, which the compiler picks (x + y is
 * commutative for it), here as in every float kernel; the contract is about finite values */
static int same_f32(const float *a, const float *b, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        uint32_t ua, ub;
        memcpy(&ua, &a[i], 4);
        memcpy(&ub, &b[i], 4);
        const int nan_a = (ua & 0x7fffffffu) > 0x7f800000u, nan_b = (ub & 0x7fffffffu) > 0x7f800000u;
        if (nan_a ? !nan_b : ua != ub) {
            return 0;
        }
    }
    return 1;
}

static float o_act(float x, float lo, float hi)
{
    float y = x < lo ? lo : x;
    return hi < y ? hi : y;
}

static float o_w(const float *w32, const int8_t *w8, const float *ws, int32_t i, int32_t oc)
{
    return w8 ? (float)w8[i] * ws[oc] : w32[i];
}

static void oracle_conv_f32(const ts_conv_params *p, const float *in, const float *w32, const int8_t *w8,
                            const float *bias, float *out)
{
    const int32_t fic = p->filter_in_c, opg = p->out_c / (p->in_c / fic);
    for (int32_t b = 0; b < p->batches; b++)
        for (int32_t oy = 0; oy < p->out_h; oy++)
            for (int32_t ox = 0; ox < p->out_w; ox++)
                for (int32_t oc = 0; oc < p->out_c; oc++) {
                    float total = 0.0f;
                    for (int32_t fy = 0; fy < p->k_h; fy++)
                        for (int32_t fx = 0; fx < p->k_w; fx++)
                            for (int32_t ic = 0; ic < fic; ic++) {
                                const int32_t iy = oy * p->stride_h - p->pad_h + p->dil_h * fy;
                                const int32_t ix = ox * p->stride_w - p->pad_w + p->dil_w * fx;
                                if (iy < 0 || iy >= p->in_h || ix < 0 || ix >= p->in_w) {
                                    continue;
                                }
                                const float x = in[((b * p->in_h + iy) * p->in_w + ix) * p->in_c + (oc / opg) * fic + ic];
                                total += x * o_w(w32, w8, p->wscale, ((oc * p->k_h + fy) * p->k_w + fx) * fic + ic, oc);
                            }
                    out[((b * p->out_h + oy) * p->out_w + ox) * p->out_c + oc] =
                        o_act(total + (bias ? bias[oc] : 0.0f), p->fmin, p->fmax);
                }
}

static void oracle_dwconv_f32(const ts_conv_params *p, const float *in, const float *w32, const int8_t *w8,
                              const float *bias, float *out)
{
    for (int32_t b = 0; b < p->batches; b++)
        for (int32_t oy = 0; oy < p->out_h; oy++)
            for (int32_t ox = 0; ox < p->out_w; ox++)
                for (int32_t ic = 0; ic < p->in_c; ic++)
                    for (int32_t m = 0; m < p->depth_multiplier; m++) {
                        const int32_t oc = m + ic * p->depth_multiplier;
                        float total = 0.0f;
                        for (int32_t fy = 0; fy < p->k_h; fy++)
                            for (int32_t fx = 0; fx < p->k_w; fx++) {
                                const int32_t iy = oy * p->stride_h - p->pad_h + p->dil_h * fy;
                                const int32_t ix = ox * p->stride_w - p->pad_w + p->dil_w * fx;
                                if (iy < 0 || iy >= p->in_h || ix < 0 || ix >= p->in_w) {
                                    continue;
                                }
                                const float x = in[((b * p->in_h + iy) * p->in_w + ix) * p->in_c + ic];
                                total += x * o_w(w32, w8, p->wscale, (fy * p->k_w + fx) * p->out_c + oc, oc);
                            }
                        out[((b * p->out_h + oy) * p->out_w + ox) * p->out_c + oc] =
                            o_act(total + (bias ? bias[oc] : 0.0f), p->fmin, p->fmax);
                    }
}

static void oracle_fc_f32(const ts_fc_params *p, const float *in, const float *w32, const int8_t *w8,
                          const float *bias, float *out)
{
    for (int32_t b = 0; b < p->batches; b++)
        for (int32_t oc = 0; oc < p->out_depth; oc++) {
            float total = 0.0f;
            for (int32_t d = 0; d < p->in_depth; d++) {
                total += in[b * p->in_depth + d] * o_w(w32, w8, p->wscale, oc * p->in_depth + d, oc);
            }
            out[b * p->out_depth + oc] = o_act(total + (bias ? bias[oc] : 0.0f), p->fmin, p->fmax);
        }
}

/* kind 0: CONV_2D, 1: DEPTHWISE_CONV_2D, 2: FULLY_CONNECTED */
static void test_f32(int kind, uint32_t iters)
{
    static const float act_lo[4] = {-3.402823466e+38f, 0.0f, -1.0f, 0.0f};
    static const float act_hi[4] = {3.402823466e+38f, 3.402823466e+38f, 1.0f, 6.0f};
    for (uint32_t it = 0; it < iters; it++) {
        pool_used = 0;
        ts_conv_params p;
        ts_fc_params f;
        memset(&p, 0, sizeof p);
        memset(&f, 0, sizeof f);
        int32_t channels, K, nbmax;
        uint32_t n_in, n_w, n_out;
        if (kind == 2) {
            f.batches = rnd_in(1, 3);
            f.in_depth = (rnd() % 4 == 0) ? rnd_in(200, 400) : rnd_in(1, 80);
            f.out_depth = rnd_in(1, 13);
            channels = f.out_depth;
            K = f.in_depth;
            nbmax = channels < 4 ? channels : 4;
            n_in = (uint32_t)(f.batches * f.in_depth);
            n_w = (uint32_t)(f.out_depth * f.in_depth);
            n_out = (uint32_t)(f.batches * f.out_depth);
        } else {
            p.batches = rnd_in(1, 2);
            p.in_h = rnd_in(1, 9);
            p.in_w = rnd_in(1, 9);
            p.k_h = rnd_in(1, 4);
            p.k_w = rnd_in(1, 4);
            p.stride_h = rnd_in(1, 3);
            p.stride_w = rnd_in(1, 3);
            p.dil_h = rnd_in(1, 2);
            p.dil_w = rnd_in(1, 2);
            if (kind == 1) {
                p.in_c = rnd_in(1, 11);
                p.depth_multiplier = (rnd() % 3 == 0) ? rnd_in(2, 3) : 1;
                p.out_c = p.in_c * p.depth_multiplier;
                p.filter_in_c = 0;
                K = p.k_h * p.k_w;
                nbmax = p.depth_multiplier != 1 ? 1 : (p.out_c < 4 ? p.out_c : 4);
            } else {
                p.in_c = (rnd() % 6 == 0) ? rnd_in(20, 40) : rnd_in(1, 9); /* K > 256: tables */
                p.out_c = rnd_in(1, 10);
                p.filter_in_c = p.in_c;
                if (rnd() % 5 == 0) {
                    int32_t groups = rnd_in(2, 3);
                    p.filter_in_c = rnd_in(1, 5);
                    p.in_c = groups * p.filter_in_c;
                    p.out_c = groups * rnd_in(1, 6);
                }
                p.depth_multiplier = 1;
                K = p.k_h * p.k_w * p.filter_in_c;
                const int32_t opg = p.out_c / (p.in_c / p.filter_in_c);
                nbmax = opg < 4 ? opg : 4;
            }
            channels = p.out_c;
            int same = rnd() & 1;
            int32_t eh = (p.k_h - 1) * p.dil_h + 1, ew = (p.k_w - 1) * p.dil_w + 1;
            if (!same && (eh > p.in_h || ew > p.in_w)) {
                same = 1;
            }
            p.out_h = same ? (p.in_h + p.stride_h - 1) / p.stride_h : (p.in_h - eh + p.stride_h) / p.stride_h;
            p.out_w = same ? (p.in_w + p.stride_w - 1) / p.stride_w : (p.in_w - ew + p.stride_w) / p.stride_w;
            int32_t th = (p.out_h - 1) * p.stride_h + eh - p.in_h, tw = (p.out_w - 1) * p.stride_w + ew - p.in_w;
            p.pad_h = th > 0 ? th / 2 : 0;
            p.pad_w = tw > 0 ? tw / 2 : 0;
            n_in = (uint32_t)(p.batches * p.in_h * p.in_w * p.in_c);
            n_w = (uint32_t)(channels * K);
            n_out = (uint32_t)(p.batches * p.out_h * p.out_w * p.out_c);
        }
        const int hybrid = rnd() & 1, specials = rnd() % 4 == 0;
        float *in = palloc(n_in * 4u), *w32 = palloc(n_w * 4u), *bias = palloc((uint32_t)channels * 4u);
        float *ws = palloc((uint32_t)channels * 4u), *o0 = palloc(n_out * 4u), *o1 = palloc(n_out * 4u);
        int8_t *w8 = palloc(n_w);
        if (!in || !w32 || !bias || !ws || !o0 || !o1 || !w8) {
            check(0, "pool", it);
            return;
        }
        for (uint32_t i = 0; i < n_in; i++) {
            in[i] = rnd_f32(specials);
        }
        for (uint32_t i = 0; i < n_w; i++) {
            w32[i] = rnd_f32(specials && (rnd() & 1));
        }
        fill8(w8, n_w);
        for (int32_t c = 0; c < channels; c++) {
            bias[c] = rnd_f32(specials);
        }
        /* scales: per tensor, per channel, or per channel all equal; rarely huge (q * s = inf) */
        const uint32_t sk = rnd() % 3u;
        for (int32_t c = 0; c < channels; c++) {
            ws[c] = f_from_bits(((uint32_t)rnd_in(115, 125) << 23) | (rnd() & 0x7fffffu));
            if (specials && rnd() % 4 == 0) {
                ws[c] = 3.0e38f;
            }
            if (sk != 1u) {
                ws[c] = ws[0];
            }
        }
        const int32_t uniform = sk != 1u;
        const int32_t a = (int32_t)(rnd() % 4u);
        p.fmin = f.fmin = act_lo[a];
        p.fmax = f.fmax = act_hi[a];
        p.wscale = f.wscale = ws;
        const float *bp = (rnd() % 4 == 0) ? NULL : bias;
        /* hybrid: as prepared, or with the other dequantization forced (any K works either way) */
        uint32_t sbytes = 0;
        if (hybrid) {
            sbytes = kind == 0 ? ts_conv_f32_hybrid_prepare(&p, uniform)
                   : kind == 1 ? ts_dwconv_f32_hybrid_prepare(&p, uniform)
                               : ts_fc_f32_hybrid_prepare(&f, uniform);
            const uint32_t force = rnd() % 3u;
            if (force != 0u) {
                const int32_t shared = force == 2u && uniform && (rnd() & 1);
                const int32_t tables = force == 1u ? 0 : 1;
                p.wtables = f.wtables = tables;
                p.wshared = f.wshared = shared;
                sbytes = tables > 0 ? TS_F32_TABLE_BYTES : (uint32_t)(nbmax * K) * 4u;
            }
        }
        uint8_t *scratch = palloc(sbytes + 64u);
        if (!scratch) {
            check(0, "pool", it);
            return;
        }
        memset(scratch + sbytes, 0xA5, 64);
        memset(o0, 0x11, n_out * 4u);
        memset(o1, 0x77, n_out * 4u);
        const float *wf = hybrid ? NULL : w32;
        const int8_t *wq = hybrid ? w8 : NULL;
        if (kind == 0) {
            oracle_conv_f32(&p, in, wf, wq, bp, o0);
            ts_conv_f32(&p, in, wf, wq, bp, o1, scratch);
        } else if (kind == 1) {
            oracle_dwconv_f32(&p, in, wf, wq, bp, o0);
            ts_dwconv_f32(&p, in, wf, wq, bp, o1, scratch);
        } else {
            oracle_fc_f32(&f, in, wf, wq, bp, o0);
            ts_fc_f32(&f, in, wf, wq, bp, o1, scratch);
        }
        int canary = 1;
        for (uint32_t i = 0; i < 64u; i++) {
            canary &= scratch[sbytes + i] == 0xA5;
        }
        static const char *const names[3][2] = {{"conv f32==oracle", "conv hybrid==oracle"},
                                                {"dwconv f32==oracle", "dwconv hybrid==oracle"},
                                                {"fc f32==oracle", "fc hybrid==oracle"}};
        check(same_f32(o0, o1, n_out), names[kind][hybrid], it);
        check(canary, "f32 scratch bounds", it);
    }
}

/* gemmlowp's SaturatingRoundingDoublingHighMul as written there (truncating division) */
static int32_t srdhm_gemmlowp(int32_t a, int32_t b)
{
    if (a == b && a == INT32_MIN) {
        return INT32_MAX;
    }
    int64_t ab = (int64_t)a * (int64_t)b;
    int64_t nudge = ab >= 0 ? (1 << 30) : (1 - (1 << 30));
    return (int32_t)((ab + nudge) / (1ll << 31));
}

static void test_fixed_point(void)
{
    {
        static const int32_t edge[] = { 0, 1, -1, 2, -2, 3, -3, 1 << 30, -(1 << 30), (1 << 30) + 1, INT32_MAX,
                                        INT32_MIN, INT32_MIN + 1, 46341, -46341, 0x40000001, -0x40000001 };
        uint32_t bad = 0;
        for (uint32_t i = 0; i < sizeof edge / 4; i++) {
            for (uint32_t j = 0; j < sizeof edge / 4; j++) {
                bad += ts_srdhm(edge[i], edge[j]) != srdhm_gemmlowp(edge[i], edge[j]);
            }
        }
        for (uint32_t i = 0; i < 200000; i++) {
            int32_t a = (int32_t)rnd(), b = (int32_t)rnd();
            if (i & 1) {
                a >>= rnd() % 31;
            }
            bad += ts_srdhm(a, b) != srdhm_gemmlowp(a, b);
        }
        check(bad == 0, "srdhm == gemmlowp formula", bad);
    }
    {
        /* ts_mbqm (32-bit mask, branch-free shifts) == the semantics doc's formula */
        static const int32_t xs[] = { 0, 1, -1, 2, -2, 3, -3, 1 << 30, -(1 << 30), INT32_MAX, INT32_MIN,
                                      INT32_MIN + 1, 0x7FFF, -0x8000, 12345678, -12345678 };
        static const int32_t ms[] = { 0, 1, 1 << 30, (1 << 30) + 1, INT32_MAX, INT32_MIN, -1, 0x5A5A5A5A };
        uint32_t bad = 0;
        for (int32_t s = -31; s <= 30; s++) {
            for (uint32_t i = 0; i < sizeof xs / 4; i++) {
                for (uint32_t j = 0; j < sizeof ms / 4; j++) {
                    bad += ts_mbqm(xs[i], ms[j], s) != o_mbqm(xs[i], ms[j], s);
                }
            }
            for (uint32_t i = 0; i < 20000; i++) {
                int32_t x = (int32_t)rnd(), m = (int32_t)rnd();
                if (i & 1) {
                    x >>= rnd() % 31;
                }
                bad += ts_mbqm(x, m, s) != o_mbqm(x, m, s);
                bad += ts_rdbp(x, (int)(i % 32)) != o_rdbp(x, (int)(i % 32));
            }
        }
        check(bad == 0, "mbqm/rdbp == semantics formula", bad);
        /* ts_mbqm_pos (no saturation test) for QuantizeMultiplier's range [0, 2^31) */
        bad = 0;
        for (int32_t s = -31; s <= 30; s++) {
            for (uint32_t i = 0; i < sizeof xs / 4; i++) {
                bad += ts_mbqm_pos(xs[i], INT32_MAX, s) != o_mbqm(xs[i], INT32_MAX, s);
                bad += ts_mbqm_pos(xs[i], 1 << 30, s) != o_mbqm(xs[i], 1 << 30, s);
                bad += ts_mbqm_pos(xs[i], 0, s) != o_mbqm(xs[i], 0, s);
            }
            for (uint32_t i = 0; i < 20000; i++) {
                int32_t x = (int32_t)rnd(), m = (int32_t)(rnd() & 0x7FFFFFFFu);
                if (i & 1) {
                    x >>= rnd() % 31;
                }
                bad += ts_mbqm_pos(x, m, s) != o_mbqm(x, m, s);
            }
        }
        check(bad == 0, "mbqm_pos == semantics formula", bad);
    }
    check(ts_srdhm(INT32_MIN, INT32_MIN) == INT32_MAX, "srdhm saturates", 0);
    check(ts_srdhm(1 << 30, 1 << 30) == 1 << 29, "srdhm 0.5*0.5", 0);
    check(ts_srdhm(-3, 1 << 30) == -1, "srdhm rounds -1.5 away", 0);
    check(ts_rdbp(5, 1) == 3 && ts_rdbp(-5, 1) == -3 && ts_rdbp(4, 1) == 2 && ts_rdbp(-7, 2) == -2, "rdbp", 0);
    int32_t qm, sh;
    check(ts_quantize_multiplier(0.5, &qm, &sh) == 0 && qm == 1 << 30 && sh == 0, "qm 0.5", 0);
    check(ts_quantize_multiplier(1.0, &qm, &sh) == 0 && qm == 1 << 30 && sh == 1, "qm 1.0", 0);
    check(ts_quantize_multiplier(0.0, &qm, &sh) == 0 && qm == 0 && sh == 0, "qm 0", 0);
    check(ts_quantize_multiplier(1e-12, &qm, &sh) == 0 && qm == 0 && sh == 0, "qm tiny flushes", 0);
    check(ts_quantize_multiplier(0.999999999999, &qm, &sh) == 0 && qm == 1 << 30 && sh == 1, "qm rounds up to 2^31", 0);
    check(ts_quantize_multiplier(3.0e9, &qm, &sh) != 0, "qm huge rejected", 0);
    /* exp(0) = 1, exp(-x) decreasing */
    check(ts_fp_exp_on_negative_values(0, 5) == INT32_MAX, "fp exp(0)", 0);
    int32_t prev = INT32_MAX, mono = 1;
    for (int32_t a = -(1 << 26); a > -(31 << 26); a -= (1 << 22)) {
        int32_t e = ts_fp_exp_on_negative_values(a, 5);
        mono &= e <= prev && e >= 0;
        prev = e;
    }
    check(mono, "fp exp monotone", 0);
    check(ts_fp_logistic(0, 4) == 1 << 30, "fp logistic(0)", 0);
    check(ts_roundf(2.5f) == 3.0f && ts_roundf(-2.5f) == -3.0f && ts_roundf(0.49999997f) == 0.0f, "roundf", 0);
}

static void test_expf(void)
{
#ifndef TS_BARE
    uint32_t worst = 0;
    for (int i = -98000; i <= 100000; i++) {
        float x = (float)i * 0.000887f;
        float a = ts_expf(x), b = expf(x);
        uint32_t ua, ub;
        memcpy(&ua, &a, 4);
        memcpy(&ub, &b, 4);
        uint32_t d = ua > ub ? ua - ub : ub - ua;
        worst = d > worst ? d : worst;
    }
    printf("ts_expf: worst difference from libm expf on [-86.9, 88.7]: %u ulp\n", worst);
    check(worst <= 2, "expf within 2 ulp of libm", worst);
    check(ts_expf(-200.0f) == 0.0f && ts_expf(200.0f) > 3.4e38f && ts_expf(0.0f) == 1.0f, "expf limits", 0);
#endif
}

/* ---- robustness against corrupt models (host only) ---- */
#ifndef TS_BARE
uint32_t ts_port_cycles(void) { return 0; }
void ts_port_write(const char *s, size_t len) { (void)s; (void)len; }
int32_t ts_port_input(uint32_t run, void *ptr, uint32_t len) { (void)run; (void)ptr; (void)len; return -1; }
void ts_port_output(uint32_t run, const void *ptr, uint32_t len) { (void)run; (void)ptr; (void)len; }
void ts_port_tensors(void *in, uint32_t in_len, void *out, uint32_t out_len) { (void)in; (void)in_len; (void)out; (void)out_len; }

static ts_ctx fctx;
static uint8_t farena[300u * 1024u] __attribute__((aligned(16)));

static void fuzz_model(const char *path, uint32_t iters)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        check(0, "open model", 0);
        return;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *orig = malloc((size_t)n), *m = aligned_alloc(16, ((size_t)n + 15) & ~(size_t)15);
    if (fread(orig, 1, (size_t)n, f) != (size_t)n) {
        check(0, "read model", 0);
        return;
    }
    fclose(f);
    uint32_t loaded = 0, rejected = 0;
    for (uint32_t it = 0; it < iters; it++) {
        memcpy(m, orig, (size_t)n);
        uint32_t size = (uint32_t)n;
        uint32_t kind = it % 4;
        if (kind == 0) {
            size = rnd() % (uint32_t)n; /* truncated */
        } else {
            uint32_t flips = 1 + rnd() % (kind == 1 ? 2 : 40);
            for (uint32_t k = 0; k < flips; k++) {
                /* bias towards the metadata at the start and end (tables, vtables) */
                uint32_t pos = (rnd() & 1) ? rnd() % (uint32_t)n : (uint32_t)n - 1 - rnd() % ((uint32_t)n < 4096 ? (uint32_t)n : 4096u);
                m[pos] = (kind == 3) ? (uint8_t)(m[pos] ^ (1u << (rnd() % 8))) : (uint8_t)rnd();
            }
        }
        ts_config cfg = { m, size, farena, sizeof farena, (int32_t)(it & 1), 0, NULL };
        int e = ts_load(&fctx, &cfg);
        if (e == 0) {
            loaded++;
            e = ts_invoke(&fctx);
        } else {
            rejected++;
        }
        check(e >= 0 && e < 64, "error code range", it);
    }
    printf("fuzz %s: %u corrupted variants loaded and ran, %u rejected with an error code\n", path, loaded, rejected);
    free(orig);
    free(m);
}
#endif

/* int8 ADD/SUB: the SIMD kernels' 256-entry tables (SMMULR, one-step rounding shift) give exactly the
 * plain TFLite arithmetic, on every one of the 65536 input pairs, for random multipliers, shifts,
 * offsets and activation ranges */
static void test_addsub_tables(uint32_t iters)
{
    const uint32_t n = 65536u;
    uint32_t mark = pool_used;
    int8_t *a = palloc(n), *b = palloc(n), *o_table = palloc(n), *o_plain = palloc(n);
    int32_t *table = palloc(512u * 4u);
    for (uint32_t i = 0; i < n; i++) {
        a[i] = (int8_t)(i & 0xFFu);
        b[i] = (int8_t)(i >> 8);
    }
    for (uint32_t it = 0; it < iters; it++) {
        ts_addsub p;
        memset(&p, 0, sizeof p);
        p.sub = (int32_t)(rnd() & 1u);
        p.left_shift = 20;
        p.in1_offset = rnd_in(-127, 128);
        p.in2_offset = rnd_in(-127, 128);
        p.out_offset = rnd_in(-128, 127);
        /* input multipliers s/(2 max) in (0, 0.5]: shifts <= 0; output shift < 0 (tables) */
        p.m1 = rnd_in(1 << 30, INT32_MAX);
        p.s1 = it % 4 == 0 ? 0 : rnd_in(-12, 0);
        p.m2 = rnd_in(1 << 30, INT32_MAX);
        p.s2 = rnd_in(-12, 0);
        p.mo = rnd_in(1 << 30, INT32_MAX);
        p.so = it % 8 == 0 ? -1 : rnd_in(-31, -1);
        if (it % 3 == 0) {
            p.act_min = -128;
            p.act_max = 127;
        } else {
            p.act_min = rnd_in(-128, 0);
            p.act_max = rnd_in(p.act_min, 127);
        }
        ts_bcast bc;
        memset(&bc, 0, sizeof bc);
        for (int k = 0; k < TS_MAX_RANK; k++) {
            bc.dims[k] = 1;
        }
        bc.dims[TS_MAX_RANK - 1] = (int32_t)n;
        bc.sa[TS_MAX_RANK - 1] = bc.sb[TS_MAX_RANK - 1] = 1;
        bc.n = n;
        ts_op op;
        memset(&op, 0, sizeof op);
        op.scratch[0] = (uint8_t *)table;
        p.table_scratch = 0;
        ts_addsub_eval(&op, &p, &bc, a, b, o_table);
        p.table_scratch = -1;
        ts_addsub_eval(&op, &p, &bc, a, b, o_plain);
        check(memcmp(o_table, o_plain, n) == 0, "add/sub tables == plain arithmetic", it);
    }
    pool_used = mark;
}

/* ts_sqrt / ts_sqrtf (integer square roots, no libm in the firmware) == the C library's correctly
 * rounded sqrt / sqrtf, bit for bit, on powers of two, subnormals and random bit patterns */
static void test_sqrt(void)
{
#ifndef TS_BARE
    uint32_t bad = 0;
    for (uint32_t i = 0; i < 400000u; i++) {
        uint32_t fb = i < 300u ? (i << 23) | (i & 1u) : rnd() & 0x7fffffffu; /* also subnormals, 2^k */
        float f;
        memcpy(&f, &fb, 4);
        float a = ts_sqrtf(f), b = sqrtf(f);
        bad += memcmp(&a, &b, 4) != 0 && !(a != a && b != b);
        uint64_t db = ((uint64_t)rnd() << 32 | rnd()) & 0x7fffffffffffffffull;
        if (i < 2100u) {
            db = (uint64_t)i << 52 | (i & 3u);
        }
        double d;
        memcpy(&d, &db, 8);
        double c = ts_sqrt(d), e = sqrt(d);
        bad += memcmp(&c, &e, 8) != 0 && !(c != c && e != e);
    }
    check(bad == 0, "ts_sqrt/ts_sqrtf == libm, bit for bit", bad);
#endif
    check(ts_sqrt(2.25) == 1.5 && ts_sqrtf(0.25f) == 0.5f && ts_sqrtf(-0.0f) == 0.0f, "sqrt values", 0);
    float neg = ts_sqrtf(-1.0f);
    uint32_t nb;
    memcpy(&nb, &neg, 4);
    check(nb == 0x7fc00000u, "sqrtf(-1) is the default NaN", nb);
}

/* ts_logf: accuracy against the C library (bit-exactness with Java is by construction) */
static void test_logf(void)
{
#ifndef TS_BARE
    uint32_t worst = 0;
    for (int i = 1; i <= 400000; i++) {
        float x = (float)i * 0.00025f; /* (0, 100] */
        float y = ldexpf((float)(i % 977 + 1) / 977.0f, i % 240 - 120);
        float xs[2] = { x, y };
        for (int k = 0; k < 2; k++) {
            float a = ts_logf(xs[k]), r = (float)log((double)xs[k]);
            uint32_t ua, ur;
            memcpy(&ua, &a, 4);
            memcpy(&ur, &r, 4);
            uint32_t d = ((ua ^ ur) >> 31) ? ua + ur : (ua > ur ? ua - ur : ur - ua);
            worst = d > worst ? d : worst;
        }
    }
    printf("ts_logf: worst difference from the correctly rounded log: %u ulp\n", worst);
    check(worst <= 2, "logf within 2 ulp", worst);
#endif
    check(ts_logf(1.0f) == 0.0f, "logf(1)", 0);
    check(ts_logf(0.0f) < -3.4e38f && ts_logf(-1.0f) != ts_logf(-1.0f), "logf(0), logf(-1)", 0);
}

int main(int argc, char **argv)
{
    test_fixed_point();
    test_conv(0, 400);
    test_conv(1, 600);
    test_fc(400);
    test_f32(0, 400);
    test_f32(1, 400);
    test_f32(2, 400);
    test_expf();
    test_addsub_tables(300);
    test_logf();
    test_sqrt();
#ifndef TS_BARE
    for (int i = 1; i < argc; i++) {
        fuzz_model(argv[i], 400);
    }
#else
    (void)argc;
    (void)argv;
#endif
    t_print_u(passed);
    t_print(" passed, ");
    t_print_u(failed);
    t_print(" failed\n");
    return failed != 0;
}
