/* Helpers shared by the operator files; see ts_op_util.h. */
#include <string.h>
#include "tflite_schema.h"
#include "ts_op_util.h"
#include "ts_quant.h"

/* nin in [min_in, max_in] (required inputs present), exactly nout outputs */
int check_io(ts_ctx *ctx, const ts_op *op, int min_in, int max_in, int nout)
{
    if (op->nin < min_in || op->nin > max_in || op->nout != nout) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "input-output-count", -1);
    }
    for (int k = 0; k < min_in; k++) {
        if (op->io[k] < 0) {
            return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "missing-input", k);
        }
    }
    return 0;
}

/* options of the expected table type (absent: all defaults) */
int check_options(ts_ctx *ctx, const ts_op *op, int type)
{
    if (op->has_options && op->options_type != type) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "options-type", op->options_type);
    }
    return 0;
}

int opt_i32(ts_ctx *ctx, const ts_op *op, int field, int32_t dflt, int32_t *v)
{
    if (!op->has_options) {
        *v = dflt;
        return 0;
    }
    return fb_i32(&ctx->fb, &op->options, field, dflt, v);
}

int opt_u8(ts_ctx *ctx, const ts_op *op, int field, uint8_t dflt, uint8_t *v)
{
    if (!op->has_options) {
        *v = dflt;
        return 0;
    }
    return fb_u8(&ctx->fb, &op->options, field, dflt, v);
}

int check_quant(ts_ctx *ctx, const ts_tensor *t, const char *what)
{
    if (!t->quantized || !(t->scale > 0.0f)) {
        return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, what, (int32_t)(t - ctx->tensors));
    }
    return 0;
}

float channel_scale(ts_ctx *ctx, const ts_tensor *t, uint32_t c)
{
    return t->nscales > 1 ? fb_rd_f32(ctx->fb.base + t->scales_pos + 4u * c) : t->scale;
}

/* every channel of a (per-channel or per-tensor) quantized tensor has the same scale, bit for bit */
int32_t scales_uniform(ts_ctx *ctx, const ts_tensor *t)
{
    const float s0 = channel_scale(ctx, t, 0);
    uint32_t b0;
    memcpy(&b0, &s0, 4);
    for (uint32_t c = 1; c < t->nscales; c++) {
        const float s = channel_scale(ctx, t, c);
        uint32_t b;
        memcpy(&b, &s, 4);
        if (b != b0) {
            return 0;
        }
    }
    return 1;
}

/* TFLite CalculateActivationRange (float) */
int act_range_f32(ts_ctx *ctx, uint8_t act, float *lo, float *hi)
{
    switch (act) {
    case TFL_ACT_NONE:
        *lo = -FLT_MAX_;
        *hi = FLT_MAX_;
        return 0;
    case TFL_ACT_RELU:
        *lo = 0.0f;
        *hi = FLT_MAX_;
        return 0;
    case TFL_ACT_RELU_N1_TO_1:
        *lo = -1.0f;
        *hi = 1.0f;
        return 0;
    case TFL_ACT_RELU6:
        *lo = 0.0f;
        *hi = 6.0f;
        return 0;
    default:
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_OPTIONS, "activation", act);
    }
}

/* TFLite Quantize(scale, zero_point, f): zero_point + (int32)round(f / scale); -1 when
 * |f / scale| >= 2^31 (TFLite and the oracle reject the model) */
int quantize_value(const ts_tensor *t, float f, int32_t *q)
{
    float r = ts_roundf(f / t->scale);
    if (!(r < 2147483648.0f && r > -2147483648.0f)) {
        return -1;
    }
    *q = (int32_t)((uint32_t)t->zero_point + (uint32_t)(int32_t)r);
    return 0;
}

/* TFLite CalculateActivationRangeQuantized for int8 */
int act_range_s8(ts_ctx *ctx, uint8_t act, const ts_tensor *out, int32_t *lo, int32_t *hi)
{
    int32_t qmin = -128, qmax = 127;
    int32_t z, s, a, b;
    if (quantize_value(out, 0.0f, &z) || quantize_value(out, 6.0f, &s) || quantize_value(out, -1.0f, &a) ||
        quantize_value(out, 1.0f, &b)) {
        return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "activation-range", -1);
    }
    switch (act) {
    case TFL_ACT_NONE:
        *lo = qmin;
        *hi = qmax;
        return 0;
    case TFL_ACT_RELU:
        *lo = z > qmin ? z : qmin;
        *hi = qmax;
        return 0;
    case TFL_ACT_RELU6:
        *lo = z > qmin ? z : qmin;
        *hi = s < qmax ? s : qmax;
        return 0;
    case TFL_ACT_RELU_N1_TO_1:
        *lo = a > qmin ? a : qmin;
        *hi = b < qmax ? b : qmax;
        return 0;
    default:
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_OPTIONS, "activation", act);
    }
}

/* TFLite CalculateActivationRangeQuantized for int16: as for int8, with the int16 range; only
 * the bounds the activation uses are quantized (as TFLite does) */
int act_range_s16(ts_ctx *ctx, uint8_t act, const ts_tensor *out, int32_t *lo, int32_t *hi)
{
    int32_t a = -32768, b = 32767;
    float flo, fhi;
    switch (act) {
    case TFL_ACT_NONE:
        *lo = a;
        *hi = b;
        return 0;
    case TFL_ACT_RELU:
        flo = 0.0f;
        fhi = 0.0f;
        break;
    case TFL_ACT_RELU6:
        flo = 0.0f;
        fhi = 6.0f;
        break;
    case TFL_ACT_RELU_N1_TO_1:
        flo = -1.0f;
        fhi = 1.0f;
        break;
    default:
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_OPTIONS, "activation", act);
    }
    int32_t q;
    if (quantize_value(out, flo, &q)) {
        return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "activation-range", -1);
    }
    a = q > a ? q : a;
    if (act != TFL_ACT_RELU) {
        if (quantize_value(out, fhi, &q)) {
            return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "activation-range", -1);
        }
        b = q < b ? q : b;
    }
    *lo = a;
    *hi = b;
    return 0;
}

int quantize_mult(ts_ctx *ctx, double m, int32_t *qm, int32_t *shift)
{
    if (ts_quantize_multiplier(m, qm, shift) != 0) {
        return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "multiplier", -1);
    }
    return 0;
}

/* Output size and padding, as TFLite's ComputeOutSize / ComputePaddingHeightWidth */
int conv_geometry(ts_ctx *ctx, uint8_t padding, int32_t in, int32_t k, int32_t stride, int32_t dil,
                  int32_t *out, int32_t *pad)
{
    if (stride < 1 || dil < 1 || k < 1 || stride > (1 << 24) || dil > (1 << 24)) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "stride-dilation-filter", -1);
    }
    int64_t eff = (int64_t)(k - 1) * dil + 1;
    int64_t o;
    if (padding == TFL_PAD_SAME) {
        o = ((int64_t)in + stride - 1) / stride;
    } else if (padding == TFL_PAD_VALID) {
        o = ((int64_t)in - eff + stride) / stride;
    } else {
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_OPTIONS, "padding", padding);
    }
    if (o < 1) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "output-size", -1);
    }
    int64_t total = (o - 1) * stride + eff - in;
    total = total > 0 ? total : 0;
    if (total / 2 >= eff) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "padding-size", -1);
    }
    *out = (int32_t)o;
    *pad = (int32_t)(total / 2);
    return 0;
}

int alloc_data(ts_ctx *ctx, ts_op *op, uint32_t bytes)
{
    op->data = ts_persist(ctx, bytes);
    if (op->data == NULL) {
        return ts_fail(ctx, TS_ERR_ARENA_TOO_SMALL, "operator-state", -1);
    }
    return 0;
}

int check_same_quant(ts_ctx *ctx, const ts_tensor *a, const ts_tensor *b)
{
    if (a->type != TFL_INT8 && a->type != TFL_INT16 && a->type != TFL_UINT8) {
        return 0;
    }
    if (a->quantized != b->quantized ||
        (a->quantized && (a->scale != b->scale || a->zero_point != b->zero_point))) {
        return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "requantizing-copy", (int32_t)(b - ctx->tensors));
    }
    return 0;
}
