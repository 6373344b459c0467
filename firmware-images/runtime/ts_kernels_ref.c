/* Reference kernels: plain C with TensorFlow Lite's reference arithmetic
 * (reference_integer_ops::ConvPerChannel, DepthwiseConvPerChannel, FullyConnected, AveragePool,
 * MaxPool; reference_ops::Conv, DepthwiseConv, FullyConnected, AveragePool, MaxPool for float).
 * Float loops keep TFLite's loop order and order of additions, so results are bit-identical to
 * any implementation that keeps it (and does not fuse multiply-adds). int8 sums are exact, so
 * the int8 kernels may add in another order (see below). */
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

/* ---- float32 ---- */

void ts_conv_f32(const ts_conv_params *p, const float *in, const float *w32, const int8_t *w8, const float *bias, float *out)
{
    const int32_t fic = p->filter_in_c > 0 ? p->filter_in_c : p->in_c; /* in_c / groups */
    const int32_t oc_per_group = p->out_c / (p->in_c / fic);
    const int32_t K = p->k_h * p->k_w * fic;
    for (int32_t b = 0; b < p->batches; b++) {
        for (int32_t oy = 0; oy < p->out_h; oy++) {
            const int32_t iy0 = oy * p->stride_h - p->pad_h;
            for (int32_t ox = 0; ox < p->out_w; ox++) {
                const int32_t ix0 = ox * p->stride_w - p->pad_w;
                float *o = out + ((b * p->out_h + oy) * p->out_w + ox) * p->out_c;
                for (int32_t oc = 0; oc < p->out_c; oc++) {
                    float total = 0.0f;
                    const float ws = w8 ? p->wscale[oc] : 0.0f;
                    for (int32_t ky = 0; ky < p->k_h; ky++) {
                        const int32_t iy = iy0 + p->dil_h * ky;
                        if (iy < 0 || iy >= p->in_h) {
                            continue;
                        }
                        for (int32_t kx = 0; kx < p->k_w; kx++) {
                            const int32_t ix = ix0 + p->dil_w * kx;
                            if (ix < 0 || ix >= p->in_w) {
                                continue;
                            }
                            const float *ip = in + ((b * p->in_h + iy) * p->in_w + ix) * p->in_c + (oc / oc_per_group) * fic;
                            const int32_t wo = oc * K + (ky * p->k_w + kx) * fic;
                            if (w8) {
                                for (int32_t ic = 0; ic < fic; ic++) {
                                    const float wv = (float)w8[wo + ic] * ws;
                                    total += ip[ic] * wv;
                                }
                            } else {
                                for (int32_t ic = 0; ic < fic; ic++) {
                                    total += ip[ic] * w32[wo + ic];
                                }
                            }
                        }
                    }
                    const float bv = bias ? bias[oc] : 0.0f;
                    o[oc] = ts_act_f32(total + bv, p->fmin, p->fmax);
                }
            }
        }
    }
}

void ts_dwconv_f32(const ts_conv_params *p, const float *in, const float *w32, const int8_t *w8, const float *bias, float *out)
{
    const int32_t dm = p->depth_multiplier;
    for (int32_t b = 0; b < p->batches; b++) {
        for (int32_t oy = 0; oy < p->out_h; oy++) {
            const int32_t iy0 = oy * p->stride_h - p->pad_h;
            for (int32_t ox = 0; ox < p->out_w; ox++) {
                const int32_t ix0 = ox * p->stride_w - p->pad_w;
                float *o = out + ((b * p->out_h + oy) * p->out_w + ox) * p->out_c;
                for (int32_t ic = 0; ic < p->in_c; ic++) {
                    for (int32_t m = 0; m < dm; m++) {
                        const int32_t oc = m + ic * dm;
                        const float ws = w8 ? p->wscale[oc] : 0.0f;
                        float total = 0.0f;
                        for (int32_t ky = 0; ky < p->k_h; ky++) {
                            const int32_t iy = iy0 + p->dil_h * ky;
                            if (iy < 0 || iy >= p->in_h) {
                                continue;
                            }
                            for (int32_t kx = 0; kx < p->k_w; kx++) {
                                const int32_t ix = ix0 + p->dil_w * kx;
                                if (ix < 0 || ix >= p->in_w) {
                                    continue;
                                }
                                const float iv = in[((b * p->in_h + iy) * p->in_w + ix) * p->in_c + ic];
                                const int32_t wi = (ky * p->k_w + kx) * p->out_c + oc;
                                const float wv = w8 ? (float)w8[wi] * ws : w32[wi];
                                total += iv * wv;
                            }
                        }
                        const float bv = bias ? bias[oc] : 0.0f;
                        o[oc] = ts_act_f32(total + bv, p->fmin, p->fmax);
                    }
                }
            }
        }
    }
}

void ts_fc_f32(const ts_fc_params *p, const float *in, const float *w32, const int8_t *w8, const float *bias, float *out)
{
    for (int32_t b = 0; b < p->batches; b++) {
        const float *x = in + b * p->in_depth;
        for (int32_t oc = 0; oc < p->out_depth; oc++) {
            float total = 0.0f;
            if (w8) {
                const int8_t *wr = w8 + oc * p->in_depth;
                const float ws = p->wscale[oc];
                for (int32_t d = 0; d < p->in_depth; d++) {
                    const float wv = (float)wr[d] * ws;
                    total += x[d] * wv;
                }
            } else {
                const float *wr = w32 + oc * p->in_depth;
                for (int32_t d = 0; d < p->in_depth; d++) {
                    total += x[d] * wr[d];
                }
            }
            const float bv = bias ? bias[oc] : 0.0f;
            out[b * p->out_depth + oc] = ts_act_f32(total + bv, p->fmin, p->fmax);
        }
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
