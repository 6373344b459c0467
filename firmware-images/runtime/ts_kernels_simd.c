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
    const int32_t K = p->k_h * p->k_w * p->in_c;
    size_t n = (size_t)2 * (size_t)round4(K) * sizeof(int16_t);
    if ((p->in_c & 3) != 0) {
        n += (size_t)round4(K); /* the byte staging buffer of the general im2col */
    }
    return n;
}

/* Expands the receptive field of output pixel (b, oy, ox) into slot `pix` (0 or 1) of buf.
 * With in_c % 4 == 0 every tap is whole groups of 4: 2 SXTAB16 per 4 values, taps in the
 * padding are zeros. Otherwise the field is first gathered as bytes in natural order into
 * `bytes` (a tap in the padding takes the input zero point, -in_offset, which the offset turns
 * into 0; it fits int8 because int8 zero points do), then expanded the same way, with the
 * K % 4 leftovers in natural order. */
static void im2col(const ts_conv_params *p, const int8_t *in, int32_t b, int32_t oy, int32_t ox, int16_t *buf,
                   int32_t pix, int8_t *bytes)
{
    const int32_t C = p->in_c, k_h = p->k_h, k_w = p->k_w, in_h = p->in_h, in_w = p->in_w;
    const int32_t dil_h = p->dil_h, dil_w = p->dil_w;
    const int32_t iy0 = oy * p->stride_h - p->pad_h;
    const int32_t ix0 = ox * p->stride_w - p->pad_w;
    const uint32_t off2 = ts_pack16(p->in_offset, p->in_offset);
    const int8_t *in_b = in + b * in_h * in_w * C;
    int16_t *dst = buf + 4 * pix;
    if ((C & 3) == 0) {
        for (int32_t ky = 0; ky < k_h; ky++) {
            const int32_t iy = iy0 + dil_h * ky;
            for (int32_t kx = 0; kx < k_w; kx++) {
                const int32_t ix = ix0 + dil_w * kx;
                if (iy < 0 || iy >= in_h || ix < 0 || ix >= in_w) {
                    for (int32_t c = 0; c < C; c += 4) {
                        ts_st32(dst, 0);
                        ts_st32(dst + 2, 0);
                        dst += 8;
                    }
                } else {
                    const int8_t *src = in_b + (iy * in_w + ix) * C;
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
    const int8_t zp = (int8_t)(-p->in_offset);
    int32_t kx0, kx1;
    ts_tap_window(ix0, dil_w, k_w, in_w, &kx0, &kx1);
    int8_t *bp = bytes;
    for (int32_t ky = 0; ky < k_h; ky++) {
        const int32_t iy = iy0 + dil_h * ky;
        if (iy < 0 || iy >= in_h || kx0 == kx1) {
            for (int32_t i = 0; i < k_w * C; i++) {
                *bp++ = zp;
            }
            continue;
        }
        for (int32_t i = 0; i < kx0 * C; i++) {
            *bp++ = zp;
        }
        const int8_t *src = in_b + (iy * in_w + ix0 + dil_w * kx0) * C;
        for (int32_t kx = kx0; kx < kx1; kx++) {
            for (int32_t c = 0; c < C; c++) {
                *bp++ = src[c];
            }
            src += dil_w * C;
        }
        for (int32_t i = kx1 * C; i < k_w * C; i++) {
            *bp++ = zp;
        }
    }
    const int32_t K = k_h * k_w * C, K4 = K & ~3;
    for (int32_t k = 0; k < K4; k += 4) {
        const uint32_t v = ts_ld32(bytes + k);
        ts_st32(dst, ts_sxtab16(off2, v));
        ts_st32(dst + 2, ts_sxtab16_ror8(off2, v));
        dst += 8;
    }
    for (int32_t k = K4; k < K; k++) {
        dst[k - K4] = (int16_t)(bytes[k] + p->in_offset);
    }
}

void ts_conv_s8_simd(const ts_conv_params *p, const int8_t *in, const int8_t *w, const int32_t *bias, int8_t *out, void *scratch)
{
    const int32_t K = p->k_h * p->k_w * p->in_c;
    const int32_t K4 = K & ~3;
    int16_t *buf = (int16_t *)scratch;
    int8_t *bytes = (int8_t *)(buf + 2 * round4(K)); /* im2col's staging buffer (in_c % 4 != 0) */
    const int16_t *tail = buf + (K4 >> 2) * 8; /* leftover values: tail[r] pixel 0, tail[4 + r] pixel 1 */
    const int32_t out_w = p->out_w;
    const int32_t npix = p->out_h * out_w;
    const int32_t OC = p->out_c;
    const int32_t out_offset = p->out_offset, act_min = p->act_min, act_max = p->act_max;
    const int32_t *mult = p->mult, *shift = p->shift;

    for (int32_t b = 0; b < p->batches; b++) {
        int8_t *ob = out + b * npix * OC;
        for (int32_t pix = 0; pix < npix; pix += 2) {
            const int two = pix + 1 < npix;
            im2col(p, in, b, pix / out_w, pix % out_w, buf, 0, bytes);
            if (two) {
                im2col(p, in, b, (pix + 1) / out_w, (pix + 1) % out_w, buf, 1, bytes);
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
                    if (bias) {
                        a00 = a01 = bias[oc];
                        a10 = a11 = bias[oc + 1];
                    }
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
                    for (int32_t k = K4; k < K; k++) {
                        const int32_t wv0 = wp[k - K4], wv1 = wp[K + k - K4];
                        a00 += wv0 * tail[k - K4];
                        a01 += wv0 * tail[4 + k - K4];
                        a10 += wv1 * tail[k - K4];
                        a11 += wv1 * tail[4 + k - K4];
                    }
                    o0[oc] = ts_requant_s8(a00, mult[oc], shift[oc], out_offset, act_min, act_max);
                    o1[oc] = ts_requant_s8(a01, mult[oc], shift[oc], out_offset, act_min, act_max);
                    o0[oc + 1] = ts_requant_s8(a10, mult[oc + 1], shift[oc + 1], out_offset, act_min, act_max);
                    o1[oc + 1] = ts_requant_s8(a11, mult[oc + 1], shift[oc + 1], out_offset, act_min, act_max);
                }
            }
            /* leftover channel, or a single leftover pixel: one pixel at a time */
            for (int32_t q = 0; q <= two; q++) {
                int8_t *o = q ? o1 : o0;
                for (int32_t c = oc; c < OC; c++) {
                    const int8_t *w0 = w + c * K;
                    const int16_t *cp = buf + 4 * q;
                    int32_t acc = bias ? bias[c] : 0;
                    for (int32_t k = 0; k < K4; k += 4) {
                        const uint32_t wa = ts_ld32(w0 + k);
                        acc = ts_smlad(ts_sxtb16(wa), ts_ld32(cp), acc);
                        acc = ts_smlad(ts_sxtb16_ror8(wa), ts_ld32(cp + 2), acc);
                        cp += 8;
                    }
                    for (int32_t k = K4; k < K; k++) {
                        acc += w0[k] * tail[4 * q + k - K4];
                    }
                    o[c] = ts_requant_s8(acc, mult[c], shift[c], out_offset, act_min, act_max);
                }
            }
        }
    }
}

/* ---------------- DEPTHWISE_CONV_2D ----------------
 * Two kernels, for depth_multiplier 1:
 *
 * 3x3, stride 1, no dilation (any channel count): channel-planar, along "lines" of the image:
 * its rows, or its columns when the output has more rows than columns (the filter is then used
 * transposed; KWS's 25x5 maps become 5 lines of 25 instead of 25 of 5, so the per-line work is
 * spread over more outputs). Per channel, each input line is expanded once to int16 with the
 * input offset added, zeros where the filter reaches into the padding (so no tap is tested),
 * into one of 3 rolling line buffers: plane line r is in buffer r % 3. The buffers are
 * interleaved by words (word j, i.e. positions 2j and 2j+1, of buffer k is word 3j + k), so
 * one pointer with constant offsets reaches all three. The filter's 3 lines are int16 pairs
 * F01 = [f0, f1] and F12 = [f1, f2], assigned per output line to the buffers holding plane lines
 * l, l+1, l+2. Two adjacent outputs read 2 words per filter line, A = [x0, x1], B = [x2, x3]:
 *     out0 += x0 f0 + x1 f1 + x2 f2 = SMLAD(A, F01)  + SMLABT(B, F12)
 *     out1 += x1 f0 + x2 f1 + x3 f2 = SMLATB(A, F01) + SMLAD(B, F12)
 * i.e. 6 word loads and 12 multiply-accumulates for 18 MACs (both sums start at the bias),
 * with the 6 filter words, the pointer and the two sums in registers: 26 instructions per pair
 * of outputs. The sums of one output line go to a small buffer and are requantized by a second
 * loop in which the channel's multiplier and shift stay in registers. Both loops are functions
 * of their own, so that the register allocator sees only their values (inlined, the channel
 * and line loops' variables pushed the filter words and the requantization constants onto the
 * stack). Requantization, ~22 instructions per output, is the larger part of the cost.
 *
 * Otherwise, channels % 4 == 0: 4 channels per step (NHWC), per filter tap inside the input one
 * word of 4 input channels and one of 4 filter values; SXTAB16 adds the input offset while it
 * sign-extends, SMLABB/SMLATT accumulate the 4 channels separately (4 MACs per 10 instructions).
 * The taps inside the input are computed once per output position. */

static int dw3x3s1(const ts_conv_params *p)
{
    return p->depth_multiplier == 1 && p->k_h == 3 && p->k_w == 3 && p->stride_h == 1 && p->stride_w == 1 &&
           p->dil_h == 1 && p->dil_w == 1;
}

/* The planar kernel's geometry: lines along x (rows) or along y (columns). */
typedef struct {
    int32_t lines, len;          /* output lines, outputs per line */
    int32_t in_lines, in_len;    /* the same for the input */
    int32_t pad_across, pad_along;
    int32_t in_across, in_along; /* input steps (bytes) between lines / along a line */
    int32_t out_across, out_along;
    int32_t f_across, f_along;   /* filter steps between lines / along a line (in taps) */
    int32_t words;               /* words per line buffer */
} dw_geo;

static void dw_geometry(const ts_conv_params *p, dw_geo *g)
{
    const int32_t C = p->in_c;
    if (p->out_h > p->out_w) { /* lines = image columns */
        g->lines = p->out_w, g->len = p->out_h, g->in_lines = p->in_w, g->in_len = p->in_h;
        g->pad_across = p->pad_w, g->pad_along = p->pad_h;
        g->in_across = C, g->in_along = p->in_w * C, g->out_across = C, g->out_along = p->out_w * C;
        g->f_across = 1, g->f_along = 3;
    } else {
        g->lines = p->out_h, g->len = p->out_w, g->in_lines = p->in_h, g->in_len = p->in_w;
        g->pad_across = p->pad_h, g->pad_along = p->pad_w;
        g->in_across = p->in_w * C, g->in_along = C, g->out_across = p->out_w * C, g->out_along = C;
        g->f_across = 3, g->f_along = 1;
    }
    /* >= (len + 3) / 2: the last pair reads positions up to 2 * ceil(len / 2) + 1;
     * >= (pad_along + in_len) / 2: the input positions */
    int32_t n = g->len + 3;
    if (g->pad_along + g->in_len > n) {
        n = g->pad_along + g->in_len;
    }
    g->words = (n + 1) >> 1;
}

int ts_dwconv_s8_simd_ok(const ts_conv_params *p)
{
    return p->depth_multiplier == 1 && (dw3x3s1(p) || (p->in_c & 3) == 0);
}

size_t ts_dwconv_s8_simd_scratch(const ts_conv_params *p)
{
    if (!dw3x3s1(p)) {
        return 0;
    }
    dw_geo g;
    dw_geometry(p, &g);
    /* 3 interleaved line buffers, then the int32 sums of one output line (rounded up to pairs) */
    return (size_t)3 * (size_t)g.words * 4u + (size_t)((g.len + 1) & ~1) * sizeof(int32_t);
}

/* Plane line r (input line r - pad_across, or zeros) into buffer k. Only the input positions
 * are written, by words where both positions are input positions: the padding positions of the
 * buffers are zeroed once per call and stay zero. */
static void dw_fill_line(const dw_geo *g, const int8_t *in_bc, int32_t r, int32_t k, int32_t off, int16_t *bufs)
{
    const int32_t il = r - g->pad_across, n = g->in_len, step = g->in_along;
    const int32_t q = g->pad_along;                  /* buffer position of input position 0 */
    int16_t *d = bufs + 2 * k + 6 * (q >> 1);        /* word j of buffer k: int16 6j + 2k */
    int32_t i = 0;
    if (il < 0 || il >= g->in_lines) {
        if (q & 1) {
            d[1] = 0;
            d += 6;
            i = 1;
        }
        for (; i + 1 < n; i += 2) {
            ts_st32(d, 0);
            d += 6;
        }
        if (i < n) {
            d[0] = 0;
        }
        return;
    }
    const int8_t *src = in_bc + il * g->in_across;
    if (q & 1) {
        d[1] = (int16_t)(src[0] + off);
        d += 6;
        src += step;
        i = 1;
    }
    for (; i + 1 < n; i += 2) {
        ts_st32(d, ts_pack16(src[0] + off, src[step] + off));
        src += 2 * step;
        d += 6;
    }
    if (i < n) {
        d[0] = (int16_t)(src[0] + off);
    }
}

/* The MAC loop of one output line: npairs pairs of sums (bias included) from the 3 interleaved
 * line buffers at q; g = the filter words F01, F12 of the lines in buffers 0, 1, 2. A function of
 * its own so that its 14 values get the 14 registers. */
static __attribute__((noinline)) void dw_mac_line(const int16_t *q, int32_t *s, int32_t npairs, const uint32_t *g,
                                                  int32_t bias)
{
    const uint32_t g01_0 = g[0], g12_0 = g[1], g01_1 = g[2], g12_1 = g[3], g01_2 = g[4], g12_2 = g[5];
    int32_t *const s_end = s + 2 * npairs;
    while (s != s_end) {
        uint32_t a = ts_ld32(q), bb = ts_ld32(q + 6);
        int32_t s0 = ts_smlad(a, g01_0, bias), s1 = ts_smlatb(a, g01_0, bias);
        s0 = ts_smlabt(bb, g12_0, s0);
        s1 = ts_smlad(bb, g12_0, s1);
        a = ts_ld32(q + 2);
        bb = ts_ld32(q + 8);
        s0 = ts_smlad(a, g01_1, s0);
        s1 = ts_smlatb(a, g01_1, s1);
        s0 = ts_smlabt(bb, g12_1, s0);
        s1 = ts_smlad(bb, g12_1, s1);
        a = ts_ld32(q + 4);
        bb = ts_ld32(q + 10);
        s0 = ts_smlad(a, g01_2, s0);
        s1 = ts_smlatb(a, g01_2, s1);
        s0 = ts_smlabt(bb, g12_2, s0);
        s1 = ts_smlad(bb, g12_2, s1);
        s[0] = s0;
        s[1] = s1;
        s += 2;
        q += 6;
    }
}

/* requantizes n sums of one output line of one channel, to o, o + step, ... (a function of its
 * own for the registers; without a left shift, the common case, one constant fewer) */
static __attribute__((noinline)) void dw_requant_line(const int32_t *sums, int32_t n, int8_t *o, int32_t step,
                                                      int32_t mult, int32_t shift, const ts_conv_params *p)
{
    const int32_t out_offset = p->out_offset, act_min = p->act_min, act_max = p->act_max;
    const int32_t *const end = sums + n;
    if (shift <= 0) {
        while (sums != end) {
            *o = ts_requant_s8(*sums++, mult, shift, out_offset, act_min, act_max);
            o += step;
        }
    } else {
        while (sums != end) {
            *o = ts_requant_s8(*sums++, mult, shift, out_offset, act_min, act_max);
            o += step;
        }
    }
}

static void dwconv_3x3s1(const ts_conv_params *p, const int8_t *in, const int8_t *w, const int32_t *bias,
                         int8_t *out, void *scratch)
{
    dw_geo g;
    dw_geometry(p, &g);
    const int32_t C = p->in_c, off = p->in_offset;
    const int32_t npairs = (g.len + 1) >> 1;
    int16_t *bufs = (int16_t *)scratch;
    int32_t *sums = (int32_t *)scratch + 3 * g.words;
    for (int32_t i = 0; i < 6 * g.words; i++) {
        bufs[i] = 0;
    }
    for (int32_t b = 0; b < p->batches; b++) {
        const int8_t *in_b = in + b * p->in_h * p->in_w * C;
        int8_t *out_b = out + b * p->out_h * p->out_w * C;
        for (int32_t c = 0; c < C; c++) {
            /* filter line i, position j: tap f[(i * f_across + j * f_along) * C]. fw holds the
             * words of lines 0, 1, 2, 0, 1: buffer m of output line l (l % 3 = k) holds plane
             * line l + ((m - k) mod 3), so buffers 0, 1, 2 take fw + 2 * ((3 - k) % 3). */
            const int8_t *f = w + c;
            uint32_t fw[10];
            for (int32_t i = 0; i < 3; i++) {
                const int32_t t0 = i * g.f_across;
                fw[2 * i] = ts_pack16(f[t0 * C], f[(t0 + g.f_along) * C]);
                fw[2 * i + 1] = ts_pack16(f[(t0 + g.f_along) * C], f[(t0 + 2 * g.f_along) * C]);
            }
            for (int32_t i = 0; i < 4; i++) {
                fw[6 + i] = fw[i];
            }
            const int32_t bc = bias ? bias[c] : 0, mc = p->mult[c], sc = p->shift[c];
            dw_fill_line(&g, in_b + c, 0, 0, off, bufs);
            dw_fill_line(&g, in_b + c, 1, 1, off, bufs);
            int8_t *o = out_b + c;
            int32_t k = 0; /* buffer of plane line l */
            for (int32_t l = 0; l < g.lines; l++) {
                dw_fill_line(&g, in_b + c, l + 2, k == 0 ? 2 : k - 1, off, bufs);
                dw_mac_line(bufs, sums, npairs, fw + (k == 0 ? 0 : 6 - 2 * k), bc);
                dw_requant_line(sums, g.len, o + l * g.out_across, g.out_along, mc, sc, p);
                k = k == 2 ? 0 : k + 1;
            }
        }
    }
}

static void dwconv_4ch(const ts_conv_params *p, const int8_t *in, const int8_t *w, const int32_t *bias, int8_t *out)
{
    const int32_t C = p->in_c;
    const int32_t in_h = p->in_h, in_w = p->in_w, out_h = p->out_h, out_w = p->out_w;
    const int32_t k_h = p->k_h, k_w = p->k_w;
    const int32_t stride_h = p->stride_h, stride_w = p->stride_w, dil_h = p->dil_h, dil_w = p->dil_w;
    const int32_t pad_h = p->pad_h, pad_w = p->pad_w;
    const int32_t out_offset = p->out_offset, act_min = p->act_min, act_max = p->act_max;
    const int32_t *mult = p->mult, *shift = p->shift;
    const uint32_t off2 = ts_pack16(p->in_offset, p->in_offset);
    const int32_t in_xstep = dil_w * C, in_ystep = dil_h * in_w * C, w_ystep = k_w * C;
    for (int32_t b = 0; b < p->batches; b++) {
        const int8_t *in_b = in + b * in_h * in_w * C;
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
                int8_t *o = out + ((b * out_h + oy) * out_w + ox) * C;
                /* the first tap inside the input; the row steps skip the taps outside */
                const int8_t *in0 = in_b + (nky > 0 ? ((iy0 + dil_h * ky0) * in_w + ix0 + dil_w * kx0) * C : 0);
                const int8_t *w0 = w + (ky0 * k_w + kx0) * C;
                const int32_t in_rowskip = in_ystep - nkx * in_xstep, w_rowskip = w_ystep - nkx * C;
                for (int32_t c = 0; c < C; c += 4) {
                    int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
                    if (bias) {
                        a0 = bias[c];
                        a1 = bias[c + 1];
                        a2 = bias[c + 2];
                        a3 = bias[c + 3];
                    }
                    const int8_t *ip = in0 + c, *wp = w0 + c;
                    for (int32_t ky = nky; ky > 0; ky--) {
                        for (int32_t kx = nkx; kx > 0; kx--) {
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
                        ip += in_rowskip;
                        wp += w_rowskip;
                    }
                    o[c] = ts_requant_s8(a0, mult[c], shift[c], out_offset, act_min, act_max);
                    o[c + 1] = ts_requant_s8(a1, mult[c + 1], shift[c + 1], out_offset, act_min, act_max);
                    o[c + 2] = ts_requant_s8(a2, mult[c + 2], shift[c + 2], out_offset, act_min, act_max);
                    o[c + 3] = ts_requant_s8(a3, mult[c + 3], shift[c + 3], out_offset, act_min, act_max);
                }
            }
        }
    }
}

void ts_dwconv_s8_simd(const ts_conv_params *p, const int8_t *in, const int8_t *w, const int32_t *bias, int8_t *out, void *scratch)
{
    if (dw3x3s1(p)) {
        dwconv_3x3s1(p, in, w, bias, out, scratch);
    } else {
        dwconv_4ch(p, in, w, bias, out);
    }
}

/* ---------------- FULLY_CONNECTED: input expanded once, 2 weight rows per step ---------------- */

size_t ts_fc_s8_simd_scratch(const ts_fc_params *p)
{
    return (size_t)round4(p->in_depth) * sizeof(int16_t);
}

void ts_fc_s8_simd(const ts_fc_params *p, const int8_t *in, const int8_t *w, const int32_t *bias, int8_t *out, void *scratch)
{
    const int32_t K = p->in_depth;
    const int32_t K4 = K & ~3;
    const int32_t out_depth = p->out_depth;
    const int32_t in_offset = p->in_offset, filter_offset = p->filter_offset;
    const int32_t out_offset = p->out_offset, act_min = p->act_min, act_max = p->act_max;
    const int32_t *mult = p->mult, *shift = p->shift;
    const int32_t mstep = p->per_channel ? 1 : 0;
    int16_t *col = (int16_t *)scratch;
    const uint32_t off2 = ts_pack16(in_offset, in_offset);
    for (int32_t b = 0; b < p->batches; b++) {
        const int8_t *x = in + b * K;
        int32_t colsum = 0; /* sum of (x + in_offset), for a non-zero filter offset */
        for (int32_t k = 0; k < K4; k += 4) {
            const uint32_t v = ts_ld32(x + k);
            ts_st32(col + k, ts_sxtab16(off2, v));
            ts_st32(col + k + 2, ts_sxtab16_ror8(off2, v));
        }
        for (int32_t k = K4; k < K; k++) {
            col[k] = (int16_t)(x[k] + in_offset);
        }
        if (filter_offset != 0) {
            for (int32_t k = 0; k < K; k++) {
                colsum += col[k];
            }
        }
        const int32_t fo_sum = filter_offset * colsum;
        int8_t *o = out + b * out_depth;
        int32_t oc = 0;
        /* 4 weight rows per step: each pair of column words serves 16 MACs */
        for (; oc + 3 < out_depth; oc += 4) {
            const int8_t *w0 = w + oc * K;
            const int8_t *const wend = w0 + K4;
            int32_t a0 = fo_sum, a1 = fo_sum, a2 = fo_sum, a3 = fo_sum;
            if (bias) {
                a0 += bias[oc];
                a1 += bias[oc + 1];
                a2 += bias[oc + 2];
                a3 += bias[oc + 3];
            }
            const int16_t *cp = col;
            const int8_t *wp = w0, *wq = w0 + 2 * K; /* rows 0, 1 at wp, wp + K; rows 2, 3 at wq, wq + K */
            while (wp != wend) {
                const uint32_t ca = ts_ld32(cp), cb = ts_ld32(cp + 2);
                uint32_t wv = ts_ld32(wp);
                a0 = ts_smlad(ts_sxtb16(wv), ca, a0);
                a0 = ts_smlad(ts_sxtb16_ror8(wv), cb, a0);
                wv = ts_ld32(wp + K);
                a1 = ts_smlad(ts_sxtb16(wv), ca, a1);
                a1 = ts_smlad(ts_sxtb16_ror8(wv), cb, a1);
                wv = ts_ld32(wq);
                a2 = ts_smlad(ts_sxtb16(wv), ca, a2);
                a2 = ts_smlad(ts_sxtb16_ror8(wv), cb, a2);
                wv = ts_ld32(wq + K);
                a3 = ts_smlad(ts_sxtb16(wv), ca, a3);
                a3 = ts_smlad(ts_sxtb16_ror8(wv), cb, a3);
                wp += 4;
                wq += 4;
                cp += 4;
            }
            for (int32_t k = K4; k < K; k++) {
                a0 += w0[k] * col[k];
                a1 += w0[K + k] * col[k];
                a2 += w0[2 * K + k] * col[k];
                a3 += w0[3 * K + k] * col[k];
            }
            o[oc] = ts_requant_s8(a0, mult[oc * mstep], shift[oc * mstep], out_offset, act_min, act_max);
            o[oc + 1] = ts_requant_s8(a1, mult[(oc + 1) * mstep], shift[(oc + 1) * mstep], out_offset, act_min, act_max);
            o[oc + 2] = ts_requant_s8(a2, mult[(oc + 2) * mstep], shift[(oc + 2) * mstep], out_offset, act_min, act_max);
            o[oc + 3] = ts_requant_s8(a3, mult[(oc + 3) * mstep], shift[(oc + 3) * mstep], out_offset, act_min, act_max);
        }
        for (; oc + 1 < out_depth; oc += 2) {
            const int8_t *w0 = w + oc * K;
            const int8_t *w1 = w0 + K;
            int32_t a0 = fo_sum, a1 = fo_sum;
            if (bias) {
                a0 += bias[oc];
                a1 += bias[oc + 1];
            }
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
            o[oc] = ts_requant_s8(a0, mult[oc * mstep], shift[oc * mstep], out_offset, act_min, act_max);
            o[oc + 1] = ts_requant_s8(a1, mult[(oc + 1) * mstep], shift[(oc + 1) * mstep], out_offset, act_min, act_max);
        }
        for (; oc < out_depth; oc++) {
            const int8_t *w0 = w + oc * K;
            int32_t a0 = fo_sum + (bias ? bias[oc] : 0);
            for (int32_t k = 0; k < K4; k += 4) {
                const uint32_t wa = ts_ld32(w0 + k);
                a0 = ts_smlad(ts_sxtb16(wa), ts_ld32(col + k), a0);
                a0 = ts_smlad(ts_sxtb16_ror8(wa), ts_ld32(col + k + 2), a0);
            }
            for (int32_t k = K4; k < K; k++) {
                a0 += w0[k] * col[k];
            }
            o[oc] = ts_requant_s8(a0, mult[oc * mstep], shift[oc * mstep], out_offset, act_min, act_max);
        }
    }
}
