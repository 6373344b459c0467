/* Unit tests of the 16x8, TRANSPOSE_CONV and BATCH_MATMUL kernels (ts_kernels_s16.c), native on the
 * host: every kernel against a literal transcription of TensorFlow Lite's reference loop
 * (reference_integer_ops::ConvPerChannel / DepthwiseConvPerChannel / FullyConnected for int16,
 * TransposeConv, BatchMatMul), and every SIMD kernel against its reference twin, on random shapes,
 * quantization parameters and extreme values; the int64 MultiplyByQuantizedMultiplier on known values.
 * (On the host the DSP instructions are their portable C models; the firmware runs the real ones, which
 * the differential test checks against the Java reference.) Prints "N passed, N failed". */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../ts_kernels_s16.h"

static uint32_t passed, failed;
static void check(int ok, const char *what, uint32_t num)
{
    if (ok) {
        passed++;
    } else {
        failed++;
        printf("FAIL %s #%u\n", what, num);
    }
}

static uint32_t rng = 777u;
static uint32_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}
static int32_t rnd_in(int32_t lo, int32_t hi) { return lo + (int32_t)(rnd() % (uint32_t)(hi - lo + 1)); }

/* int16 values, a quarter of them at the extremes */
static int16_t rnd16(void)
{
    const uint32_t k = rnd() % 8u;
    return k == 0 ? -32768 : k == 1 ? 32767 : (int16_t)rnd_in(-32768, 32767);
}

/* ---- oracles: TFLite's loops, literally ---- */

static int32_t o_mbqm32(int32_t x, int32_t m, int32_t shift)
{
    return ts_mbqm(x, m, shift); /* checked against the semantics doc by test_kernels.c */
}

static int32_t o_mbqm64(int64_t x, int32_t m, int32_t shift)
{
    const int32_t reduced = m < 0x7FFF0000 ? ((m + (1 << 15)) >> 16) : 0x7FFF;
    const int total_shift = 15 - shift;
    x = (int64_t)((uint64_t)x * (uint64_t)(int64_t)reduced + ((uint64_t)1 << (total_shift - 1)));
    return (int32_t)(x >> total_shift);
}

static int16_t o_clamp(int32_t v, int32_t lo, int32_t hi) { return (int16_t)(v < lo ? lo : v > hi ? hi : v); }

static void oracle_conv16(const ts_conv_params *p, const int16_t *in, const int8_t *w, const void *bias, int acc64,
                          int16_t *out)
{
    const int32_t fic = p->filter_in_c, groups = p->in_c / fic, per_group = p->out_c / groups;
    for (int32_t b = 0; b < p->batches; b++)
        for (int32_t oy = 0; oy < p->out_h; oy++)
            for (int32_t ox = 0; ox < p->out_w; ox++)
                for (int32_t oc = 0; oc < p->out_c; oc++) {
                    const int32_t g = oc / per_group;
                    int64_t a64 = 0;
                    uint32_t a32 = 0;
                    for (int32_t fy = 0; fy < p->k_h; fy++)
                        for (int32_t fx = 0; fx < p->k_w; fx++) {
                            const int32_t iy = oy * p->stride_h - p->pad_h + p->dil_h * fy;
                            const int32_t ix = ox * p->stride_w - p->pad_w + p->dil_w * fx;
                            if (iy < 0 || iy >= p->in_h || ix < 0 || ix >= p->in_w) {
                                continue;
                            }
                            for (int32_t ic = 0; ic < fic; ic++) {
                                const int32_t x = in[((b * p->in_h + iy) * p->in_w + ix) * p->in_c + g * fic + ic];
                                const int32_t f = w[((oc * p->k_h + fy) * p->k_w + fx) * fic + ic];
                                a64 += f * x;
                                a32 += (uint32_t)(f * x);
                            }
                        }
                    int32_t v;
                    if (acc64) {
                        if (bias) {
                            a64 = (int64_t)((uint64_t)a64 + (uint64_t)((const int64_t *)bias)[oc]);
                        }
                        v = o_mbqm64(a64, p->mult[oc], p->shift[oc]);
                    } else {
                        if (bias) {
                            a32 += (uint32_t)((const int32_t *)bias)[oc];
                        }
                        v = o_mbqm32((int32_t)a32, p->mult[oc], p->shift[oc]);
                    }
                    out[((b * p->out_h + oy) * p->out_w + ox) * p->out_c + oc] = o_clamp(v, p->act_min, p->act_max);
                }
}

static void oracle_dwconv16(const ts_conv_params *p, const int16_t *in, const int8_t *w, const int64_t *bias, int16_t *out)
{
    for (int32_t b = 0; b < p->batches; b++)
        for (int32_t oy = 0; oy < p->out_h; oy++)
            for (int32_t ox = 0; ox < p->out_w; ox++)
                for (int32_t ic = 0; ic < p->in_c; ic++)
                    for (int32_t m = 0; m < p->depth_multiplier; m++) {
                        const int32_t oc = m + ic * p->depth_multiplier;
                        int64_t acc = 0;
                        for (int32_t fy = 0; fy < p->k_h; fy++)
                            for (int32_t fx = 0; fx < p->k_w; fx++) {
                                const int32_t iy = oy * p->stride_h - p->pad_h + p->dil_h * fy;
                                const int32_t ix = ox * p->stride_w - p->pad_w + p->dil_w * fx;
                                if (iy >= 0 && iy < p->in_h && ix >= 0 && ix < p->in_w) {
                                    acc += (int64_t)w[(fy * p->k_w + fx) * p->out_c + oc] *
                                           in[((b * p->in_h + iy) * p->in_w + ix) * p->in_c + ic];
                                }
                            }
                        if (bias) {
                            acc += bias[oc];
                        }
                        out[((b * p->out_h + oy) * p->out_w + ox) * p->out_c + oc] =
                            o_clamp(o_mbqm64(acc, p->mult[oc], p->shift[oc]), p->act_min, p->act_max);
                    }
}

static void oracle_fc16(const ts_fc_params *p, const int16_t *in, const int8_t *w, const int64_t *bias, int16_t *out)
{
    for (int32_t b = 0; b < p->batches; b++)
        for (int32_t oc = 0; oc < p->out_depth; oc++) {
            int64_t acc = 0;
            for (int32_t d = 0; d < p->in_depth; d++) {
                acc += (w[oc * p->in_depth + d] + p->filter_offset) * in[b * p->in_depth + d];
            }
            if (bias) {
                acc += bias[oc];
            }
            out[b * p->out_depth + oc] = o_clamp(o_mbqm64(acc, p->mult[0], p->shift[0]), p->act_min, p->act_max);
        }
}

/* random requantization: multipliers in [2^30, 2^31), shifts in [lo, hi] */
static void rnd_quant(int32_t *mult, int32_t *shift, int32_t n, int32_t lo, int32_t hi)
{
    for (int32_t c = 0; c < n; c++) {
        mult[c] = (int32_t)((1u << 30) + (rnd() >> 2));
        shift[c] = rnd_in(lo, hi);
    }
}

#define MAXN 20000
static int16_t in16[MAXN], out_a[MAXN], out_b[MAXN], out_c[MAXN];
static int8_t w8[MAXN], in8[MAXN], o8a[MAXN], o8b[MAXN], o8c[MAXN];
static int64_t b64[512];
static int32_t b32[512], mult[512], shift[512];
static int64_t scratch64[MAXN];
static int32_t scratch32[MAXN];
static float f_in[MAXN], f_w[MAXN], f_a[MAXN], f_b[MAXN], f_bias[512];

static int32_t out_size(int same, int32_t in, int32_t k, int32_t s, int32_t d, int32_t *pad)
{
    const int32_t eff = (k - 1) * d + 1;
    const int32_t o = same ? (in + s - 1) / s : (in + s - eff) / s;
    const int32_t total = (o - 1) * s + eff - in;
    *pad = total > 0 ? total / 2 : 0;
    return o;
}

static void test_conv16(uint32_t iters)
{
    for (uint32_t it = 0; it < iters; it++) {
        ts_conv_params p;
        memset(&p, 0, sizeof p);
        const int depthwise = it % 3 == 2;
        p.batches = rnd_in(1, 2);
        p.in_h = rnd_in(1, 8);
        p.in_w = rnd_in(1, 8);
        p.in_c = rnd_in(1, 12);
        p.k_h = rnd_in(1, 3);
        p.k_w = rnd_in(1, 3);
        p.stride_h = rnd_in(1, 2);
        p.stride_w = rnd_in(1, 2);
        p.dil_h = rnd_in(1, 2);
        p.dil_w = rnd_in(1, 2);
        if (!depthwise && it % 20 == 1) { /* long fields: the SIMD kernel's int32 chunks of 508 products */
            p.in_h = rnd_in(1, 4);
            p.in_w = rnd_in(1, 4);
            p.in_c = rnd_in(57, 130);
            p.k_h = p.k_w = 3;
            p.dil_h = p.dil_w = 1;
        }
        if (depthwise && it % 60 == 2) { /* more than 511 taps: the kernel's int64 accumulation */
            p.in_h = p.in_w = 24;
            p.k_h = p.k_w = 23;
            p.in_c = 2;
            p.dil_h = p.dil_w = 1;
        }
        const int same = (int)(rnd() & 1u) || (p.k_h - 1) * p.dil_h >= p.in_h || (p.k_w - 1) * p.dil_w >= p.in_w;
        p.out_h = out_size(same, p.in_h, p.k_h, p.stride_h, p.dil_h, &p.pad_h);
        p.out_w = out_size(same, p.in_w, p.k_w, p.stride_w, p.dil_w, &p.pad_w);
        int32_t groups = (!depthwise && p.in_c % 2 == 0 && rnd() % 4 == 0) ? 2 : 1;
        p.depth_multiplier = depthwise ? rnd_in(1, 3) : 1;
        p.out_c = depthwise ? p.in_c * p.depth_multiplier : groups * rnd_in(1, 6);
        p.filter_in_c = depthwise ? 1 : p.in_c / groups;
        const int acc64 = depthwise || (rnd() & 1u);
        const int has_bias = (int)(rnd() % 3u);
        rnd_quant(mult, shift, p.out_c, -24, acc64 ? 7 : 2);
        p.mult = mult;
        p.shift = shift;
        p.act_min = rnd() % 4 == 0 ? rnd_in(-32768, 0) : -32768;
        p.act_max = rnd() % 4 == 0 ? rnd_in(1, 32767) : 32767;
        const int32_t nin = p.batches * p.in_h * p.in_w * p.in_c;
        const int32_t nw = depthwise ? p.k_h * p.k_w * p.out_c : p.out_c * p.k_h * p.k_w * p.filter_in_c;
        const int32_t nout = p.batches * p.out_h * p.out_w * p.out_c;
        for (int32_t i = 0; i < nin; i++) {
            in16[i] = rnd16();
        }
        for (int32_t i = 0; i < nw; i++) {
            w8[i] = (int8_t)rnd_in(-128, 127);
        }
        for (int32_t c = 0; c < p.out_c; c++) {
            b64[c] = rnd() % 16 == 0 ? (int64_t)(((uint64_t)rnd() << 32) | rnd()) : rnd_in(-(1 << 24), 1 << 24);
            b32[c] = rnd() % 16 == 0 ? (int32_t)rnd() : rnd_in(-(1 << 24), 1 << 24);
        }
        const void *bias = has_bias ? (acc64 ? (const void *)b64 : (const void *)b32) : NULL;
        if (depthwise) {
            ts_dwconv_s16_ref(&p, in16, w8, bias, out_a);
            oracle_dwconv16(&p, in16, w8, bias, out_c);
            check(memcmp(out_a, out_c, (size_t)nout * 2) == 0, "dwconv16 ref == TFLite loop", it);
            continue;
        }
        ts_conv_s16_ref(&p, in16, w8, bias, acc64, out_a);
        oracle_conv16(&p, in16, w8, bias, acc64, out_c);
        check(memcmp(out_a, out_c, (size_t)nout * 2) == 0, "conv16 ref == TFLite loop", it);
        if (groups == 1) {
            static int16_t col[8192] __attribute__((aligned(4)));
            check(ts_conv_s16_simd_scratch(&p) <= sizeof col, "conv16 scratch", it);
            ts_conv_s16_simd(&p, in16, w8, bias, acc64, out_b, col);
            check(memcmp(out_b, out_c, (size_t)nout * 2) == 0, "conv16 simd == TFLite loop", it);
        }
    }
}

/* every product at its extreme, 2^22: the SIMD kernel's int32 chunks must sum exactly (int64) or wrap
 * like TFLite's int32 accumulator (int32 bias or none) */
static void test_conv16_extreme(void)
{
    static int16_t col[8192] __attribute__((aligned(4)));
    ts_conv_params p;
    memset(&p, 0, sizeof p);
    p.batches = 1;
    p.in_h = 1;
    p.in_w = 3;
    p.in_c = 1100;
    p.k_h = p.k_w = 1;
    p.stride_h = p.stride_w = p.dil_h = p.dil_w = 1;
    p.out_h = 1;
    p.out_w = 3;
    p.out_c = 3;
    p.filter_in_c = p.in_c;
    p.depth_multiplier = 1;
    p.act_min = -32768;
    p.act_max = 32767;
    for (int32_t c = 0; c < 3; c++) {
        mult[c] = 1 << 30;
        shift[c] = -19; /* 2^-20: 1100 * 2^22 -> 4400 */
    }
    p.mult = mult;
    p.shift = shift;
    for (int32_t i = 0; i < 3 * 1100; i++) {
        in16[i] = -32768;
        w8[i] = -128;
    }
    for (int acc64 = 0; acc64 <= 1; acc64++) {
        ts_conv_s16_ref(&p, in16, w8, NULL, acc64, out_a);
        ts_conv_s16_simd(&p, in16, w8, NULL, acc64, out_b, col);
        oracle_conv16(&p, in16, w8, NULL, acc64, out_c);
        check(memcmp(out_a, out_c, 18) == 0, "conv16 extreme ref", (uint32_t)acc64);
        check(memcmp(out_b, out_c, 18) == 0, "conv16 extreme simd", (uint32_t)acc64);
        /* int64: 4400; int32: 1100 * 2^22 mod 2^32 = 318767104, times 2^-20 = 304 */
        check(out_c[0] == (acc64 ? 4400 : 304), "conv16 extreme value", (uint32_t)acc64);
    }
}

static void test_fc16(uint32_t iters)
{
    static int16_t col[2048] __attribute__((aligned(4)));
    for (uint32_t it = 0; it < iters; it++) {
        ts_fc_params p;
        memset(&p, 0, sizeof p);
        p.batches = rnd_in(1, 3);
        p.in_depth = rnd_in(1, 300);
        p.out_depth = rnd_in(1, 17);
        if (it % 10 == 3) { /* longer rows: the SIMD kernel's int32 chunks of 508 products */
            p.in_depth = rnd_in(509, 1500);
            p.out_depth = rnd_in(1, 12);
        }
        p.filter_offset = rnd() % 3 == 0 ? rnd_in(-5, 5) : 0;
        rnd_quant(mult, shift, 1, -24, 7);
        p.mult = mult;
        p.shift = shift;
        p.act_min = -32768;
        p.act_max = rnd() % 3 == 0 ? rnd_in(0, 32767) : 32767;
        for (int32_t i = 0; i < p.batches * p.in_depth; i++) {
            in16[i] = rnd16();
        }
        for (int32_t i = 0; i < p.out_depth * p.in_depth; i++) {
            w8[i] = (int8_t)rnd_in(-128, 127);
        }
        for (int32_t c = 0; c < p.out_depth; c++) {
            b64[c] = rnd_in(-(1 << 24), 1 << 24);
        }
        const int64_t *bias = rnd() % 4 ? b64 : NULL;
        const size_t n = (size_t)(p.batches * p.out_depth) * 2;
        ts_fc_s16_ref(&p, in16, w8, bias, out_a);
        ts_fc_s16_simd(&p, in16, w8, bias, out_b, col);
        oracle_fc16(&p, in16, w8, bias, out_c);
        check(memcmp(out_a, out_c, n) == 0, "fc16 ref == TFLite loop", it);
        check(memcmp(out_b, out_c, n) == 0, "fc16 simd == TFLite loop", it);
    }
}

/* TFLite's TransposeConv: scatter with the bounds test inside the innermost loop */
static void oracle_tconv(const ts_tconv_params *p, int type, const void *in, const void *w, const void *bias,
                         int bias16, void *out)
{
    const int32_t n_out = p->batches * p->out_h * p->out_w * p->out_c;
    for (int32_t i = 0; i < n_out; i++) {
        f_b[i] = 0.0f;
        scratch32[i] = 0;
        scratch64[i] = 0;
    }
    for (int32_t b = 0; b < p->batches; b++)
        for (int32_t iy = 0; iy < p->in_h; iy++)
            for (int32_t ix = 0; ix < p->in_w; ix++)
                for (int32_t ic = 0; ic < p->in_c; ic++)
                    for (int32_t fy = 0; fy < p->k_h; fy++)
                        for (int32_t fx = 0; fx < p->k_w; fx++)
                            for (int32_t oc = 0; oc < p->out_c; oc++) {
                                const int32_t oy = iy * p->stride_h - p->pad_h + fy;
                                const int32_t ox = ix * p->stride_w - p->pad_w + fx;
                                if (oy < 0 || oy >= p->out_h || ox < 0 || ox >= p->out_w) {
                                    continue;
                                }
                                const int32_t ii = ((b * p->in_h + iy) * p->in_w + ix) * p->in_c + ic;
                                const int32_t wi = ((oc * p->k_h + fy) * p->k_w + fx) * p->in_c + ic;
                                const int32_t oi = ((b * p->out_h + oy) * p->out_w + ox) * p->out_c + oc;
                                if (type == 0) {
                                    f_b[oi] = f_b[oi] + ((const float *)in)[ii] * ((const float *)w)[wi];
                                } else if (type == 1) {
                                    scratch32[oi] = (int32_t)((uint32_t)scratch32[oi] +
                                                              (uint32_t)((((const int8_t *)in)[ii] + p->in_offset) *
                                                                         ((const int8_t *)w)[wi]));
                                } else {
                                    scratch64[oi] += ((const int16_t *)in)[ii] * ((const int8_t *)w)[wi];
                                }
                            }
    for (int32_t i = 0; i < n_out; i++) {
        const int32_t oc = i % p->out_c;
        if (type == 0) {
            float acc = f_b[i];
            if (bias) {
                acc += ((const float *)bias)[oc];
            }
            ((float *)out)[i] = ts_act_f32(acc, p->fmin, p->fmax);
        } else if (type == 1) {
            int32_t acc = (int32_t)((uint32_t)scratch32[i] + (bias ? (uint32_t)((const int32_t *)bias)[oc] : 0u));
            int32_t v = o_mbqm32(acc, p->mult[oc], p->shift[oc]) + p->out_offset;
            ((int8_t *)out)[i] = (int8_t)(v < -128 ? -128 : v > 127 ? 127 : v);
        } else {
            int64_t acc = scratch64[i];
            if (bias) {
                acc += bias16 ? ((const int16_t *)bias)[oc] : ((const int64_t *)bias)[oc];
            }
            ((int16_t *)out)[i] = o_clamp(o_mbqm64(acc, p->mult[oc], p->shift[oc]), -32768, 32767);
        }
    }
}

static uint32_t f_bits(float f)
{
    uint32_t u;
    memcpy(&u, &f, 4);
    return u;
}

static void test_tconv(uint32_t iters)
{
    for (uint32_t it = 0; it < iters; it++) {
        ts_tconv_params p;
        memset(&p, 0, sizeof p);
        const int type = (int)(it % 3u);
        p.batches = rnd_in(1, 2);
        p.in_h = rnd_in(1, 5);
        p.in_w = rnd_in(1, 5);
        p.in_c = rnd_in(1, 5);
        p.out_c = rnd_in(1, 5);
        p.k_h = rnd_in(1, 4);
        p.k_w = rnd_in(1, 4);
        p.stride_h = rnd_in(1, 3);
        p.stride_w = rnd_in(1, 3);
        p.out_h = (p.in_h - 1) * p.stride_h + p.k_h + rnd_in(-2, 2);
        p.out_w = (p.in_w - 1) * p.stride_w + p.k_w + rnd_in(-2, 2);
        p.out_h = p.out_h < 1 ? 1 : p.out_h;
        p.out_w = p.out_w < 1 ? 1 : p.out_w;
        p.pad_h = rnd_in(0, p.k_h - 1);
        p.pad_w = rnd_in(0, p.k_w - 1);
        p.in_offset = rnd_in(-127, 128);
        p.out_offset = rnd_in(-100, 100);
        p.act_min = type == 1 ? -128 : -32768;
        p.act_max = type == 1 ? 127 : 32767;
        rnd_quant(mult, shift, p.out_c, -20, type == 1 ? 2 : 7);
        p.mult = mult;
        p.shift = shift;
        p.fmin = rnd() % 2 ? 0.0f : -3.402823466e+38f;
        p.fmax = 3.402823466e+38f;
        const int32_t nin = p.batches * p.in_h * p.in_w * p.in_c, nw = p.out_c * p.k_h * p.k_w * p.in_c;
        const int32_t nout = p.batches * p.out_h * p.out_w * p.out_c;
        for (int32_t i = 0; i < nin; i++) {
            in16[i] = rnd16();
            in8[i] = (int8_t)rnd_in(-128, 127);
            f_in[i] = (float)rnd_in(-1000000, 1000000) / 1024.0f;
        }
        for (int32_t i = 0; i < nw; i++) {
            w8[i] = (int8_t)rnd_in(-128, 127);
            f_w[i] = (float)rnd_in(-1000000, 1000000) / 4096.0f;
        }
        for (int32_t c = 0; c < p.out_c; c++) {
            b64[c] = rnd_in(-(1 << 24), 1 << 24);
            b32[c] = rnd_in(-(1 << 20), 1 << 20);
            f_bias[c] = (float)rnd_in(-1000, 1000) / 8.0f;
        }
        const int with_bias = (int)(rnd() % 3u);
        if (type == 0) {
            ts_tconv_f32(&p, f_in, f_w, with_bias ? f_bias : NULL, f_a);
            static float want[MAXN];
            oracle_tconv(&p, 0, f_in, f_w, with_bias ? f_bias : NULL, 0, want);
            int same = 1;
            for (int32_t i = 0; i < nout; i++) {
                same &= f_bits(f_a[i]) == f_bits(want[i]);
            }
            check(same, "tconv f32 == TFLite loop", it);
        } else if (type == 1) {
            ts_tconv_s8(&p, in8, w8, with_bias ? b32 : NULL, o8a, scratch32);
            oracle_tconv(&p, 1, in8, w8, with_bias ? b32 : NULL, 0, o8c);
            check(memcmp(o8a, o8c, (size_t)nout) == 0, "tconv s8 == TFLite loop", it);
        } else {
            static int16_t b16[512];
            for (int32_t c = 0; c < p.out_c; c++) {
                b16[c] = (int16_t)rnd_in(-32768, 32767);
            }
            const int bias16 = with_bias == 2;
            static int64_t scr[MAXN];
            ts_tconv_s16(&p, in16, w8, with_bias == 1 ? b64 : NULL, bias16 ? b16 : NULL, out_a, scr);
            oracle_tconv(&p, 2, in16, w8, with_bias == 1 ? (const void *)b64 : bias16 ? (const void *)b16 : NULL,
                         bias16, out_c);
            check(memcmp(out_a, out_c, (size_t)nout * 2) == 0, "tconv s16 == TFLite loop", it);
        }
    }
}

static void test_bmm(uint32_t iters)
{
    for (uint32_t it = 0; it < iters; it++) {
        ts_bmm_params p;
        memset(&p, 0, sizeof p);
        const int type = (int)(it % 3u);
        p.rows = rnd_in(1, 7);
        p.cols = rnd_in(1, 7);
        p.depth = rnd_in(1, 45);
        int32_t nl = 1, nr = 1; /* matrices of each operand */
        for (int j = 0; j < 3; j++) {
            p.batch[j] = rnd_in(1, 3);
            const int lb = rnd() % 3 != 0, rb = rnd() % 3 != 0; /* broadcast (dimension 1) otherwise */
            p.lstride[j] = lb ? 1 : 0;
            p.rstride[j] = rb ? 1 : 0;
        }
        /* strides in elements, innermost batch dimension last */
        int32_t ls = p.rows * p.depth, rs = p.cols * p.depth;
        for (int j = 2; j >= 0; j--) {
            const int32_t ld = p.lstride[j] ? p.batch[j] : 1, rd = p.rstride[j] ? p.batch[j] : 1;
            p.lstride[j] = p.lstride[j] ? ls : 0;
            p.rstride[j] = p.rstride[j] ? rs : 0;
            ls *= ld;
            rs *= rd;
            nl *= ld;
            nr *= rd;
        }
        p.lhs_offset = type == 1 ? rnd_in(-127, 128) : 0;
        p.rhs_offset = type == 1 ? rnd_in(-127, 128) : 0;
        p.out_offset = type == 1 ? rnd_in(-50, 50) : 0;
        rnd_quant(&p.mult, &p.shift, 1, -30, type == 1 ? 2 : 7);
        p.act_min = type == 1 ? -128 : -32768;
        p.act_max = type == 1 ? 127 : 32767;
        const int32_t nlv = nl * p.rows * p.depth, nrv = nr * p.cols * p.depth;
        const int32_t nout = p.batch[0] * p.batch[1] * p.batch[2] * p.rows * p.cols;
        static int16_t r16[MAXN];
        static int8_t r8[MAXN];
        static float rf[MAXN];
        for (int32_t i = 0; i < nlv; i++) {
            in16[i] = rnd16();
            in8[i] = (int8_t)rnd_in(-128, 127);
            f_in[i] = (float)rnd_in(-100000, 100000) / 512.0f;
        }
        for (int32_t i = 0; i < nrv; i++) {
            r16[i] = rnd16();
            r8[i] = (int8_t)rnd_in(-128, 127);
            rf[i] = (float)rnd_in(-100000, 100000) / 256.0f;
        }
        /* the oracle: TFLite's loop, total += (rhs + rhs_offset) * (lhs + lhs_offset), k ascending */
        int32_t o = 0, ok_ref = 1, ok_simd = 1;
        if (type == 0) {
            ts_bmm_f32(&p, f_in, rf, f_a);
        } else if (type == 1) {
            ts_bmm_s8(&p, in8, r8, o8a);
            static int16_t col[64] __attribute__((aligned(4)));
            check(ts_bmm_s8_simd_scratch(&p) <= sizeof col, "bmm s8 scratch", it);
            ts_bmm_s8_simd(&p, in8, r8, o8b, col);
        } else {
            ts_bmm_s16(&p, in16, r16, out_a);
            ts_bmm_s16_simd(&p, in16, r16, out_b);
        }
        for (int32_t b0 = 0; b0 < p.batch[0]; b0++)
            for (int32_t b1 = 0; b1 < p.batch[1]; b1++)
                for (int32_t b2 = 0; b2 < p.batch[2]; b2++) {
                    const int32_t lo = b0 * p.lstride[0] + b1 * p.lstride[1] + b2 * p.lstride[2];
                    const int32_t ro = b0 * p.rstride[0] + b1 * p.rstride[1] + b2 * p.rstride[2];
                    for (int32_t a = 0; a < p.rows; a++)
                        for (int32_t c = 0; c < p.cols; c++, o++) {
                            float tf = 0.0f;
                            uint32_t t32 = 0;
                            int64_t t64 = 0;
                            for (int32_t k = 0; k < p.depth; k++) {
                                const int32_t li = lo + a * p.depth + k, ri = ro + c * p.depth + k;
                                tf += rf[ri] * f_in[li];
                                t32 += (uint32_t)((r8[ri] + p.rhs_offset) * (in8[li] + p.lhs_offset));
                                t64 += (int64_t)r16[ri] * in16[li];
                            }
                            if (type == 0) {
                                ok_ref &= f_bits(tf) == f_bits(f_a[o]);
                            } else if (type == 1) {
                                int32_t v = o_mbqm32((int32_t)t32, p.mult, p.shift) + p.out_offset;
                                v = v < -128 ? -128 : v > 127 ? 127 : v;
                                ok_ref &= o8a[o] == v;
                                ok_simd &= o8b[o] == v;
                            } else {
                                const int16_t v = o_clamp(o_mbqm64(t64, p.mult, p.shift), -32768, 32767);
                                ok_ref &= out_a[o] == v;
                                ok_simd &= out_b[o] == v;
                            }
                        }
                }
        (void)nout;
        check(ok_ref, type == 0 ? "bmm f32 == TFLite loop" : type == 1 ? "bmm s8 == TFLite loop" : "bmm s16 == TFLite loop", it);
        check(ok_simd, type == 1 ? "bmm s8 simd == TFLite loop" : "bmm s16 simd == TFLite loop", it);
    }
}

static void test_mbqm64(void)
{
    const int32_t half = 1 << 30;
    check(ts_mbqm64(5, half, 0) == 3, "mbqm64 2.5 -> 3", 0);
    check(ts_mbqm64(-5, half, 0) == -2, "mbqm64 -2.5 -> -2", 1);
    check(ts_mbqm64(-6, half, -1) == -1, "mbqm64 -1.5 -> -1", 2);
    check(ts_mbqm64(5, half, 4) == 40, "mbqm64 shift 4", 3);
    check(ts_mbqm64((int64_t)1 << 40, 0x7FFF0000, -31) == ts_mbqm64((int64_t)1 << 40, INT32_MAX, -31), "mbqm64 0x7FFF", 4);
    for (uint32_t i = 0; i < 200000; i++) {
        const int64_t x = (int64_t)(((uint64_t)rnd() << 32) | rnd()) >> rnd_in(0, 40);
        const int32_t m = (int32_t)(rnd() >> 1), s = rnd_in(-31, 7);
        check(ts_mbqm64(x, m, s) == o_mbqm64(x, m, s), "mbqm64 == TFLite", i);
    }
}

int main(void)
{
    test_mbqm64();
    test_conv16(900);
    test_conv16_extreme();
    test_fc16(300);
    test_tconv(600);
    test_bmm(600);
    printf("%u passed, %u failed\n", passed, failed);
    return failed != 0;
}
