/* Elementwise math of TFLite Micro's elementwise.cc, neg.cc, floor.cc, ceil.cc, round.cc and
 * zeros_like.cc: ABS (float32, int8, int16), NEG, SQRT, SQUARE, FLOOR, CEIL, ROUND (float32) and
 * ZEROS_LIKE (int32, float32); FLOOR_DIV (float32, floor_div.cc). Arithmetic: docs/inference-semantics.md, "Elementwise math". */
#include <string.h>
#include "tflite_schema.h"
#include "ts_elementwise.h"
#include "ts_op_util.h"
#include "ts_ops.h"
#include "ts_quant.h"
#include "ts_runtime.h"

static int math_io(ts_ctx *ctx, ts_op *op, ts_tensor **in, ts_tensor **out)
{
    TRY(check_io(ctx, op, 1, 1, 1));
    *in = in_t(ctx, op, 0);
    *out = out_t(ctx, op, 0);
    if ((*in)->type != (*out)->type) {
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_TYPE, "input-output", -1);
    }
    if (!same_dims(*in, *out)) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "output-shape", -1);
    }
    return 0;
}

static inline float bits_f(uint32_t u)
{
    float f;
    memcpy(&f, &u, 4);
    return f;
}

static inline uint32_t f_bits(float f)
{
    uint32_t u;
    memcpy(&u, &f, 4);
    return u;
}

/* floorf / ceilf without libm: |x| >= 2^23, NaN and infinities are integral already; otherwise the
 * truncation moved one step down (floor) or up (ceil) when it went the wrong way; a zero result keeps
 * x's sign (floor(-0) = -0, ceil(-0.5) = -0) */
static float floor_or_ceil(float x, int up)
{
    if (!((f_bits(x) & 0x7fffffffu) < 0x4b000000u)) {
        return x;
    }
    float t = (float)(int32_t)x;
    if (up ? t < x : t > x) {
        t += up ? 1.0f : -1.0f;
    }
    if (t == 0.0f) {
        return bits_f(f_bits(x) & 0x80000000u);
    }
    return t;
}

/* ======================= ABS ======================= */

typedef struct {
    uint32_t n;
    int32_t type, quantized, needs_rescale;
    int32_t in_offset, out_offset, mult, shift;
} abs_data;

int prepare_abs(ts_ctx *ctx, ts_op *op)
{
    ts_tensor *in, *out;
    TRY(math_io(ctx, op, &in, &out));
    TRY(alloc_data(ctx, op, sizeof(abs_data)));
    abs_data *d = op->data;
    d->n = numel(in);
    d->type = in->type;
    if (in->type == TFL_FLOAT32) {
        return 0;
    }
    if (in->type != TFL_INT8 && in->type != TFL_INT16) {
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_TYPE, "input-output", -1);
    }
    /* TFLM PrepareAbsRsqrt: int8, and int16 with quantization, both quantized (an int16 without
     * quantization is plain std::abs); int16 zero points 0 */
    d->quantized = in->type == TFL_INT8 || in->quantized;
    if (!d->quantized) {
        return 0;
    }
    TRY(check_quant(ctx, in, "input"));
    TRY(check_quant(ctx, out, "output"));
    if (in->type == TFL_INT16 && (in->zero_point != 0 || out->zero_point != 0)) {
        return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "int16-zero-point", -1);
    }
    d->in_offset = in->zero_point;
    d->out_offset = out->zero_point;
    d->needs_rescale = in->scale != out->scale;
    if (d->needs_rescale) {
        TRY(quantize_mult(ctx, (double)in->scale / (double)out->scale, &d->mult, &d->shift));
    }
    return 0;
}

int eval_abs(ts_ctx *ctx, ts_op *op)
{
    const abs_data *d = op->data;
    ts_tensor *ti = in_t(ctx, op, 0), *to = out_t(ctx, op, 0);
    if (d->type == TFL_FLOAT32) {
        const uint32_t *x = (const uint32_t *)ti->data;
        uint32_t *y = (uint32_t *)to->data;
        for (uint32_t i = 0; i < d->n; i++) {
            y[i] = x[i] & 0x7fffffffu;
        }
        return 0;
    }
    const int32_t lo = d->type == TFL_INT8 ? -128 : -32768, hi = d->type == TFL_INT8 ? 127 : 32767;
    for (uint32_t i = 0; i < d->n; i++) {
        const int32_t q = d->type == TFL_INT8 ? ((const int8_t *)ti->data)[i] : ((const int16_t *)ti->data)[i];
        int32_t r;
        if (!d->quantized) {
            r = (int16_t)(q < 0 ? -q : q); /* std::abs on the promoted value, stored as int16 */
        } else {
            const int32_t v = q - d->in_offset < 0 ? d->in_offset - q : q - d->in_offset;
            r = (d->needs_rescale ? ts_mbqm(v, d->mult, d->shift) : v) + d->out_offset;
            r = r < lo ? lo : (r > hi ? hi : r);
        }
        if (d->type == TFL_INT8) {
            ((int8_t *)to->data)[i] = (int8_t)r;
        } else {
            ((int16_t *)to->data)[i] = (int16_t)r;
        }
    }
    return 0;
}

/* ======================= float32-only: NEG, SQRT, SQUARE, FLOOR, CEIL, ROUND ======================= */

int prepare_math_f32(ts_ctx *ctx, ts_op *op)
{
    ts_tensor *in, *out;
    TRY(math_io(ctx, op, &in, &out));
    if (in->type != TFL_FLOAT32) { /* TFLM: float32 only */
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_TYPE, "input-output", -1);
    }
    return 0;
}

/* TFLite reference_ops RoundToNearest: floor, then up when the rest is above one half or exactly one
 * half with an odd floor (a result of zero from below is +0) */
static float round_to_nearest(float x)
{
    const float f = floor_or_ceil(x, 0);
    const float diff = x - f;
    if (diff < 0.5f || (diff == 0.5f && (int32_t)f % 2 == 0)) {
        return f;
    }
    return f + 1.0f;
}

int eval_math_f32(ts_ctx *ctx, ts_op *op)
{
    ts_tensor *ti = in_t(ctx, op, 0), *to = out_t(ctx, op, 0);
    const float *x = (const float *)ti->data;
    float *y = (float *)to->data;
    const uint32_t n = numel(ti);
    switch (op->code) {
    case TFL_OP_NEG:
        for (uint32_t i = 0; i < n; i++) {
            y[i] = bits_f(f_bits(x[i]) ^ 0x80000000u);
        }
        break;
    case TFL_OP_SQRT:
        for (uint32_t i = 0; i < n; i++) {
            y[i] = ts_sqrtf(x[i]);
        }
        break;
    case TFL_OP_SQUARE:
        for (uint32_t i = 0; i < n; i++) {
            y[i] = x[i] * x[i];
        }
        break;
    case TFL_OP_FLOOR:
    case TFL_OP_CEIL:
        for (uint32_t i = 0; i < n; i++) {
            y[i] = floor_or_ceil(x[i], op->code == TFL_OP_CEIL);
        }
        break;
    default: /* ROUND */
        for (uint32_t i = 0; i < n; i++) {
            y[i] = round_to_nearest(x[i]);
        }
        break;
    }
    return 0;
}

/* ======================= ZEROS_LIKE ======================= */

int prepare_zeros_like(ts_ctx *ctx, ts_op *op)
{
    ts_tensor *in, *out;
    TRY(math_io(ctx, op, &in, &out));
    if (in->type != TFL_INT32 && in->type != TFL_FLOAT32) { /* TFLM zeros_like.cc: int32, int64, float32 */
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_TYPE, "input-output", -1);
    }
    return 0;
}

int eval_zeros_like(ts_ctx *ctx, ts_op *op)
{
    ts_tensor *to = out_t(ctx, op, 0);
    memset(to->data, 0, 4u * numel(to)); /* +0.0f and 0 are all-zero words */
    return 0;
}

/* ======================= FLOOR_DIV ======================= */

/* std::floor for a double, without libm (as floor_or_ceil: |x| >= 2^52, NaN and infinities are integral) */
static double floor_d(double x)
{
    uint64_t u;
    memcpy(&u, &x, 8);
    if (!((u & 0x7fffffffffffffffull) < 0x4330000000000000ull)) {
        return x;
    }
    double t = (double)(int64_t)x;
    if (t > x) {
        t -= 1.0;
    }
    if (t == 0.0) {
        const uint64_t z = u & 0x8000000000000000ull;
        memcpy(&t, &z, 8);
    }
    return t;
}

/* TFLM floor_div.cc: float32 only; any zero in the denominator fails at eval ("Division by 0"); reference_ops
 * FloorDiv<float>: std::floor((double)x / (double)y), stored as float; broadcasting as comparisons (rank 4 when the
 * shapes differ, BroadcastBinaryFunction4DSlow) */
typedef struct {
    ts_bcast bc;
} floor_div_data;

int prepare_floor_div(ts_ctx *ctx, ts_op *op)
{
    TRY(check_io(ctx, op, 2, 2, 1));
    ts_tensor *a = in_t(ctx, op, 0), *b = in_t(ctx, op, 1), *out = out_t(ctx, op, 0);
    if (a->type != TFL_FLOAT32 || b->type != TFL_FLOAT32 || out->type != TFL_FLOAT32) {
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_TYPE, "input-output", -1);
    }
    TRY(alloc_data(ctx, op, sizeof(floor_div_data)));
    floor_div_data *d = op->data;
    TRY(ts_bcast_prepare(ctx, a, b, out, &d->bc));
    if (!same_dims(a, b) && (a->rank > 4 || b->rank > 4 || out->rank > 4)) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "broadcast-rank", -1);
    }
    return 0;
}

int eval_floor_div(ts_ctx *ctx, ts_op *op)
{
    const floor_div_data *d = op->data;
    ts_tensor *ta = in_t(ctx, op, 0), *tb = in_t(ctx, op, 1), *to = out_t(ctx, op, 0);
    const float *x = (const float *)ta->data, *y = (const float *)tb->data;
    float *o = (float *)to->data;
    const uint32_t nb = numel(tb);
    for (uint32_t i = 0; i < nb; i++) {
        if (y[i] == 0.0f) {
            return ts_fail(ctx, TS_ERR_KERNEL_FAILURE, "division-by-zero", (int32_t)i);
        }
    }
    int32_t idx[TS_MAX_RANK] = { 0 };
    uint32_t ia = 0, ib = 0;
    for (uint32_t i = 0; i < d->bc.n; i++) {
        o[i] = (float)floor_d((double)x[ia] / (double)y[ib]);
        ts_bcast_next(&d->bc, idx, &ia, &ib);
    }
    return 0;
}

/* ======================= FILL ======================= */

/* TFLM fill.cc: a scalar value (float32, int32, int8; the output's type) copied to every output element, raw
 * (no requantization, as TFLM); a constant dims tensor (int8/16/32/64 vector) must equal the output's shape, a
 * computed one is not read (as TFLM) */
int prepare_fill(ts_ctx *ctx, ts_op *op)
{
    TRY(check_io(ctx, op, 2, 2, 1));
    const ts_tensor *dims = in_t(ctx, op, 0), *value = in_t(ctx, op, 1), *out = out_t(ctx, op, 0);
    if (value->rank != 0 || value->type != out->type ||
        (out->type != TFL_FLOAT32 && out->type != TFL_INT32 && out->type != TFL_INT8)) {
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_TYPE, "input-output", -1);
    }
    if (dims->is_const) {
        if (dims->rank != 1 || dims->dims[0] != out->rank) {
            return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "dims", -1);
        }
        for (int d = 0; d < out->rank; d++) {
            int64_t v;
            switch (dims->type) {
            case TFL_INT8: v = ((const int8_t *)dims->data)[d]; break;
            case TFL_INT16: v = (int16_t)(dims->data[2 * d] | (dims->data[2 * d + 1] << 8)); break;
            case TFL_INT32: v = (int32_t)fb_rd_u32(dims->data + 4u * (uint32_t)d); break;
            case TFL_INT64: v = (int64_t)((uint64_t)fb_rd_u32(dims->data + 8u * (uint32_t)d) |
                                          ((uint64_t)fb_rd_u32(dims->data + 8u * (uint32_t)d + 4u) << 32)); break;
            default: return ts_fail(ctx, TS_ERR_UNSUPPORTED_TYPE, "dims", -1);
            }
            if (v != out->dims[d]) {
                return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "output-shape", -1);
            }
        }
    }
    return 0;
}

int eval_fill(ts_ctx *ctx, ts_op *op)
{
    const ts_tensor *value = in_t(ctx, op, 1);
    ts_tensor *out = out_t(ctx, op, 0);
    const uint32_t es = out->type == TFL_INT8 ? 1u : 4u, n = numel(out);
    for (uint32_t i = 0; i < n; i++) {
        memcpy(out->data + i * es, value->data, es);
    }
    return 0;
}
