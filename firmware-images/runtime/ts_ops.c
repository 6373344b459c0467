/* Operators: prepare (checks against the model, per-operator state into persistent memory,
 * scratch size) and eval (calls the kernels). Arithmetic follows docs/inference-semantics.md. */
#include <string.h>
#include "tflite_schema.h"
#include "ts_elementwise.h"
#include "ts_kernels.h"
#include "ts_kernels_s16.h"
#include "ts_op_util.h"
#include "ts_ops.h"
#include "ts_quant.h"
#include "ts_runtime.h"

/* ======================= CONV_2D / DEPTHWISE_CONV_2D ======================= */

/* KIND_INT16: TFLite's 16x8 mode, int16 activations (zero point 0) and int8 weights */
enum { KIND_INT8 = 0, KIND_FLOAT = 1, KIND_HYBRID = 2, KIND_INT16 = 3 };

typedef struct {
    ts_conv_params p;
    int32_t kind;
    int32_t simd;
    int32_t acc64; /* int16: TFLite accumulates in int64 (else int32) */
} conv_data;

static int weight_kind(ts_ctx *ctx, const ts_tensor *in, const ts_tensor *w, const ts_tensor *out, int32_t *kind)
{
    if (in->type == TFL_INT8 && w->type == TFL_INT8 && out->type == TFL_INT8) {
        *kind = KIND_INT8;
    } else if (in->type == TFL_FLOAT32 && w->type == TFL_FLOAT32 && out->type == TFL_FLOAT32) {
        *kind = KIND_FLOAT;
    } else if (in->type == TFL_FLOAT32 && w->type == TFL_INT8 && out->type == TFL_FLOAT32) {
        *kind = KIND_HYBRID;
    } else if (in->type == TFL_INT16 && w->type == TFL_INT8 && out->type == TFL_INT16) {
        *kind = KIND_INT16;
    } else {
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_TYPE, "input-filter-output", -1);
    }
    return 0;
}

/* int8 per-channel multipliers, or hybrid per-channel filter scales */
static int channel_params(ts_ctx *ctx, int32_t kind, const ts_tensor *in, const ts_tensor *w,
                          const ts_tensor *out, int32_t channels, int32_t qdim, int fc_order,
                          const int32_t **mult, const int32_t **shift, const float **wscale)
{
    if (kind == KIND_FLOAT) {
        return 0;
    }
    if (!w->quantized) {
        return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "filter", (int32_t)(w - ctx->tensors));
    }
    if (w->zero_point != 0 && !fc_order) {
        return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "filter-zero-point", (int32_t)(w - ctx->tensors));
    }
    (void)qdim; /* TFLite Micro compares the count with the operator's channel dimension only */
    if (w->nscales != 1 && w->nscales != (uint32_t)channels) {
        return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "filter-channels", (int32_t)(w - ctx->tensors));
    }
    if (kind == KIND_HYBRID) {
        if (w->zero_point != 0) {
            return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "filter-zero-point", (int32_t)(w - ctx->tensors));
        }
        float *ws = ts_persist(ctx, (uint32_t)channels * 4u);
        if (ws == NULL) {
            return ts_fail(ctx, TS_ERR_ARENA_TOO_SMALL, "operator-state", -1);
        }
        for (int32_t c = 0; c < channels; c++) {
            ws[c] = channel_scale(ctx, w, (uint32_t)c);
        }
        *wscale = ws;
        return 0;
    }
    TRY(check_quant(ctx, in, "input"));
    TRY(check_quant(ctx, out, "output"));
    if (kind == KIND_INT16) {
        /* 16x8: symmetric activations (TFLite's kernels ignore the zero points); TFLite Micro's
           16x8 FULLY_CONNECTED has no per-channel weights */
        if (in->zero_point != 0 || out->zero_point != 0) {
            return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "int16-zero-point", -1);
        }
        if (fc_order && w->nscales > 1) {
            return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "int16-per-channel-weights", (int32_t)(w - ctx->tensors));
        }
    }
    uint32_t n = (fc_order && w->nscales == 1) ? 1u : (uint32_t)channels;
    int32_t *m = ts_persist(ctx, n * 8u);
    if (m == NULL) {
        return ts_fail(ctx, TS_ERR_ARENA_TOO_SMALL, "operator-state", -1);
    }
    for (uint32_t c = 0; c < n; c++) {
        double real;
        if (fc_order && w->nscales == 1) {
            /* TFLite GetQuantizedConvolutionMultipler: float product, then double */
            real = (double)(in->scale * w->scale) / (double)out->scale;
        } else {
            /* TFLite PopulateConvolutionQuantizationParams */
            real = (double)in->scale * (double)channel_scale(ctx, w, c) / (double)out->scale;
        }
        TRY(quantize_mult(ctx, real, &m[c], &m[n + c]));
    }
    *mult = m;
    *shift = m + n;
    return 0;
}

/* int16 (16x8): an int64 bias, or an int32 one where TFLite Micro accepts it (int32_ok16: CONV_2D) */
static int check_bias(ts_ctx *ctx, const ts_tensor *bias, int32_t kind, int32_t channels, int int32_ok16)
{
    if (bias == NULL) {
        return 0;
    }
    uint8_t want = kind == KIND_INT8 ? TFL_INT32 : TFL_FLOAT32;
    if (kind == KIND_INT16) {
        want = (int32_ok16 && bias->type == TFL_INT32) ? TFL_INT32 : TFL_INT64;
    }
    if (bias->type != want) {
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_TYPE, "bias", (int32_t)(bias - ctx->tensors));
    }
    if (numel(bias) != (uint32_t)channels) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "bias-size", (int32_t)(bias - ctx->tensors));
    }
    return 0;
}

/* TFLite's int64 MultiplyByQuantizedMultiplier is defined for shifts in [-31, 7] (it asserts
   so): a larger one (a multiplier of 128 or more) is rejected */
static int check_shift64(ts_ctx *ctx, int32_t acc64, const int32_t *shift, int32_t n)
{
    for (int32_t c = 0; acc64 && c < n; c++) {
        if (shift[c] > 7) {
            return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "int16-multiplier", c);
        }
    }
    return 0;
}

static int prepare_conv_any(ts_ctx *ctx, ts_op *op, int depthwise)
{
    TRY(check_io(ctx, op, 2, 3, 1));
    TRY(check_options(ctx, op, depthwise ? OPT_DEPTHWISE_CONV2D : OPT_CONV2D));
    ts_tensor *in = in_t(ctx, op, 0), *w = in_t(ctx, op, 1), *bias = in_t(ctx, op, 2), *out = out_t(ctx, op, 0);
    if (in->rank != 4 || w->rank != 4 || out->rank != 4) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "rank", -1);
    }
    TRY(alloc_data(ctx, op, sizeof(conv_data)));
    conv_data *d = op->data;
    ts_conv_params *p = &d->p;
    uint8_t padding, act;
    int32_t dm = 1;
    if (depthwise) {
        TRY(opt_u8(ctx, op, DW_PADDING, TFL_PAD_SAME, &padding));
        TRY(opt_i32(ctx, op, DW_STRIDE_W, 1, &p->stride_w));
        TRY(opt_i32(ctx, op, DW_STRIDE_H, 1, &p->stride_h));
        TRY(opt_i32(ctx, op, DW_DEPTH_MULTIPLIER, 1, &dm));
        TRY(opt_u8(ctx, op, DW_ACTIVATION, TFL_ACT_NONE, &act));
        TRY(opt_i32(ctx, op, DW_DILATION_W, 1, &p->dil_w));
        TRY(opt_i32(ctx, op, DW_DILATION_H, 1, &p->dil_h));
    } else {
        TRY(opt_u8(ctx, op, CONV_PADDING, TFL_PAD_SAME, &padding));
        TRY(opt_i32(ctx, op, CONV_STRIDE_W, 1, &p->stride_w));
        TRY(opt_i32(ctx, op, CONV_STRIDE_H, 1, &p->stride_h));
        TRY(opt_u8(ctx, op, CONV_ACTIVATION, TFL_ACT_NONE, &act));
        TRY(opt_i32(ctx, op, CONV_DILATION_W, 1, &p->dil_w));
        TRY(opt_i32(ctx, op, CONV_DILATION_H, 1, &p->dil_h));
    }
    p->batches = in->dims[0];
    p->in_h = in->dims[1];
    p->in_w = in->dims[2];
    p->in_c = in->dims[3];
    p->k_h = w->dims[1];
    p->k_w = w->dims[2];
    if (depthwise) {
        if (w->dims[0] != 1) {
            return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "filter-shape", -1);
        }
        p->out_c = w->dims[3];
        if (p->out_c % p->in_c != 0) {
            return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "depth-multiplier", -1);
        }
        /* derived from the shapes; the option field is ignored, as in current TFLite */
        p->depth_multiplier = p->out_c / p->in_c;
        (void)dm;
    } else {
        p->out_c = w->dims[0];
        p->filter_in_c = w->dims[3];
        /* grouped convolution: groups = in_c / filter_in_c, each a slice of the output channels */
        if (p->in_c % p->filter_in_c != 0 || p->out_c % (p->in_c / p->filter_in_c) != 0) {
            return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "filter-shape", -1);
        }
        p->depth_multiplier = 1;
    }
    TRY(conv_geometry(ctx, padding, p->in_h, p->k_h, p->stride_h, p->dil_h, &p->out_h, &p->pad_h));
    TRY(conv_geometry(ctx, padding, p->in_w, p->k_w, p->stride_w, p->dil_w, &p->out_w, &p->pad_w));
    if (out->dims[0] != p->batches || out->dims[1] != p->out_h || out->dims[2] != p->out_w ||
        out->dims[3] != p->out_c) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "output-shape", -1);
    }
    TRY(weight_kind(ctx, in, w, out, &d->kind));
    TRY(check_bias(ctx, bias, d->kind, p->out_c, !depthwise));
    TRY(channel_params(ctx, d->kind, in, w, out, p->out_c, depthwise ? 3 : 0, 0, &p->mult, &p->shift, &p->wscale));
    if (d->kind == KIND_INT8) {
        p->in_offset = -in->zero_point;
        p->out_offset = out->zero_point;
        TRY(act_range_s8(ctx, act, out, &p->act_min, &p->act_max));
        if (ctx->kernels == TS_KERNELS_SIMD) {
            if (depthwise) {
                d->simd = ts_dwconv_s8_simd_ok(p);
                if (d->simd) {
                    op->scratch_bytes[0] = (uint32_t)ts_dwconv_s8_simd_scratch(p);
                }
            } else if (p->filter_in_c == p->in_c) {
                d->simd = 1; /* grouped convolutions use the reference kernel */
                op->scratch_bytes[0] = (uint32_t)ts_conv_s8_simd_scratch(p);
            }
        }
    } else if (d->kind == KIND_INT16) {
        /* TFLite Micro: depthwise always accumulates in int64; CONV_2D in int64 with an int64
           bias, in int32 with an int32 bias or none */
        d->acc64 = depthwise || (bias != NULL && bias->type == TFL_INT64);
        TRY(check_shift64(ctx, d->acc64, p->shift, p->out_c));
        TRY(act_range_s16(ctx, act, out, &p->act_min, &p->act_max));
        if (ctx->kernels == TS_KERNELS_SIMD && !depthwise && p->filter_in_c == p->in_c) {
            d->simd = 1; /* depthwise and grouped convolutions: the reference kernels */
            TRY(ts_request_scratch(ctx, op, (uint32_t)ts_conv_s16_simd_scratch(p), NULL));
        }
    } else {
        TRY(act_range_f32(ctx, act, &p->fmin, &p->fmax));
    }
    uint64_t taps = (uint64_t)p->k_h * (uint64_t)p->k_w * (depthwise ? 1u : (uint64_t)p->filter_in_c);
    op->macs = (uint64_t)p->batches * (uint64_t)p->out_h * (uint64_t)p->out_w * (uint64_t)p->out_c * taps;
    if (d->kind == KIND_HYBRID) {
        op->scratch_bytes[0] = depthwise ? ts_dwconv_f32_hybrid_prepare(p, scales_uniform(ctx, w))
                                      : ts_conv_f32_hybrid_prepare(p, scales_uniform(ctx, w));
    }
    return 0;
}

int prepare_conv(ts_ctx *ctx, ts_op *op) { return prepare_conv_any(ctx, op, 0); }
int prepare_dwconv(ts_ctx *ctx, ts_op *op) { return prepare_conv_any(ctx, op, 1); }

int eval_conv(ts_ctx *ctx, ts_op *op)
{
    const conv_data *d = op->data;
    ts_tensor *in = in_t(ctx, op, 0), *w = in_t(ctx, op, 1), *bias = in_t(ctx, op, 2), *out = out_t(ctx, op, 0);
    const void *bp = bias ? bias->data : NULL;
    if (d->kind == KIND_INT8) {
        if (d->simd) {
            ts_conv_s8_simd(&d->p, (const int8_t *)in->data, (const int8_t *)w->data, bp, (int8_t *)out->data, op->scratch[0]);
        } else {
            ts_conv_s8_ref(&d->p, (const int8_t *)in->data, (const int8_t *)w->data, bp, (int8_t *)out->data);
        }
    } else if (d->kind == KIND_INT16) {
        if (d->simd) {
            ts_conv_s16_simd(&d->p, (const int16_t *)(const void *)in->data, (const int8_t *)w->data, bp, d->acc64,
                             (int16_t *)(void *)out->data, op->scratch[0]);
        } else {
            ts_conv_s16_ref(&d->p, (const int16_t *)(const void *)in->data, (const int8_t *)w->data, bp, d->acc64,
                            (int16_t *)(void *)out->data);
        }
    } else {
        ts_conv_f32(&d->p, (const float *)in->data, d->kind == KIND_FLOAT ? (const float *)w->data : NULL,
                    d->kind == KIND_HYBRID ? (const int8_t *)w->data : NULL, bp, (float *)out->data, op->scratch[0]);
    }
    return 0;
}

int eval_dwconv(ts_ctx *ctx, ts_op *op)
{
    const conv_data *d = op->data;
    ts_tensor *in = in_t(ctx, op, 0), *w = in_t(ctx, op, 1), *bias = in_t(ctx, op, 2), *out = out_t(ctx, op, 0);
    const void *bp = bias ? bias->data : NULL;
    if (d->kind == KIND_INT8) {
        if (d->simd) {
            ts_dwconv_s8_simd(&d->p, (const int8_t *)in->data, (const int8_t *)w->data, bp, (int8_t *)out->data, op->scratch[0]);
        } else {
            ts_dwconv_s8_ref(&d->p, (const int8_t *)in->data, (const int8_t *)w->data, bp, (int8_t *)out->data);
        }
    } else if (d->kind == KIND_INT16) {
        ts_dwconv_s16_ref(&d->p, (const int16_t *)(const void *)in->data, (const int8_t *)w->data, bp,
                          (int16_t *)(void *)out->data);
    } else {
        ts_dwconv_f32(&d->p, (const float *)in->data, d->kind == KIND_FLOAT ? (const float *)w->data : NULL,
                      d->kind == KIND_HYBRID ? (const int8_t *)w->data : NULL, bp, (float *)out->data, op->scratch[0]);
    }
    return 0;
}

/* ======================= FULLY_CONNECTED ======================= */

typedef struct {
    ts_fc_params p;
    int32_t kind;
    int32_t simd;
} fc_data;

int prepare_fc(ts_ctx *ctx, ts_op *op)
{
    TRY(check_io(ctx, op, 2, 3, 1));
    TRY(check_options(ctx, op, OPT_FULLY_CONNECTED));
    ts_tensor *in = in_t(ctx, op, 0), *w = in_t(ctx, op, 1), *bias = in_t(ctx, op, 2), *out = out_t(ctx, op, 0);
    uint8_t act, format;
    TRY(opt_u8(ctx, op, FC_ACTIVATION, TFL_ACT_NONE, &act));
    TRY(opt_u8(ctx, op, FC_WEIGHTS_FORMAT, 0, &format));
    if (format != 0) {
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_OPTIONS, "weights-format", format);
    }
    if (w->rank != 2 || in->rank < 1 || out->rank < 1) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "rank", -1);
    }
    TRY(alloc_data(ctx, op, sizeof(fc_data)));
    fc_data *d = op->data;
    ts_fc_params *p = &d->p;
    p->out_depth = w->dims[0];
    p->in_depth = w->dims[1];
    uint32_t n_in = numel(in);
    if (n_in % (uint32_t)p->in_depth != 0) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "input-size", -1);
    }
    p->batches = (int32_t)(n_in / (uint32_t)p->in_depth);
    if (numel(out) != (uint32_t)p->batches * (uint32_t)p->out_depth || out->dims[out->rank - 1] != p->out_depth) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "output-shape", -1);
    }
    TRY(weight_kind(ctx, in, w, out, &d->kind));
    TRY(check_bias(ctx, bias, d->kind, p->out_depth, 0));
    TRY(channel_params(ctx, d->kind, in, w, out, p->out_depth, 0, 1, &p->mult, &p->shift, &p->wscale));
    if (d->kind == KIND_INT8) {
        p->per_channel = w->nscales > 1;
        p->in_offset = -in->zero_point;
        p->filter_offset = -w->zero_point;
        p->out_offset = out->zero_point;
        TRY(act_range_s8(ctx, act, out, &p->act_min, &p->act_max));
        if (ctx->kernels == TS_KERNELS_SIMD) {
            d->simd = 1;
            op->scratch_bytes[0] = (uint32_t)ts_fc_s8_simd_scratch(p);
        }
    } else if (d->kind == KIND_INT16) {
        /* TFLite Micro: per-tensor weights (filter offset applied), int64 accumulator */
        p->filter_offset = -w->zero_point;
        TRY(check_shift64(ctx, 1, p->shift, 1));
        TRY(act_range_s16(ctx, act, out, &p->act_min, &p->act_max));
        if (ctx->kernels == TS_KERNELS_SIMD) {
            d->simd = 1;
            TRY(ts_request_scratch(ctx, op, (uint32_t)ts_fc_s16_simd_scratch(p), NULL));
        }
    } else {
        TRY(act_range_f32(ctx, act, &p->fmin, &p->fmax));
    }
    op->macs = (uint64_t)p->batches * (uint64_t)p->in_depth * (uint64_t)p->out_depth;
    if (d->kind == KIND_HYBRID) {
        op->scratch_bytes[0] = ts_fc_f32_hybrid_prepare(p, scales_uniform(ctx, w));
    }
    return 0;
}

int eval_fc(ts_ctx *ctx, ts_op *op)
{
    const fc_data *d = op->data;
    ts_tensor *in = in_t(ctx, op, 0), *w = in_t(ctx, op, 1), *bias = in_t(ctx, op, 2), *out = out_t(ctx, op, 0);
    const void *bp = bias ? bias->data : NULL;
    if (d->kind == KIND_INT8) {
        if (d->simd) {
            ts_fc_s8_simd(&d->p, (const int8_t *)in->data, (const int8_t *)w->data, bp, (int8_t *)out->data, op->scratch[0]);
        } else {
            ts_fc_s8_ref(&d->p, (const int8_t *)in->data, (const int8_t *)w->data, bp, (int8_t *)out->data);
        }
    } else if (d->kind == KIND_INT16) {
        if (d->simd) {
            ts_fc_s16_simd(&d->p, (const int16_t *)(const void *)in->data, (const int8_t *)w->data, bp,
                           (int16_t *)(void *)out->data, op->scratch[0]);
        } else {
            ts_fc_s16_ref(&d->p, (const int16_t *)(const void *)in->data, (const int8_t *)w->data, bp,
                          (int16_t *)(void *)out->data);
        }
    } else {
        ts_fc_f32(&d->p, (const float *)in->data, d->kind == KIND_FLOAT ? (const float *)w->data : NULL,
                  d->kind == KIND_HYBRID ? (const int8_t *)w->data : NULL, bp, (float *)out->data, op->scratch[0]);
    }
    return 0;
}

/* ======================= AVERAGE_POOL_2D / MAX_POOL_2D ======================= */

typedef struct {
    ts_pool_params p;
    int32_t is_float;
    int32_t is_int16;
} pool_data;

int prepare_pool(ts_ctx *ctx, ts_op *op)
{
    TRY(check_io(ctx, op, 1, 1, 1));
    TRY(check_options(ctx, op, OPT_POOL2D));
    ts_tensor *in = in_t(ctx, op, 0), *out = out_t(ctx, op, 0);
    if (in->rank != 4 || out->rank != 4) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "rank", -1);
    }
    TRY(alloc_data(ctx, op, sizeof(pool_data)));
    pool_data *d = op->data;
    ts_pool_params *p = &d->p;
    uint8_t padding, act;
    TRY(opt_u8(ctx, op, POOL_PADDING, TFL_PAD_SAME, &padding));
    TRY(opt_i32(ctx, op, POOL_STRIDE_W, 1, &p->stride_w));
    TRY(opt_i32(ctx, op, POOL_STRIDE_H, 1, &p->stride_h));
    TRY(opt_i32(ctx, op, POOL_FILTER_W, 1, &p->k_w));
    TRY(opt_i32(ctx, op, POOL_FILTER_H, 1, &p->k_h));
    TRY(opt_u8(ctx, op, POOL_ACTIVATION, TFL_ACT_NONE, &act));
    p->batches = in->dims[0];
    p->in_h = in->dims[1];
    p->in_w = in->dims[2];
    p->channels = in->dims[3];
    if (p->k_h > (1 << 24) || p->k_w > (1 << 24)) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "filter-size", -1);
    }
    TRY(conv_geometry(ctx, padding, p->in_h, p->k_h, p->stride_h, 1, &p->out_h, &p->pad_h));
    TRY(conv_geometry(ctx, padding, p->in_w, p->k_w, p->stride_w, 1, &p->out_w, &p->pad_w));
    if (out->dims[0] != p->batches || out->dims[1] != p->out_h || out->dims[2] != p->out_w ||
        out->dims[3] != p->channels) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "output-shape", -1);
    }
    if (in->type == TFL_INT8 && out->type == TFL_INT8) {
        TRY(check_quant(ctx, out, "output"));
        if (!in->quantized || in->scale != out->scale || in->zero_point != out->zero_point) {
            return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "pool-requantization", -1);
        }
        TRY(act_range_s8(ctx, act, out, &p->act_min, &p->act_max));
    } else if (in->type == TFL_INT16 && out->type == TFL_INT16) {
        /* as int8: no requantization, the output shares the input's quantization */
        TRY(check_quant(ctx, out, "output"));
        if (!in->quantized || in->scale != out->scale || in->zero_point != out->zero_point) {
            return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "pool-requantization", -1);
        }
        if (out->zero_point < -32768 || out->zero_point > 32767) {
            return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "zero-point", -1);
        }
        d->is_int16 = 1;
        TRY(act_range_s16(ctx, act, out, &p->act_min, &p->act_max));
    } else if (in->type == TFL_FLOAT32 && out->type == TFL_FLOAT32) {
        d->is_float = 1;
        TRY(act_range_f32(ctx, act, &p->fmin, &p->fmax));
    } else {
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_TYPE, "input-output", -1);
    }
    return 0;
}

int eval_avgpool(ts_ctx *ctx, ts_op *op)
{
    const pool_data *d = op->data;
    ts_tensor *in = in_t(ctx, op, 0), *out = out_t(ctx, op, 0);
    if (d->is_float) {
        ts_avgpool_f32(&d->p, (const float *)in->data, (float *)out->data);
    } else if (d->is_int16) {
        ts_avgpool_s16(&d->p, (const int16_t *)(const void *)in->data, (int16_t *)(void *)out->data);
    } else {
        ts_avgpool_s8(&d->p, (const int8_t *)in->data, (int8_t *)out->data);
    }
    return 0;
}

int eval_maxpool(ts_ctx *ctx, ts_op *op)
{
    const pool_data *d = op->data;
    ts_tensor *in = in_t(ctx, op, 0), *out = out_t(ctx, op, 0);
    if (d->is_float) {
        ts_maxpool_f32(&d->p, (const float *)in->data, (float *)out->data);
    } else if (d->is_int16) {
        ts_maxpool_s16(&d->p, (const int16_t *)(const void *)in->data, (int16_t *)(void *)out->data);
    } else {
        ts_maxpool_s8(&d->p, (const int8_t *)in->data, (int8_t *)out->data);
    }
    return 0;
}

/* ======================= ADD / MUL (with broadcasting) ======================= */

typedef struct {
    ts_bcast bc;
    int32_t type;          /* TFL_FLOAT32, TFL_INT8, TFL_INT16 */
    ts_addsub add;         /* quantized ADD (ts_elementwise.h) */
    int32_t in1_offset, in2_offset, out_offset, mo, so; /* quantized MUL */
    int32_t act_min, act_max;
    float fmin, fmax;
} binary_data;

static int prepare_binary(ts_ctx *ctx, ts_op *op, int is_mul)
{
    TRY(check_io(ctx, op, 2, 2, 1));
    TRY(check_options(ctx, op, is_mul ? OPT_MUL : OPT_ADD));
    ts_tensor *a = in_t(ctx, op, 0), *b = in_t(ctx, op, 1), *out = out_t(ctx, op, 0);
    TRY(alloc_data(ctx, op, sizeof(binary_data)));
    binary_data *d = op->data;
    uint8_t act;
    TRY(opt_u8(ctx, op, is_mul ? MUL_ACTIVATION : ADD_ACTIVATION, TFL_ACT_NONE, &act));
    TRY(ts_bcast_prepare(ctx, a, b, out, &d->bc));
    if (a->type != out->type || b->type != out->type) {
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_TYPE, "input-output", -1);
    }
    d->type = out->type;
    if (out->type == TFL_FLOAT32) {
        return act_range_f32(ctx, act, &d->fmin, &d->fmax);
    }
    if (out->type != TFL_INT8 && out->type != TFL_INT16) {
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_TYPE, "input-output", -1);
    }
    if (!is_mul) {
        /* TFLM add_common.cc: int8 and int16 (pot_scale_int16 is not read: the general path) */
        return ts_addsub_prepare(ctx, op, a, b, out, act, 0, d->bc.n, &d->add);
    }
    /* TFLM mul_common.cc CalculateOpDataMul; int16 needs zero points 0 */
    TRY(check_quant(ctx, a, "input1"));
    TRY(check_quant(ctx, b, "input2"));
    TRY(check_quant(ctx, out, "output"));
    if (out->type == TFL_INT16 && (a->zero_point != 0 || b->zero_point != 0 || out->zero_point != 0)) {
        return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "int16-zero-point", -1);
    }
    d->in1_offset = -a->zero_point;
    d->in2_offset = -b->zero_point;
    d->out_offset = out->zero_point;
    if (out->type == TFL_INT16) {
        TRY(ts_act_range_q(ctx, act, out, -32768, 32767, &d->act_min, &d->act_max));
    } else {
        TRY(act_range_s8(ctx, act, out, &d->act_min, &d->act_max));
    }
    const double real = (double)a->scale * (double)b->scale / (double)out->scale;
    return quantize_mult(ctx, real, &d->mo, &d->so);
}

int prepare_add(ts_ctx *ctx, ts_op *op) { return prepare_binary(ctx, op, 0); }
int prepare_mul(ts_ctx *ctx, ts_op *op) { return prepare_binary(ctx, op, 1); }

static inline int32_t clamp32(int32_t v, int32_t lo, int32_t hi)
{
    v = v < lo ? lo : v;
    return v > hi ? hi : v;
}

/* TFLite MulElementwise: the product of the offset inputs (fits int32 for int8 and int16) */
static inline int32_t mul_q(const binary_data *d, int32_t x1, int32_t x2)
{
    const int32_t prod = (d->in1_offset + x1) * (d->in2_offset + x2);
    return clamp32(d->out_offset + ts_mbqm(prod, d->mo, d->so), d->act_min, d->act_max);
}

static int eval_binary(ts_ctx *ctx, ts_op *op, int is_mul)
{
    const binary_data *d = op->data;
    ts_tensor *ta = in_t(ctx, op, 0), *tb = in_t(ctx, op, 1), *to = out_t(ctx, op, 0);
    if (!is_mul && d->type != TFL_FLOAT32) {
        ts_addsub_eval(op, &d->add, &d->bc, ta->data, tb->data, to->data);
        return 0;
    }
    if (!d->bc.broadcast) {
        /* same shapes: flat loops, the parameters in locals (the stores could alias *d) */
        const uint32_t n = d->bc.n;
        if (d->type == TFL_FLOAT32) {
            const float *a = (const float *)ta->data, *b = (const float *)tb->data;
            float *o = (float *)to->data;
            const float lo = d->fmin, hi = d->fmax;
            if (is_mul) {
                for (uint32_t i = 0; i < n; i++) {
                    o[i] = ts_act_f32(a[i] * b[i], lo, hi);
                }
            } else {
                for (uint32_t i = 0; i < n; i++) {
                    o[i] = ts_act_f32(a[i] + b[i], lo, hi);
                }
            }
        } else if (d->type == TFL_INT8) {
            const int8_t *a = (const int8_t *)ta->data, *b = (const int8_t *)tb->data;
            int8_t *o = (int8_t *)to->data;
            for (uint32_t i = 0; i < n; i++) {
                o[i] = (int8_t)mul_q(d, a[i], b[i]);
            }
        } else {
            const int16_t *a = (const int16_t *)ta->data, *b = (const int16_t *)tb->data;
            int16_t *o = (int16_t *)to->data;
            for (uint32_t i = 0; i < n; i++) {
                o[i] = (int16_t)mul_q(d, a[i], b[i]);
            }
        }
        return 0;
    }
    /* broadcasting: walk the output in order; the odometer steps the operands */
    int32_t idx[TS_MAX_RANK] = { 0 };
    uint32_t ia = 0, ib = 0;
    for (uint32_t i = 0; i < d->bc.n; i++) {
        if (d->type == TFL_FLOAT32) {
            const float x = ((const float *)ta->data)[ia], y = ((const float *)tb->data)[ib];
            ((float *)to->data)[i] = ts_act_f32(is_mul ? x * y : x + y, d->fmin, d->fmax);
        } else if (d->type == TFL_INT8) {
            ((int8_t *)to->data)[i] = (int8_t)mul_q(d, ((const int8_t *)ta->data)[ia], ((const int8_t *)tb->data)[ib]);
        } else {
            ((int16_t *)to->data)[i] =
                (int16_t)mul_q(d, ((const int16_t *)ta->data)[ia], ((const int16_t *)tb->data)[ib]);
        }
        ts_bcast_next(&d->bc, idx, &ia, &ib);
    }
    return 0;
}

int eval_add(ts_ctx *ctx, ts_op *op) { return eval_binary(ctx, op, 0); }
int eval_mul(ts_ctx *ctx, ts_op *op) { return eval_binary(ctx, op, 1); }

/* ======================= RESHAPE ======================= */

int prepare_reshape(ts_ctx *ctx, ts_op *op)
{
    TRY(check_io(ctx, op, 1, 2, 1));
    ts_tensor *in = in_t(ctx, op, 0), *out = out_t(ctx, op, 0);
    if (in->type != out->type || in->bytes != out->bytes) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "output-shape", -1);
    }
    return check_same_quant(ctx, in, out);
}

int eval_copy(ts_ctx *ctx, ts_op *op)
{
    ts_tensor *in = in_t(ctx, op, 0), *out = out_t(ctx, op, 0);
    if (in->data != out->data) {
        memcpy(out->data, in->data, out->bytes);
    }
    return 0;
}

/* ======================= SOFTMAX ======================= */

typedef struct {
    uint32_t outer, depth;
    int32_t is_float;
    int32_t in_type, out_type; /* quantized: int8 -> int8, int8 -> int16, int16 -> int16 */
    float beta;
    int32_t input_multiplier, input_left_shift, diff_min;
    int16_t *exp_lut, *one_over_one_plus_x_lut; /* int16 input: 513 entries each */
} softmax_data;

int prepare_softmax(ts_ctx *ctx, ts_op *op)
{
    TRY(check_io(ctx, op, 1, 1, 1));
    TRY(check_options(ctx, op, OPT_SOFTMAX));
    ts_tensor *in = in_t(ctx, op, 0), *out = out_t(ctx, op, 0);
    if (!same_dims(in, out) || in->rank < 1) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "output-shape", -1);
    }
    TRY(alloc_data(ctx, op, sizeof(softmax_data)));
    softmax_data *d = op->data;
    float beta = 1.0f;
    if (op->has_options) {
        TRY(fb_f32(&ctx->fb, &op->options, SOFTMAX_BETA, 0.0f, &beta));
    }
    d->beta = beta;
    d->depth = (uint32_t)in->dims[in->rank - 1];
    d->outer = numel(in) / d->depth;
    if (in->type == TFL_FLOAT32 && out->type == TFL_FLOAT32) {
        d->is_float = 1;
        return 0;
    }
    /* TFLM softmax_common.cc: int8 -> int8, int8 -> int16, int16 -> int16 */
    if (!((in->type == TFL_INT8 && (out->type == TFL_INT8 || out->type == TFL_INT16)) ||
          (in->type == TFL_INT16 && out->type == TFL_INT16))) {
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_TYPE, "input-output", -1);
    }
    d->in_type = in->type;
    d->out_type = out->type;
    TRY(check_quant(ctx, in, "input"));
    TRY(check_quant(ctx, out, "output"));
    if (in->type == TFL_INT16) {
        /* zero point 0, scale 1/32768 within 0.1 % (TF_LITE_ENSURE_NEAR, float arithmetic) */
        const float want = 1.0f / 32768.0f, tol = 0.001f * 1.0f / 32768.0f;
        const float delta = out->scale > want ? out->scale - want : want - out->scale;
        if (out->zero_point != 0 || delta > tol) {
            return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "softmax-output", -1);
        }
        /* the int32 sum of a row's int16 exps (each <= 32767) must not wrap */
        if (d->depth > 65536u) {
            return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "softmax-depth", (int32_t)d->depth);
        }
        /* the differences [-65535, 0] scaled to [-10, 0] in units of 10/65535 (TFLM's comment) */
        TRY(quantize_mult(ctx, (double)in->scale * (double)beta / (10.0 / 65535.0), &d->input_multiplier,
                          &d->input_left_shift));
        d->exp_lut = ts_persist(ctx, 513u * 2u);
        d->one_over_one_plus_x_lut = ts_persist(ctx, 513u * 2u);
        if (d->exp_lut == NULL || d->one_over_one_plus_x_lut == NULL) {
            return ts_fail(ctx, TS_ERR_ARENA_TOO_SMALL, "operator-state", -1);
        }
        ts_gen_lut_s16_exp(d->exp_lut);
        ts_gen_lut_s16_one_over_one_plus_x(d->one_over_one_plus_x_lut);
        return 0;
    }
    if (out->type == TFL_INT16) {
        const float want = 1.0f / 65536.0f, tol = 0.001f * 1.0f / 65536.0f;
        const float delta = out->scale > want ? out->scale - want : want - out->scale;
        if (out->zero_point != -32768 || delta > tol) {
            return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "softmax-output", -1);
        }
    } else if (out->zero_point != -128 || out->scale != 0.00390625f) {
        return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "softmax-output", -1);
    }
    /* TFLite PreprocessSoftmaxScaling(beta, input_scale, kScaledDiffIntegerBits = 5) */
    double real = (double)beta * (double)in->scale * (double)(1 << (31 - 5));
    if (real > 2147483647.0) {
        real = 2147483647.0;
    }
    if (!(real > 1.0)) { /* QuantizeMultiplierGreaterThanOne */
        return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "softmax-multiplier", -1);
    }
    TRY(quantize_mult(ctx, real, &d->input_multiplier, &d->input_left_shift));
    d->diff_min = -ts_input_radius(5, d->input_left_shift);
    return 0;
}

/* TFLite reference_ops::SoftmaxInt16: exp and 1/(1+x) through the 513-entry tables */
static void softmax_s16(const softmax_data *d, const int16_t *in, int16_t *out)
{
    const uint32_t depth = d->depth;
    for (uint32_t i = 0; i < d->outer; i++) {
        const int16_t *x = in + i * depth;
        int16_t *y = out + i * depth;
        int32_t max = INT16_MIN;
        for (uint32_t c = 0; c < depth; c++) {
            max = x[c] > max ? x[c] : max;
        }
        int32_t sum_of_exps = 0; /* Q16.15; the exps wait in the output */
        for (uint32_t c = 0; c < depth; c++) {
            const int32_t scaled = ts_mbqm(x[c] - max, d->input_multiplier, d->input_left_shift);
            const int16_t sym = (int16_t)clamp32(scaled + 32767, -32768, 32767);
            y[c] = ts_lut_lookup_s16(sym, d->exp_lut);
            sum_of_exps += y[c];
        }
        const int32_t headroom_plus_one = __builtin_clz((uint32_t)sum_of_exps);
        const int32_t shifted_sum =
            (int32_t)((((int64_t)sum_of_exps << (headroom_plus_one - 1)) + (1 << 13)) >> 14);
        const int16_t sym_sum = (int16_t)clamp32(shifted_sum - ((1 << 15) + (1 << 16)), -32768, 32767);
        const int16_t reciprocal = ts_lut_lookup_s16(sym_sum, d->one_over_one_plus_x_lut);
        const int32_t right_shift = 31 - headroom_plus_one;
        const int64_t round = (int64_t)1 << (right_shift - 1);
        for (uint32_t c = 0; c < depth; c++) {
            const int32_t r = (int32_t)(((int64_t)y[c] * reciprocal + round) >> right_shift);
            y[c] = (int16_t)clamp32(r, 0, 32767);
        }
    }
}

int eval_softmax(ts_ctx *ctx, ts_op *op)
{
    const softmax_data *d = op->data;
    ts_tensor *ti = in_t(ctx, op, 0), *to = out_t(ctx, op, 0);
    const uint32_t depth = d->depth;
    if (d->is_float) {
        for (uint32_t i = 0; i < d->outer; i++) {
            const float *x = (const float *)ti->data + i * depth;
            float *y = (float *)to->data + i * depth;
            float max = -FLT_MAX_;
            for (uint32_t c = 0; c < depth; c++) {
                max = (max < x[c]) ? x[c] : max;
            }
            float sum = 0.0f;
            for (uint32_t c = 0; c < depth; c++) {
                const float e = ts_expf((x[c] - max) * d->beta);
                y[c] = e;
                sum += e;
            }
            for (uint32_t c = 0; c < depth; c++) {
                y[c] = y[c] / sum;
            }
        }
        return 0;
    }
    if (d->in_type == TFL_INT16) {
        softmax_s16(d, (const int16_t *)ti->data, (int16_t *)to->data);
        return 0;
    }
    const int out16 = d->out_type == TFL_INT16;
    for (uint32_t i = 0; i < d->outer; i++) {
        const int8_t *x = (const int8_t *)ti->data + i * depth;
        int8_t *y = (int8_t *)to->data + i * depth;
        int16_t *y16 = (int16_t *)to->data + i * depth;
        int32_t max = -128;
        for (uint32_t c = 0; c < depth; c++) {
            max = x[c] > max ? x[c] : max;
        }
        int32_t sum_of_exps = 0; /* Q12.19 */
        for (uint32_t c = 0; c < depth; c++) {
            const int32_t diff = x[c] - max;
            if (diff >= d->diff_min) {
                const int32_t scaled = ts_mbqm_greater(diff, d->input_multiplier, d->input_left_shift);
                const int32_t e = ts_fp_exp_on_negative_values(scaled, 5);
                sum_of_exps = (int32_t)((uint32_t)sum_of_exps + (uint32_t)ts_fp_rescale(e, 0, 12));
            }
        }
        int32_t num_bits_over_unit;
        const int32_t shifted_scale = ts_fp_get_reciprocal(sum_of_exps, 12, &num_bits_over_unit);
        int32_t exponent = num_bits_over_unit + 31 - (out16 ? 16 : 8);
        exponent = exponent < 0 ? 0 : (exponent > 31 ? 31 : exponent);
        for (uint32_t c = 0; c < depth; c++) {
            const int32_t diff = x[c] - max;
            int32_t v = out16 ? -32768 : -128;
            if (diff >= d->diff_min) {
                const int32_t scaled = ts_mbqm_greater(diff, d->input_multiplier, d->input_left_shift);
                const int32_t e = ts_fp_exp_on_negative_values(scaled, 5);
                const int32_t unsat = ts_rdbp(ts_srdhm(shifted_scale, e), exponent);
                v = out16 ? clamp32(unsat - 32768, -32768, 32767) : clamp32(unsat - 128, -128, 127);
            }
            if (out16) {
                y16[c] = (int16_t)v;
            } else {
                y[c] = (int8_t)v;
            }
        }
    }
    return 0;
}

/* ======================= LOGISTIC ======================= */

typedef struct {
    uint32_t n;
    int32_t is_float, is_int16;
    int32_t input_zero_point, input_range_radius, input_multiplier, input_left_shift;
} logistic_data;

int prepare_logistic(ts_ctx *ctx, ts_op *op)
{
    TRY(check_io(ctx, op, 1, 1, 1));
    ts_tensor *in = in_t(ctx, op, 0), *out = out_t(ctx, op, 0);
    if (!same_dims(in, out)) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "output-shape", -1);
    }
    TRY(alloc_data(ctx, op, sizeof(logistic_data)));
    logistic_data *d = op->data;
    d->n = numel(in);
    if (in->type == TFL_FLOAT32 && out->type == TFL_FLOAT32) {
        d->is_float = 1;
        return 0;
    }
    if (in->type == TFL_INT16 && out->type == TFL_INT16) {
        /* TFLM logistic_common.cc, int16: ts_elementwise.h */
        d->is_int16 = 1;
        return ts_int16_activation_prepare(ctx, in, out, 0, &d->input_multiplier, &d->input_left_shift);
    }
    if (in->type != TFL_INT8 || out->type != TFL_INT8) {
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_TYPE, "input-output", -1);
    }
    TRY(check_quant(ctx, in, "input"));
    TRY(check_quant(ctx, out, "output"));
    if (out->zero_point != -128) { /* TFLM checks only the zero point */
        return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "logistic-output", -1);
    }
    /* TFLM CalculateArithmeticOpData for int8 LOGISTIC, kInputIntegerBits = 4 */
    const double real = (double)in->scale * (double)(1 << (31 - 4));
    if (ts_logistic_multiplier(real, &d->input_multiplier, &d->input_left_shift) != 0 ||
        d->input_left_shift < -31) {
        return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "logistic-multiplier", -1);
    }
    d->input_zero_point = in->zero_point;
    /* floor(15 * 2^27 / 2^left_shift), saturated to int32 */
    if (d->input_left_shift < 0) {
        d->input_range_radius = INT32_MAX;
    } else if (d->input_left_shift > 40) {
        d->input_range_radius = 0;
    } else {
        d->input_range_radius = (int32_t)((15ll << 27) >> d->input_left_shift);
    }
    return 0;
}

int eval_logistic(ts_ctx *ctx, ts_op *op)
{
    const logistic_data *d = op->data;
    ts_tensor *ti = in_t(ctx, op, 0), *to = out_t(ctx, op, 0);
    if (d->is_float) {
        const float *x = (const float *)ti->data;
        float *y = (float *)to->data;
        for (uint32_t i = 0; i < d->n; i++) {
            y[i] = ts_logisticf(x[i]); /* TFLite reference_ops::Logistic (float) */
        }
        return 0;
    }
    if (d->is_int16) {
        ts_logistic_s16(d->input_multiplier, d->input_left_shift, (int32_t)d->n, (const int16_t *)ti->data,
                        (int16_t *)to->data);
        return 0;
    }
    const int8_t *x = (const int8_t *)ti->data;
    int8_t *y = (int8_t *)to->data;
    for (uint32_t i = 0; i < d->n; i++) {
        const int32_t v = x[i] - d->input_zero_point;
        if (v <= -d->input_range_radius) {
            y[i] = -128;
        } else if (v >= d->input_range_radius) {
            y[i] = 127;
        } else {
            /* |v| < radius: here left_shift <= 30 */
            const int32_t in_q4 = ts_mbqm(v, d->input_multiplier, d->input_left_shift);
            const int32_t out_q0 = ts_fp_logistic(in_q4, 4);
            const int32_t out_q23 = ts_rdbp(out_q0, 31 - 8);
            y[i] = (int8_t)clamp32(out_q23 - 128, -128, 127);
        }
    }
    return 0;
}

/* ======================= QUANTIZE / DEQUANTIZE ======================= */

typedef struct {
    uint32_t n;
    /* 0: float->int8, 1: int8->int8, 2: int8->float, 3: float->int16,
       4: int8/int16 -> int8/int16 other than int8->int8 (requantize), 5: int16->float */
    int32_t mode;
    float scale;
    int32_t zero_point, in_zero_point, mult, shift;
    int32_t in_int16, qmin, qmax; /* mode 3, 4: input type, output range */
} quant_data;

/* an int16 tensor's zero point must be an int16 (the tensor parser allows up to 65535) */
static int check_zero_point16(ts_ctx *ctx, const ts_tensor *t, const char *what)
{
    if ((t->type == TFL_INT16 || t->type == TFL_INT32) && (t->zero_point < -32768 || t->zero_point > 32767)) {
        return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, what, (int32_t)(t - ctx->tensors));
    }
    return 0;
}

int prepare_quantize(ts_ctx *ctx, ts_op *op)
{
    TRY(check_io(ctx, op, 1, 1, 1));
    ts_tensor *in = in_t(ctx, op, 0), *out = out_t(ctx, op, 0);
    if (numel(in) != numel(out)) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "output-shape", -1);
    }
    TRY(alloc_data(ctx, op, sizeof(quant_data)));
    quant_data *d = op->data;
    d->n = numel(in);
    /* int8 / int16 -> int32: TFLM's Requantize to int32 (keyword_scrambled.tflite's last operator) */
    const int out32 = out->type == TFL_INT32 && (in->type == TFL_INT8 || in->type == TFL_INT16);
    if (out->type != TFL_INT8 && out->type != TFL_INT16 && !out32) {
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_TYPE, "output", -1);
    }
    TRY(check_quant(ctx, out, "output"));
    if (out->nscales > 1) {
        return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "per-channel-output", -1);
    }
    TRY(check_zero_point16(ctx, out, "output-zero-point"));
    d->scale = out->scale;
    d->zero_point = out->zero_point;
    d->qmin = out->type == TFL_INT8 ? -128 : -32768;
    d->qmax = out->type == TFL_INT8 ? 127 : 32767;
    if (in->type == TFL_FLOAT32) {
        d->mode = out->type == TFL_INT8 ? 0 : 3;
    } else if (in->type == TFL_INT8 || in->type == TFL_INT16) {
        TRY(check_quant(ctx, in, "input"));
        TRY(check_zero_point16(ctx, in, "input-zero-point"));
        d->mode = out32 ? 6 : (in->type == TFL_INT8 && out->type == TFL_INT8) ? 1 : 4;
        d->in_int16 = in->type == TFL_INT16;
        d->in_zero_point = in->zero_point;
        TRY(quantize_mult(ctx, (double)in->scale / (double)out->scale, &d->mult, &d->shift));
    } else {
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_TYPE, "input", -1);
    }
    return 0;
}

int prepare_dequantize(ts_ctx *ctx, ts_op *op)
{
    TRY(check_io(ctx, op, 1, 1, 1));
    ts_tensor *in = in_t(ctx, op, 0), *out = out_t(ctx, op, 0);
    if (numel(in) != numel(out)) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "output-shape", -1);
    }
    if ((in->type != TFL_INT8 && in->type != TFL_INT16) || out->type != TFL_FLOAT32) {
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_TYPE, "input-output", -1);
    }
    if (!in->quantized || in->nscales > 1) {
        return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "input", -1);
    }
    TRY(check_zero_point16(ctx, in, "input-zero-point"));
    TRY(alloc_data(ctx, op, sizeof(quant_data)));
    quant_data *d = op->data;
    d->n = numel(in);
    d->mode = in->type == TFL_INT8 ? 2 : 5;
    d->scale = in->scale;
    d->zero_point = in->zero_point;
    return 0;
}

int eval_quant(ts_ctx *ctx, ts_op *op)
{
    const quant_data *d = op->data;
    ts_tensor *ti = in_t(ctx, op, 0), *to = out_t(ctx, op, 0);
    if (d->mode == 0) {
        const float *x = (const float *)ti->data;
        int8_t *y = (int8_t *)to->data;
        for (uint32_t i = 0; i < d->n; i++) {
            /* TFLite AffineQuantize: (int32)round(x / scale) + zero_point, clamped; the conversion
             * saturates (NaN -> 0) and the addition wraps, as VCVT + ADD do on the Cortex-M4F */
            const int32_t q = ts_f2i_sat(ts_roundf(x[i] / d->scale));
            const int32_t v = (int32_t)((uint32_t)q + (uint32_t)d->zero_point);
            y[i] = (int8_t)clamp32(v, -128, 127);
        }
    } else if (d->mode == 1) {
        const int8_t *x = (const int8_t *)ti->data;
        int8_t *y = (int8_t *)to->data;
        for (uint32_t i = 0; i < d->n; i++) {
            const int32_t v = ts_mbqm(x[i] - d->in_zero_point, d->mult, d->shift) + d->zero_point;
            y[i] = (int8_t)clamp32(v, -128, 127);
        }
    } else if (d->mode == 2) {
        const int8_t *x = (const int8_t *)ti->data;
        float *y = (float *)to->data;
        for (uint32_t i = 0; i < d->n; i++) {
            y[i] = (float)(x[i] - d->zero_point) * d->scale;
        }
    } else if (d->mode == 3) {
        const float *x = (const float *)ti->data;
        int16_t *y = (int16_t *)(void *)to->data;
        for (uint32_t i = 0; i < d->n; i++) {
            const int32_t q = ts_f2i_sat(ts_roundf(x[i] / d->scale)); /* as mode 0, int16 range */
            const int32_t v = (int32_t)((uint32_t)q + (uint32_t)d->zero_point);
            y[i] = (int16_t)clamp32(v, -32768, 32767);
        }
    } else if (d->mode == 6) {
        /* Requantize to int32: the int32 range clamps nothing; the zero point is added wrapping */
        for (uint32_t i = 0; i < d->n; i++) {
            const int32_t x = d->in_int16 ? ((const int16_t *)(const void *)ti->data)[i] : ((const int8_t *)ti->data)[i];
            ((int32_t *)(void *)to->data)[i] =
                (int32_t)((uint32_t)ts_mbqm(x - d->in_zero_point, d->mult, d->shift) + (uint32_t)d->zero_point);
        }
    } else if (d->mode == 4) {
        /* TFLite Requantize: MBQM(x - zp_in) + zp_out, clamped to the output type */
        for (uint32_t i = 0; i < d->n; i++) {
            const int32_t x = d->in_int16 ? ((const int16_t *)(const void *)ti->data)[i] : ((const int8_t *)ti->data)[i];
            const int32_t v = clamp32(ts_mbqm(x - d->in_zero_point, d->mult, d->shift) + d->zero_point, d->qmin, d->qmax);
            if (d->qmax == 127) {
                ((int8_t *)to->data)[i] = (int8_t)v;
            } else {
                ((int16_t *)(void *)to->data)[i] = (int16_t)v;
            }
        }
    } else {
        const int16_t *x = (const int16_t *)(const void *)ti->data;
        float *y = (float *)to->data;
        for (uint32_t i = 0; i < d->n; i++) {
            /* TFLite: (float)(scale * (x - zp)) in double; the product is exact in double
               (17 x 24 bits), so this is the same single rounding as the float product */
            y[i] = (float)(x[i] - d->zero_point) * d->scale;
        }
    }
    return 0;
}

/* ======================= RELU / RELU6 ======================= */

typedef struct {
    uint32_t n;
    int32_t is_float;
    int32_t in_zero_point, out_zero_point, mult, shift, act_min, act_max;
} relu_data;

static int prepare_relu_any(ts_ctx *ctx, ts_op *op, int six)
{
    TRY(check_io(ctx, op, 1, 1, 1));
    ts_tensor *in = in_t(ctx, op, 0), *out = out_t(ctx, op, 0);
    if (numel(in) != numel(out)) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "output-shape", -1);
    }
    TRY(alloc_data(ctx, op, sizeof(relu_data)));
    relu_data *d = op->data;
    d->n = numel(in);
    if (in->type == TFL_FLOAT32 && out->type == TFL_FLOAT32) {
        d->is_float = 1;
        return 0;
    }
    if (in->type != TFL_INT8 || out->type != TFL_INT8) {
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_TYPE, "input-output", -1);
    }
    TRY(check_quant(ctx, in, "input"));
    TRY(check_quant(ctx, out, "output"));
    d->in_zero_point = in->zero_point;
    d->out_zero_point = out->zero_point;
    if (six) {
        /* TFLM RELU6: no requantization; output must share the input's quantization */
        if (in->scale != out->scale || in->zero_point != out->zero_point) {
            return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "relu6-requantization", -1);
        }
        const int32_t q = ts_f2i_sat(ts_roundf(6.0f / in->scale));
        d->act_min = in->zero_point;
        d->act_max = clamp32((int32_t)((uint32_t)q + (uint32_t)in->zero_point), -128, 127);
        return 0;
    }
    TRY(quantize_mult(ctx, (double)in->scale / (double)out->scale, &d->mult, &d->shift));
    TRY(act_range_s8(ctx, TFL_ACT_RELU, out, &d->act_min, &d->act_max));
    return 0;
}

int prepare_relu(ts_ctx *ctx, ts_op *op) { return prepare_relu_any(ctx, op, 0); }
int prepare_relu6(ts_ctx *ctx, ts_op *op) { return prepare_relu_any(ctx, op, 1); }

static int eval_relu_any(ts_ctx *ctx, ts_op *op, int six)
{
    const relu_data *d = op->data;
    ts_tensor *ti = in_t(ctx, op, 0), *to = out_t(ctx, op, 0);
    if (d->is_float) {
        const float *x = (const float *)ti->data;
        float *y = (float *)to->data;
        for (uint32_t i = 0; i < d->n; i++) {
            const float v = x[i];
            y[i] = six ? (v > 6.0f ? 6.0f : (v < 0.0f ? 0.0f : v)) : (v < 0.0f ? 0.0f : v);
        }
        return 0;
    }
    const int8_t *x = (const int8_t *)ti->data;
    int8_t *y = (int8_t *)to->data;
    if (six) {
        for (uint32_t i = 0; i < d->n; i++) {
            const int32_t v = x[i];
            y[i] = (int8_t)(v > d->act_max ? d->act_max : (v < d->act_min ? d->act_min : v));
        }
        return 0;
    }
    for (uint32_t i = 0; i < d->n; i++) {
        const int32_t v = d->out_zero_point + ts_mbqm(x[i] - d->in_zero_point, d->mult, d->shift);
        y[i] = (int8_t)clamp32(v, d->act_min, d->act_max);
    }
    return 0;
}

int eval_relu(ts_ctx *ctx, ts_op *op) { return eval_relu_any(ctx, op, 0); }
int eval_relu6(ts_ctx *ctx, ts_op *op) { return eval_relu_any(ctx, op, 1); }

/* ======================= PAD ======================= */

typedef struct {
    int32_t in_dims[TS_MAX_RANK], out_dims[TS_MAX_RANK], before[TS_MAX_RANK];
    uint32_t esize;
    int32_t pad_value; /* int8: output zero point, or PADV2's constant value */
    uint32_t pad_bits; /* float32: the bits of 0.0f, or of PADV2's constant value */
} pad_data;

int prepare_pad(ts_ctx *ctx, ts_op *op)
{
    /* PAD and PADV2 (TFLM pad.cc: one Prepare for both, 2 or 3 inputs; the third, constant_values, gives the
     * pad value, its first element; tinysim needs it constant) */
    TRY(check_io(ctx, op, 2, 3, 1));
    ts_tensor *in = in_t(ctx, op, 0), *pads = in_t(ctx, op, 1), *out = out_t(ctx, op, 0);
    const ts_tensor *cv = in_t(ctx, op, 2); /* NULL: absent or -1 */
    if (!pads->is_const || pads->type != TFL_INT32 || pads->rank != 2 ||
        pads->dims[0] != in->rank || pads->dims[1] != 2 || out->rank != in->rank) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "paddings", -1);
    }
    if (in->type != out->type || (in->type != TFL_INT8 && in->type != TFL_FLOAT32)) {
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_TYPE, "input-output", -1);
    }
    TRY(alloc_data(ctx, op, sizeof(pad_data)));
    pad_data *d = op->data;
    d->esize = in->type == TFL_INT8 ? 1u : 4u;
    if (in->type == TFL_INT8) {
        TRY(check_quant(ctx, out, "output"));
        if (!in->quantized || in->scale != out->scale || in->zero_point != out->zero_point) {
            return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "pad-requantization", -1);
        }
        d->pad_value = out->zero_point;
    }
    if (cv != NULL) {
        if (!cv->is_const || cv->type != in->type || numel(cv) < 1) {
            return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "constant-values", (int32_t)(cv - ctx->tensors));
        }
        if (in->type == TFL_INT8) { /* TFLM: the output's zero point and scale */
            if (!cv->quantized || cv->scale != out->scale || cv->zero_point != out->zero_point) {
                return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "pad-constant-values", (int32_t)(cv - ctx->tensors));
            }
            d->pad_value = (int8_t)cv->data[0];
        } else {
            d->pad_bits = fb_rd_u32(cv->data);
        }
    }
    const int off = TS_MAX_RANK - in->rank;
    for (int i = 0; i < TS_MAX_RANK; i++) {
        d->in_dims[i] = d->out_dims[i] = 1;
    }
    for (int i = 0; i < in->rank; i++) {
        const int64_t lo = (int32_t)fb_rd_u32(pads->data + 8u * (uint32_t)i);
        const int64_t hi = (int32_t)fb_rd_u32(pads->data + 8u * (uint32_t)i + 4u);
        if (lo < 0 || hi < 0 || (int64_t)in->dims[i] + lo + hi != out->dims[i]) {
            return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "output-shape", -1);
        }
        d->in_dims[off + i] = in->dims[i];
        d->out_dims[off + i] = out->dims[i];
        d->before[off + i] = (int32_t)lo;
    }
    return 0;
}

int eval_pad(ts_ctx *ctx, ts_op *op)
{
    const pad_data *d = op->data;
    ts_tensor *ti = in_t(ctx, op, 0), *to = out_t(ctx, op, 0);
    const uint32_t es = d->esize;
    /* fill with the pad value, then copy the input rows in */
    if (es == 1) {
        memset(to->data, (int)(int8_t)d->pad_value, to->bytes);
    } else if (d->pad_bits == 0) {
        memset(to->data, 0, to->bytes);
    } else {
        uint32_t *w = (uint32_t *)(void *)to->data;
        for (uint32_t i = 0; i < to->bytes / 4u; i++) {
            w[i] = d->pad_bits;
        }
    }
    const int32_t *id = d->in_dims, *od = d->out_dims, *bf = d->before;
    const uint32_t row = (uint32_t)id[5] * es;
    const uint8_t *src = ti->data;
    for (int32_t a = 0; a < id[0]; a++) {
        for (int32_t b = 0; b < id[1]; b++) {
            for (int32_t c = 0; c < id[2]; c++) {
                for (int32_t e = 0; e < id[3]; e++) {
                    for (int32_t f = 0; f < id[4]; f++) {
                        uint32_t o = (uint32_t)(a + bf[0]);
                        o = o * (uint32_t)od[1] + (uint32_t)(b + bf[1]);
                        o = o * (uint32_t)od[2] + (uint32_t)(c + bf[2]);
                        o = o * (uint32_t)od[3] + (uint32_t)(e + bf[3]);
                        o = o * (uint32_t)od[4] + (uint32_t)(f + bf[4]);
                        o = o * (uint32_t)od[5] + (uint32_t)bf[5];
                        memcpy(to->data + o * es, src, row);
                        src += row;
                    }
                }
            }
        }
    }
    return 0;
}

/* ======================= CONCATENATION ======================= */

typedef struct {
    uint32_t outer;   /* product of the dims before the axis */
    uint32_t inner;   /* product of the dims after the axis, times the element size */
} concat_data;

int prepare_concat(ts_ctx *ctx, ts_op *op)
{
    if (op->nin < 1 || op->nout != 1) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "input-output-count", -1);
    }
    TRY(check_options(ctx, op, OPT_CONCATENATION));
    ts_tensor *out = out_t(ctx, op, 0);
    int32_t axis;
    uint8_t act;
    TRY(opt_i32(ctx, op, CONCAT_AXIS, 0, &axis));
    TRY(opt_u8(ctx, op, CONCAT_ACTIVATION, TFL_ACT_NONE, &act));
    if (act != TFL_ACT_NONE) {
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_OPTIONS, "activation", act);
    }
    if (axis < 0) {
        axis += out->rank;
    }
    if (axis < 0 || axis >= out->rank) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "axis", axis);
    }
    if (out->type != TFL_INT8 && out->type != TFL_FLOAT32) {
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_TYPE, "output", -1);
    }
    int64_t sum = 0;
    for (int k = 0; k < op->nin; k++) {
        ts_tensor *in = in_t(ctx, op, k);
        if (in == NULL || in->rank != out->rank || in->type != out->type) {
            return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "input", k);
        }
        for (int i = 0; i < out->rank; i++) {
            if (i != axis && in->dims[i] != out->dims[i]) {
                return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "input-shape", k);
            }
        }
        if (out->type == TFL_INT8 &&
            (!in->quantized || in->scale != out->scale || in->zero_point != out->zero_point)) {
            return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "requantizing-concatenation", k);
        }
        sum += in->dims[axis];
    }
    if (sum != out->dims[axis]) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "output-shape", -1);
    }
    TRY(alloc_data(ctx, op, sizeof(concat_data)));
    concat_data *d = op->data;
    d->outer = 1;
    d->inner = out->type == TFL_INT8 ? 1u : 4u;
    for (int i = 0; i < axis; i++) {
        d->outer *= (uint32_t)out->dims[i];
    }
    for (int i = axis + 1; i < out->rank; i++) {
        d->inner *= (uint32_t)out->dims[i];
    }
    return 0;
}

int eval_concat(ts_ctx *ctx, ts_op *op)
{
    const concat_data *d = op->data;
    uint8_t *dst = out_t(ctx, op, 0)->data;
    for (uint32_t o = 0; o < d->outer; o++) {
        for (int k = 0; k < op->nin; k++) {
            ts_tensor *in = in_t(ctx, op, k);
            const uint32_t chunk = in->bytes / d->outer;
            memcpy(dst, in->data + o * chunk, chunk);
            dst += chunk;
        }
    }
    return 0;
}
