/* Reductions over constant axes: MEAN, SUM and REDUCE_MAX (TFLite Micro reduce.cc / reduce_common.cc and
 * reference reduce.h), sharing the axis handling (reduce_prepare) and the walk over the input
 * (reduce_visit). Arithmetic: docs/inference-semantics.md. */
#include <string.h>
#include "tflite_schema.h"
#include "ts_op_util.h"
#include "ts_ops.h"
#include "ts_quant.h"
#include "ts_runtime.h"

/* Which input dimensions are reduced, with the input right-aligned to TS_MAX_RANK dimensions */
typedef struct {
    int32_t dims[TS_MAX_RANK];
    uint32_t ostride[TS_MAX_RANK]; /* output stride of each kept dimension, 0 for a reduced one */
    uint8_t reduce[TS_MAX_RANK];
    uint32_t n_in, n_out, count;   /* count: input elements per output element */
} reduce_geom;

/* TFLite's ResolveAxis (negative axes + rank, repeats counted once; a scalar input ignores its axes) and
 * the output shape with keep_dims; the axis tensor must be a constant int32 tensor of any shape. */
static int reduce_prepare(ts_ctx *ctx, ts_op *op, reduce_geom *g)
{
    TRY(check_io(ctx, op, 2, 2, 1));
    TRY(check_options(ctx, op, OPT_REDUCER));
    const ts_tensor *in = in_t(ctx, op, 0), *axes = in_t(ctx, op, 1), *out = out_t(ctx, op, 0);
    if (!axes->is_const || axes->type != TFL_INT32) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "axis", -1);
    }
    uint8_t keep;
    TRY(opt_u8(ctx, op, REDUCER_KEEP_DIMS, 0, &keep));
    memset(g, 0, sizeof *g);
    const int off = TS_MAX_RANK - in->rank;
    for (int i = 0; i < TS_MAX_RANK; i++) {
        g->dims[i] = i >= off ? in->dims[i - off] : 1;
    }
    for (uint32_t k = 0; in->rank > 0 && k < numel(axes); k++) {
        int32_t ax = (int32_t)fb_rd_u32(axes->data + 4u * k);
        if (ax < 0) {
            ax += in->rank;
        }
        if (ax < 0 || ax >= in->rank) {
            return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "axis", ax < 0 ? 0 : ax);
        }
        g->reduce[off + ax] = 1;
    }
    int32_t exp_dims[TS_MAX_RANK];
    int exp_rank = 0;
    g->count = 1;
    for (int i = 0; i < in->rank; i++) {
        if (g->reduce[off + i]) {
            g->count *= (uint32_t)in->dims[i];
            if (keep) {
                exp_dims[exp_rank++] = 1;
            }
        } else {
            exp_dims[exp_rank++] = in->dims[i];
        }
    }
    int ok = out->rank == exp_rank;
    for (int i = 0; ok && i < exp_rank; i++) {
        ok = out->dims[i] == exp_dims[i];
    }
    if (!ok) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "output-shape", -1);
    }
    uint32_t s = 1;
    for (int k = TS_MAX_RANK - 1; k >= 0; k--) {
        g->ostride[k] = g->reduce[k] ? 0u : s;
        s *= g->reduce[k] ? 1u : (uint32_t)g->dims[k];
    }
    g->n_in = numel(in);
    g->n_out = numel(out);
    return 0;
}

/* Reduces `len` consecutive input values into acc[0], acc[ostep], acc[2 * ostep], ... (ostep 0: all into
   acc[0]) */
typedef void (*reduce_run)(void *acc, const void *in, uint32_t len, uint32_t ostep);

/* Visits the input in row-major order, one run of the innermost dimension at a time, each run with its
   first output's accumulator: TFLite's Reduce loop order, which fixes the order of float additions.
   Inlined into each caller, so that the run function is a known call the compiler inlines too. */
static inline __attribute__((always_inline)) void reduce_visit(const reduce_geom *g, const uint8_t *in, uint32_t in_esize, uint8_t *acc,
                         uint32_t acc_esize, reduce_run run)
{
    const int last = TS_MAX_RANK - 1;
    const uint32_t len = (uint32_t)g->dims[last], ostep = g->ostride[last];
    int32_t idx[TS_MAX_RANK] = { 0 };
    uint32_t o = 0;
    for (uint32_t r = 0; r < g->n_in / len; r++) {
        run(acc + o * acc_esize, in, len, ostep);
        in += len * in_esize;
        for (int k = last - 1; k >= 0; k--) {
            o += g->ostride[k];
            if (++idx[k] < g->dims[k]) {
                break;
            }
            o -= g->ostride[k] * (uint32_t)g->dims[k];
            idx[k] = 0;
        }
    }
}

/* The run functions: ostep 0 (the innermost dimension is reduced) keeps the accumulator in a register, ostep
   1 walks consecutive accumulators; either way each output receives its values in input order. */
#define REDUCE_RUN(name, in_type, acc_type, STEP)                                            \
    static void name(void *acc, const void *in, uint32_t len, uint32_t ostep)               \
    {                                                                                        \
        acc_type *a = acc;                                                                   \
        const in_type *x = in;                                                               \
        if (ostep == 0) {                                                                    \
            acc_type r = *a;                                                                 \
            for (uint32_t i = 0; i < len; i++) {                                             \
                STEP(r, x[i]);                                                               \
            }                                                                                \
            *a = r;                                                                          \
        } else {                                                                             \
            for (uint32_t i = 0; i < len; i++) {                                             \
                STEP(a[i], x[i]);                                                            \
            }                                                                                \
        }                                                                                    \
    }
/* int32 sums wrap, as TFLite's (computed in uint32) */
#define SUM_INT(r, v) ((r) = (int32_t)((uint32_t)(r) + (uint32_t)(int32_t)(v)))
/* float: TFLite's in + current, in that order (the same bits as current + in) */
#define SUM_FLOAT(r, v) ((r) = (v) + (r))
/* TFLite's (in > current) ? in : current: a NaN is never taken */
#define MAX_OF(r, v) ((r) = (v) > (r) ? (v) : (r))

REDUCE_RUN(run_sum_s8, int8_t, int32_t, SUM_INT)
REDUCE_RUN(run_sum_s16, int16_t, int32_t, SUM_INT)
REDUCE_RUN(run_sum_f32, float, float, SUM_FLOAT)
REDUCE_RUN(run_max_s8, int8_t, int8_t, MAX_OF)
REDUCE_RUN(run_max_f32, float, float, MAX_OF)

/* ======================= MEAN, SUM ======================= */

typedef struct {
    reduce_geom g;
    int32_t type;       /* TFL_FLOAT32, TFL_INT8, TFL_INT16 */
    int32_t sum;        /* SUM rather than MEAN */
    int32_t same_quant; /* MEAN with equal input and output quantization: integer division */
    int32_t in_zero_point, out_zero_point, mult, shift, qmin, qmax;
    int scratch;        /* int32 sums (integer types) */
} mean_data;

static int prepare_mean_or_sum(ts_ctx *ctx, ts_op *op, int32_t sum)
{
    TRY(alloc_data(ctx, op, sizeof(mean_data)));
    mean_data *d = op->data;
    TRY(reduce_prepare(ctx, op, &d->g));
    const ts_tensor *in = in_t(ctx, op, 0), *out = out_t(ctx, op, 0);
    d->type = in->type;
    d->sum = sum;
    if (in->type != out->type || (in->type != TFL_FLOAT32 && in->type != TFL_INT8 && in->type != TFL_INT16)) {
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_TYPE, "input-output", -1);
    }
    if (in->type == TFL_FLOAT32) {
        return 0; /* sums in the output itself, as TFLite Micro's float kernels: no scratch */
    }
    TRY(check_quant(ctx, in, "input"));
    TRY(check_quant(ctx, out, "output"));
    /* TFLite Micro's PrepareMeanOrSum: int32 sums in a scratch buffer of 4 bytes per output element */
    TRY(ts_request_scratch(ctx, op, d->g.n_out * 4u, &d->scratch));
    d->qmin = in->type == TFL_INT8 ? -128 : -32768;
    d->qmax = in->type == TFL_INT8 ? 127 : 32767;
    d->in_zero_point = in->zero_point;
    d->out_zero_point = out->zero_point;
    d->same_quant = !sum && in->scale == out->scale && in->zero_point == out->zero_point;
    TRY(quantize_mult(ctx, (double)in->scale / (double)out->scale, &d->mult, &d->shift));
    if (!sum) { /* QuantizedMeanOrSum: the division by n folded into the multiplier */
        int32_t sh = 63 - __builtin_clzll((unsigned long long)d->g.count);
        sh = sh < 32 ? sh : 32;
        sh = sh < 31 + d->shift ? sh : 31 + d->shift;
        d->mult = (int32_t)(((int64_t)d->mult << sh) / (int64_t)d->g.count);
        d->shift -= sh;
    }
    return 0;
}

int prepare_mean(ts_ctx *ctx, ts_op *op) { return prepare_mean_or_sum(ctx, op, 0); }
int prepare_sum(ts_ctx *ctx, ts_op *op) { return prepare_mean_or_sum(ctx, op, 1); }

int eval_mean(ts_ctx *ctx, ts_op *op)
{
    const mean_data *d = op->data;
    const uint8_t *x = in_t(ctx, op, 0)->data;
    uint8_t *y = out_t(ctx, op, 0)->data;
    const uint32_t n_out = d->g.n_out;
    if (d->type == TFL_FLOAT32) {
        float *r = (float *)(void *)y;
        for (uint32_t o = 0; o < n_out; o++) {
            r[o] = 0.0f;
        }
        reduce_visit(&d->g, x, 4, y, 4, run_sum_f32);
        if (!d->sum) {
            const float n = (float)d->g.count;
            for (uint32_t o = 0; o < n_out; o++) {
                r[o] = r[o] / n;
            }
        }
        return 0;
    }
    int32_t *acc = (int32_t *)(void *)op->scratch[d->scratch];
    memset(acc, 0, n_out * 4u);
    if (d->type == TFL_INT8) {
        reduce_visit(&d->g, x, 1, (uint8_t *)acc, 4, run_sum_s8);
    } else {
        reduce_visit(&d->g, x, 2, (uint8_t *)acc, 4, run_sum_s16);
    }
    const int32_t n = (int32_t)d->g.count;
    const uint32_t centre = (uint32_t)d->in_zero_point * (uint32_t)n;
    for (uint32_t o = 0; o < n_out; o++) {
        int32_t v;
        if (d->same_quant) {
            v = acc[o] / n;
        } else {
            v = ts_mbqm((int32_t)((uint32_t)acc[o] - centre), d->mult, d->shift) + d->out_zero_point;
            v = v < d->qmin ? d->qmin : (v > d->qmax ? d->qmax : v);
        }
        if (d->type == TFL_INT8) {
            ((int8_t *)y)[o] = (int8_t)v;
        } else {
            ((int16_t *)(void *)y)[o] = (int16_t)v;
        }
    }
    return 0;
}

/* ======================= REDUCE_MAX ======================= */

typedef struct {
    reduce_geom g;
    int32_t is_float;
} max_data;

int prepare_reduce_max(ts_ctx *ctx, ts_op *op)
{
    TRY(alloc_data(ctx, op, sizeof(max_data)));
    max_data *d = op->data;
    TRY(reduce_prepare(ctx, op, &d->g));
    const ts_tensor *in = in_t(ctx, op, 0), *axes = in_t(ctx, op, 1), *out = out_t(ctx, op, 0);
    if (in->type != out->type || (in->type != TFL_FLOAT32 && in->type != TFL_INT8)) {
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_TYPE, "input-output", -1);
    }
    d->is_float = in->type == TFL_FLOAT32;
    if (!d->is_float) { /* raw values are compared and copied */
        TRY(check_quant(ctx, in, "input"));
        TRY(check_quant(ctx, out, "output"));
        TRY(check_same_quant(ctx, in, out));
    }
    /* TFLite Micro's PrepareMaxHelper asks for these two (its index and resolved-axis buffers) */
    TRY(ts_request_scratch(ctx, op, 4u * in->rank, NULL));
    TRY(ts_request_scratch(ctx, op, 4u * numel(axes), NULL));
    return 0;
}

int eval_reduce_max(ts_ctx *ctx, ts_op *op)
{
    const max_data *d = op->data;
    const uint8_t *x = in_t(ctx, op, 0)->data;
    uint8_t *y = out_t(ctx, op, 0)->data;
    if (d->is_float) {
        for (uint32_t o = 0; o < d->g.n_out; o++) {
            ((float *)(void *)y)[o] = -FLT_MAX_;
        }
        reduce_visit(&d->g, x, 4, y, 4, run_max_f32);
    } else {
        memset(y, 0x80, d->g.n_out);
        reduce_visit(&d->g, x, 1, y, 1, run_max_s8);
    }
    return 0;
}
