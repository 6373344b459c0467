/* int8 kernels for the Cortex-M4 DSP extension (SXTB16/SXTAB16 + SMLAD/SMLABB/SMLATT), after
 * the ideas of CMSIS-NN (Lai, Suda, Chandra 2018): expand int8 to int16 pairs once, then do two
 * multiply-accumulates per instruction. Results equal the reference kernels exactly: every sum
 * is an exact integer sum of the same products, only in another order.
 *
 * The "reordered" int16 layout: a group of 4 consecutive int8 values v0 v1 v2 v3 is stored as
 * the int16 sequence v0 v2 v1 v3, i.e. the words [v0,v2] and [v1,v3]. That is what SXTB16 and
 * SXTB16-ROR8 produce from the 4 packed filter bytes, so each 4 filter bytes need 1 load and
 * 2 extends, and no repacking, to meet their 4 activations. */
#include "ts_kernels.h"
#include "ts_dsp.h"
#include "ts_quant.h"

static inline int8_t requant(int32_t acc, int32_t mult, int32_t shift, const ts_conv_params *p)
{
    acc = ts_mbqm(acc, mult, shift) + p->out_offset;
    acc = acc < p->act_min ? p->act_min : acc;
    acc = acc > p->act_max ? p->act_max : acc;
    return (int8_t)acc;
}

/* ---------------- CONV_2D: im2col of 2 output pixels + 2x2 register-blocked MAC kernel --------
 * The receptive fields (K = k_h * k_w * in_c values) of two output pixels are expanded to int16
 * (input offset added, 0 for padding) into one buffer, interleaved by groups of 4:
 *     [pixel 0: k0 k2 k1 k3][pixel 1: k0 k2 k1 k3][pixel 0: k4 k6 k5 k7][pixel 1: ...] ...
 * so that the MAC loop walks a single pointer. The K % 4 leftover values follow, in natural
 * order, at the same interleaving (4 slots per pixel). Each step of the inner loop takes 4
 * filter bytes of 2 output channels and the 4 values of 2 pixels: 2 word loads of filter,
 * 4 SXTB16, 4 word loads of activations, 8 SMLAD = 16 MACs. */

static inline int32_t round4(int32_t n) { return (n + 3) & ~3; }

size_t ts_conv_s8_simd_scratch(const ts_conv_params *p)
{
    return (size_t)2 * (size_t)round4(p->k_h * p->k_w * p->in_c) * sizeof(int16_t);
}

static const uint8_t perm4[4] = { 0, 2, 1, 3 };

/* Expands the receptive field of output pixel (b, oy, ox) into slot `pix` (0 or 1) of buf. */
static void im2col(const ts_conv_params *p, const int8_t *in, int32_t b, int32_t oy, int32_t ox, int16_t *buf, int32_t pix)
{
    const int32_t C = p->in_c;
    const int32_t K4 = (p->k_h * p->k_w * C) & ~3;
    const int32_t iy0 = oy * p->stride_h - p->pad_h;
    const int32_t ix0 = ox * p->stride_w - p->pad_w;
    int16_t *dst = buf + 4 * pix;
    if ((C & 3) == 0) {
        /* whole groups of 4 per tap: expand + reorder with 2 SXTAB16 per 4 values */
        const uint32_t off2 = ts_pack16(p->in_offset, p->in_offset);
        for (int32_t ky = 0; ky < p->k_h; ky++) {
            const int32_t iy = iy0 + p->dil_h * ky;
            for (int32_t kx = 0; kx < p->k_w; kx++) {
                const int32_t ix = ix0 + p->dil_w * kx;
                if (iy < 0 || iy >= p->in_h || ix < 0 || ix >= p->in_w) {
                    for (int32_t c = 0; c < C; c += 4) {
                        ts_st32(dst, 0);
                        ts_st32(dst + 2, 0);
                        dst += 8;
                    }
                } else {
                    const int8_t *src = in + ((b * p->in_h + iy) * p->in_w + ix) * C;
                    for (int32_t c = 0; c < C; c += 4) {
                        const uint32_t v = ts_ld32(src + c);
                        ts_st32(dst, ts_sxtab16(off2, v));          /* [v0, v2] */
                        ts_st32(dst + 2, ts_sxtab16_ror8(off2, v)); /* [v1, v3] */
                        dst += 8;
                    }
                }
            }
        }
        return;
    }
    /* any channel count: value k goes to group k/4, position perm4[k%4] (natural in the tail) */
    int32_t k = 0;
    for (int32_t ky = 0; ky < p->k_h; ky++) {
        const int32_t iy = iy0 + p->dil_h * ky;
        for (int32_t kx = 0; kx < p->k_w; kx++) {
            const int32_t ix = ix0 + p->dil_w * kx;
            const int inside = !(iy < 0 || iy >= p->in_h || ix < 0 || ix >= p->in_w);
            const int8_t *src = in + ((b * p->in_h + iy) * p->in_w + ix) * C;
            for (int32_t c = 0; c < C; c++, k++) {
                const int32_t pos = (k >> 2) * 8 + (k < K4 ? perm4[k & 3] : (k & 3));
                dst[pos] = inside ? (int16_t)(src[c] + p->in_offset) : 0;
            }
        }
    }
}

void ts_conv_s8_simd(const ts_conv_params *p, const int8_t *in, const int8_t *w, const int32_t *bias, int8_t *out, void *scratch)
{
    const int32_t K = p->k_h * p->k_w * p->in_c;
    const int32_t K4 = K & ~3;
    int16_t *buf = (int16_t *)scratch;
    const int16_t *tail = buf + (K4 >> 2) * 8; /* leftover values: tail[r] pixel 0, tail[4 + r] pixel 1 */
    const int32_t npix = p->out_h * p->out_w;
    const int32_t OC = p->out_c;

    for (int32_t b = 0; b < p->batches; b++) {
        int8_t *ob = out + b * npix * OC;
        for (int32_t pix = 0; pix < npix; pix += 2) {
            const int two = pix + 1 < npix;
            im2col(p, in, b, pix / p->out_w, pix % p->out_w, buf, 0);
            if (two) {
                im2col(p, in, b, (pix + 1) / p->out_w, (pix + 1) % p->out_w, buf, 1);
            }
            int8_t *o0 = ob + pix * OC;
            int8_t *o1 = o0 + OC;
            int32_t oc = 0;
            if (two) {
                for (; oc + 1 < OC; oc += 2) {
                    const int8_t *wp = w + oc * K;
                    const int8_t *wend = wp + K4;
                    const int16_t *cp = buf;
                    int32_t a00 = 0, a01 = 0, a10 = 0, a11 = 0; /* a<channel><pixel> */
                    while (wp != wend) {
                        const uint32_t wa = ts_ld32(wp);
                        const uint32_t wb = ts_ld32(wp + K);
                        wp += 4;
                        const uint32_t wa02 = ts_sxtb16(wa), wb02 = ts_sxtb16(wb);
                        const uint32_t wa13 = ts_sxtb16_ror8(wa), wb13 = ts_sxtb16_ror8(wb);
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
                    const int8_t *w0 = w + oc * K;
                    for (int32_t k = K4; k < K; k++) {
                        const int32_t wv0 = w0[k], wv1 = w0[K + k];
                        a00 += wv0 * tail[k - K4];
                        a01 += wv0 * tail[4 + k - K4];
                        a10 += wv1 * tail[k - K4];
                        a11 += wv1 * tail[4 + k - K4];
                    }
                    if (bias) {
                        a00 += bias[oc];
                        a01 += bias[oc];
                        a10 += bias[oc + 1];
                        a11 += bias[oc + 1];
                    }
                    o0[oc] = requant(a00, p->mult[oc], p->shift[oc], p);
                    o1[oc] = requant(a01, p->mult[oc], p->shift[oc], p);
                    o0[oc + 1] = requant(a10, p->mult[oc + 1], p->shift[oc + 1], p);
                    o1[oc + 1] = requant(a11, p->mult[oc + 1], p->shift[oc + 1], p);
                }
            }
            /* leftover channel, or a single leftover pixel: one pixel at a time */
            for (int32_t q = 0; q <= two; q++) {
                int8_t *o = q ? o1 : o0;
                for (int32_t c = oc; c < OC; c++) {
                    const int8_t *w0 = w + c * K;
                    const int16_t *cp = buf + 4 * q;
                    int32_t acc = 0;
                    for (int32_t k = 0; k < K4; k += 4) {
                        const uint32_t wa = ts_ld32(w0 + k);
                        acc = ts_smlad(ts_sxtb16(wa), ts_ld32(cp), acc);
                        acc = ts_smlad(ts_sxtb16_ror8(wa), ts_ld32(cp + 2), acc);
                        cp += 8;
                    }
                    for (int32_t k = K4; k < K; k++) {
                        acc += w0[k] * tail[4 * q + k - K4];
                    }
                    if (bias) {
                        acc += bias[c];
                    }
                    o[c] = requant(acc, p->mult[c], p->shift[c], p);
                }
            }
        }
    }
}

/* ---------------- DEPTHWISE_CONV_2D: 4 channels per step, SMLABB/SMLATT ----------------
 * depth_multiplier 1 and a channel count that is a multiple of 4: per filter tap, one word of
 * 4 input channels and one word of 4 filter values; SXTAB16 adds the input offset while it
 * extends, and 4 single MACs on the halves accumulate the 4 channels separately. */

int ts_dwconv_s8_simd_ok(const ts_conv_params *p)
{
    return p->depth_multiplier == 1 && (p->in_c & 3) == 0;
}

void ts_dwconv_s8_simd(const ts_conv_params *p, const int8_t *in, const int8_t *w, const int32_t *bias, int8_t *out)
{
    const int32_t C = p->in_c;
    const uint32_t off2 = ts_pack16(p->in_offset, p->in_offset);
    for (int32_t b = 0; b < p->batches; b++) {
        for (int32_t oy = 0; oy < p->out_h; oy++) {
            const int32_t iy0 = oy * p->stride_h - p->pad_h;
            /* filter rows inside the image */
            int32_t ky0 = 0, ky1 = p->k_h;
            while (ky0 < ky1 && iy0 + p->dil_h * ky0 < 0) {
                ky0++;
            }
            while (ky1 > ky0 && iy0 + p->dil_h * (ky1 - 1) >= p->in_h) {
                ky1--;
            }
            for (int32_t ox = 0; ox < p->out_w; ox++) {
                const int32_t ix0 = ox * p->stride_w - p->pad_w;
                int32_t kx0 = 0, kx1 = p->k_w;
                while (kx0 < kx1 && ix0 + p->dil_w * kx0 < 0) {
                    kx0++;
                }
                while (kx1 > kx0 && ix0 + p->dil_w * (kx1 - 1) >= p->in_w) {
                    kx1--;
                }
                int8_t *o = out + ((b * p->out_h + oy) * p->out_w + ox) * C;
                /* pointers and steps of the taps inside the image */
                const int8_t *in0 = in + ((b * p->in_h + iy0 + p->dil_h * ky0) * p->in_w + ix0 + p->dil_w * kx0) * C;
                const int8_t *w0 = w + (ky0 * p->k_w + kx0) * C;
                const int32_t nky = ky1 - ky0, nkx = kx1 - kx0;
                const int32_t in_xstep = p->dil_w * C, in_ystep = p->dil_h * p->in_w * C;
                const int32_t w_ystep = p->k_w * C;
                for (int32_t c = 0; c < C; c += 4) {
                    int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
                    const int8_t *irow = in0 + c, *wrow = w0 + c;
                    for (int32_t ky = 0; ky < nky; ky++) {
                        const int8_t *ip = irow, *wp = wrow;
                        for (int32_t kx = 0; kx < nkx; kx++) {
                            const uint32_t x = ts_ld32(ip);
                            const uint32_t f = ts_ld32(wp);
                            ip += in_xstep;
                            wp += C;
                            const uint32_t x02 = ts_sxtab16(off2, x), x13 = ts_sxtab16_ror8(off2, x);
                            const uint32_t f02 = ts_sxtb16(f), f13 = ts_sxtb16_ror8(f);
                            a0 = ts_smlabb(x02, f02, a0);
                            a2 = ts_smlatt(x02, f02, a2);
                            a1 = ts_smlabb(x13, f13, a1);
                            a3 = ts_smlatt(x13, f13, a3);
                        }
                        irow += in_ystep;
                        wrow += w_ystep;
                    }
                    if (bias) {
                        a0 += bias[c];
                        a1 += bias[c + 1];
                        a2 += bias[c + 2];
                        a3 += bias[c + 3];
                    }
                    o[c] = requant(a0, p->mult[c], p->shift[c], p);
                    o[c + 1] = requant(a1, p->mult[c + 1], p->shift[c + 1], p);
                    o[c + 2] = requant(a2, p->mult[c + 2], p->shift[c + 2], p);
                    o[c + 3] = requant(a3, p->mult[c + 3], p->shift[c + 3], p);
                }
            }
        }
    }
}

/* ---------------- FULLY_CONNECTED: input expanded once, 2 weight rows per step ---------------- */

size_t ts_fc_s8_simd_scratch(const ts_fc_params *p)
{
    return (size_t)round4(p->in_depth) * sizeof(int16_t);
}

static inline int8_t fc_requant(int32_t acc, const ts_fc_params *p, int32_t oc)
{
    const int32_t ch = p->per_channel ? oc : 0;
    acc = ts_mbqm(acc, p->mult[ch], p->shift[ch]) + p->out_offset;
    acc = acc < p->act_min ? p->act_min : acc;
    acc = acc > p->act_max ? p->act_max : acc;
    return (int8_t)acc;
}

void ts_fc_s8_simd(const ts_fc_params *p, const int8_t *in, const int8_t *w, const int32_t *bias, int8_t *out, void *scratch)
{
    const int32_t K = p->in_depth;
    const int32_t K4 = K & ~3;
    int16_t *col = (int16_t *)scratch;
    const uint32_t off2 = ts_pack16(p->in_offset, p->in_offset);
    for (int32_t b = 0; b < p->batches; b++) {
        const int8_t *x = in + b * K;
        int32_t colsum = 0; /* sum of (x + in_offset), for a non-zero filter offset */
        for (int32_t k = 0; k < K4; k += 4) {
            const uint32_t v = ts_ld32(x + k);
            ts_st32(col + k, ts_sxtab16(off2, v));
            ts_st32(col + k + 2, ts_sxtab16_ror8(off2, v));
        }
        for (int32_t k = K4; k < K; k++) {
            col[k] = (int16_t)(x[k] + p->in_offset);
        }
        if (p->filter_offset != 0) {
            for (int32_t k = 0; k < K; k++) {
                colsum += col[k];
            }
        }
        const int32_t fo_sum = p->filter_offset * colsum;
        int8_t *o = out + b * p->out_depth;
        int32_t oc = 0;
        for (; oc + 1 < p->out_depth; oc += 2) {
            const int8_t *w0 = w + oc * K;
            const int8_t *w1 = w0 + K;
            int32_t a0 = fo_sum, a1 = fo_sum;
            for (int32_t k = 0; k < K4; k += 4) {
                const uint32_t wa = ts_ld32(w0 + k);
                const uint32_t wb = ts_ld32(w1 + k);
                const uint32_t ca = ts_ld32(col + k), cb = ts_ld32(col + k + 2);
                a0 = ts_smlad(ts_sxtb16(wa), ca, a0);
                a0 = ts_smlad(ts_sxtb16_ror8(wa), cb, a0);
                a1 = ts_smlad(ts_sxtb16(wb), ca, a1);
                a1 = ts_smlad(ts_sxtb16_ror8(wb), cb, a1);
            }
            for (int32_t k = K4; k < K; k++) {
                a0 += w0[k] * col[k];
                a1 += w1[k] * col[k];
            }
            if (bias) {
                a0 += bias[oc];
                a1 += bias[oc + 1];
            }
            o[oc] = fc_requant(a0, p, oc);
            o[oc + 1] = fc_requant(a1, p, oc + 1);
        }
        for (; oc < p->out_depth; oc++) {
            const int8_t *w0 = w + oc * K;
            int32_t a0 = fo_sum;
            for (int32_t k = 0; k < K4; k += 4) {
                const uint32_t wa = ts_ld32(w0 + k);
                a0 = ts_smlad(ts_sxtb16(wa), ts_ld32(col + k), a0);
                a0 = ts_smlad(ts_sxtb16_ror8(wa), ts_ld32(col + k + 2), a0);
            }
            for (int32_t k = K4; k < K; k++) {
                a0 += w0[k] * col[k];
            }
            if (bias) {
                a0 += bias[oc];
            }
            o[oc] = fc_requant(a0, p, oc);
        }
    }
}
