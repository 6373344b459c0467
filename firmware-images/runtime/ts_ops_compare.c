/* Comparisons of TFLite Micro's comparisons.cc (reference comparisons.h): EQUAL, NOT_EQUAL, LESS,
 * LESS_EQUAL, GREATER, GREATER_EQUAL on float32, int32 and int8 (EQUAL, NOT_EQUAL also bool), with
 * numpy broadcasting (TFLM's Broadcast4DSlow: at most rank 4 when the input shapes differ); bool output.
 * int8 compares both operands rescaled to a common scale as TFLM's ComparisonWithScaling:
 * MBQM((q - zp) << 8, QuantizeMultiplierSmallerThanOneExp(scale)). Docs: docs/inference-semantics.md. */
#include <string.h>
#include "tflite_schema.h"
#include "ts_elementwise.h"
#include "ts_op_util.h"
#include "ts_ops.h"
#include "ts_quant.h"
#include "ts_runtime.h"

typedef struct {
    ts_bcast bc;
    int32_t type, code;
    int32_t off1, off2, m1, s1, m2, s2;
} compare_data;

/* QuantizeMultiplierSmallerThanOneExp: TFLite CHECKs 0 < scale < 1 and a shift <= 0 */
static int smaller_than_one(ts_ctx *ctx, const ts_tensor *t, const char *what, int32_t *m, int32_t *s)
{
    TRY(check_quant(ctx, t, what));
    if (!((double)t->scale < 1.0) || ts_quantize_multiplier((double)t->scale, m, s) != 0 || *s > 0) {
        return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "comparison-scale", (int32_t)(t - ctx->tensors));
    }
    return 0;
}

int prepare_compare(ts_ctx *ctx, ts_op *op)
{
    TRY(check_io(ctx, op, 2, 2, 1));
    ts_tensor *a = in_t(ctx, op, 0), *b = in_t(ctx, op, 1), *out = out_t(ctx, op, 0);
    TRY(alloc_data(ctx, op, sizeof(compare_data)));
    compare_data *d = op->data;
    TRY(ts_bcast_prepare(ctx, a, b, out, &d->bc));
    if (!same_dims(a, b) && (a->rank > 4 || b->rank > 4 || out->rank > 4)) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "broadcast-rank", -1);
    }
    const int equality = op->code == TFL_OP_EQUAL || op->code == TFL_OP_NOT_EQUAL;
    if (a->type != b->type || out->type != TFL_BOOL ||
        (a->type != TFL_FLOAT32 && a->type != TFL_INT32 && a->type != TFL_INT8 && !(equality && a->type == TFL_BOOL))) {
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_TYPE, "input-output", -1);
    }
    d->type = a->type;
    d->code = op->code;
    if (a->type == TFL_INT8) {
        TRY(smaller_than_one(ctx, a, "input1", &d->m1, &d->s1));
        TRY(smaller_than_one(ctx, b, "input2", &d->m2, &d->s2));
        d->off1 = -a->zero_point;
        d->off2 = -b->zero_point;
    }
    return 0;
}

static inline uint8_t compare(int32_t code, int32_t x, int32_t y)
{
    switch (code) {
    case TFL_OP_EQUAL: return x == y;
    case TFL_OP_NOT_EQUAL: return x != y;
    case TFL_OP_LESS: return x < y;
    case TFL_OP_LESS_EQUAL: return x <= y;
    case TFL_OP_GREATER: return x > y;
    default: return x >= y;
    }
}

static inline uint8_t compare_f(int32_t code, float x, float y)
{
    switch (code) {
    case TFL_OP_EQUAL: return x == y;
    case TFL_OP_NOT_EQUAL: return x != y;
    case TFL_OP_LESS: return x < y;
    case TFL_OP_LESS_EQUAL: return x <= y;
    case TFL_OP_GREATER: return x > y;
    default: return x >= y;
    }
}

int eval_compare(ts_ctx *ctx, ts_op *op)
{
    const compare_data *d = op->data;
    ts_tensor *ta = in_t(ctx, op, 0), *tb = in_t(ctx, op, 1), *to = out_t(ctx, op, 0);
    uint8_t *o = to->data;
    int32_t idx[TS_MAX_RANK] = { 0 };
    uint32_t ia = 0, ib = 0;
    for (uint32_t i = 0; i < d->bc.n; i++) {
        switch (d->type) {
        case TFL_FLOAT32:
            o[i] = compare_f(d->code, ((const float *)ta->data)[ia], ((const float *)tb->data)[ib]);
            break;
        case TFL_INT32:
            o[i] = compare(d->code, ((const int32_t *)ta->data)[ia], ((const int32_t *)tb->data)[ib]);
            break;
        case TFL_BOOL:
            o[i] = compare(d->code, ((const uint8_t *)ta->data)[ia], ((const uint8_t *)tb->data)[ib]);
            break;
        default: {
            const int32_t x = (d->off1 + ((const int8_t *)ta->data)[ia]) * (1 << 8);
            const int32_t y = (d->off2 + ((const int8_t *)tb->data)[ib]) * (1 << 8);
            o[i] = compare(d->code, ts_mbqm(x, d->m1, d->s1), ts_mbqm(y, d->m2, d->s2));
            break;
        }
        }
        ts_bcast_next(&d->bc, idx, &ia, &ib);
    }
    return 0;
}

/* ======================= SELECT_V2 ======================= */

/* TFLM select.cc (Register_SELECT_V2): condition bool, x and y of one type (float32, int8, int16), the output x's
 * type; out = cond ? x : y on the raw values (no requantization, as TFLM); the three shapes broadcast (numpy rules;
 * rank at most 5 when they differ, BroadcastSelect5DSlow), the output's shape the broadcast one (leading 1s aside). */
typedef struct {
    int32_t dims[TS_MAX_RANK];
    int32_t st[3][TS_MAX_RANK]; /* element strides of cond, x, y; 0 where broadcast */
    uint32_t n, esize;
} select_data;

int prepare_select_v2(ts_ctx *ctx, ts_op *op)
{
    TRY(check_io(ctx, op, 3, 3, 1));
    const ts_tensor *t[3] = { in_t(ctx, op, 0), in_t(ctx, op, 1), in_t(ctx, op, 2) };
    const ts_tensor *out = out_t(ctx, op, 0);
    if (t[0]->type != TFL_BOOL || t[1]->type != t[2]->type || out->type != t[1]->type ||
        (t[1]->type != TFL_FLOAT32 && t[1]->type != TFL_INT8 && t[1]->type != TFL_INT16)) {
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_TYPE, "input-output", -1);
    }
    if (!(same_dims(t[0], t[1]) && same_dims(t[1], t[2])) && (t[0]->rank > 5 || t[1]->rank > 5 || t[2]->rank > 5 ||
                                                               out->rank > 5)) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "broadcast-rank", -1);
    }
    TRY(alloc_data(ctx, op, sizeof(select_data)));
    select_data *d = op->data;
    int32_t e[3][TS_MAX_RANK];
    for (int i = 0; i < TS_MAX_RANK; i++) {
        int32_t o = 1;
        for (int k = 0; k < 3; k++) {
            const int j = i - (TS_MAX_RANK - t[k]->rank);
            e[k][i] = j >= 0 ? t[k]->dims[j] : 1;
            o = e[k][i] > o ? e[k][i] : o;
        }
        const int jo = i - (TS_MAX_RANK - out->rank);
        const int32_t eo = jo >= 0 ? out->dims[jo] : 1;
        for (int k = 0; k < 3; k++) {
            if (e[k][i] != o && e[k][i] != 1) {
                return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "broadcast-shape", -1);
            }
        }
        if (eo != o) {
            return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "broadcast-shape", -1);
        }
        d->dims[i] = o;
    }
    for (int k = 0; k < 3; k++) {
        int32_t s = 1;
        for (int i = TS_MAX_RANK - 1; i >= 0; i--) {
            d->st[k][i] = e[k][i] == 1 ? 0 : s;
            s *= e[k][i];
        }
    }
    d->n = numel(out);
    d->esize = t[1]->type == TFL_INT8 ? 1u : (t[1]->type == TFL_INT16 ? 2u : 4u);
    return 0;
}

int eval_select_v2(ts_ctx *ctx, ts_op *op)
{
    const select_data *d = op->data;
    const uint8_t *c = in_t(ctx, op, 0)->data, *x = in_t(ctx, op, 1)->data, *y = in_t(ctx, op, 2)->data;
    uint8_t *o = out_t(ctx, op, 0)->data;
    int32_t idx[TS_MAX_RANK] = { 0 };
    uint32_t pos[3] = { 0, 0, 0 };
    const uint32_t es = d->esize;
    for (uint32_t i = 0; i < d->n; i++) {
        memcpy(o + i * es, c[pos[0]] ? x + pos[1] * es : y + pos[2] * es, es);
        for (int k = TS_MAX_RANK - 1; k >= 0; k--) {
            idx[k]++;
            for (int q = 0; q < 3; q++) {
                pos[q] += (uint32_t)d->st[q][k];
            }
            if (idx[k] < d->dims[k]) {
                break;
            }
            for (int q = 0; q < 3; q++) {
                pos[q] -= (uint32_t)d->st[q][k] * (uint32_t)d->dims[k];
            }
            idx[k] = 0;
        }
    }
    return 0;
}
