/* The sequence operators: SVDF and UNIDIRECTIONAL_SEQUENCE_LSTM, TFLite Micro's kernels (svdf.cc,
 * svdf_common.cc; unidirectional_sequence_lstm.cc, lstm_eval*.cc). Prepare checks what TFLM's
 * Prepare checks and computes the multipliers; eval calls ts_kernels_sequence.c. Their state is
 * a variable tensor, which ts_load keeps in the persistent arena across runs. The arithmetic is
 * docs/inference-semantics.md, "Sequence operators and state". */
#include <string.h>
#include "tflite_schema.h"
#include "ts_kernels_sequence.h"
#include "ts_op_util.h"
#include "ts_ops.h"
#include "ts_quant.h"

/* ======================= SVDF ======================= */

typedef struct {
    ts_svdf_params p;
    int32_t is_float, simd;
    int scratch, scratch_out;
} svdf_data;

/* TFLite's state zero point for an int16 or int8 state */
static int state_zero_point(ts_ctx *ctx, const ts_tensor *t, int32_t *zp)
{
    const int32_t lo = t->type == TFL_INT16 ? -32768 : -128, hi = t->type == TFL_INT16 ? 32767 : 127;
    if (t->zero_point < lo || t->zero_point > hi) {
        return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "state-zero-point", (int32_t)(t - ctx->tensors));
    }
    *zp = t->zero_point;
    return 0;
}

int prepare_svdf(ts_ctx *ctx, ts_op *op)
{
    TRY(check_io(ctx, op, 3, 5, 1));
    if (op->nin != 5 || op->io[4] < 0) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "input-output-count", -1);
    }
    TRY(check_options(ctx, op, OPT_SVDF));
    ts_tensor *in = in_t(ctx, op, 0), *wf = in_t(ctx, op, 1), *wt = in_t(ctx, op, 2), *bias = in_t(ctx, op, 3);
    ts_tensor *state = in_t(ctx, op, 4), *out = out_t(ctx, op, 0);
    int32_t rank;
    uint8_t act;
    TRY(opt_i32(ctx, op, SVDF_RANK, 0, &rank));
    TRY(opt_u8(ctx, op, SVDF_ACTIVATION, TFL_ACT_NONE, &act));
    if (rank < 1) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "svdf-rank", rank);
    }
    if (act > TFL_ACT_SIGN_BIT) {
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_OPTIONS, "activation", act);
    }
    if (in->rank != 2 || wf->rank != 2 || wt->rank != 2 || state->rank != 2 || out->rank != 2) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "rank", -1);
    }
    TRY(alloc_data(ctx, op, sizeof(svdf_data)));
    svdf_data *d = op->data;
    ts_svdf_params *p = &d->p;
    p->batches = in->dims[0];
    p->input_size = in->dims[1];
    p->filters = wf->dims[0];
    p->memory = wt->dims[1];
    p->rank = rank;
    p->activation = act;
    if (p->filters % rank != 0) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "filters-rank", p->filters);
    }
    p->units = p->filters / rank;
    if (wf->dims[1] != p->input_size || wt->dims[0] != p->filters || out->dims[0] != p->batches ||
        out->dims[1] != p->units || state->dims[0] != p->batches ||
        (int64_t)state->dims[1] != (int64_t)p->memory * p->filters) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "svdf-shape", -1);
    }
    if (!state->is_variable) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "state-not-variable", op->io[4]);
    }
    if (bias != NULL && (bias->rank < 1 || bias->dims[0] != p->units)) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "bias-shape", -1);
    }
    if (!wf->is_const || !wt->is_const || (bias != NULL && !bias->is_const)) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "weights-not-constant", -1);
    }
    const uint32_t batch_filters = (uint32_t)p->batches * (uint32_t)p->filters;
    if (in->type == TFL_FLOAT32) {
        if (wf->type != TFL_FLOAT32 || wt->type != TFL_FLOAT32 || state->type != TFL_FLOAT32 ||
            out->type != TFL_FLOAT32 || (bias != NULL && bias->type != TFL_FLOAT32)) {
            return ts_fail(ctx, TS_ERR_UNSUPPORTED_TYPE, "svdf-float", -1);
        }
        d->is_float = 1;
        TRY(ts_request_scratch(ctx, op, batch_filters * 4u, &d->scratch));
    } else if (in->type == TFL_INT8) {
        /* TFLM reads the state as weights_time's element type */
        if (wf->type != TFL_INT8 || (wt->type != TFL_INT16 && wt->type != TFL_INT8) || state->type != wt->type ||
            out->type != TFL_INT8 || (bias != NULL && bias->type != TFL_INT32)) {
            return ts_fail(ctx, TS_ERR_UNSUPPORTED_TYPE, "svdf-int8", -1);
        }
        TRY(check_quant(ctx, in, "input"));
        TRY(check_quant(ctx, wf, "weights-feature"));
        TRY(check_quant(ctx, wt, "weights-time"));
        TRY(check_quant(ctx, state, "state"));
        TRY(check_quant(ctx, out, "output"));
        if (bias != NULL) {
            /* |bias scale - state scale * weights_time scale| < 1e-5, the product in float */
            const double product = (double)(state->scale * wt->scale);
            const double bs = bias->quantized ? (double)bias->scale : 0.0;
            const double diff = bs - product;
            if (!((diff < 0 ? -diff : diff) < 1e-5)) {
                return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "svdf-bias-scale", -1);
            }
        }
        /* the scales combined in float, then widened (TFLM) */
        TRY(quantize_mult(ctx, (double)(in->scale * wf->scale / state->scale), &p->m1, &p->s1));
        TRY(quantize_mult(ctx, (double)(state->scale * wt->scale / out->scale), &p->m2, &p->s2));
        p->state16 = state->type == TFL_INT16;
        TRY(state_zero_point(ctx, state, &p->state_zp));
        p->state_min = p->state16 ? -32768 : -128;
        p->state_max = p->state16 ? 32767 : 127;
        p->in_zp = in->zero_point;
        p->out_zp = out->zero_point;
        d->simd = ctx->kernels == TS_KERNELS_SIMD;
        /* TFLM's two scratch buffers, in its order */
        TRY(ts_request_scratch(ctx, op, batch_filters * 4u, &d->scratch));
        TRY(ts_request_scratch(ctx, op, (uint32_t)p->batches * (uint32_t)p->units * 4u, &d->scratch_out));
    } else {
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_TYPE, "svdf-input", -1);
    }
    op->macs = (uint64_t)batch_filters * ((uint64_t)p->input_size + (uint64_t)p->memory);
    return 0;
}

int eval_svdf(ts_ctx *ctx, ts_op *op)
{
    const svdf_data *d = op->data;
    ts_tensor *in = in_t(ctx, op, 0), *wf = in_t(ctx, op, 1), *wt = in_t(ctx, op, 2), *bias = in_t(ctx, op, 3);
    ts_tensor *state = in_t(ctx, op, 4), *out = out_t(ctx, op, 0);
    if (d->is_float) {
        ts_svdf_f32(&d->p, (const float *)in->data, (const float *)wf->data, (const float *)wt->data,
                    bias != NULL ? (const float *)bias->data : NULL, (float *)state->data, (float *)out->data,
                    (float *)op->scratch[d->scratch]);
    } else if (d->simd) {
        ts_svdf_s8_simd(&d->p, (const int8_t *)in->data, (const int8_t *)wf->data, wt->data,
                        bias != NULL ? (const int32_t *)bias->data : NULL, state->data, (int8_t *)out->data,
                        (int32_t *)op->scratch[d->scratch], (int32_t *)op->scratch[d->scratch_out]);
    } else {
        ts_svdf_s8_ref(&d->p, (const int8_t *)in->data, (const int8_t *)wf->data, wt->data,
                       bias != NULL ? (const int32_t *)bias->data : NULL, state->data, (int8_t *)out->data,
                       (int32_t *)op->scratch[d->scratch], (int32_t *)op->scratch[d->scratch_out]);
    }
    return 0;
}
