/* Reference kernels: the loop structure and arithmetic of TensorFlow Lite's reference kernels
 * (reference_integer_ops::ConvPerChannel, DepthwiseConvPerChannel, FullyConnected, AveragePool,
 * MaxPool; reference_ops::Conv, DepthwiseConv, FullyConnected, AveragePool, MaxPool for float).
 * Float loops keep TFLite's order of additions, so results are bit-identical to any
 * implementation that keeps it (and does not fuse multiply-adds). */
#include "ts_kernels.h"
#include "ts_quant.h"

static inline int32_t clamp_i32(int32_t v, int32_t lo, int32_t hi)
{
    v = v < lo ? lo : v;
    return v > hi ? hi : v;
}

void ts_conv_s8_ref(const ts_conv_params *p, const int8_t *in, const int8_t *w, const int32_t *bias, int8_t *out)
{
    const int32_t fic = p->filter_in_c > 0 ? p->filter_in_c : p->in_c; /* in_c / groups */
    const int32_t oc_per_group = p->out_c / (p->in_c / fic);
    const int32_t K = p->k_h * p->k_w * fic;
    for (int32_t b = 0; b < p->batches; b++) {
        for (int32_t oy = 0; oy < p->out_h; oy++) {
            const int32_t iy0 = oy * p->stride_h - p->pad_h;
            for (int32_t ox = 0; ox < p->out_w; ox++) {
                const int32_t ix0 = ox * p->stride_w - p->pad_w;
                int8_t *o = out + ((b * p->out_h + oy) * p->out_w + ox) * p->out_c;
                for (int32_t oc = 0; oc < p->out_c; oc++) {
                    int32_t acc = 0;
                    const int8_t *wo = w + oc * K;
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
                            const int8_t *ip = in + ((b * p->in_h + iy) * p->in_w + ix) * p->in_c + (oc / oc_per_group) * fic;
                            const int8_t *wp = wo + (ky * p->k_w + kx) * fic;
                            for (int32_t ic = 0; ic < fic; ic++) {
                                acc += (int32_t)wp[ic] * ((int32_t)ip[ic] + p->in_offset);
                            }
                        }
                    }
                    if (bias) {
                        acc += bias[oc];
                    }
                    acc = ts_mbqm(acc, p->mult[oc], p->shift[oc]) + p->out_offset;
                    o[oc] = (int8_t)clamp_i32(acc, p->act_min, p->act_max);
                }
            }
        }
    }
}

void ts_dwconv_s8_ref(const ts_conv_params *p, const int8_t *in, const int8_t *w, const int32_t *bias, int8_t *out)
{
    const int32_t dm = p->depth_multiplier;
    for (int32_t b = 0; b < p->batches; b++) {
        for (int32_t oy = 0; oy < p->out_h; oy++) {
            const int32_t iy0 = oy * p->stride_h - p->pad_h;
            for (int32_t ox = 0; ox < p->out_w; ox++) {
                const int32_t ix0 = ox * p->stride_w - p->pad_w;
                int8_t *o = out + ((b * p->out_h + oy) * p->out_w + ox) * p->out_c;
                for (int32_t ic = 0; ic < p->in_c; ic++) {
                    for (int32_t m = 0; m < dm; m++) {
                        const int32_t oc = m + ic * dm;
                        int32_t acc = 0;
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
                                int32_t iv = in[((b * p->in_h + iy) * p->in_w + ix) * p->in_c + ic];
                                int32_t wv = w[(ky * p->k_w + kx) * p->out_c + oc];
                                acc += wv * (iv + p->in_offset);
                            }
                        }
                        if (bias) {
                            acc += bias[oc];
                        }
                        acc = ts_mbqm(acc, p->mult[oc], p->shift[oc]) + p->out_offset;
                        o[oc] = (int8_t)clamp_i32(acc, p->act_min, p->act_max);
                    }
                }
            }
        }
    }
}

void ts_fc_s8_ref(const ts_fc_params *p, const int8_t *in, const int8_t *w, const int32_t *bias, int8_t *out)
{
    for (int32_t b = 0; b < p->batches; b++) {
        const int8_t *x = in + b * p->in_depth;
        for (int32_t oc = 0; oc < p->out_depth; oc++) {
            const int8_t *wr = w + oc * p->in_depth;
            int32_t acc = 0;
            for (int32_t d = 0; d < p->in_depth; d++) {
                acc += ((int32_t)wr[d] + p->filter_offset) * ((int32_t)x[d] + p->in_offset);
            }
            if (bias) {
                acc += bias[oc];
            }
            const int32_t ch = p->per_channel ? oc : 0;
            acc = ts_mbqm(acc, p->mult[ch], p->shift[ch]) + p->out_offset;
            out[b * p->out_depth + oc] = (int8_t)clamp_i32(acc, p->act_min, p->act_max);
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
