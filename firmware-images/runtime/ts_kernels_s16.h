/* Kernels of TFLite's 16x8 mode (int16 activations with zero point 0, int8 weights, int64 or
 * int32 biases) for CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED and the pools, and the kernels
 * of TRANSPOSE_CONV and BATCH_MATMUL (float32, int8, int16). Plain functions over raw pointers,
 * as in ts_kernels.h, so the host build unit-tests them directly. Arithmetic:
 * docs/inference-semantics.md, "16-bit activations, TRANSPOSE_CONV, BATCH_MATMUL".
 *
 * Every "simd" kernel returns exactly what its "ref" twin returns: integer sums are exact (or
 * wrap the same way modulo 2^32 where TFLite accumulates in int32), only the order differs. */
#ifndef TS_KERNELS_S16_H
#define TS_KERNELS_S16_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ts_kernels.h"

/* TFLite MultiplyByQuantizedMultiplier(int64_t x, ...) of the default (double-rounding) build:
 * the multiplier is reduced to 16 bits, (qm + 2^15) >> 16 (0x7FFF from 0x7FFF0000 up), and
 * x * reduced is rounded to nearest (ties up) by 15 - shift bits, then truncated to int32.
 * qm in [0, 2^31), shift in [-31, 7] (checked at prepare time: TFLite's stated precondition).
 * The product and the rounding add wrap like two's complement int64 (TFLite computes them in
 * int64; Java's long arithmetic wraps the same way). */
static inline int32_t ts_mbqm64(int64_t x, int32_t qm, int32_t shift)
{
    const int64_t reduced = qm < 0x7FFF0000 ? (int64_t)((qm + (1 << 15)) >> 16) : 0x7FFF;
    const int32_t total_shift = 15 - shift;
    const uint64_t v = (uint64_t)x * (uint64_t)reduced + (1ull << (total_shift - 1));
    return (int32_t)(uint32_t)(uint64_t)((int64_t)v >> total_shift);
}

/* An int64 from memory that may be only 4-byte aligned (constant buffers of the model). */
static inline int64_t ts_ld64(const void *p)
{
    int64_t v;
    memcpy(&v, p, 8);
    return v;
}

static inline int16_t ts_clamp_s16(int32_t v, int32_t lo, int32_t hi)
{
    v = v < lo ? lo : v;
    return (int16_t)(v > hi ? hi : v);
}

/* ---- 16x8 CONV_2D / DEPTHWISE_CONV_2D / FULLY_CONNECTED ----
 * in_offset and out_offset of the parameter structs are unused (int16 zero points are 0).
 * acc64 = 1: TFLite accumulates in int64 (bias int64 or, for depthwise and fully connected, no
 * bias) and requantizes with ts_mbqm64; acc64 = 0 (CONV_2D with an int32 bias or none): int32
 * accumulator, wrapping, and the int32 MultiplyByQuantizedMultiplier. bias: int64_t[] when
 * acc64, else int32_t[]; NULL when absent. */
void ts_conv_s16_ref(const ts_conv_params *p, const int16_t *in, const int8_t *w, const void *bias, int acc64,
                     int16_t *out);
size_t ts_conv_s16_simd_scratch(const ts_conv_params *p);
void ts_conv_s16_simd(const ts_conv_params *p, const int16_t *in, const int8_t *w, const void *bias, int acc64,
                      int16_t *out, void *scratch);
void ts_dwconv_s16_ref(const ts_conv_params *p, const int16_t *in, const int8_t *w, const int64_t *bias, int16_t *out);
/* per-tensor weights only (TFLite has no per-channel 16x8 FULLY_CONNECTED); mult/shift [1] */
void ts_fc_s16_ref(const ts_fc_params *p, const int16_t *in, const int8_t *w, const int64_t *bias, int16_t *out);
size_t ts_fc_s16_simd_scratch(const ts_fc_params *p);
void ts_fc_s16_simd(const ts_fc_params *p, const int16_t *in, const int8_t *w, const int64_t *bias, int16_t *out,
                    void *scratch);

/* ---- int16 pools (input and output share their quantization) ---- */
void ts_avgpool_s16(const ts_pool_params *p, const int16_t *in, int16_t *out);
void ts_maxpool_s16(const ts_pool_params *p, const int16_t *in, int16_t *out);

/* ---- TRANSPOSE_CONV ----
 * Filter [out_c][k_h][k_w][in_c], input [batches][in_h][in_w][in_c], output
 * [batches][out_h][out_w][out_c]. TFLite's reference "scatter": every input value times every
 * filter tap is added to the output position it lands on (in_y * stride - pad + filter_y),
 * visiting input positions, then input channels, then taps, then output channels; positions
 * outside the output are dropped. The float sums go straight into the output (TFLite's order of
 * additions for each output: input row, input column, input channel); the integer ones into
 * scratch (int32 for int8, int64 for int16), then bias, requantization and clamp. */
typedef struct {
    int32_t batches, in_h, in_w, in_c, out_h, out_w, out_c, k_h, k_w;
    int32_t stride_h, stride_w, pad_h, pad_w;
    int32_t in_offset, out_offset;  /* int8: -input zero point, output zero point */
    int32_t act_min, act_max;       /* int8 / int16: the type's range (TFLM applies no activation) */
    const int32_t *mult, *shift;    /* per output channel */
    float fmin, fmax;               /* float32: the fused activation */
} ts_tconv_params;

void ts_tconv_f32(const ts_tconv_params *p, const float *in, const float *w, const float *bias, float *out);
void ts_tconv_s8(const ts_tconv_params *p, const int8_t *in, const int8_t *w, const int32_t *bias, int8_t *out,
                 int32_t *scratch);
/* bias64 (int64) or bias16 (int16, TFLM widens it to int64 in a second scratch buffer; here
 * it is widened on the fly, the same values) or neither */
void ts_tconv_s16(const ts_tconv_params *p, const int16_t *in, const int8_t *w, const int64_t *bias64,
                  const int16_t *bias16, int16_t *out, int64_t *scratch);

/* ---- BATCH_MATMUL ----
 * out[b][a][c] = sum over k of lhs[b][a][k] * rhs[b][k][c], with numpy broadcasting of the three
 * (right-aligned, padded to 3) batch dimensions. The kernels read the lhs as [rows][depth]
 * matrices and the rhs *transposed*, as [cols][depth] (TFLM's layout: it transposes the rhs
 * unless adj_y, and the lhs when adj_x, into persistent copies). lstride / rstride: elements
 * between consecutive matrices along each batch dimension, 0 where that operand broadcasts. */
typedef struct {
    int32_t batch[3];
    int32_t lstride[3], rstride[3];
    int32_t rows, cols, depth;
    int32_t lhs_offset, rhs_offset, out_offset; /* int8: -zero points and the output zero point */
    int32_t mult, shift, act_min, act_max;
} ts_bmm_params;

void ts_bmm_f32(const ts_bmm_params *p, const float *lhs, const float *rhs_t, float *out);
void ts_bmm_s8(const ts_bmm_params *p, const int8_t *lhs, const int8_t *rhs_t, int8_t *out);
size_t ts_bmm_s8_simd_scratch(const ts_bmm_params *p);
void ts_bmm_s8_simd(const ts_bmm_params *p, const int8_t *lhs, const int8_t *rhs_t, int8_t *out, void *scratch);
void ts_bmm_s16(const ts_bmm_params *p, const int16_t *lhs, const int16_t *rhs_t, int16_t *out);
void ts_bmm_s16_simd(const ts_bmm_params *p, const int16_t *lhs, const int16_t *rhs_t, int16_t *out);
/* dst = src with the last two dimensions swapped: nmat matrices of rows x cols elements of
 * esize bytes become cols x rows (TFLM TransposeRowsColumns) */
void ts_transpose_rc(const void *src, void *dst, uint32_t esize, uint32_t nmat, uint32_t rows, uint32_t cols);

#endif
