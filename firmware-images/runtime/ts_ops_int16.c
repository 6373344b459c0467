/* TRANSPOSE_CONV and BATCH_MATMUL (float32, int8, int16): prepare and eval, as TensorFlow Lite
 * Micro's transpose_conv.cc and batch_matmul.cc. Arithmetic: docs/inference-semantics.md;
 * kernels: ts_kernels_s16.c. */
#include <string.h>
#include "tflite_schema.h"
#include "ts_kernels_s16.h"
#include "ts_op_util.h"
#include "ts_ops.h"
#include "ts_quant.h"
#include "ts_runtime.h"

/* Per-channel (or per-tensor) requantization multipliers of a filter with its output channels
 * along dimension 0, as TFLite PopulateConvolutionQuantizationParams:
 * real[c] = (double)s_in * (double)s_filter[c] / (double)s_out. The filter must be symmetric
 * (TFLite's integer kernels ignore its zero point); acc64: the int64 requantization, shifts <= 7. */
static int filter_multipliers(ts_ctx *ctx, const ts_tensor *in, const ts_tensor *w, const ts_tensor *out,
                              int32_t channels, int acc64, const int32_t **mult, const int32_t **shift)
{
    TRY(check_quant(ctx, in, "input"));
    TRY(check_quant(ctx, out, "output"));
    if (!w->quantized) {
        return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "filter", (int32_t)(w - ctx->tensors));
    }
    if (w->zero_point != 0) {
        return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "filter-zero-point", (int32_t)(w - ctx->tensors));
    }
    if (w->nscales != 1 && (w->nscales != (uint32_t)channels || w->qdim != 0)) {
        return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "filter-channels", (int32_t)(w - ctx->tensors));
    }
    int32_t *m = ts_persist(ctx, (uint32_t)channels * 8u);
    if (m == NULL) {
        return ts_fail(ctx, TS_ERR_ARENA_TOO_SMALL, "operator-state", -1);
    }
    for (int32_t c = 0; c < channels; c++) {
        const double real = (double)in->scale * (double)channel_scale(ctx, w, (uint32_t)c) / (double)out->scale;
        TRY(quantize_mult(ctx, real, &m[c], &m[channels + c]));
        if (acc64 && m[channels + c] > 7) {
            return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "int16-multiplier", c);
        }
    }
    *mult = m;
    *shift = m + channels;
    return 0;
}

static int check_symmetric16(ts_ctx *ctx, const ts_tensor *t, const char *what)
{
    if (t->zero_point != 0) {
        return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, what, (int32_t)(t - ctx->tensors));
    }
    return 0;
}

/* ======================= TRANSPOSE_CONV ======================= */

typedef struct {
    ts_tconv_params p;
    uint8_t type;      /* TFL_FLOAT32, TFL_INT8 or TFL_INT16 (the input's) */
    int scratch;       /* the int32 / int64 accumulator buffer's slot */
} tconv_data;

/* TFLite Micro computes the padding as if for a convolution from the *output* size:
 * ComputePaddingHeightWidth(stride, dilation 1, out, k, padding) */
static int tconv_padding(ts_ctx *ctx, uint8_t padding, int32_t out, int32_t k, int32_t stride, int32_t *pad)
{
    int64_t o;
    if (padding == TFL_PAD_SAME) {
        o = ((int64_t)out + stride - 1) / stride;
    } else if (padding == TFL_PAD_VALID) {
        o = ((int64_t)out + stride - k) / stride; /* may be <= 0: C division truncates, as TFLite's */
    } else {
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_OPTIONS, "padding", padding);
    }
    int64_t total = (o - 1) * stride + k - out;
    *pad = (int32_t)(total > 0 ? total / 2 : 0);
    return 0;
}

int prepare_transpose_conv(ts_ctx *ctx, ts_op *op)
{
    TRY(check_io(ctx, op, 3, 4, 1));
    TRY(check_options(ctx, op, OPT_TRANSPOSE_CONV));
    ts_tensor *shape = in_t(ctx, op, 0), *w = in_t(ctx, op, 1), *in = in_t(ctx, op, 2), *bias = in_t(ctx, op, 3);
    ts_tensor *out = out_t(ctx, op, 0);
    if (in->rank != 4 || w->rank != 4 || out->rank != 4) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "rank", -1);
    }
    /* TFLite Micro ignores input 0 (the output shape); a constant int32 one of 4 values must say
       the output's shape (TFLite would make the output that shape) */
    if (shape->is_const && shape->type == TFL_INT32 && numel(shape) == 4) {
        for (uint32_t i = 0; i < 4; i++) {
            if ((int32_t)fb_rd_u32(shape->data + 4u * i) != out->dims[i]) {
                return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "output-shape", (int32_t)i);
            }
        }
    }
    TRY(alloc_data(ctx, op, sizeof(tconv_data)));
    tconv_data *d = op->data;
    ts_tconv_params *p = &d->p;
    uint8_t padding, act;
    TRY(opt_u8(ctx, op, TRANSPOSE_CONV_PADDING, TFL_PAD_SAME, &padding));
    TRY(opt_i32(ctx, op, TRANSPOSE_CONV_STRIDE_W, 1, &p->stride_w));
    TRY(opt_i32(ctx, op, TRANSPOSE_CONV_STRIDE_H, 1, &p->stride_h));
    TRY(opt_u8(ctx, op, TRANSPOSE_CONV_ACTIVATION, TFL_ACT_NONE, &act));
    if (p->stride_w < 1 || p->stride_h < 1 || p->stride_w > (1 << 24) || p->stride_h > (1 << 24)) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "stride", -1);
    }
    p->batches = in->dims[0];
    p->in_h = in->dims[1];
    p->in_w = in->dims[2];
    p->in_c = in->dims[3];
    p->out_c = w->dims[0];
    p->k_h = w->dims[1];
    p->k_w = w->dims[2];
    p->out_h = out->dims[1];
    p->out_w = out->dims[2];
    if (out->dims[0] != p->batches || w->dims[3] != p->in_c || out->dims[3] != p->out_c) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "filter-shape", -1);
    }
    TRY(tconv_padding(ctx, padding, p->out_h, p->k_h, p->stride_h, &p->pad_h));
    TRY(tconv_padding(ctx, padding, p->out_w, p->k_w, p->stride_w, &p->pad_w));
    if (in->type != out->type) {
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_TYPE, "input-output", -1);
    }
    d->type = in->type;
    if (bias != NULL && numel(bias) != (uint32_t)p->out_c) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "bias-size", (int32_t)(bias - ctx->tensors));
    }
    const uint32_t n_out = numel(out);
    if (in->type == TFL_FLOAT32) {
        if (w->type != TFL_FLOAT32 || (bias != NULL && bias->type != TFL_FLOAT32)) {
            return ts_fail(ctx, TS_ERR_UNSUPPORTED_TYPE, "filter-bias", -1);
        }
        /* TFLite Micro applies the fused activation to float outputs only */
        TRY(act_range_f32(ctx, act, &p->fmin, &p->fmax));
    } else if (in->type == TFL_INT8) {
        if (w->type != TFL_INT8 || (bias != NULL && bias->type != TFL_INT32)) {
            return ts_fail(ctx, TS_ERR_UNSUPPORTED_TYPE, "filter-bias", -1);
        }
        TRY(filter_multipliers(ctx, in, w, out, p->out_c, 0, &p->mult, &p->shift));
        p->in_offset = -in->zero_point;
        p->out_offset = out->zero_point;
        p->act_min = -128; /* TFLite Micro computes the range for kTfLiteActNone */
        p->act_max = 127;
        TRY(ts_request_scratch(ctx, op, n_out * 4u, &d->scratch));
    } else if (in->type == TFL_INT16) {
        if (w->type != TFL_INT8 || (bias != NULL && bias->type != TFL_INT64 && bias->type != TFL_INT16)) {
            return ts_fail(ctx, TS_ERR_UNSUPPORTED_TYPE, "filter-bias", -1);
        }
        TRY(check_symmetric16(ctx, in, "int16-zero-point"));
        TRY(check_symmetric16(ctx, out, "int16-zero-point"));
        TRY(filter_multipliers(ctx, in, w, out, p->out_c, 1, &p->mult, &p->shift));
        p->act_min = -32768;
        p->act_max = 32767;
        TRY(ts_request_scratch(ctx, op, n_out * 8u, &d->scratch));
        if (bias != NULL && bias->type == TFL_INT16) {
            /* TFLite Micro widens an int16 bias into a second scratch buffer at every run; the
               kernel widens each value as it uses it, but the arena keeps TFLite Micro's plan */
            TRY(ts_request_scratch(ctx, op, numel(bias) * 8u, NULL));
        }
    } else {
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_TYPE, "input", -1);
    }
    op->macs = (uint64_t)p->batches * (uint64_t)p->in_h * (uint64_t)p->in_w * (uint64_t)p->in_c *
               (uint64_t)p->k_h * (uint64_t)p->k_w * (uint64_t)p->out_c;
    return 0;
}

int eval_transpose_conv(ts_ctx *ctx, ts_op *op)
{
    const tconv_data *d = op->data;
    ts_tensor *w = in_t(ctx, op, 1), *in = in_t(ctx, op, 2), *bias = in_t(ctx, op, 3), *out = out_t(ctx, op, 0);
    const void *bp = bias ? bias->data : NULL;
    if (d->type == TFL_FLOAT32) {
        ts_tconv_f32(&d->p, (const float *)(const void *)in->data, (const float *)(const void *)w->data, bp,
                     (float *)(void *)out->data);
    } else if (d->type == TFL_INT8) {
        ts_tconv_s8(&d->p, (const int8_t *)in->data, (const int8_t *)w->data, bp, (int8_t *)out->data,
                    (int32_t *)(void *)op->scratch[d->scratch]);
    } else {
        const int bias16 = bias != NULL && bias->type == TFL_INT16;
        ts_tconv_s16(&d->p, (const int16_t *)(const void *)in->data, (const int8_t *)w->data,
                     bias16 ? NULL : bp, bias16 ? bp : NULL, (int16_t *)(void *)out->data,
                     (int64_t *)(void *)op->scratch[d->scratch]);
    }
    return 0;
}

/* ======================= BATCH_MATMUL ======================= */

typedef struct {
    ts_bmm_params p;
    uint8_t type;
    uint8_t simd;
    /* TFLite Micro's persistent transposed copies: of the lhs when adj_x, of the rhs unless adj_y
       (a constant rhs is transposed once, here at prepare time) */
    void *lhs_t, *rhs_t;
    uint32_t lhs_nmat, lhs_rows, lhs_cols, rhs_nmat, rhs_rows, rhs_cols, esize;
    uint8_t rhs_ready;
    int scratch; /* SIMD int8: the expanded lhs row */
} bmm_data;

static uint32_t type_bytes(uint8_t type)
{
    return type == TFL_INT8 ? 1u : (type == TFL_INT16 ? 2u : 4u);
}

int prepare_batch_matmul(ts_ctx *ctx, ts_op *op)
{
    TRY(check_io(ctx, op, 2, 2, 1));
    TRY(check_options(ctx, op, OPT_BATCH_MATMUL));
    ts_tensor *lhs = in_t(ctx, op, 0), *rhs = in_t(ctx, op, 1), *out = out_t(ctx, op, 0);
    uint8_t adj_x, adj_y;
    TRY(opt_u8(ctx, op, BATCH_MATMUL_ADJ_X, 0, &adj_x));
    TRY(opt_u8(ctx, op, BATCH_MATMUL_ADJ_Y, 0, &adj_y));
    if (lhs->type != rhs->type || lhs->type != out->type ||
        (lhs->type != TFL_FLOAT32 && lhs->type != TFL_INT8 && lhs->type != TFL_INT16)) {
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_TYPE, "lhs-rhs-output", -1);
    }
    if (lhs->rank < 2 || lhs->rank > 5 || rhs->rank < 2 || rhs->rank > 5) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "rank", -1);
    }
    const int r = lhs->rank > rhs->rank ? lhs->rank : rhs->rank;
    if (out->rank != r) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "output-shape", -1);
    }
    int32_t le[5], re[5]; /* shapes left-padded with 1 to rank r */
    for (int i = 0; i < r; i++) {
        le[i] = i < r - lhs->rank ? 1 : lhs->dims[i - (r - lhs->rank)];
        re[i] = i < r - rhs->rank ? 1 : rhs->dims[i - (r - rhs->rank)];
    }
    const int32_t rows = adj_x ? le[r - 1] : le[r - 2], depth = adj_x ? le[r - 2] : le[r - 1];
    const int32_t rdepth = adj_y ? re[r - 1] : re[r - 2], cols = adj_y ? re[r - 2] : re[r - 1];
    if (depth != rdepth) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "depth", -1);
    }
    TRY(alloc_data(ctx, op, sizeof(bmm_data)));
    bmm_data *d = op->data;
    ts_bmm_params *p = &d->p;
    p->rows = rows;
    p->cols = cols;
    p->depth = depth;
    uint64_t nbatch = 1;
    for (int j = 0; j < 3; j++) {
        const int dim = r - 5 + j; /* batch slot j <-> dimension dim (right-aligned) */
        p->batch[j] = 1;
        if (dim < 0) {
            continue;
        }
        if (le[dim] != re[dim] && le[dim] != 1 && re[dim] != 1) {
            return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "broadcast-shape", dim);
        }
        p->batch[j] = le[dim] > re[dim] ? le[dim] : re[dim];
        uint32_t ls = 1, rs = 1;
        for (int i = dim + 1; i < r; i++) {
            ls *= (uint32_t)le[i];
            rs *= (uint32_t)re[i];
        }
        p->lstride[j] = le[dim] == 1 ? 0 : (int32_t)ls;
        p->rstride[j] = re[dim] == 1 ? 0 : (int32_t)rs;
        if (out->dims[dim] != p->batch[j]) {
            return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "output-shape", dim);
        }
        nbatch *= (uint64_t)p->batch[j];
    }
    if (out->dims[r - 2] != rows || out->dims[r - 1] != cols) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "output-shape", -1);
    }
    d->type = lhs->type;
    d->esize = type_bytes(lhs->type);
    if (lhs->type != TFL_FLOAT32) {
        TRY(check_quant(ctx, lhs, "lhs"));
        TRY(check_quant(ctx, rhs, "rhs"));
        TRY(check_quant(ctx, out, "output"));
        if (lhs->nscales > 1 || rhs->nscales > 1 || out->nscales > 1) {
            return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "per-channel", -1);
        }
        /* TFLite GetQuantizedConvolutionMultipler: float product of the scales, then double */
        TRY(quantize_mult(ctx, (double)(lhs->scale * rhs->scale) / (double)out->scale, &p->mult, &p->shift));
        if (lhs->type == TFL_INT8) {
            p->lhs_offset = -lhs->zero_point;
            p->rhs_offset = -rhs->zero_point;
            p->out_offset = out->zero_point;
            p->act_min = -128; /* no fused activation: the type's range */
            p->act_max = 127;
        } else {
            TRY(check_symmetric16(ctx, lhs, "int16-zero-point"));
            TRY(check_symmetric16(ctx, rhs, "int16-zero-point"));
            TRY(check_symmetric16(ctx, out, "int16-zero-point"));
            if (p->shift > 7) {
                return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "int16-multiplier", -1);
            }
            p->act_min = -32768;
            p->act_max = 32767;
        }
    }
    /* the transposed copies TFLite Micro keeps in persistent memory */
    d->lhs_rows = (uint32_t)le[r - 2];
    d->lhs_cols = (uint32_t)le[r - 1];
    d->lhs_nmat = numel(lhs) / (d->lhs_rows * d->lhs_cols);
    d->rhs_rows = (uint32_t)re[r - 2];
    d->rhs_cols = (uint32_t)re[r - 1];
    d->rhs_nmat = numel(rhs) / (d->rhs_rows * d->rhs_cols);
    if (adj_x) {
        d->lhs_t = ts_persist(ctx, numel(lhs) * d->esize);
        if (d->lhs_t == NULL) {
            return ts_fail(ctx, TS_ERR_ARENA_TOO_SMALL, "operator-state", -1);
        }
    }
    if (!adj_y) {
        d->rhs_t = ts_persist(ctx, numel(rhs) * d->esize);
        if (d->rhs_t == NULL) {
            return ts_fail(ctx, TS_ERR_ARENA_TOO_SMALL, "operator-state", -1);
        }
        if (rhs->is_const) {
            ts_transpose_rc(rhs->data, d->rhs_t, d->esize, d->rhs_nmat, d->rhs_rows, d->rhs_cols);
            d->rhs_ready = 1;
        }
    }
    d->simd = ctx->kernels == TS_KERNELS_SIMD;
    if (d->simd && lhs->type == TFL_INT8) {
        TRY(ts_request_scratch(ctx, op, (uint32_t)ts_bmm_s8_simd_scratch(p), &d->scratch));
    }
    op->macs = nbatch * (uint64_t)rows * (uint64_t)cols * (uint64_t)depth;
    return 0;
}

int eval_batch_matmul(ts_ctx *ctx, ts_op *op)
{
    bmm_data *d = op->data;
    ts_tensor *lhs = in_t(ctx, op, 0), *rhs = in_t(ctx, op, 1), *out = out_t(ctx, op, 0);
    const void *l = lhs->data, *rt = rhs->data;
    if (d->lhs_t != NULL) {
        ts_transpose_rc(lhs->data, d->lhs_t, d->esize, d->lhs_nmat, d->lhs_rows, d->lhs_cols);
        l = d->lhs_t;
    }
    if (d->rhs_t != NULL) {
        if (!d->rhs_ready) {
            ts_transpose_rc(rhs->data, d->rhs_t, d->esize, d->rhs_nmat, d->rhs_rows, d->rhs_cols);
        }
        rt = d->rhs_t;
    }
    if (d->type == TFL_FLOAT32) {
        ts_bmm_f32(&d->p, l, rt, (float *)(void *)out->data);
    } else if (d->type == TFL_INT8) {
        if (d->simd) {
            ts_bmm_s8_simd(&d->p, l, rt, (int8_t *)out->data, op->scratch[d->scratch]);
        } else {
            ts_bmm_s8(&d->p, l, rt, (int8_t *)out->data);
        }
    } else if (d->simd) {
        ts_bmm_s16_simd(&d->p, l, rt, (int16_t *)(void *)out->data);
    } else {
        ts_bmm_s16(&d->p, l, rt, (int16_t *)(void *)out->data);
    }
    return 0;
}
