/* Helpers shared by the operator files (ts_ops*.c): operator inputs and outputs, option fields,
 * quantization checks, activation ranges, convolution geometry, per-operator state. Used at
 * prepare time; only the small accessors are inline. */
#ifndef TS_OP_UTIL_H
#define TS_OP_UTIL_H

#include <stdint.h>
#include "ts_runtime.h" /* ts_errors.h: TRY */

#define FLT_MAX_ 3.402823466e+38f

static inline ts_tensor *in_t(ts_ctx *ctx, const ts_op *op, int k)
{
    return (k < op->nin && op->io[k] >= 0) ? &ctx->tensors[op->io[k]] : NULL;
}

static inline ts_tensor *out_t(ts_ctx *ctx, const ts_op *op, int k)
{
    return &ctx->tensors[op->io[op->nin + k]];
}

static inline uint32_t numel(const ts_tensor *t)
{
    uint32_t n = 1;
    for (int i = 0; i < t->rank; i++) {
        n *= (uint32_t)t->dims[i];
    }
    return n;
}

static inline int same_dims(const ts_tensor *a, const ts_tensor *b)
{
    if (a->rank != b->rank) {
        return 0;
    }
    for (int i = 0; i < a->rank; i++) {
        if (a->dims[i] != b->dims[i]) {
            return 0;
        }
    }
    return 1;
}

/* nin in [min_in, max_in] (required inputs present), exactly nout outputs */
int check_io(ts_ctx *ctx, const ts_op *op, int min_in, int max_in, int nout);

/* options of the expected table type (absent: all defaults) */
int check_options(ts_ctx *ctx, const ts_op *op, int type);

int opt_i32(ts_ctx *ctx, const ts_op *op, int field, int32_t dflt, int32_t *v);

int opt_u8(ts_ctx *ctx, const ts_op *op, int field, uint8_t dflt, uint8_t *v);

int check_quant(ts_ctx *ctx, const ts_tensor *t, const char *what);

float channel_scale(ts_ctx *ctx, const ts_tensor *t, uint32_t c);

/* every channel of a (per-channel or per-tensor) quantized tensor has the same scale, bit for bit */
int32_t scales_uniform(ts_ctx *ctx, const ts_tensor *t);

/* TFLite CalculateActivationRange (float) */
int act_range_f32(ts_ctx *ctx, uint8_t act, float *lo, float *hi);

/* TFLite Quantize(scale, zero_point, f): zero_point + (int32)round(f / scale); -1 when
 * |f / scale| >= 2^31 (TFLite and the oracle reject the model) */
int quantize_value(const ts_tensor *t, float f, int32_t *q);

/* TFLite CalculateActivationRangeQuantized for int8 */
int act_range_s8(ts_ctx *ctx, uint8_t act, const ts_tensor *out, int32_t *lo, int32_t *hi);

/* TFLite CalculateActivationRangeQuantized for int16 (qmin -32768, qmax 32767) */
int act_range_s16(ts_ctx *ctx, uint8_t act, const ts_tensor *out, int32_t *lo, int32_t *hi);

int quantize_mult(ts_ctx *ctx, double m, int32_t *qm, int32_t *shift);

/* Output size and padding, as TFLite's ComputeOutSize / ComputePaddingHeightWidth */
int conv_geometry(ts_ctx *ctx, uint8_t padding, int32_t in, int32_t k, int32_t stride, int32_t dil,
                  int32_t *out, int32_t *pad);

int alloc_data(ts_ctx *ctx, ts_op *op, uint32_t bytes);

/* Operators that copy values unchanged: int8, int16 and uint8 tensors a and b have the same scale and zero
 * point, or neither is quantized (other types: nothing to check) */
int check_same_quant(ts_ctx *ctx, const ts_tensor *a, const ts_tensor *b);

#endif
