/* 16x8 kernels (int16 activations, int8 weights) of CONV_2D, DEPTHWISE_CONV_2D,
 * FULLY_CONNECTED and the pools, and the TRANSPOSE_CONV and BATCH_MATMUL kernels; see
 * ts_kernels_s16.h. The "ref" kernels are plain C with TFLite's reference arithmetic
 * (reference_integer_ops::ConvPerChannel / DepthwiseConvPerChannel / FullyConnected for int16,
 * AveragePool / MaxPool for int16, reference_ops / reference_integer_ops::TransposeConv,
 * reference_ops::BatchMatMul), written the way ts_kernels_ref.c writes the int8 ones: taps
 * inside the input computed once per output position, parameters in locals, the innermost loop
 * over a contiguous run and unrolled 4 times by the compiler. The "simd" kernels use the DSP
 * extension: SMLALD (two 16x16 products added to a 64-bit accumulator) where TFLite accumulates
 * in int64, SMLAD where it accumulates in int32. */
#include <string.h>
#include "ts_dsp.h"
#include "ts_kernels_s16.h"
#include "ts_quant.h"

#define S16_PRAGMA(x) _Pragma(#x)
#define S16_UNROLL(n) S16_PRAGMA(GCC unroll n)
#define S16_AI static inline __attribute__((always_inline))

/* ---- DSP helpers this file needs beyond ts_dsp.h ---- */
#if TS_HAVE_DSP
/* acc + a.lo*b.lo + a.hi*b.hi, 64-bit accumulator (SMLALD) */
S16_AI int64_t s16_smlald(uint32_t a, uint32_t b, int64_t acc)
{
    return __smlald((int32_t)a, (int32_t)b, acc);
}
#else
S16_AI int32_t s16_lo(uint32_t x) { return (int32_t)(int16_t)(uint16_t)(x & 0xFFFFu); }
S16_AI int32_t s16_hi(uint32_t x) { return (int32_t)(int16_t)(uint16_t)(x >> 16); }
S16_AI int64_t s16_smlald(uint32_t a, uint32_t b, int64_t acc)
{
    return (int64_t)((uint64_t)acc + (uint64_t)(int64_t)(s16_lo(a) * s16_lo(b)) +
                     (uint64_t)(int64_t)(s16_hi(a) * s16_hi(b)));
}
#endif
/* [a.lo, b.lo] and [a.hi, b.hi] (PKHBT / PKHTB) */
S16_AI uint32_t s16_pack_lo(uint32_t a, uint32_t b) { return (a & 0xFFFFu) | (b << 16); }
S16_AI uint32_t s16_pack_hi(uint32_t a, uint32_t b) { return (a >> 16) | (b & 0xFFFF0000u); }

static inline int32_t s16_round4(int32_t n) { return (n + 3) & ~3; }

/* In place: every group of 4 int16 values x0 x1 x2 x3 becomes x0 x2 x1 x3, the order in which
 * SXTB16 / SXTB16-ROR8 deliver 4 packed int8 weights ([w0, w2], [w1, w3]). A trailing partial
 * group stays in natural order. n4 = the number of values in whole groups. */
static void s16_reorder(int16_t *v, int32_t n4)
{
    for (int32_t k = 0; k < n4; k += 4) {
        const uint32_t a = ts_ld32(v + k), b = ts_ld32(v + k + 2);
        ts_st32(v + k, s16_pack_lo(a, b));
        ts_st32(v + k + 2, s16_pack_hi(a, b));
    }
}

/* plain dot products of n int8 weights and n int16 activations (one out-of-line copy each: the
 * reference kernels call them once per filter row, which keeps the code small) */
static __attribute__((noinline)) int64_t s16_dot64(const int8_t *w, const int16_t *x, int32_t n, int64_t acc)
{
    S16_UNROLL(4)
    for (int32_t i = 0; i < n; i++) {
        acc += (int32_t)w[i] * (int32_t)x[i];
    }
    return acc;
}

static __attribute__((noinline)) uint32_t s16_dot32(const int8_t *w, const int16_t *x, int32_t n, uint32_t acc)
{
    S16_UNROLL(4)
    for (int32_t i = 0; i < n; i++) {
        acc += (uint32_t)((int32_t)w[i] * (int32_t)x[i]);
    }
    return acc;
}

/* requantization of one accumulator (bias included) to int16 */
S16_AI int16_t s16_out64(int64_t acc, int32_t mult, int32_t shift, int32_t lo, int32_t hi)
{
    return ts_clamp_s16(ts_mbqm64(acc, mult, shift), lo, hi);
}

S16_AI int16_t s16_out32(uint32_t acc, int32_t mult, int32_t shift, int32_t lo, int32_t hi)
{
    return ts_clamp_s16(ts_mbqm_pos((int32_t)acc, mult, shift), lo, hi);
}

S16_AI int64_t s16_bias64(const void *bias, int32_t oc)
{
    return bias ? ts_ld64((const int64_t *)bias + oc) : 0;
}

/* a + b wrapping like two's complement int64 (a bias may be any int64) */
S16_AI int64_t s16_wadd(int64_t a, int64_t b)
{
    return (int64_t)((uint64_t)a + (uint64_t)b);
}

S16_AI uint32_t s16_bias32(const void *bias, int32_t oc)
{
    return bias ? (uint32_t)((const int32_t *)bias)[oc] : 0u;
}

/* ======================= CONV_2D, 16x8 ======================= */

void ts_conv_s16_ref(const ts_conv_params *p, const int16_t *in, const int8_t *w, const void *bias, int acc64,
                     int16_t *out)
{
    const int32_t in_h = p->in_h, in_w = p->in_w, in_c = p->in_c;
    const int32_t out_h = p->out_h, out_w = p->out_w, out_c = p->out_c;
    const int32_t k_h = p->k_h, k_w = p->k_w;
    const int32_t stride_h = p->stride_h, stride_w = p->stride_w, dil_h = p->dil_h, dil_w = p->dil_w;
    const int32_t pad_h = p->pad_h, pad_w = p->pad_w;
    const int32_t fic = p->filter_in_c > 0 ? p->filter_in_c : in_c;
    const int32_t groups = in_c / fic;
    const int32_t oc_per_group = out_c / groups;
    const int32_t K = k_h * k_w * fic;
    const int32_t act_min = p->act_min, act_max = p->act_max;
    const int32_t *mult = p->mult, *shift = p->shift;
    const int32_t in_xstep = dil_w * in_c, in_ystep = dil_h * in_w * in_c, w_ystep = k_w * fic;
    const int rows_contiguous = dil_w == 1 && fic == in_c;
    for (int32_t b = 0; b < p->batches; b++) {
        const int16_t *in_b = in + b * in_h * in_w * in_c;
        for (int32_t oy = 0; oy < out_h; oy++) {
            const int32_t iy0 = oy * stride_h - pad_h;
            int32_t ky0, ky1;
            ts_tap_window(iy0, dil_h, k_h, in_h, &ky0, &ky1);
            for (int32_t ox = 0; ox < out_w; ox++) {
                const int32_t ix0 = ox * stride_w - pad_w;
                int32_t kx0, kx1;
                ts_tap_window(ix0, dil_w, k_w, in_w, &kx0, &kx1);
                int32_t nky = ky1 - ky0;
                const int32_t nkx = kx1 - kx0;
                if (nkx == 0) {
                    nky = 0;
                }
                const int32_t row_len = nkx * fic;
                int16_t *o = out + ((b * out_h + oy) * out_w + ox) * out_c;
                const int16_t *in_first =
                    in_b + (nky > 0 ? ((iy0 + dil_h * ky0) * in_w + ix0 + dil_w * kx0) * in_c : 0);
                const int8_t *w_first = w + (ky0 * k_w + kx0) * fic;
                int32_t oc = 0;
                for (int32_t g = 0; g < groups; g++) {
                    const int16_t *in_g = in_first + g * fic;
                    for (int32_t j = 0; j < oc_per_group; j++, oc++) {
                        int64_t a64 = 0;
                        uint32_t a32 = 0;
                        const int16_t *ip = in_g;
                        const int8_t *wp = w_first + oc * K;
                        for (int32_t ky = 0; ky < nky; ky++) {
                            if (rows_contiguous) {
                                if (acc64) {
                                    a64 = s16_dot64(wp, ip, row_len, a64);
                                } else {
                                    a32 = s16_dot32(wp, ip, row_len, a32);
                                }
                            } else {
                                const int16_t *ipx = ip;
                                const int8_t *wpx = wp;
                                for (int32_t kx = 0; kx < nkx; kx++) {
                                    if (acc64) {
                                        a64 = s16_dot64(wpx, ipx, fic, a64);
                                    } else {
                                        a32 = s16_dot32(wpx, ipx, fic, a32);
                                    }
                                    ipx += in_xstep;
                                    wpx += fic;
                                }
                            }
                            ip += in_ystep;
                            wp += w_ystep;
                        }
                        if (acc64) {
                            o[oc] = s16_out64(s16_wadd(a64, s16_bias64(bias, oc)), mult[oc], shift[oc], act_min, act_max);
                        } else {
                            o[oc] = s16_out32(a32 + s16_bias32(bias, oc), mult[oc], shift[oc], act_min, act_max);
                        }
                    }
                }
            }
        }
    }
}

/* SIMD (groups == 1), after the int8 kernel of ts_kernels_simd.c: the receptive fields of two output
 * pixels (K = k_h * k_w * in_c values each, in filter order; 0 for taps outside the input: the zero
 * point is 0, so a zero adds nothing, as a skipped tap) are gathered, then interleaved by groups of 4
 * reordered for SXTB16: [pixel 0: k0 k2 k1 k3][pixel 1: k0 k2 k1 k3][pixel 0: k4 ...], the K % 4
 * leftovers after them in natural order (tail[r] pixel 0, tail[4 + r] pixel 1). Two output channels by
 * two pixels per pass: 2 weight words, 4 SXTB16, 4 activation words, 8 SMLAD = 16 MACs.
 * SMLAD accumulates in 32 bits. Where TFLite accumulates in int32 (acc64 = 0) that is its own
 * arithmetic, modulo 2^32. Where it accumulates in int64 the sum is taken in chunks of at most 508
 * products: a product of an int16 and an int8 lies in (-2^22, 2^22], so 508 of them sum exactly in
 * int32; each chunk's sum is then added to an int64 accumulator. The same integers either way.
 * Scratch: the interleaved buffer and one gathered field, 3 * round4(K) int16. */
#define S16_CHUNK 127 /* groups of 4 values per exact int32 chunk: 508 products */

size_t ts_conv_s16_simd_scratch(const ts_conv_params *p)
{
    return (size_t)3 * (size_t)s16_round4(p->k_h * p->k_w * p->in_c) * sizeof(int16_t);
}

static void conv_s16_field(const ts_conv_params *p, const int16_t *in_b, int32_t oy, int32_t ox, int16_t *col)
{
    const int32_t C = p->in_c, in_h = p->in_h, in_w = p->in_w;
    const int32_t iy0 = oy * p->stride_h - p->pad_h, ix0 = ox * p->stride_w - p->pad_w;
    int16_t *dst = col;
    for (int32_t ky = 0; ky < p->k_h; ky++) {
        const int32_t iy = iy0 + p->dil_h * ky;
        for (int32_t kx = 0; kx < p->k_w; kx++) {
            const int32_t ix = ix0 + p->dil_w * kx;
            if (iy < 0 || iy >= in_h || ix < 0 || ix >= in_w) {
                memset(dst, 0, (size_t)C * sizeof(int16_t));
            } else {
                memcpy(dst, in_b + (iy * in_w + ix) * C, (size_t)C * sizeof(int16_t));
            }
            dst += C;
        }
    }
}

/* the slots of pixel q (0 or 1) of the interleaved buffer <- its field nat, reordered */
static void conv_s16_interleave(const int16_t *nat, int32_t K, int16_t *buf, int32_t q)
{
    const int32_t K4 = K & ~3;
    int16_t *d = buf + 4 * q;
    for (int32_t k = 0; k < K4; k += 4) {
        const uint32_t a = ts_ld32(nat + k), b = ts_ld32(nat + k + 2);
        ts_st32(d, s16_pack_lo(a, b));
        ts_st32(d + 2, s16_pack_hi(a, b));
        d += 8;
    }
    for (int32_t r = 0; r < K - K4; r++) {
        d[r] = nat[K4 + r];
    }
}

/* the accumulators of one pass: int64 (acc64) or int32 wrapping, [channel][pixel] */
typedef struct {
    int64_t a64[2][2];
    uint32_t a32[2][2];
} s16_acc;

/* two channels (rows wa, wa + K) by two pixels over the whole field */
S16_AI void conv_s16_2x2(const int8_t *wa, int32_t K, const int16_t *buf, const int acc64, s16_acc *r)
{
    const int32_t groups = K >> 2;
    const int8_t *wp = wa;
    const int16_t *cp = buf;
    int32_t g = 0;
    while (g < groups) {
        int32_t n = groups - g;
        if (acc64 && n > S16_CHUNK) {
            n = S16_CHUNK;
        }
        int32_t a00 = 0, a01 = 0, a10 = 0, a11 = 0;
        for (int32_t i = 0; i < n; i++) {
            const uint32_t va = ts_ld32(wp), vb = ts_ld32(wp + K);
            wp += 4;
            const uint32_t wa02 = ts_sxtb16(va), wb02 = ts_sxtb16(vb);
            const uint32_t wa13 = ts_sxtb16_ror8(va), wb13 = ts_sxtb16_ror8(vb);
            uint32_t c = ts_ld32(cp);
            a00 = ts_smlad(wa02, c, a00);
            a10 = ts_smlad(wb02, c, a10);
            c = ts_ld32(cp + 2);
            a00 = ts_smlad(wa13, c, a00);
            a10 = ts_smlad(wb13, c, a10);
            c = ts_ld32(cp + 4);
            a01 = ts_smlad(wa02, c, a01);
            a11 = ts_smlad(wb02, c, a11);
            c = ts_ld32(cp + 6);
            a01 = ts_smlad(wa13, c, a01);
            a11 = ts_smlad(wb13, c, a11);
            cp += 8;
        }
        if (acc64) {
            r->a64[0][0] += a00;
            r->a64[0][1] += a01;
            r->a64[1][0] += a10;
            r->a64[1][1] += a11;
        } else {
            r->a32[0][0] += (uint32_t)a00;
            r->a32[0][1] += (uint32_t)a01;
            r->a32[1][0] += (uint32_t)a10;
            r->a32[1][1] += (uint32_t)a11;
        }
        g += n;
    }
    const int16_t *tail = cp;
    for (int32_t k = groups * 4; k < K; k++) {
        const int32_t w0 = wa[k], w1 = wa[K + k], x0 = tail[k - groups * 4], x1 = tail[4 + k - groups * 4];
        r->a64[0][0] += w0 * x0;
        r->a64[0][1] += w0 * x1;
        r->a64[1][0] += w1 * x0;
        r->a64[1][1] += w1 * x1;
        r->a32[0][0] += (uint32_t)(w0 * x0);
        r->a32[0][1] += (uint32_t)(w0 * x1);
        r->a32[1][0] += (uint32_t)(w1 * x0);
        r->a32[1][1] += (uint32_t)(w1 * x1);
    }
}

/* one channel (row wa) by pixel q (0 or 1) of the interleaved buffer */
S16_AI void conv_s16_1x1(const int8_t *wa, int32_t K, const int16_t *buf, int32_t q, const int acc64, int64_t *r64,
                         uint32_t *r32)
{
    const int32_t groups = K >> 2;
    const int16_t *cp = buf + 4 * q;
    const int8_t *wp = wa;
    int32_t g = 0;
    while (g < groups) {
        int32_t n = groups - g;
        if (acc64 && n > S16_CHUNK) {
            n = S16_CHUNK;
        }
        int32_t a = 0;
        for (int32_t i = 0; i < n; i++) {
            const uint32_t v = ts_ld32(wp);
            a = ts_smlad(ts_sxtb16(v), ts_ld32(cp), a);
            a = ts_smlad(ts_sxtb16_ror8(v), ts_ld32(cp + 2), a);
            wp += 4;
            cp += 8;
        }
        *r64 += a;
        *r32 += (uint32_t)a;
        g += n;
    }
    const int16_t *tail = buf + 8 * groups + 4 * q;
    for (int32_t k = groups * 4; k < K; k++) {
        *r64 += wa[k] * tail[k - groups * 4];
        *r32 += (uint32_t)(wa[k] * tail[k - groups * 4]);
    }
}

S16_AI void conv_s16_simd_impl(const ts_conv_params *p, const int16_t *in, const int8_t *w, const void *bias,
                               const int acc64, int16_t *out, int16_t *scratch)
{
    const int32_t K = p->k_h * p->k_w * p->in_c, R = s16_round4(K);
    int16_t *buf = scratch, *nat = scratch + 2 * R;
    const int32_t out_w = p->out_w, npix = p->out_h * out_w, OC = p->out_c;
    const int32_t act_min = p->act_min, act_max = p->act_max;
    const int32_t *mult = p->mult, *shift = p->shift;
    for (int32_t b = 0; b < p->batches; b++) {
        const int16_t *in_b = in + b * p->in_h * p->in_w * p->in_c;
        int16_t *ob = out + b * npix * OC;
        for (int32_t pix = 0; pix < npix; pix += 2) {
            const int two = pix + 1 < npix;
            conv_s16_field(p, in_b, pix / out_w, pix % out_w, nat);
            conv_s16_interleave(nat, K, buf, 0);
            if (two) {
                conv_s16_field(p, in_b, (pix + 1) / out_w, (pix + 1) % out_w, nat);
                conv_s16_interleave(nat, K, buf, 1);
            }
            int16_t *o[2] = { ob + pix * OC, ob + (pix + 1) * OC };
            int32_t oc = 0;
            if (two) {
                for (; oc + 1 < OC; oc += 2) {
                    s16_acc r;
                    memset(&r, 0, sizeof r);
                    conv_s16_2x2(w + oc * K, K, buf, acc64, &r);
                    for (int32_t j = 0; j < 2; j++) {
                        for (int32_t q = 0; q < 2; q++) {
                            const int32_t c = oc + j;
                            o[q][c] = acc64 ? s16_out64(s16_wadd(r.a64[j][q], s16_bias64(bias, c)), mult[c], shift[c],
                                                        act_min, act_max)
                                            : s16_out32(r.a32[j][q] + s16_bias32(bias, c), mult[c], shift[c], act_min,
                                                        act_max);
                        }
                    }
                }
            }
            /* a leftover channel, or a single leftover pixel */
            for (int32_t q = 0; q <= two; q++) {
                for (int32_t c = oc; c < OC; c++) {
                    int64_t r64 = 0;
                    uint32_t r32 = 0;
                    conv_s16_1x1(w + c * K, K, buf, q, acc64, &r64, &r32);
                    o[q][c] = acc64 ? s16_out64(s16_wadd(r64, s16_bias64(bias, c)), mult[c], shift[c], act_min, act_max)
                                    : s16_out32(r32 + s16_bias32(bias, c), mult[c], shift[c], act_min, act_max);
                }
            }
        }
    }
}

void ts_conv_s16_simd(const ts_conv_params *p, const int16_t *in, const int8_t *w, const void *bias, int acc64,
                      int16_t *out, void *scratch)
{
    if (acc64) {
        conv_s16_simd_impl(p, in, w, bias, 1, out, (int16_t *)scratch);
    } else {
        conv_s16_simd_impl(p, in, w, bias, 0, out, (int16_t *)scratch);
    }
}

/* ======================= DEPTHWISE_CONV_2D, 16x8 ======================= */

/* TFLite accumulates in int64. A product of an int16 and an int8 lies in (-2^22, 2^22], so the sum of
 * at most 511 of them lies strictly inside the int32 range: with k_h * k_w <= 511 taps (every real
 * model) the window sums are accumulated exactly in int32, then widened and added to the int64 bias,
 * which is the same integer. Then, as the int8 reference kernel: the int32 accumulators of a block
 * of output channels on the stack, the channels (contiguous in input and filter) innermost. Larger
 * windows take TFLite's loop order with an int64 accumulator. */
#define S16_DW_BLOCK 64

static void dwconv_s16_int64(const ts_conv_params *p, const int16_t *in, const int8_t *w, const int64_t *bias,
                             int16_t *out)
{
    const int32_t in_c = p->in_c, out_c = p->out_c, dm = p->depth_multiplier;
    for (int32_t b = 0; b < p->batches; b++) {
        for (int32_t oy = 0; oy < p->out_h; oy++) {
            for (int32_t ox = 0; ox < p->out_w; ox++) {
                int16_t *o = out + ((b * p->out_h + oy) * p->out_w + ox) * out_c;
                for (int32_t ic = 0, oc = 0; ic < in_c; ic++) {
                    for (int32_t m = 0; m < dm; m++, oc++) {
                        int64_t acc = 0;
                        for (int32_t fy = 0; fy < p->k_h; fy++) {
                            const int32_t iy = oy * p->stride_h - p->pad_h + p->dil_h * fy;
                            for (int32_t fx = 0; fx < p->k_w; fx++) {
                                const int32_t ix = ox * p->stride_w - p->pad_w + p->dil_w * fx;
                                if (iy >= 0 && iy < p->in_h && ix >= 0 && ix < p->in_w) {
                                    acc += (int32_t)w[(fy * p->k_w + fx) * out_c + oc] *
                                           (int32_t)in[((b * p->in_h + iy) * p->in_w + ix) * in_c + ic];
                                }
                            }
                        }
                        o[oc] = s16_out64(s16_wadd(acc, s16_bias64(bias, oc)), p->mult[oc], p->shift[oc], p->act_min,
                                          p->act_max);
                    }
                }
            }
        }
    }
}

void ts_dwconv_s16_ref(const ts_conv_params *p, const int16_t *in, const int8_t *w, const int64_t *bias, int16_t *out)
{
    if (p->k_h * p->k_w > 511) {
        dwconv_s16_int64(p, in, w, bias, out);
        return;
    }
    const int32_t in_h = p->in_h, in_w = p->in_w, in_c = p->in_c;
    const int32_t out_h = p->out_h, out_w = p->out_w, out_c = p->out_c;
    const int32_t k_h = p->k_h, k_w = p->k_w;
    const int32_t stride_h = p->stride_h, stride_w = p->stride_w, dil_h = p->dil_h, dil_w = p->dil_w;
    const int32_t pad_h = p->pad_h, pad_w = p->pad_w;
    const int32_t dm = p->depth_multiplier;
    const int32_t act_min = p->act_min, act_max = p->act_max;
    const int32_t *mult = p->mult, *shift = p->shift;
    const int32_t in_xstep = dil_w * in_c, in_ystep = dil_h * in_w * in_c;
    const int32_t w_xstep = out_c, w_ystep = k_w * out_c;
    int32_t acc[S16_DW_BLOCK];
    for (int32_t b = 0; b < p->batches; b++) {
        const int16_t *in_b = in + b * in_h * in_w * in_c;
        for (int32_t oy = 0; oy < out_h; oy++) {
            const int32_t iy0 = oy * stride_h - pad_h;
            int32_t ky0, ky1;
            ts_tap_window(iy0, dil_h, k_h, in_h, &ky0, &ky1);
            for (int32_t ox = 0; ox < out_w; ox++) {
                const int32_t ix0 = ox * stride_w - pad_w;
                int32_t kx0, kx1;
                ts_tap_window(ix0, dil_w, k_w, in_w, &kx0, &kx1);
                int32_t nky = ky1 - ky0;
                const int32_t nkx = kx1 - kx0;
                if (nkx == 0) {
                    nky = 0;
                }
                int16_t *o = out + ((b * out_h + oy) * out_w + ox) * out_c;
                const int16_t *in_first =
                    in_b + (nky > 0 ? ((iy0 + dil_h * ky0) * in_w + ix0 + dil_w * kx0) * in_c : 0);
                const int8_t *w_first = w + (ky0 * k_w + kx0) * out_c;
                for (int32_t oc0 = 0; oc0 < out_c; oc0 += S16_DW_BLOCK) {
                    const int32_t n = out_c - oc0 < S16_DW_BLOCK ? out_c - oc0 : S16_DW_BLOCK;
                    const int32_t ic0 = oc0 / dm, m0 = oc0 % dm;
                    for (int32_t c = 0; c < n; c++) {
                        acc[c] = 0;
                    }
                    for (int32_t ky = 0; ky < nky; ky++) {
                        const int16_t *ip = in_first + ky * in_ystep + ic0;
                        const int8_t *wp = w_first + ky * w_ystep + oc0;
                        for (int32_t kx = 0; kx < nkx; kx++) {
                            if (dm == 1) {
                                S16_UNROLL(4)
                                for (int32_t c = 0; c < n; c++) {
                                    acc[c] += (int32_t)wp[c] * (int32_t)ip[c];
                                }
                            } else {
                                int32_t ic = 0, m = m0;
                                for (int32_t c = 0; c < n; c++) {
                                    acc[c] += (int32_t)wp[c] * (int32_t)ip[ic];
                                    if (++m == dm) {
                                        m = 0;
                                        ic++;
                                    }
                                }
                            }
                            ip += in_xstep;
                            wp += w_xstep;
                        }
                    }
                    for (int32_t c = 0; c < n; c++) {
                        const int32_t oc = oc0 + c;
                        o[oc] = s16_out64(s16_wadd(acc[c], s16_bias64(bias, oc)), mult[oc], shift[oc], act_min, act_max);
                    }
                }
            }
        }
    }
}

/* ======================= FULLY_CONNECTED, 16x8 ======================= */
/* TFLite: acc (int64) += (w + filter_offset) * x over the row, + bias. Computed as
 * sum(w * x) + filter_offset * sum(x): the same integer. */

void ts_fc_s16_ref(const ts_fc_params *p, const int16_t *in, const int8_t *w, const int64_t *bias, int16_t *out)
{
    const int32_t K = p->in_depth, out_depth = p->out_depth;
    const int32_t fo = p->filter_offset, act_min = p->act_min, act_max = p->act_max;
    const int32_t mult = p->mult[0], shift = p->shift[0];
    for (int32_t b = 0; b < p->batches; b++) {
        const int16_t *x = in + b * K;
        int64_t fo_term = 0;
        if (fo != 0) {
            int64_t xsum = 0;
            for (int32_t k = 0; k < K; k++) {
                xsum += x[k];
            }
            fo_term = fo * xsum;
        }
        int16_t *o = out + b * out_depth;
        for (int32_t oc = 0; oc < out_depth; oc++) {
            const int64_t acc = s16_wadd(s16_dot64(w + oc * K, x, K, fo_term), s16_bias64(bias, oc));
            o[oc] = s16_out64(acc, mult, shift, act_min, act_max);
        }
    }
}

/* SIMD, as the int8 kernel of ts_kernels_simd.c: the input row is copied once into scratch and reordered
 * for SXTB16, then four weight rows per pass (2 activation words, 4 weight words, 8 SXTB16, 8 SMLAD per
 * 16 MACs), two of the rows at a register offset K from the other two. SMLAD sums in 32 bits, in exact
 * chunks of at most 508 products (see the CONV_2D kernel), each added to the int64 accumulator. */
size_t ts_fc_s16_simd_scratch(const ts_fc_params *p)
{
    return (size_t)s16_round4(p->in_depth) * sizeof(int16_t);
}

void ts_fc_s16_simd(const ts_fc_params *p, const int16_t *in, const int8_t *w, const int64_t *bias, int16_t *out,
                    void *scratch)
{
    const int32_t K = p->in_depth, K4 = K & ~3, groups = K >> 2, out_depth = p->out_depth;
    const int32_t fo = p->filter_offset, act_min = p->act_min, act_max = p->act_max;
    const int32_t mult = p->mult[0], shift = p->shift[0];
    int16_t *col = (int16_t *)scratch;
    for (int32_t b = 0; b < p->batches; b++) {
        const int16_t *x = in + b * K;
        int64_t fo_term = 0;
        if (fo != 0) {
            int64_t xsum = 0;
            for (int32_t k = 0; k < K; k++) {
                xsum += x[k];
            }
            fo_term = fo * xsum;
        }
        memcpy(col, x, (size_t)K * sizeof(int16_t));
        s16_reorder(col, K4);
        int16_t *o = out + b * out_depth;
        int32_t oc = 0;
        for (; oc + 3 < out_depth; oc += 4) {
            const int8_t *w0 = w + oc * K;
            int64_t t0 = fo_term, t1 = fo_term, t2 = fo_term, t3 = fo_term;
            const int16_t *cp = col;
            const int8_t *wp = w0, *wq = w0 + 2 * K; /* rows 0, 1 at wp, wp + K; rows 2, 3 at wq, wq + K */
            for (int32_t g = 0; g < groups;) {
                const int32_t n = groups - g < S16_CHUNK ? groups - g : S16_CHUNK;
                int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
                for (int32_t i = 0; i < n; i++) {
                    const uint32_t ca = ts_ld32(cp), cb = ts_ld32(cp + 2);
                    uint32_t v = ts_ld32(wp);
                    a0 = ts_smlad(ts_sxtb16(v), ca, a0);
                    a0 = ts_smlad(ts_sxtb16_ror8(v), cb, a0);
                    v = ts_ld32(wp + K);
                    a1 = ts_smlad(ts_sxtb16(v), ca, a1);
                    a1 = ts_smlad(ts_sxtb16_ror8(v), cb, a1);
                    v = ts_ld32(wq);
                    a2 = ts_smlad(ts_sxtb16(v), ca, a2);
                    a2 = ts_smlad(ts_sxtb16_ror8(v), cb, a2);
                    v = ts_ld32(wq + K);
                    a3 = ts_smlad(ts_sxtb16(v), ca, a3);
                    a3 = ts_smlad(ts_sxtb16_ror8(v), cb, a3);
                    wp += 4;
                    wq += 4;
                    cp += 4;
                }
                t0 += a0;
                t1 += a1;
                t2 += a2;
                t3 += a3;
                g += n;
            }
            for (int32_t k = K4; k < K; k++) {
                t0 += w0[k] * col[k];
                t1 += w0[K + k] * col[k];
                t2 += w0[2 * K + k] * col[k];
                t3 += w0[3 * K + k] * col[k];
            }
            o[oc] = s16_out64(s16_wadd(t0, s16_bias64(bias, oc)), mult, shift, act_min, act_max);
            o[oc + 1] = s16_out64(s16_wadd(t1, s16_bias64(bias, oc + 1)), mult, shift, act_min, act_max);
            o[oc + 2] = s16_out64(s16_wadd(t2, s16_bias64(bias, oc + 2)), mult, shift, act_min, act_max);
            o[oc + 3] = s16_out64(s16_wadd(t3, s16_bias64(bias, oc + 3)), mult, shift, act_min, act_max);
        }
        for (; oc < out_depth; oc++) {
            const int8_t *w0 = w + oc * K;
            int64_t t0 = fo_term;
            const int16_t *cp = col;
            const int8_t *wp = w0;
            for (int32_t g = 0; g < groups;) {
                const int32_t n = groups - g < S16_CHUNK ? groups - g : S16_CHUNK;
                int32_t a0 = 0;
                for (int32_t i = 0; i < n; i++) {
                    const uint32_t v = ts_ld32(wp);
                    a0 = ts_smlad(ts_sxtb16(v), ts_ld32(cp), a0);
                    a0 = ts_smlad(ts_sxtb16_ror8(v), ts_ld32(cp + 2), a0);
                    wp += 4;
                    cp += 4;
                }
                t0 += a0;
                g += n;
            }
            for (int32_t k = K4; k < K; k++) {
                t0 += w0[k] * col[k];
            }
            o[oc] = s16_out64(s16_wadd(t0, s16_bias64(bias, oc)), mult, shift, act_min, act_max);
        }
    }
}

/* ======================= AVERAGE_POOL_2D / MAX_POOL_2D, int16 ======================= */

#define S16_POOL_WINDOW()                                                             \
    const int32_t iy0 = oy * p->stride_h - p->pad_h;                                  \
    const int32_t ix0 = ox * p->stride_w - p->pad_w;                                  \
    const int32_t fy0 = iy0 < 0 ? -iy0 : 0;                                           \
    const int32_t fy1 = (p->in_h - iy0) < p->k_h ? (p->in_h - iy0) : p->k_h;          \
    const int32_t fx0 = ix0 < 0 ? -ix0 : 0;                                           \
    const int32_t fx1 = (p->in_w - ix0) < p->k_w ? (p->in_w - ix0) : p->k_w;

void ts_avgpool_s16(const ts_pool_params *p, const int16_t *in, int16_t *out)
{
    const int32_t C = p->channels;
    for (int32_t b = 0; b < p->batches; b++) {
        for (int32_t oy = 0; oy < p->out_h; oy++) {
            for (int32_t ox = 0; ox < p->out_w; ox++) {
                S16_POOL_WINDOW()
                for (int32_t c = 0; c < C; c++) {
                    int32_t acc = 0;
                    int32_t count = 0;
                    for (int32_t fy = fy0; fy < fy1; fy++) {
                        for (int32_t fx = fx0; fx < fx1; fx++) {
                            acc += in[((b * p->in_h + iy0 + fy) * p->in_w + ix0 + fx) * C + c];
                            count++;
                        }
                    }
                    if (count == 0) {
                        count = 1; /* an empty window is rejected at prepare time */
                    }
                    acc = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
                    out[((b * p->out_h + oy) * p->out_w + ox) * C + c] = ts_clamp_s16(acc, p->act_min, p->act_max);
                }
            }
        }
    }
}

void ts_maxpool_s16(const ts_pool_params *p, const int16_t *in, int16_t *out)
{
    const int32_t C = p->channels;
    for (int32_t b = 0; b < p->batches; b++) {
        for (int32_t oy = 0; oy < p->out_h; oy++) {
            for (int32_t ox = 0; ox < p->out_w; ox++) {
                S16_POOL_WINDOW()
                for (int32_t c = 0; c < C; c++) {
                    int32_t m = -32768;
                    for (int32_t fy = fy0; fy < fy1; fy++) {
                        for (int32_t fx = fx0; fx < fx1; fx++) {
                            const int32_t v = in[((b * p->in_h + iy0 + fy) * p->in_w + ix0 + fx) * C + c];
                            m = v > m ? v : m;
                        }
                    }
                    out[((b * p->out_h + oy) * p->out_w + ox) * C + c] = ts_clamp_s16(m, p->act_min, p->act_max);
                }
            }
        }
    }
}

/* ======================= TRANSPOSE_CONV ======================= */

/* The output rows [*lo, *hi) of filter taps 0..k-1 from origin o0 that land inside [0, n). */
static inline void tconv_taps(int32_t o0, int32_t k, int32_t n, int32_t *lo, int32_t *hi)
{
    int32_t a = o0 < 0 ? -o0 : 0;
    int32_t b = n - o0 < k ? n - o0 : k;
    *lo = a;
    *hi = b > a ? b : a;
}

void ts_tconv_f32(const ts_tconv_params *p, const float *in, const float *w, const float *bias, float *out)
{
    const int32_t in_c = p->in_c, out_c = p->out_c, k_w = p->k_w, out_w = p->out_w;
    const uint32_t n_out = (uint32_t)p->batches * (uint32_t)p->out_h * (uint32_t)out_w * (uint32_t)out_c;
    for (uint32_t i = 0; i < n_out; i++) {
        out[i] = 0.0f;
    }
    const int32_t w_ocstep = p->k_h * k_w * in_c; /* filter [oc][fy][fx][ic] */
    for (int32_t b = 0; b < p->batches; b++) {
        for (int32_t iy = 0; iy < p->in_h; iy++) {
            const int32_t oy0 = iy * p->stride_h - p->pad_h;
            int32_t fy0, fy1;
            tconv_taps(oy0, p->k_h, p->out_h, &fy0, &fy1);
            for (int32_t ix = 0; ix < p->in_w; ix++) {
                const int32_t ox0 = ix * p->stride_w - p->pad_w;
                int32_t fx0, fx1;
                tconv_taps(ox0, k_w, out_w, &fx0, &fx1);
                const float *x = in + ((b * p->in_h + iy) * p->in_w + ix) * in_c;
                for (int32_t ic = 0; ic < in_c; ic++) {
                    const float xv = x[ic];
                    for (int32_t fy = fy0; fy < fy1; fy++) {
                        float *orow = out + ((b * p->out_h + oy0 + fy) * out_w + ox0) * out_c;
                        for (int32_t fx = fx0; fx < fx1; fx++) {
                            float *o = orow + fx * out_c;
                            const float *wp = w + (fy * k_w + fx) * in_c + ic;
                            for (int32_t oc = 0; oc < out_c; oc++) {
                                o[oc] = o[oc] + xv * wp[oc * w_ocstep];
                            }
                        }
                    }
                }
            }
        }
    }
    for (uint32_t i = 0; i < n_out; i++) {
        float acc = out[i];
        if (bias) {
            acc = acc + bias[i % (uint32_t)out_c];
        }
        out[i] = ts_act_f32(acc, p->fmin, p->fmax);
    }
}

void ts_tconv_s8(const ts_tconv_params *p, const int8_t *in, const int8_t *w, const int32_t *bias, int8_t *out,
                 int32_t *scratch)
{
    const int32_t in_c = p->in_c, out_c = p->out_c, k_w = p->k_w, out_w = p->out_w;
    const int32_t in_offset = p->in_offset;
    const uint32_t n_out = (uint32_t)p->batches * (uint32_t)p->out_h * (uint32_t)out_w * (uint32_t)out_c;
    uint32_t *acc = (uint32_t *)scratch; /* int32, wrapping */
    memset(acc, 0, n_out * sizeof(uint32_t));
    const int32_t w_ocstep = p->k_h * k_w * in_c;
    for (int32_t b = 0; b < p->batches; b++) {
        for (int32_t iy = 0; iy < p->in_h; iy++) {
            const int32_t oy0 = iy * p->stride_h - p->pad_h;
            int32_t fy0, fy1;
            tconv_taps(oy0, p->k_h, p->out_h, &fy0, &fy1);
            for (int32_t ix = 0; ix < p->in_w; ix++) {
                const int32_t ox0 = ix * p->stride_w - p->pad_w;
                int32_t fx0, fx1;
                tconv_taps(ox0, k_w, out_w, &fx0, &fx1);
                const int8_t *x = in + ((b * p->in_h + iy) * p->in_w + ix) * in_c;
                for (int32_t ic = 0; ic < in_c; ic++) {
                    const int32_t xv = x[ic] + in_offset;
                    for (int32_t fy = fy0; fy < fy1; fy++) {
                        uint32_t *arow = acc + ((b * p->out_h + oy0 + fy) * out_w + ox0) * out_c;
                        for (int32_t fx = fx0; fx < fx1; fx++) {
                            uint32_t *a = arow + fx * out_c;
                            const int8_t *wp = w + (fy * k_w + fx) * in_c + ic;
                            for (int32_t oc = 0; oc < out_c; oc++) {
                                a[oc] += (uint32_t)(xv * wp[oc * w_ocstep]);
                            }
                        }
                    }
                }
            }
        }
    }
    for (uint32_t i = 0; i < n_out; i++) {
        const int32_t oc = (int32_t)(i % (uint32_t)out_c);
        const uint32_t a = acc[i] + (bias ? (uint32_t)bias[oc] : 0u);
        int32_t v = ts_mbqm_pos((int32_t)a, p->mult[oc], p->shift[oc]) + p->out_offset;
        v = v < p->act_min ? p->act_min : v;
        out[i] = (int8_t)(v > p->act_max ? p->act_max : v);
    }
}

void ts_tconv_s16(const ts_tconv_params *p, const int16_t *in, const int8_t *w, const int64_t *bias64,
                  const int16_t *bias16, int16_t *out, int64_t *scratch)
{
    const int32_t in_c = p->in_c, out_c = p->out_c, k_w = p->k_w, out_w = p->out_w;
    const uint32_t n_out = (uint32_t)p->batches * (uint32_t)p->out_h * (uint32_t)out_w * (uint32_t)out_c;
    int64_t *acc = scratch;
    memset(acc, 0, n_out * sizeof(int64_t));
    const int32_t w_ocstep = p->k_h * k_w * in_c;
    for (int32_t b = 0; b < p->batches; b++) {
        for (int32_t iy = 0; iy < p->in_h; iy++) {
            const int32_t oy0 = iy * p->stride_h - p->pad_h;
            int32_t fy0, fy1;
            tconv_taps(oy0, p->k_h, p->out_h, &fy0, &fy1);
            for (int32_t ix = 0; ix < p->in_w; ix++) {
                const int32_t ox0 = ix * p->stride_w - p->pad_w;
                int32_t fx0, fx1;
                tconv_taps(ox0, k_w, out_w, &fx0, &fx1);
                const int16_t *x = in + ((b * p->in_h + iy) * p->in_w + ix) * in_c;
                for (int32_t ic = 0; ic < in_c; ic++) {
                    const int32_t xv = x[ic];
                    for (int32_t fy = fy0; fy < fy1; fy++) {
                        int64_t *arow = acc + ((b * p->out_h + oy0 + fy) * out_w + ox0) * out_c;
                        for (int32_t fx = fx0; fx < fx1; fx++) {
                            int64_t *a = arow + fx * out_c;
                            const int8_t *wp = w + (fy * k_w + fx) * in_c + ic;
                            for (int32_t oc = 0; oc < out_c; oc++) {
                                a[oc] += xv * wp[oc * w_ocstep];
                            }
                        }
                    }
                }
            }
        }
    }
    for (uint32_t i = 0; i < n_out; i++) {
        const int32_t oc = (int32_t)(i % (uint32_t)out_c);
        int64_t a = acc[i];
        if (bias64) {
            a = s16_wadd(a, ts_ld64(bias64 + oc));
        } else if (bias16) {
            a += bias16[oc];
        }
        out[i] = ts_clamp_s16(ts_mbqm64(a, p->mult[oc], p->shift[oc]), p->act_min, p->act_max);
    }
}

/* ======================= BATCH_MATMUL ======================= */

#define BMM_LOOP(...)                                                                                     \
    for (int32_t b0 = 0; b0 < p->batch[0]; b0++) {                                                        \
        for (int32_t b1 = 0; b1 < p->batch[1]; b1++) {                                                    \
            for (int32_t b2 = 0; b2 < p->batch[2]; b2++) {                                                \
                const int32_t lo = b0 * p->lstride[0] + b1 * p->lstride[1] + b2 * p->lstride[2];          \
                const int32_t ro = b0 * p->rstride[0] + b1 * p->rstride[1] + b2 * p->rstride[2];          \
                const int32_t oo = ((b0 * p->batch[1] + b1) * p->batch[2] + b2) * p->rows * p->cols;      \
                __VA_ARGS__                                                                               \
            }                                                                                             \
        }                                                                                                 \
    }

void ts_bmm_f32(const ts_bmm_params *p, const float *lhs, const float *rhs_t, float *out)
{
    const int32_t rows = p->rows, cols = p->cols, depth = p->depth;
    BMM_LOOP({
        for (int32_t a = 0; a < rows; a++) {
            const float *l = lhs + lo + a * depth;
            for (int32_t c = 0; c < cols; c++) {
                const float *r = rhs_t + ro + c * depth;
                float total = 0.0f;
                for (int32_t k = 0; k < depth; k++) {
                    total = total + l[k] * r[k];
                }
                out[oo + a * cols + c] = total;
            }
        }
    })
}

S16_AI int8_t bmm_out8(uint32_t total, const ts_bmm_params *p)
{
    int32_t v = ts_mbqm_pos((int32_t)total, p->mult, p->shift) + p->out_offset;
    v = v < p->act_min ? p->act_min : v;
    return (int8_t)(v > p->act_max ? p->act_max : v);
}

void ts_bmm_s8(const ts_bmm_params *p, const int8_t *lhs, const int8_t *rhs_t, int8_t *out)
{
    const int32_t rows = p->rows, cols = p->cols, depth = p->depth;
    const int32_t lof = p->lhs_offset, rof = p->rhs_offset;
    BMM_LOOP({
        for (int32_t a = 0; a < rows; a++) {
            const int8_t *l = lhs + lo + a * depth;
            for (int32_t c = 0; c < cols; c++) {
                const int8_t *r = rhs_t + ro + c * depth;
                uint32_t total = 0; /* int32, wrapping */
                S16_UNROLL(4)
                for (int32_t k = 0; k < depth; k++) {
                    total += (uint32_t)((r[k] + rof) * (l[k] + lof));
                }
                out[oo + a * cols + c] = bmm_out8(total, p);
            }
        }
    })
}

/* SIMD int8, as the int8 FULLY_CONNECTED kernel: each lhs row is expanded once to int16 with its
 * offset, l' = l + lhs_offset, reordered for SXTB16 (scratch: ts_bmm_s8_simd_scratch bytes); then
 * sum((r + rof) * l') = sum(r * l') + rof * sum(l') modulo 2^32 (TFLite's int32 accumulator wraps the
 * same way), two rhs columns per pass: 2 word loads of l', 2 of rhs, 4 extends, 4 SMLAD per 8 MACs. */
size_t ts_bmm_s8_simd_scratch(const ts_bmm_params *p)
{
    return (size_t)s16_round4(p->depth) * sizeof(int16_t);
}

void ts_bmm_s8_simd(const ts_bmm_params *p, const int8_t *lhs, const int8_t *rhs_t, int8_t *out, void *scratch)
{
    const int32_t rows = p->rows, cols = p->cols, depth = p->depth, d4 = depth & ~3;
    const int32_t lof = p->lhs_offset, rof = p->rhs_offset;
    const uint32_t off2 = ts_pack16(lof, lof);
    int16_t *col = (int16_t *)scratch;
    BMM_LOOP({
        for (int32_t a = 0; a < rows; a++) {
            const int8_t *l = lhs + lo + a * depth;
            for (int32_t k = 0; k < d4; k += 4) {
                const uint32_t v = ts_ld32(l + k);
                ts_st32(col + k, ts_sxtab16(off2, v));
                ts_st32(col + k + 2, ts_sxtab16_ror8(off2, v));
            }
            uint32_t lsum = 0;
            for (int32_t k = d4; k < depth; k++) {
                col[k] = (int16_t)(l[k] + lof);
            }
            if (rof != 0) {
                for (int32_t k = 0; k < depth; k++) {
                    lsum += (uint32_t)col[k];
                }
            }
            const int32_t base = (int32_t)((uint32_t)rof * lsum);
            int32_t c = 0;
            for (; c + 1 < cols; c += 2) {
                const int8_t *r0 = rhs_t + ro + c * depth, *r1 = r0 + depth;
                int32_t s0 = base, s1 = base;
                for (int32_t k = 0; k < d4; k += 4) {
                    const uint32_t c02 = ts_ld32(col + k), c13 = ts_ld32(col + k + 2);
                    const uint32_t v0 = ts_ld32(r0 + k), v1 = ts_ld32(r1 + k);
                    s0 = ts_smlad(ts_sxtb16(v0), c02, s0);
                    s0 = ts_smlad(ts_sxtb16_ror8(v0), c13, s0);
                    s1 = ts_smlad(ts_sxtb16(v1), c02, s1);
                    s1 = ts_smlad(ts_sxtb16_ror8(v1), c13, s1);
                }
                uint32_t t0 = (uint32_t)s0, t1 = (uint32_t)s1;
                for (int32_t k = d4; k < depth; k++) {
                    t0 += (uint32_t)(r0[k] * col[k]);
                    t1 += (uint32_t)(r1[k] * col[k]);
                }
                out[oo + a * cols + c] = bmm_out8(t0, p);
                out[oo + a * cols + c + 1] = bmm_out8(t1, p);
            }
            if (c < cols) {
                const int8_t *r0 = rhs_t + ro + c * depth;
                int32_t s0 = base;
                for (int32_t k = 0; k < d4; k += 4) {
                    const uint32_t v0 = ts_ld32(r0 + k);
                    s0 = ts_smlad(ts_sxtb16(v0), ts_ld32(col + k), s0);
                    s0 = ts_smlad(ts_sxtb16_ror8(v0), ts_ld32(col + k + 2), s0);
                }
                uint32_t t0 = (uint32_t)s0;
                for (int32_t k = d4; k < depth; k++) {
                    t0 += (uint32_t)(r0[k] * col[k]);
                }
                out[oo + a * cols + c] = bmm_out8(t0, p);
            }
        }
    })
}

/* int16: zero points are 0 (checked at prepare time), int64 accumulator */
void ts_bmm_s16(const ts_bmm_params *p, const int16_t *lhs, const int16_t *rhs_t, int16_t *out)
{
    const int32_t rows = p->rows, cols = p->cols, depth = p->depth;
    BMM_LOOP({
        for (int32_t a = 0; a < rows; a++) {
            const int16_t *l = lhs + lo + a * depth;
            for (int32_t c = 0; c < cols; c++) {
                const int16_t *r = rhs_t + ro + c * depth;
                int64_t total = 0;
                S16_UNROLL(4)
                for (int32_t k = 0; k < depth; k++) {
                    total += (int32_t)r[k] * (int32_t)l[k];
                }
                out[oo + a * cols + c] = s16_out64(total, p->mult, p->shift, p->act_min, p->act_max);
            }
        }
    })
}

/* SIMD int16: both operands are contiguous int16 runs, so one SMLALD takes two products
 * straight from two word loads. Two output columns per pass share the lhs loads. */
void ts_bmm_s16_simd(const ts_bmm_params *p, const int16_t *lhs, const int16_t *rhs_t, int16_t *out)
{
    const int32_t rows = p->rows, cols = p->cols, depth = p->depth, d2 = depth & ~1;
    BMM_LOOP({
        for (int32_t a = 0; a < rows; a++) {
            const int16_t *l = lhs + lo + a * depth;
            int32_t c = 0;
            for (; c + 1 < cols; c += 2) {
                const int16_t *r0 = rhs_t + ro + c * depth, *r1 = r0 + depth;
                int64_t t0 = 0, t1 = 0;
                for (int32_t k = 0; k < d2; k += 2) {
                    const uint32_t lv = ts_ld32(l + k);
                    t0 = s16_smlald(lv, ts_ld32(r0 + k), t0);
                    t1 = s16_smlald(lv, ts_ld32(r1 + k), t1);
                }
                if (d2 < depth) {
                    t0 += (int32_t)r0[d2] * (int32_t)l[d2];
                    t1 += (int32_t)r1[d2] * (int32_t)l[d2];
                }
                out[oo + a * cols + c] = s16_out64(t0, p->mult, p->shift, p->act_min, p->act_max);
                out[oo + a * cols + c + 1] = s16_out64(t1, p->mult, p->shift, p->act_min, p->act_max);
            }
            if (c < cols) {
                const int16_t *r0 = rhs_t + ro + c * depth;
                int64_t t0 = 0;
                for (int32_t k = 0; k < d2; k += 2) {
                    t0 = s16_smlald(ts_ld32(l + k), ts_ld32(r0 + k), t0);
                }
                if (d2 < depth) {
                    t0 += (int32_t)r0[d2] * (int32_t)l[d2];
                }
                out[oo + a * cols + c] = s16_out64(t0, p->mult, p->shift, p->act_min, p->act_max);
            }
        }
    })
}

void ts_transpose_rc(const void *src, void *dst, uint32_t esize, uint32_t nmat, uint32_t rows, uint32_t cols)
{
    const uint8_t *s = src;
    uint8_t *d = dst;
    const uint32_t msize = rows * cols * esize;
    for (uint32_t m = 0; m < nmat; m++) {
        for (uint32_t r = 0; r < rows; r++) {
            for (uint32_t c = 0; c < cols; c++) {
                memcpy(d + (c * rows + r) * esize, s + (r * cols + c) * esize, esize);
            }
        }
        s += msize;
        d += msize;
    }
}
