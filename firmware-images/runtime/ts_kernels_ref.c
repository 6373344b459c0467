/* Reference kernels: plain C with TensorFlow Lite's reference arithmetic
 * (reference_integer_ops::ConvPerChannel, DepthwiseConvPerChannel, FullyConnected, AveragePool,
 * MaxPool; reference_ops::Conv, DepthwiseConv, FullyConnected, AveragePool, MaxPool for float).
 * Float loops keep TFLite's loop order and order of additions, so results are bit-identical to
 * any implementation that keeps it (and does not fuse multiply-adds). int8 sums are exact, so
 * the int8 kernels may add in another order (see below). */
#include <string.h>
#include "ts_kernels.h"
#include "ts_quant.h"

static inline int32_t clamp_i32(int32_t v, int32_t lo, int32_t hi)
{
    v = v < lo ? lo : v;
    return v > hi ? hi : v;
}

/* ---- int8 ----
 * The plain-C baseline that the DSP-extension kernels (ts_kernels_simd.c) are measured
 * against: one MAC per source-level iteration, acc += filter * (input + input_offset) in int32,
 * no DSP instruction, no packing of two values into one register. What a competent
 * implementation of TFLite's reference loops does beyond a literal transcription:
 *  - every parameter is read into a local once (the int8 output stores may alias anything, so
 *    the compiler would otherwise reload them after every store);
 *  - the filter taps inside the input are computed once per output position (ts_tap_window)
 *    instead of testing every tap; pointers are stepped instead of recomputing NHWC indices;
 *  - the accumulator starts at the bias and is requantized once, with the per-channel
 *    multiplier and shift computed at prepare time;
 *  - the innermost loop runs over a contiguous dimension (CONV_2D without dilation and groups:
 *    a whole filter row, nkx * in_c values; DEPTHWISE_CONV_2D: the channels);
 *  - that loop is unrolled 4 times by the compiler (TS_REF_UNROLL, a GCC pragma; the source
 *    stays a one-MAC loop). GCC does not unroll at -O2, while Clang and Arm Compiler 6 (LLVM)
 *    unroll small loops 4 times by default for M-profile Thumb-2 cores at -O2
 *    (ARMTTIImpl::getUnrollingPreferences: runtime unroll count 4, off only for -Os/-Oz): the
 *    pragma gives the GCC build the code those compilers make of the same source. Rolled, the
 *    loop costs ~10 cycles per MAC on a Cortex-M4 (two LDRSB with writeback, ADD, MLA, CMP and a
 *    taken branch), unrolled ~6. -DTS_REF_UNROLL=1 builds the rolled loops. */

#ifndef TS_REF_UNROLL
#define TS_REF_UNROLL 4
#endif
#define TS_PRAGMA(x) _Pragma(#x)
#define TS_UNROLL(n) TS_PRAGMA(GCC unroll n)

/* sum of w[i] * (x[i] + in_offset) over n consecutive values */
static inline int32_t dot_s8(const int8_t *w, const int8_t *x, int32_t n, int32_t in_offset, int32_t acc)
{
    TS_UNROLL(TS_REF_UNROLL)
    for (int32_t i = 0; i < n; i++) {
        acc += (int32_t)w[i] * ((int32_t)x[i] + in_offset);
    }
    return acc;
}

void ts_conv_s8_ref(const ts_conv_params *p, const int8_t *in, const int8_t *w, const int32_t *bias, int8_t *out)
{
    const int32_t in_h = p->in_h, in_w = p->in_w, in_c = p->in_c;
    const int32_t out_h = p->out_h, out_w = p->out_w, out_c = p->out_c;
    const int32_t k_h = p->k_h, k_w = p->k_w;
    const int32_t stride_h = p->stride_h, stride_w = p->stride_w, dil_h = p->dil_h, dil_w = p->dil_w;
    const int32_t pad_h = p->pad_h, pad_w = p->pad_w;
    const int32_t fic = p->filter_in_c > 0 ? p->filter_in_c : in_c; /* in_c / groups */
    const int32_t groups = in_c / fic;
    const int32_t oc_per_group = out_c / groups;
    const int32_t K = k_h * k_w * fic;                 /* filter values per output channel */
    const int32_t in_offset = p->in_offset, out_offset = p->out_offset;
    const int32_t act_min = p->act_min, act_max = p->act_max;
    const int32_t *mult = p->mult, *shift = p->shift;
    const int32_t in_xstep = dil_w * in_c;             /* input bytes between horizontal taps */
    const int32_t in_ystep = dil_h * in_w * in_c;      /* ... and between filter rows */
    const int32_t w_ystep = k_w * fic;
    /* Without dilation and groups the taps of one filter row are consecutive in the input
     * (NHWC) and in the filter (OHWI): one run of nkx * in_c values. */
    const int rows_contiguous = dil_w == 1 && fic == in_c;
    for (int32_t b = 0; b < p->batches; b++) {
        const int8_t *in_b = in + b * in_h * in_w * in_c;
        for (int32_t oy = 0; oy < out_h; oy++) {
            const int32_t iy0 = oy * stride_h - pad_h;
            int32_t ky0, ky1;
            ts_tap_window(iy0, dil_h, k_h, in_h, &ky0, &ky1);
            for (int32_t ox = 0; ox < out_w; ox++) {
                const int32_t ix0 = ox * stride_w - pad_w;
                int32_t kx0, kx1;
                ts_tap_window(ix0, dil_w, k_w, in_w, &kx0, &kx1);
                int32_t nky = ky1 - ky0, nkx = kx1 - kx0;
                if (nkx == 0) {
                    nky = 0; /* no tap inside the input: the outputs are the requantized biases */
                }
                const int32_t row_len = nkx * fic; /* values of a filter row inside the input */
                int8_t *o = out + ((b * out_h + oy) * out_w + ox) * out_c;
                /* first tap inside the input (input channel 0) and its offset in a filter */
                const int8_t *in_first = in_b + (nky > 0 ? ((iy0 + dil_h * ky0) * in_w + ix0 + dil_w * kx0) * in_c : 0);
                const int8_t *w_first = w + (ky0 * k_w + kx0) * fic;
                int32_t oc = 0;
                for (int32_t g = 0; g < groups; g++) {
                    const int8_t *in_g = in_first + g * fic; /* the group's input channels */
                    for (int32_t j = 0; j < oc_per_group; j++, oc++) {
                        int32_t acc = bias ? bias[oc] : 0;
                        const int8_t *ip = in_g, *wp = w_first + oc * K;
                        if (rows_contiguous) {
                            for (int32_t ky = 0; ky < nky; ky++) {
                                acc = dot_s8(wp, ip, row_len, in_offset, acc);
                                ip += in_ystep;
                                wp += w_ystep;
                            }
                        } else {
                            for (int32_t ky = 0; ky < nky; ky++) {
                                const int8_t *ipx = ip, *wpx = wp;
                                for (int32_t kx = 0; kx < nkx; kx++) {
                                    acc = dot_s8(wpx, ipx, fic, in_offset, acc);
                                    ipx += in_xstep;
                                    wpx += fic;
                                }
                                ip += in_ystep;
                                wp += w_ystep;
                            }
                        }
                        o[oc] = ts_requant_s8(acc, mult[oc], shift[oc], out_offset, act_min, act_max);
                    }
                }
            }
        }
    }
}

/* Depthwise: the channels are the contiguous dimension of the input (NHWC) and of the filter
 * ([1][k_h][k_w][out_c]), so the channel loop is innermost: per output position, the int32
 * accumulators of a block of up to DW_BLOCK output channels (on the stack) start at the biases,
 * every tap inside the input adds w * (x + input_offset) to each of them, then each is
 * requantized once. The same products and sums as TFLite's loop order (taps innermost). */
#define DW_BLOCK 64

void ts_dwconv_s8_ref(const ts_conv_params *p, const int8_t *in, const int8_t *w, const int32_t *bias, int8_t *out)
{
    const int32_t in_h = p->in_h, in_w = p->in_w, in_c = p->in_c;
    const int32_t out_h = p->out_h, out_w = p->out_w, out_c = p->out_c;
    const int32_t k_h = p->k_h, k_w = p->k_w;
    const int32_t stride_h = p->stride_h, stride_w = p->stride_w, dil_h = p->dil_h, dil_w = p->dil_w;
    const int32_t pad_h = p->pad_h, pad_w = p->pad_w;
    const int32_t dm = p->depth_multiplier;            /* output channel oc reads input channel oc / dm */
    const int32_t in_offset = p->in_offset, out_offset = p->out_offset;
    const int32_t act_min = p->act_min, act_max = p->act_max;
    const int32_t *mult = p->mult, *shift = p->shift;
    const int32_t in_xstep = dil_w * in_c, in_ystep = dil_h * in_w * in_c;
    const int32_t w_xstep = out_c, w_ystep = k_w * out_c;
    int32_t acc[DW_BLOCK];
    for (int32_t b = 0; b < p->batches; b++) {
        const int8_t *in_b = in + b * in_h * in_w * in_c;
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
                    nky = 0; /* no tap inside the input: the outputs are the requantized biases */
                }
                int8_t *o = out + ((b * out_h + oy) * out_w + ox) * out_c;
                const int8_t *in_first = in_b + (nky > 0 ? ((iy0 + dil_h * ky0) * in_w + ix0 + dil_w * kx0) * in_c : 0);
                const int8_t *w_first = w + (ky0 * k_w + kx0) * out_c;
                for (int32_t oc0 = 0; oc0 < out_c; oc0 += DW_BLOCK) {
                    const int32_t n = out_c - oc0 < DW_BLOCK ? out_c - oc0 : DW_BLOCK;
                    const int32_t ic0 = oc0 / dm, m0 = oc0 % dm; /* input channel, multiplier index of oc0 */
                    for (int32_t c = 0; c < n; c++) {
                        acc[c] = bias ? bias[oc0 + c] : 0;
                    }
                    for (int32_t ky = 0; ky < nky; ky++) {
                        const int8_t *ip = in_first + ky * in_ystep + ic0;
                        const int8_t *wp = w_first + ky * w_ystep + oc0;
                        for (int32_t kx = 0; kx < nkx; kx++) {
                            if (dm == 1) {
                                TS_UNROLL(TS_REF_UNROLL)
                                for (int32_t c = 0; c < n; c++) {
                                    acc[c] += (int32_t)wp[c] * ((int32_t)ip[c] + in_offset);
                                }
                            } else {
                                int32_t ic = 0, m = m0;
                                for (int32_t c = 0; c < n; c++) {
                                    acc[c] += (int32_t)wp[c] * ((int32_t)ip[ic] + in_offset);
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
                        o[oc0 + c] = ts_requant_s8(acc[c], mult[oc0 + c], shift[oc0 + c], out_offset, act_min, act_max);
                    }
                }
            }
        }
    }
}

void ts_fc_s8_ref(const ts_fc_params *p, const int8_t *in, const int8_t *w, const int32_t *bias, int8_t *out)
{
    const int32_t in_depth = p->in_depth, out_depth = p->out_depth;
    const int32_t in_offset = p->in_offset, filter_offset = p->filter_offset, out_offset = p->out_offset;
    const int32_t act_min = p->act_min, act_max = p->act_max;
    const int32_t *mult = p->mult, *shift = p->shift;
    const int32_t mstep = p->per_channel ? 1 : 0;
    for (int32_t b = 0; b < p->batches; b++) {
        const int8_t *x = in + b * in_depth;
        /* sum((w + fo) * (x + io)) = sum(w * (x + io)) + fo * sum(x + io): the filter offset
         * (0 for TFLite's int8 weights) leaves the MAC loop, its term is computed once per row */
        int32_t fo_term = 0;
        if (filter_offset != 0) {
            int32_t xsum = 0;
            for (int32_t d = 0; d < in_depth; d++) {
                xsum += (int32_t)x[d] + in_offset;
            }
            fo_term = filter_offset * xsum;
        }
        int8_t *o = out + b * out_depth;
        const int8_t *wr = w;
        for (int32_t oc = 0; oc < out_depth; oc++) {
            int32_t acc = (bias ? bias[oc] : 0) + fo_term;
            acc = dot_s8(wr, x, in_depth, in_offset, acc);
            wr += in_depth;
            o[oc] = ts_requant_s8(acc, mult[oc * mstep], shift[oc * mstep], out_offset, act_min, act_max);
        }
    }
}

/* ---- float32 and hybrid ----
 * The arithmetic of every output is TFLite's reference loop, bit for bit: total = 0.0f, then
 * total = total + x * w over the taps in TFLite's order (filter_y, filter_x, in_channel), each
 * product rounded, then each sum rounded (no fused multiply-add: -ffp-contract=off), then
 * clampf(total + bias). Only the order in which *different* outputs are computed differs from
 * TFLite's loops, and that cannot change a bit. Beyond a literal transcription:
 *  - register blocking: a block of up to 4 output channels is computed at once, over every
 *    output position, in 4 float accumulators: each input value is loaded once for the 4
 *    channels, and the loop overhead is shared. Each accumulator still sees its own taps in
 *    TFLite's order;
 *  - the taps inside the input are computed once per output position (ts_tap_window) instead
 *    of testing every tap; pointers and offsets are stepped instead of recomputing NHWC
 *    indices; CONV_2D without dilation or groups runs a filter row inside the input as one
 *    contiguous run of nkx * in_c values (as the int8 kernels do);
 *  - hybrid filters (int8, w = (float)q * scale[oc]): the weights are dequantized once per
 *    inference instead of at every MAC. A block's weights (4 channels x K values, K = the
 *    weights of one output channel) go into scratch as floats when K <= 256 (at most 4 KB),
 *    and the float kernel runs on that copy. For larger K, a 256-entry table of the possible
 *    weights (float)q * scale (1 KB: built once when every channel has the same scale, else
 *    for each channel, the channels then computed one at a time) and the MAC loop looks w up.
 *    Either way w is the same single rounding of the same product as computing it in the MAC
 *    loop: the same bits;
 *  - optionally (TS_F32_SKIP_ZERO, off in the shipped builds): a MAC whose input value is ±0
 *    is skipped when that provably leaves the accumulator's bits unchanged (see mac_f32). */

/* Off in both shipped builds: the soft-float row of a comparison answers "what does float32
 * cost on an FPU-less part", and a deployed float kernel (TFLite's, CMSIS-DSP's) does not skip
 * zero inputs; skipping them would make that answer depend on how sparse the activations are.
 * The host harness still builds and tests it (make skipzero). */
#ifndef TS_F32_SKIP_ZERO
#define TS_F32_SKIP_ZERO 0
#endif

#define TS_AI static inline __attribute__((always_inline))
#define TS_NOINLINE __attribute__((noinline))

static inline uint32_t f32_bits(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}

/* t + x * w: one rounded product, one rounded sum. With TS_F32_SKIP_ZERO: if x is ±0 and w is
 * finite, x * w is ±0 exactly, and t + (±0) is exactly t for every t that is neither ±0 nor
 * NaN (IEEE 754: x + 0 = x for x != 0, including infinities). Only those cases are skipped; a
 * ±0 or NaN accumulator, an infinite or NaN weight, take the full computation. */
TS_AI float mac_f32(float t, float x, float w)
{
#if TS_F32_SKIP_ZERO
    if ((f32_bits(x) << 1) == 0u) {
        const uint32_t wb = f32_bits(w), tb = f32_bits(t);
        /* (tb << 1) in [1, 0xff000000]: t neither ±0 nor NaN */
        if ((wb & 0x7f800000u) != 0x7f800000u && (tb << 1) - 1u < 0xff000000u) {
            return t;
        }
    }
#endif
    return t + x * w;
}

/* Where the weights of a block of output channels come from: W_FLOAT, float weights (the
 * model's, or a dequantized copy in scratch; q == NULL); W_TABLE, int8 weights looked up in a
 * table (q != NULL, one channel per block). */
enum { W_FLOAT, W_TABLE };
typedef struct {
    const float *f;      /* W_FLOAT: the block's first channel */
    const int8_t *q;     /* W_TABLE: the channel (blocks of one channel) */
    const float *tab;    /* W_TABLE: tab[q] = (float)q * scale, q in [-128, 127] */
    int32_t cs;          /* weights between two consecutive channels of the block */
    int32_t ts;          /* DEPTHWISE_CONV_2D: weights between two consecutive taps */
} wsrc;

/* weight i of block channel j; cs: weights between two channels (w->cs, or a constant) */
TS_AI float wget(const wsrc *w, const int mode, const int j, int32_t cs, int32_t i)
{
    if (mode == W_FLOAT) {
        return w->f[j * cs + i];
    }
    return w->tab[w->q[j * cs + i]];
}

#define TS_COPY_MAX_K 256    /* hybrid: dequantized copies of at most 4 x 256 floats (4 KB) */
#define TS_TABLE_ENTRIES 256

/* hybrid: K = the weights of one output channel, nbmax = the largest channel block. Sets
 * wtables (1: a table, 0: copies) and wshared, returns the scratch bytes. */
static uint32_t hybrid_plan(int32_t uniform, int32_t K, int32_t nbmax, int32_t *wtables, int32_t *wshared)
{
    if (K <= TS_COPY_MAX_K) {
        *wtables = 0;
        *wshared = 0;
        return (uint32_t)nbmax * (uint32_t)K * 4u; /* a dequantized copy of each block */
    }
    *wtables = 1;
    *wshared = uniform ? 1 : 0;
    return TS_F32_TABLE_BYTES;
}

/* tab[q + 128] = (float)q * s: the same single rounding as in the MAC loop */
static void build_table(float *tab, float s)
{
    for (int32_t q = -128; q < 128; q++) {
        tab[q + 128] = (float)q * s;
    }
}

/* The weight source of the nb channels [oc, oc + nb): channel j's weight i is at
 * w8 / w32 [(oc + j) * cs_model + i * ts_model] in the model. Float weights are used in place.
 * Hybrid: without a table the block is dequantized into scratch, channel j's weight i at
 * copy[j * K + i] (cs_copy = K, ts_copy = 1) for CONV_2D / FULLY_CONNECTED, or at
 * copy[i * nb + j] (cs_copy = 1, ts_copy = nb) for DEPTHWISE_CONV_2D. With a table, blocks
 * are one channel (nb = 1); a shared table (every channel has the same scale) was built once
 * by the caller, otherwise the channel's table is built here. */
static void block_wsrc(wsrc *ws, int32_t tables, int32_t shared, const float *w32, const int8_t *w8,
                       const float *wscale, float *scratch, int32_t oc, int32_t nb, int32_t K, int32_t cs_model,
                       int32_t ts_model, int depthwise)
{
    ws->cs = cs_model;
    ws->ts = ts_model;
    ws->q = NULL; /* W_FLOAT */
    ws->tab = NULL;
    if (w8 == NULL) {
        ws->f = w32 + oc * cs_model;
        return;
    }
    const int8_t *q = w8 + oc * cs_model;
    if (tables == 0) {
        for (int32_t j = 0; j < nb; j++) {
            const float s = wscale[oc + j];
            const int8_t *qj = q + j * cs_model;
            float *cj = scratch + (depthwise ? j : j * K);
            const int32_t cstep = depthwise ? nb : 1;
            for (int32_t i = 0; i < K; i++) {
                cj[i * cstep] = (float)qj[i * ts_model] * s;
            }
        }
        ws->f = scratch;
        ws->cs = depthwise ? 1 : K;
        ws->ts = depthwise ? nb : 1;
        return;
    }
    if (!shared) {
        build_table(scratch, wscale[oc]);
    }
    ws->f = NULL;
    ws->q = q; /* W_TABLE */
    ws->tab = scratch + TS_TABLE_ENTRIES / 2;
}

/* clampf(total + bias) of a block's outputs */
TS_AI void store_block(float *o, const float *acc, const int nb, const float *bias, float lo, float hi)
{
    TS_UNROLL(4)
    for (int j = 0; j < nb; j++) {
        const float bv = bias ? bias[j] : 0.0f; /* total + 0.0f without bias, as TFLite */
        o[j] = ts_act_f32(acc[j] + bv, lo, hi);
    }
}

/* CONV_2D: n taps that are consecutive in the input and in the filter, from ip / filter
 * offset wo, into the block's accumulators */
TS_AI void conv_run_mode(float *acc, const int nb, const int mode, const float *ip, const wsrc *w, int32_t cs,
                         int32_t wo, int32_t n)
{
    for (int32_t i = 0; i < n; i++) {
        const float x = ip[i];
        TS_UNROLL(4)
        for (int j = 0; j < nb; j++) {
            acc[j] = mac_f32(acc[j], x, wget(w, mode, j, cs, wo + i));
        }
    }
}

/* mode: W_FLOAT / W_TABLE as a constant, or W_ANY = either, tested once per run */
#define W_ANY (-1)
TS_AI void conv_run(float *acc, const int nb, const int mode, const float *ip, const wsrc *w, int32_t cs, int32_t wo,
                    int32_t n)
{
    if (mode != W_ANY) {
        conv_run_mode(acc, nb, mode, ip, w, cs, wo, n);
    } else if (w->q == NULL) {
        conv_run_mode(acc, nb, W_FLOAT, ip, w, cs, wo, n);
    } else {
        conv_run_mode(acc, nb, W_TABLE, ip, w, cs, wo, n);
    }
}

/* CONV_2D, output channels [oc, oc + nb) at every output position; ic0: the group's first
 * input channel */
TS_AI void conv_block(const ts_conv_params *p, const float *in, const float *bias, float *out,
                      const int nb, const int mode, const wsrc *w, int32_t oc, int32_t ic0)
{
    const int32_t in_h = p->in_h, in_w = p->in_w, in_c = p->in_c;
    const int32_t out_h = p->out_h, out_w = p->out_w, out_c = p->out_c;
    const int32_t k_h = p->k_h, k_w = p->k_w;
    const int32_t stride_h = p->stride_h, stride_w = p->stride_w, dil_h = p->dil_h, dil_w = p->dil_w;
    const int32_t pad_h = p->pad_h, pad_w = p->pad_w;
    const int32_t fic = p->filter_in_c > 0 ? p->filter_in_c : in_c;
    const int32_t in_xstep = dil_w * in_c, in_ystep = dil_h * in_w * in_c, w_ystep = k_w * fic;
    /* a filter row inside the input: one run of nkx * fic values (no dilation, no groups), or
     * nkx runs of fic values */
    const int rows_contiguous = dil_w == 1 && fic == in_c;
    const float lo = p->fmin, hi = p->fmax;
    const float *bp = bias ? bias + oc : NULL;
    const int32_t cs = w->cs;
    for (int32_t b = 0; b < p->batches; b++) {
        const float *in_b = in + b * in_h * in_w * in_c + ic0;
        float *out_b = out + b * out_h * out_w * out_c + oc;
        for (int32_t oy = 0; oy < out_h; oy++) {
            const int32_t iy0 = oy * stride_h - pad_h;
            int32_t ky0, ky1;
            ts_tap_window(iy0, dil_h, k_h, in_h, &ky0, &ky1);
            for (int32_t ox = 0; ox < out_w; ox++) {
                const int32_t ix0 = ox * stride_w - pad_w;
                int32_t kx0, kx1;
                ts_tap_window(ix0, dil_w, k_w, in_w, &kx0, &kx1);
                const int32_t nkx = kx1 - kx0;
                const int32_t nky = nkx > 0 ? ky1 - ky0 : 0;
                float acc[4] = {0.0f, 0.0f, 0.0f, 0.0f};
                if (nky > 0) {
                    const int32_t nruns = rows_contiguous ? 1 : nkx, run = rows_contiguous ? nkx * fic : fic;
                    const float *ip = in_b + ((iy0 + dil_h * ky0) * in_w + ix0 + dil_w * kx0) * in_c;
                    int32_t wo = (ky0 * k_w + kx0) * fic;
                    for (int32_t ky = 0; ky < nky; ky++) {
                        const float *ipx = ip;
                        int32_t wox = wo;
                        for (int32_t r = 0; r < nruns; r++) {
                            conv_run(acc, nb, mode, ipx, w, cs, wox, run);
                            ipx += in_xstep;
                            wox += fic;
                        }
                        ip += in_ystep;
                        wo += w_ystep;
                    }
                }
                store_block(out_b + (oy * out_w + ox) * out_c, acc, nb, bp, lo, hi);
            }
        }
    }
}

#define CONV_VARIANT(NB, MODE)                                                                  \
    static TS_NOINLINE void conv_block_##NB##_##MODE(const ts_conv_params *p, const float *in,  \
                                                     const float *bias, float *out,             \
                                                     const wsrc *w, int32_t oc, int32_t ic0)    \
    {                                                                                           \
        conv_block(p, in, bias, out, NB, MODE, w, oc, ic0);                                     \
    }
CONV_VARIANT(4, W_FLOAT)
CONV_VARIANT(1, W_ANY)

static int32_t conv_nbmax(const ts_conv_params *p)
{
    const int32_t fic = p->filter_in_c > 0 ? p->filter_in_c : p->in_c;
    const int32_t oc_per_group = p->out_c / (p->in_c / fic);
    return oc_per_group < 4 ? oc_per_group : 4;
}

uint32_t ts_conv_f32_hybrid_prepare(ts_conv_params *p, int32_t uniform)
{
    const int32_t fic = p->filter_in_c > 0 ? p->filter_in_c : p->in_c;
    const int32_t K = p->k_h * p->k_w * fic;
    return hybrid_plan(uniform, K, conv_nbmax(p), &p->wtables, &p->wshared);
}

void ts_conv_f32(const ts_conv_params *p, const float *in, const float *w32, const int8_t *w8, const float *bias,
                 float *out, void *scratch)
{
    const int32_t fic = p->filter_in_c > 0 ? p->filter_in_c : p->in_c; /* in_c / groups */
    const int32_t groups = p->in_c / fic;
    const int32_t oc_per_group = p->out_c / groups;
    const int32_t K = p->k_h * p->k_w * fic;
    const int32_t tables = w8 ? p->wtables : 0, shared = p->wshared;
    if (tables > 0 && shared) {
        build_table((float *)scratch, p->wscale[0]);
    }
    for (int32_t g = 0; g < groups; g++) {
        for (int32_t j0 = 0; j0 < oc_per_group;) {
            const int32_t oc = g * oc_per_group + j0;
            const int32_t nb = (tables == 0 && oc_per_group - j0 >= 4) ? 4 : 1;
            wsrc ws;
            block_wsrc(&ws, tables, shared, w32, w8, p->wscale, (float *)scratch, oc, nb, K, K, 1, 0);
            if (nb == 4) {
                conv_block_4_W_FLOAT(p, in, bias, out, &ws, oc, g * fic);
            } else {
                conv_block_1_W_ANY(p, in, bias, out, &ws, oc, g * fic);
            }
            j0 += nb;
        }
    }
}

/* DEPTHWISE_CONV_2D: the n taps of a filter row inside the input */
TS_AI void dw_row_mode(float *acc, const int nb, const int mode, const float *ip, int32_t in_xstep, const wsrc *w,
                       int32_t wo, int32_t w_xstep, int32_t n)
{
    for (int32_t kx = 0; kx < n; kx++) {
        TS_UNROLL(4)
        for (int j = 0; j < nb; j++) {
            acc[j] = mac_f32(acc[j], ip[j], wget(w, mode, j, 1, wo));
        }
        ip += in_xstep;
        wo += w_xstep;
    }
}

TS_AI void dw_row(float *acc, const int nb, const int mode, const float *ip, int32_t in_xstep, const wsrc *w,
                  int32_t wo, int32_t w_xstep, int32_t n)
{
    if (mode != W_ANY) {
        dw_row_mode(acc, nb, mode, ip, in_xstep, w, wo, w_xstep, n);
    } else if (w->q == NULL) {
        dw_row_mode(acc, nb, W_FLOAT, ip, in_xstep, w, wo, w_xstep, n);
    } else {
        dw_row_mode(acc, nb, W_TABLE, ip, in_xstep, w, wo, w_xstep, n);
    }
}

/* DEPTHWISE_CONV_2D, output channels [oc, oc + nb) reading input channels [ic, ic + nb)
 * (nb > 1 only with depth multiplier 1), at every output position. The block's weights of one
 * tap are consecutive (w->cs = 1), w->ts apart from tap to tap. */
TS_AI void dw_block(const ts_conv_params *p, const float *in, const float *bias, float *out,
                    const int nb, const int mode, const wsrc *w, int32_t oc, int32_t ic)
{
    const int32_t in_h = p->in_h, in_w = p->in_w, in_c = p->in_c;
    const int32_t out_h = p->out_h, out_w = p->out_w, out_c = p->out_c;
    const int32_t k_h = p->k_h, k_w = p->k_w;
    const int32_t stride_h = p->stride_h, stride_w = p->stride_w, dil_h = p->dil_h, dil_w = p->dil_w;
    const int32_t pad_h = p->pad_h, pad_w = p->pad_w;
    const int32_t in_xstep = dil_w * in_c, in_ystep = dil_h * in_w * in_c;
    const int32_t w_xstep = w->ts, w_ystep = k_w * w->ts;
    const float lo = p->fmin, hi = p->fmax;
    const float *bp = bias ? bias + oc : NULL;
    for (int32_t b = 0; b < p->batches; b++) {
        const float *in_b = in + b * in_h * in_w * in_c + ic;
        float *out_b = out + b * out_h * out_w * out_c + oc;
        for (int32_t oy = 0; oy < out_h; oy++) {
            const int32_t iy0 = oy * stride_h - pad_h;
            int32_t ky0, ky1;
            ts_tap_window(iy0, dil_h, k_h, in_h, &ky0, &ky1);
            for (int32_t ox = 0; ox < out_w; ox++) {
                const int32_t ix0 = ox * stride_w - pad_w;
                int32_t kx0, kx1;
                ts_tap_window(ix0, dil_w, k_w, in_w, &kx0, &kx1);
                const int32_t nkx = kx1 - kx0;
                const int32_t nky = nkx > 0 ? ky1 - ky0 : 0;
                float acc[4] = {0.0f, 0.0f, 0.0f, 0.0f};
                if (nky > 0) {
                    const float *ip = in_b + ((iy0 + dil_h * ky0) * in_w + ix0 + dil_w * kx0) * in_c;
                    int32_t wo = ky0 * w_ystep + kx0 * w_xstep;
                    for (int32_t ky = 0; ky < nky; ky++) {
                        dw_row(acc, nb, mode, ip, in_xstep, w, wo, w_xstep, nkx);
                        ip += in_ystep;
                        wo += w_ystep;
                    }
                }
                store_block(out_b + (oy * out_w + ox) * out_c, acc, nb, bp, lo, hi);
            }
        }
    }
}

#define DW_VARIANT(NB, MODE)                                                                    \
    static TS_NOINLINE void dw_block_##NB##_##MODE(const ts_conv_params *p, const float *in,    \
                                                   const float *bias, float *out,               \
                                                   const wsrc *w, int32_t oc, int32_t ic)       \
    {                                                                                           \
        dw_block(p, in, bias, out, NB, MODE, w, oc, ic);                                        \
    }
DW_VARIANT(4, W_FLOAT)
DW_VARIANT(1, W_ANY)

static int32_t dw_nbmax(const ts_conv_params *p)
{
    return p->depth_multiplier != 1 ? 1 : p->out_c < 4 ? p->out_c : 4;
}

uint32_t ts_dwconv_f32_hybrid_prepare(ts_conv_params *p, int32_t uniform)
{
    const int32_t K = p->k_h * p->k_w;
    return hybrid_plan(uniform, K, dw_nbmax(p), &p->wtables, &p->wshared);
}

void ts_dwconv_f32(const ts_conv_params *p, const float *in, const float *w32, const int8_t *w8, const float *bias,
                   float *out, void *scratch)
{
    const int32_t dm = p->depth_multiplier;
    const int32_t tables = w8 ? p->wtables : 0, shared = p->wshared;
    if (tables > 0 && shared) {
        build_table((float *)scratch, p->wscale[0]);
    }
    for (int32_t oc = 0; oc < p->out_c;) {
        const int32_t nb = (tables == 0 && dm == 1 && p->out_c - oc >= 4) ? 4 : 1;
        const int32_t ic = oc / dm;
        wsrc ws;
        block_wsrc(&ws, tables, shared, w32, w8, p->wscale, (float *)scratch, oc, nb, p->k_h * p->k_w,
                                        1, p->out_c, 1);
        if (nb == 4) {
            dw_block_4_W_FLOAT(p, in, bias, out, &ws, oc, ic);
        } else {
            dw_block_1_W_ANY(p, in, bias, out, &ws, oc, ic);
        }
        oc += nb;
    }
}

/* FULLY_CONNECTED, rows [oc, oc + nb) (w->cs = in_depth apart) for every batch */
TS_AI void fc_block(const ts_fc_params *p, const float *in, const float *bias, float *out,
                    const int nb, const int mode, const wsrc *w, int32_t oc)
{
    const int32_t in_depth = p->in_depth, out_depth = p->out_depth;
    const float lo = p->fmin, hi = p->fmax;
    const float *bp = bias ? bias + oc : NULL;
    const int32_t cs = w->cs;
    for (int32_t b = 0; b < p->batches; b++) {
        const float *x = in + b * in_depth;
        float acc[4] = {0.0f, 0.0f, 0.0f, 0.0f};
        conv_run(acc, nb, mode, x, w, cs, 0, in_depth); /* one run of in_depth taps */
        store_block(out + b * out_depth + oc, acc, nb, bp, lo, hi);
    }
}

#define FC_VARIANT(NB, MODE)                                                                    \
    static TS_NOINLINE void fc_block_##NB##_##MODE(const ts_fc_params *p, const float *in,      \
                                                   const float *bias, float *out,               \
                                                   const wsrc *w, int32_t oc)                   \
    {                                                                                           \
        fc_block(p, in, bias, out, NB, MODE, w, oc);                                            \
    }
FC_VARIANT(4, W_FLOAT)
FC_VARIANT(1, W_ANY)

uint32_t ts_fc_f32_hybrid_prepare(ts_fc_params *p, int32_t uniform)
{
    const int32_t nbmax = p->out_depth < 4 ? p->out_depth : 4;
    return hybrid_plan(uniform, p->in_depth, nbmax, &p->wtables, &p->wshared);
}

void ts_fc_f32(const ts_fc_params *p, const float *in, const float *w32, const int8_t *w8, const float *bias,
               float *out, void *scratch)
{
    const int32_t tables = w8 ? p->wtables : 0, shared = p->wshared;
    if (tables > 0 && shared) {
        build_table((float *)scratch, p->wscale[0]);
    }
    for (int32_t oc = 0; oc < p->out_depth;) {
        const int32_t nb = (tables == 0 && p->out_depth - oc >= 4) ? 4 : 1;
        wsrc ws;
        block_wsrc(&ws, tables, shared, w32, w8, p->wscale, (float *)scratch, oc, nb, p->in_depth,
                                        p->in_depth, 1, 0);
        if (nb == 4) {
            fc_block_4_W_FLOAT(p, in, bias, out, &ws, oc);
        } else {
            fc_block_1_W_ANY(p, in, bias, out, &ws, oc);
        }
        oc += nb;
    }
}

/* ---- pooling ---- */

/* The window [start, end) of filter taps inside the input, as TFLite computes it. */
#define POOL_WINDOW()                                                                 \
    const int32_t iy0 = oy * p->stride_h - p->pad_h;                                  \
    const int32_t ix0 = ox * p->stride_w - p->pad_w;                                  \
    const int32_t fy0 = iy0 < 0 ? -iy0 : 0;                                           \
    const int32_t fy1 = (p->in_h - iy0) < p->k_h ? (p->in_h - iy0) : p->k_h;          \
    const int32_t fx0 = ix0 < 0 ? -ix0 : 0;                                           \
    const int32_t fx1 = (p->in_w - ix0) < p->k_w ? (p->in_w - ix0) : p->k_w;

void ts_avgpool_s8(const ts_pool_params *p, const int8_t *in, int8_t *out)
{
    const int32_t C = p->channels;
    for (int32_t b = 0; b < p->batches; b++) {
        for (int32_t oy = 0; oy < p->out_h; oy++) {
            for (int32_t ox = 0; ox < p->out_w; ox++) {
                POOL_WINDOW()
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
                        count = 1; /* cannot happen with shapes checked at prepare time */
                    }
                    acc = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
                    out[((b * p->out_h + oy) * p->out_w + ox) * C + c] =
                        (int8_t)clamp_i32(acc, p->act_min, p->act_max);
                }
            }
        }
    }
}

void ts_maxpool_s8(const ts_pool_params *p, const int8_t *in, int8_t *out)
{
    const int32_t C = p->channels;
    for (int32_t b = 0; b < p->batches; b++) {
        for (int32_t oy = 0; oy < p->out_h; oy++) {
            for (int32_t ox = 0; ox < p->out_w; ox++) {
                POOL_WINDOW()
                for (int32_t c = 0; c < C; c++) {
                    int32_t m = -128;
                    for (int32_t fy = fy0; fy < fy1; fy++) {
                        for (int32_t fx = fx0; fx < fx1; fx++) {
                            int32_t v = in[((b * p->in_h + iy0 + fy) * p->in_w + ix0 + fx) * C + c];
                            m = v > m ? v : m;
                        }
                    }
                    out[((b * p->out_h + oy) * p->out_w + ox) * C + c] =
                        (int8_t)clamp_i32(m, p->act_min, p->act_max);
                }
            }
        }
    }
}

void ts_avgpool_f32(const ts_pool_params *p, const float *in, float *out)
{
    const int32_t C = p->channels;
    for (int32_t b = 0; b < p->batches; b++) {
        for (int32_t oy = 0; oy < p->out_h; oy++) {
            for (int32_t ox = 0; ox < p->out_w; ox++) {
                POOL_WINDOW()
                for (int32_t c = 0; c < C; c++) {
                    float total = 0.0f;
                    float count = 0.0f;
                    for (int32_t fy = fy0; fy < fy1; fy++) {
                        for (int32_t fx = fx0; fx < fx1; fx++) {
                            total += in[((b * p->in_h + iy0 + fy) * p->in_w + ix0 + fx) * C + c];
                            count += 1.0f;
                        }
                    }
                    const float average = total / count;
                    out[((b * p->out_h + oy) * p->out_w + ox) * C + c] = ts_act_f32(average, p->fmin, p->fmax);
                }
            }
        }
    }
}

void ts_maxpool_f32(const ts_pool_params *p, const float *in, float *out)
{
    const int32_t C = p->channels;
    for (int32_t b = 0; b < p->batches; b++) {
        for (int32_t oy = 0; oy < p->out_h; oy++) {
            for (int32_t ox = 0; ox < p->out_w; ox++) {
                POOL_WINDOW()
                for (int32_t c = 0; c < C; c++) {
                    float m = -3.402823466e+38f; /* std::numeric_limits<float>::lowest() */
                    for (int32_t fy = fy0; fy < fy1; fy++) {
                        for (int32_t fx = fx0; fx < fx1; fx++) {
                            const float v = in[((b * p->in_h + iy0 + fy) * p->in_w + ix0 + fx) * C + c];
                            m = (m < v) ? v : m; /* std::max(m, v) */
                        }
                    }
                    out[((b * p->out_h + oy) * p->out_w + ox) * C + c] = ts_act_f32(m, p->fmin, p->fmax);
                }
            }
        }
    }
}
