/* Compute kernels of the runtime: plain functions over raw pointers, independent of the
 * model format, so that the host build can unit-test them directly.
 *
 * Layouts are TensorFlow Lite's: activations NHWC; CONV_2D filter [out_c][k_h][k_w][in_c];
 * DEPTHWISE_CONV_2D filter [1][k_h][k_w][out_c]; FULLY_CONNECTED weights [out][in].
 *
 * Every int8 "simd" kernel returns exactly what its "ref" twin returns (integer arithmetic is
 * exact; only the order of the additions differs). The int8 ref kernels are plain C with the
 * arithmetic of TFLite's reference kernels (reference_integer_ops), see ts_kernels_ref.c; the
 * float kernels keep TFLite's reference_ops loop order. */
#ifndef TS_KERNELS_H
#define TS_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#include "ts_quant.h"

typedef struct {
    int32_t batches, in_h, in_w, in_c, out_h, out_w, out_c, k_h, k_w;
    int32_t stride_h, stride_w, dil_h, dil_w, pad_h, pad_w;
    int32_t depth_multiplier;   /* depthwise only */
    int32_t filter_in_c;        /* CONV_2D: the filter's last dim (in_c / groups) */
    /* int8 */
    int32_t in_offset;          /* -input zero point */
    int32_t out_offset;         /* output zero point */
    int32_t act_min, act_max;
    const int32_t *mult, *shift; /* per output channel; mult in [0, 2^31), shift in [-31, 30] */
    /* float */
    float fmin, fmax;
    const float *wscale;        /* hybrid: per-output-channel scale of the int8 filter */
    int32_t wtables, wshared;   /* hybrid: 1 = a 256-entry table in the scratch (0 = dequantized copies);
                                   wshared = the table serves every channel (_hybrid_prepare) */
} ts_conv_params;

typedef struct {
    int32_t batches, in_depth, out_depth;
    int32_t in_offset, filter_offset, out_offset, act_min, act_max;
    const int32_t *mult, *shift; /* [out_depth] when per_channel, else [1]; ranges as for conv */
    int32_t per_channel;
    float fmin, fmax;
    const float *wscale;        /* hybrid: [out_depth] */
    int32_t wtables, wshared;   /* hybrid: as in ts_conv_params */
} ts_fc_params;

typedef struct {
    int32_t batches, in_h, in_w, channels, out_h, out_w, k_h, k_w;
    int32_t stride_h, stride_w, pad_h, pad_w;
    int32_t act_min, act_max;
    float fmin, fmax;
} ts_pool_params;

/* int8, reference */
void ts_conv_s8_ref(const ts_conv_params *p, const int8_t *in, const int8_t *w, const int32_t *bias, int8_t *out);
void ts_dwconv_s8_ref(const ts_conv_params *p, const int8_t *in, const int8_t *w, const int32_t *bias, int8_t *out);
void ts_fc_s8_ref(const ts_fc_params *p, const int8_t *in, const int8_t *w, const int32_t *bias, int8_t *out);

/* int8, DSP extension (scratch: bytes given by the _scratch functions, 4-byte aligned) */
size_t ts_conv_s8_simd_scratch(const ts_conv_params *p);
void ts_conv_s8_simd(const ts_conv_params *p, const int8_t *in, const int8_t *w, const int32_t *bias, int8_t *out, void *scratch);
/* non-zero when the depthwise SIMD kernels handle these parameters (else use the reference kernel) */
int ts_dwconv_s8_simd_ok(const ts_conv_params *p);
size_t ts_dwconv_s8_simd_scratch(const ts_conv_params *p);
void ts_dwconv_s8_simd(const ts_conv_params *p, const int8_t *in, const int8_t *w, const int32_t *bias, int8_t *out, void *scratch);
size_t ts_fc_s8_simd_scratch(const ts_fc_params *p);
void ts_fc_s8_simd(const ts_fc_params *p, const int8_t *in, const int8_t *w, const int32_t *bias, int8_t *out, void *scratch);

/* float32 (w8 != NULL: hybrid int8 filter with p->wscale, w32 ignored; scratch: the bytes the
 * _hybrid_prepare function returned, 4-byte aligned; float kernels need none). The
 * _hybrid_prepare functions choose how the int8 weights are dequantized (p->wtables, p->wshared) and return
 * the scratch bytes; uniform = every channel has the same scale, bit for bit. */
#define TS_F32_TABLE_BYTES 1024u
uint32_t ts_conv_f32_hybrid_prepare(ts_conv_params *p, int32_t uniform);
uint32_t ts_dwconv_f32_hybrid_prepare(ts_conv_params *p, int32_t uniform);
uint32_t ts_fc_f32_hybrid_prepare(ts_fc_params *p, int32_t uniform);
void ts_conv_f32(const ts_conv_params *p, const float *in, const float *w32, const int8_t *w8, const float *bias, float *out, void *scratch);
void ts_dwconv_f32(const ts_conv_params *p, const float *in, const float *w32, const int8_t *w8, const float *bias, float *out, void *scratch);
void ts_fc_f32(const ts_fc_params *p, const float *in, const float *w32, const int8_t *w8, const float *bias, float *out, void *scratch);

/* pooling */
void ts_avgpool_s8(const ts_pool_params *p, const int8_t *in, int8_t *out);
void ts_maxpool_s8(const ts_pool_params *p, const int8_t *in, int8_t *out);
void ts_avgpool_f32(const ts_pool_params *p, const float *in, float *out);
void ts_maxpool_f32(const ts_pool_params *p, const float *in, float *out);

/* int8 requantization of one int32 accumulator (bias included): TFLite's
 * MultiplyByQuantizedMultiplier + output zero point, clamped to the activation range.
 * mult in [0, 2^31) (ts_quantize_multiplier's range; see ts_mbqm_pos), shift in [-31, 30]. */
static inline int8_t ts_requant_s8(int32_t acc, int32_t mult, int32_t shift, int32_t out_offset,
                                   int32_t act_min, int32_t act_max)
{
    int32_t v = ts_mbqm_pos(acc, mult, shift) + out_offset;
    v = v < act_min ? act_min : v;
    v = v > act_max ? act_max : v;
    return (int8_t)v;
}

/* The filter taps k in [*lo, *hi) of one dimension whose input coordinate i0 + dil * k lies in
 * [0, n): computed once per output position, so the MAC loops test no tap. k = filter size,
 * dil >= 1. An empty window gives *lo == *hi. */
static inline void ts_tap_window(int32_t i0, int32_t dil, int32_t k, int32_t n, int32_t *lo, int32_t *hi)
{
    int32_t a = 0, b = k;
    if (i0 < 0) {
        a = (-i0 + dil - 1) / dil;  /* first k with i0 + dil * k >= 0 */
    }
    if (i0 + dil * (k - 1) >= n) {
        b = i0 < n ? (n - 1 - i0) / dil + 1 : 0; /* first k with i0 + dil * k >= n */
    }
    *lo = a < b ? a : b;
    *hi = b;
}

/* TFLite ActivationFunctionWithMinMax: min(max(x, lo), hi) with std::max/std::min semantics */
static inline float ts_act_f32(float x, float lo, float hi)
{
    float y = (x < lo) ? lo : x;
    return (hi < y) ? hi : y;
}

#endif
