/* Compute kernels of the runtime: plain functions over raw pointers, independent of the
 * model format, so that the host build can unit-test them directly.
 *
 * Layouts are TensorFlow Lite's: activations NHWC; CONV_2D filter [out_c][k_h][k_w][in_c];
 * DEPTHWISE_CONV_2D filter [1][k_h][k_w][out_c]; FULLY_CONNECTED weights [out][in].
 *
 * Every int8 "simd" kernel returns exactly what its "ref" twin returns (integer arithmetic is
 * exact; only the order of the additions differs). The ref kernels follow TFLite's reference
 * kernels (reference_integer_ops), the float kernels TFLite's reference_ops loop order. */
#ifndef TS_KERNELS_H
#define TS_KERNELS_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    int32_t batches, in_h, in_w, in_c, out_h, out_w, out_c, k_h, k_w;
    int32_t stride_h, stride_w, dil_h, dil_w, pad_h, pad_w;
    int32_t depth_multiplier;   /* depthwise only */
    int32_t filter_in_c;        /* CONV_2D: the filter's last dim (in_c / groups) */
    /* int8 */
    int32_t in_offset;          /* -input zero point */
    int32_t out_offset;         /* output zero point */
    int32_t act_min, act_max;
    const int32_t *mult, *shift; /* per output channel */
    /* float */
    float fmin, fmax;
    const float *wscale;        /* hybrid: per-output-channel scale of the int8 filter */
} ts_conv_params;

typedef struct {
    int32_t batches, in_depth, out_depth;
    int32_t in_offset, filter_offset, out_offset, act_min, act_max;
    const int32_t *mult, *shift; /* [out_depth] when per_channel, else [1] */
    int32_t per_channel;
    float fmin, fmax;
    const float *wscale;        /* hybrid: [out_depth] */
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
/* 0 when the depthwise SIMD kernel handles these parameters (else use the reference kernel) */
int ts_dwconv_s8_simd_ok(const ts_conv_params *p);
void ts_dwconv_s8_simd(const ts_conv_params *p, const int8_t *in, const int8_t *w, const int32_t *bias, int8_t *out);
size_t ts_fc_s8_simd_scratch(const ts_fc_params *p);
void ts_fc_s8_simd(const ts_fc_params *p, const int8_t *in, const int8_t *w, const int32_t *bias, int8_t *out, void *scratch);

/* float32 (w8 != NULL: hybrid int8 filter with p->wscale, w32 ignored) */
void ts_conv_f32(const ts_conv_params *p, const float *in, const float *w32, const int8_t *w8, const float *bias, float *out);
void ts_dwconv_f32(const ts_conv_params *p, const float *in, const float *w32, const int8_t *w8, const float *bias, float *out);
void ts_fc_f32(const ts_fc_params *p, const float *in, const float *w32, const int8_t *w8, const float *bias, float *out);

/* pooling */
void ts_avgpool_s8(const ts_pool_params *p, const int8_t *in, int8_t *out);
void ts_maxpool_s8(const ts_pool_params *p, const int8_t *in, int8_t *out);
void ts_avgpool_f32(const ts_pool_params *p, const float *in, float *out);
void ts_maxpool_f32(const ts_pool_params *p, const float *in, float *out);

/* TFLite ActivationFunctionWithMinMax: min(max(x, lo), hi) with std::max/std::min semantics */
static inline float ts_act_f32(float x, float lo, float hi)
{
    float y = (x < lo) ? lo : x;
    return (hi < y) ? hi : y;
}

#endif
