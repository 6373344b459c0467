/* Helpers of the elementwise operators (ts_ops_elementwise.c) that ts_ops.c's ADD, MUL, SOFTMAX
 * and LOGISTIC share: numpy broadcasting, int8/int16 activation ranges, TFLite's quantized
 * ADD/SUB arithmetic (with the 256-entry tables of the SIMD kernels) and int16 lookup tables. */
#ifndef TS_ELEMENTWISE_H
#define TS_ELEMENTWISE_H

#include <stdint.h>
#include "ts_runtime.h"

/* Two operands broadcast to an output, numpy rules, right-aligned to TS_MAX_RANK dimensions. */
typedef struct {
    int32_t dims[TS_MAX_RANK];                /* output */
    int32_t sa[TS_MAX_RANK], sb[TS_MAX_RANK]; /* element strides of the operands; 0 where broadcast */
    uint32_t n;                               /* output elements */
    int32_t broadcast;                        /* 0: both operands have the output's shape */
} ts_bcast;

/* The output's shape must be the broadcast shape (leading 1s aside, as TFLite's extended shapes). */
int ts_bcast_prepare(ts_ctx *ctx, const ts_tensor *a, const ts_tensor *b, const ts_tensor *out, ts_bcast *bc);

/* Advances the operand offsets (*ia, *ib) to the next output element (row-major odometer). */
static inline void ts_bcast_next(const ts_bcast *bc, int32_t idx[TS_MAX_RANK], uint32_t *ia, uint32_t *ib)
{
    for (int k = TS_MAX_RANK - 1; k >= 0; k--) {
        idx[k]++;
        *ia += (uint32_t)bc->sa[k];
        *ib += (uint32_t)bc->sb[k];
        if (idx[k] < bc->dims[k]) {
            return;
        }
        *ia -= (uint32_t)bc->sa[k] * (uint32_t)bc->dims[k];
        *ib -= (uint32_t)bc->sb[k] * (uint32_t)bc->dims[k];
        idx[k] = 0;
    }
}

/* TFLite CalculateActivationRangeQuantized for an output with range [qmin, qmax] (int8, int16) */
int ts_act_range_q(ts_ctx *ctx, uint8_t act, const ts_tensor *out, int32_t qmin, int32_t qmax, int32_t *lo,
                   int32_t *hi);

/* Quantized ADD / SUB, int8 and int16: TFLM add_common.cc / sub_common.cc and reference_ops
 * AddElementwise / SubElementwise (the general path, left shift 20 or 15). */
typedef struct {
    int32_t sub;        /* 1: SUB */
    int32_t int16;      /* 1: int16 tensors */
    int32_t left_shift; /* 20 (int8) or 15 (int16) */
    int32_t in1_offset, in2_offset, out_offset;
    int32_t m1, s1, m2, s2, mo, so; /* s1, s2, so <= 0 */
    int32_t act_min, act_max;
    int32_t table_scratch; /* scratch slot of the 512-entry rescaled-input table, -1: none */
} ts_addsub;

/* TFLM's multipliers: ADD computes them in double, SUB from float quotients (its sub_common.cc). */
int ts_addsub_prepare(ts_ctx *ctx, ts_op *op, const ts_tensor *a, const ts_tensor *b, const ts_tensor *out,
                      uint8_t act, int sub, uint32_t n, ts_addsub *p);
void ts_addsub_eval(const ts_op *op, const ts_addsub *p, const ts_bcast *bc, const void *a, const void *b,
                    void *out);

/* int16 LOGISTIC (is_tanh 0) and TANH (1), TFLM logistic_common.cc / tanh.cc: zero points 0, an
 * output scale of 2^-15; a power-of-two input scale of 2^-12 (LOGISTIC; TANH also 2^-11) gives
 * multiplier 0 (TFLite's power-of-two case), any other the multiplier of scale * 3 * 4096 raised
 * over 2^14 by doubling. The power-of-two tests are TFLite's CheckedLog2 with ts_logf. */
int ts_int16_activation_prepare(ts_ctx *ctx, const ts_tensor *in, const ts_tensor *out, int is_tanh,
                                int32_t *multiplier, int32_t *left_shift);

/* TFLite gen_lut<float, int16_t, int16_t> of exp on [-10, 0] and 1/(1+x) on [0, 1] (513 entries,
 * output [-1, 1]) for int16 SOFTMAX, with ts_expf for std::exp; and lut_lookup_with_interpolation. */
void ts_gen_lut_s16_exp(int16_t *lut);
void ts_gen_lut_s16_one_over_one_plus_x(int16_t *lut);
static inline int16_t ts_lut_lookup_s16(int16_t value, const int16_t *lut)
{
    const uint32_t index = (uint32_t)(256 + (value >> 7));
    const int32_t offset = value & 0x7f;
    const int16_t base = lut[index];
    const int16_t slope = (int16_t)(lut[index + 1] - lut[index]);
    const int32_t delta = (slope * offset + 64) >> 7;
    return (int16_t)(base + delta);
}

#endif
