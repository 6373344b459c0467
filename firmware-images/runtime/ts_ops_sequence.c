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

/* ======================= UNIDIRECTIONAL_SEQUENCE_LSTM ======================= */

enum { LSTM_IN = 0, LSTM_HIDDEN = 18, LSTM_CELL = 19 };
/* lstm_shared.h: input weights 1-4, recurrent weights 5-8, biases 12-15, each in the gate order input,
   forget, cell, output (TS_LSTM_*_GATE) */

typedef struct {
    ts_lstm_params p;
    int32_t is_float, simd, act16;
    int buf[4];
} lstm_data;

/* The nearest integer to log2(x) (TFLite's CheckedLog2 result, whose "power of two" answer TFLM's LSTM
   ignores), from the float's exponent and significand: round up from sqrt(2). */
static int32_t rounded_log2(float x)
{
    uint32_t u;
    memcpy(&u, &x, 4);
    const int32_t e = (int32_t)((u >> 23) & 0xFFu) - 127;
    if (((u >> 23) & 0xFFu) == 0) {
        return e; /* subnormal: below 1 * 2^-126 */
    }
    const float sqrt2 = 1.41421356f;
    uint32_t mu = (u & 0x007FFFFFu) | (127u << 23);
    float m;
    memcpy(&m, &mu, 4);
    return m >= sqrt2 ? e + 1 : e;
}

static int opt_f32(ts_ctx *ctx, const ts_op *op, int field, float dflt, float *v)
{
    if (!op->has_options) {
        *v = dflt;
        return 0;
    }
    return fb_f32(&ctx->fb, &op->options, field, dflt, v);
}

int prepare_lstm(ts_ctx *ctx, ts_op *op)
{
    if (op->nin != 24 || op->nout != 1) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "input-output-count", -1);
    }
    TRY(check_options(ctx, op, OPT_UNIDIRECTIONAL_SEQUENCE_LSTM));
    static const uint8_t absent[] = {9, 10, 11, 16, 17, 20, 21, 22, 23};
    for (uint32_t k = 0; k < sizeof absent; k++) {
        if (op->io[absent[k]] >= 0) {
            return ts_fail(ctx, TS_ERR_UNSUPPORTED_OPTIONS, "lstm-peephole-projection-layer-norm", absent[k]);
        }
    }
    static const uint8_t present[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 12, 13, 14, 15, 18, 19};
    for (uint32_t k = 0; k < sizeof present; k++) {
        if (op->io[present[k]] < 0) {
            return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "missing-input", present[k]);
        }
    }
    uint8_t act, time_major;
    float cell_clip;
    TRY(opt_u8(ctx, op, LSTM_ACTIVATION, TFL_ACT_NONE, &act));
    TRY(opt_f32(ctx, op, LSTM_CELL_CLIP, 0.0f, &cell_clip));
    TRY(opt_u8(ctx, op, LSTM_TIME_MAJOR, 0, &time_major));
    ts_tensor *in = in_t(ctx, op, LSTM_IN), *hidden = in_t(ctx, op, LSTM_HIDDEN), *cell = in_t(ctx, op, LSTM_CELL);
    ts_tensor *out = out_t(ctx, op, 0);
    if (!hidden->is_variable || !cell->is_variable) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "state-not-variable", -1);
    }
    if (in->rank != 3 || hidden->rank != 2 || out->rank != 3) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "rank", -1);
    }
    TRY(alloc_data(ctx, op, sizeof(lstm_data)));
    lstm_data *d = op->data;
    ts_lstm_params *p = &d->p;
    p->time_major = time_major != 0;
    p->batches = time_major ? in->dims[1] : in->dims[0];
    p->steps = time_major ? in->dims[0] : in->dims[1];
    p->input_size = in->dims[2];
    p->state = hidden->dims[1];
    const int32_t S = p->state;
    for (int k = 1; k <= 8; k++) {
        const ts_tensor *w = in_t(ctx, op, k);
        if (w->rank != 2 || w->dims[0] != S || w->dims[1] != (k <= 4 ? p->input_size : S)) {
            return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "lstm-weights-shape", k);
        }
    }
    for (int k = 12; k <= 15; k++) {
        const ts_tensor *bias = in_t(ctx, op, k);
        if (bias->rank != 1 || bias->dims[0] != S) {
            return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "lstm-bias-shape", k);
        }
    }
    const uint64_t bs = (uint64_t)p->batches * (uint64_t)S;
    if (numel(hidden) != bs || numel(cell) != bs || out->dims[0] != in->dims[0] || out->dims[1] != in->dims[1] ||
        out->dims[2] != S) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "lstm-shape", -1);
    }
    if (!(cell_clip >= 0.0f)) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "cell-clip", -1);
    }
    if (act != TFL_ACT_TANH) {
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_OPTIONS, "activation", act);
    }
    if (hidden->type != in->type || out->type != in->type) {
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_TYPE, "lstm-hidden-output", -1);
    }
    const uint8_t wtype = in_t(ctx, op, 2)->type, btype = in_t(ctx, op, 13)->type;
    for (int k = 1; k <= 15; k++) {
        const ts_tensor *t = in_t(ctx, op, k);
        if (t == NULL) {
            continue;
        }
        if ((k <= 8 && t->type != wtype) || (k >= 12 && t->type != btype)) {
            return ts_fail(ctx, TS_ERR_UNSUPPORTED_TYPE, "lstm-weights-bias", k);
        }
        if (!t->is_const) {
            return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "weights-not-constant", k);
        }
    }
    uint32_t elem;
    if (in->type == TFL_FLOAT32) {
        if (wtype != TFL_FLOAT32 || btype != TFL_FLOAT32 || cell->type != TFL_FLOAT32) {
            return ts_fail(ctx, TS_ERR_UNSUPPORTED_TYPE, "lstm-float", -1);
        }
        d->is_float = 1;
        p->cell_clip = cell_clip;
        elem = 4;
    } else if (in->type == TFL_INT8 || in->type == TFL_INT16) {
        d->act16 = in->type == TFL_INT16;
        /* TFLM reads the biases as int32 (8x8) or int64 (16x8) */
        if (wtype != TFL_INT8 || btype != (d->act16 ? TFL_INT64 : TFL_INT32) || cell->type != TFL_INT16) {
            return ts_fail(ctx, TS_ERR_UNSUPPORTED_TYPE, "lstm-integer", -1);
        }
        TRY(check_quant(ctx, in, "input"));
        TRY(check_quant(ctx, hidden, "hidden-state"));
        TRY(check_quant(ctx, cell, "cell-state"));
        /* 16x8: symmetric int16 activations, as the runtime's other 16x8 kernels (the products take no offset) */
        if (d->act16 && (in->zero_point != 0 || hidden->zero_point != 0)) {
            return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "int16-zero-point", -1);
        }
        if (cell->zero_point != 0) {
            return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "cell-state-zero-point", op->io[LSTM_CELL]);
        }
        p->in_offset = -in->zero_point;
        p->hidden_offset = -hidden->zero_point;
        p->hidden_zp = hidden->zero_point;
        const float gate_in_scale = 1.0f / 4096.0f, gate_out_scale = 1.0f / 32768.0f;
        for (int g = 0; g < 4; g++) {
            const ts_tensor *wi = in_t(ctx, op, 1 + g), *wr = in_t(ctx, op, 5 + g);
            TRY(check_quant(ctx, wi, "gate-weights"));
            TRY(check_quant(ctx, wr, "gate-weights"));
            if (wi->nscales > 1 || wr->nscales > 1) {
                return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "lstm-per-channel-weights", 1 + g);
            }
            if (wi->zero_point != 0 || wr->zero_point != 0) {
                return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "lstm-weights-zero-point", 1 + g);
            }
            /* GetQuantizedConvolutionMultipler: the scale product in float, widened, over 2^-12 */
            TRY(quantize_mult(ctx, (double)(in->scale * wi->scale) / (double)gate_in_scale, &p->fc_mult[g], &p->fc_shift[g]));
            TRY(quantize_mult(ctx, (double)(hidden->scale * wr->scale) / (double)gate_in_scale, &p->rec_mult[g],
                              &p->rec_shift[g]));
            /* TFLite's int64 MultiplyByQuantizedMultiplier is defined for shifts up to 7 */
            if (d->act16 && (p->fc_shift[g] > 7 || p->rec_shift[g] > 7)) {
                return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "int64-rescale-shift", 1 + g);
            }
        }
        /* CreateInterGateMulParams: (double)s1 * (double)s2 / (double)s_out */
        TRY(quantize_mult(ctx, (double)gate_out_scale * (double)cell->scale / (double)cell->scale, &p->forget_mult,
                          &p->forget_shift));
        TRY(quantize_mult(ctx, (double)gate_out_scale * (double)gate_out_scale / (double)cell->scale, &p->input_mult,
                          &p->input_shift));
        TRY(quantize_mult(ctx, (double)gate_out_scale * (double)gate_out_scale / (double)hidden->scale, &p->hidden_mult,
                          &p->hidden_shift));
        /* lstm_internal::Tanh(cell_state_scale_power): left shift 15 + power - 3; negative: multiplier 3 */
        const int32_t power = rounded_log2(cell->scale);
        if (power < -43 || power > 17) {
            return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "cell-state-scale", op->io[LSTM_CELL]);
        }
        const int32_t shift = 15 + power - 3;
        p->tanh_mult = shift < 0 ? 3 : 0;
        p->tanh_shift = shift < 0 ? -shift : shift;
        p->clip = cell_clip > 0.0f;
        double qc = (double)cell_clip / (double)cell->scale;
        qc = qc < -32768.0 ? -32768.0 : qc;
        qc = qc > 32767.0 ? 32767.0 : qc;
        p->quantized_clip = (int32_t)(int16_t)(int32_t)qc;
        d->simd = ctx->kernels == TS_KERNELS_SIMD;
        elem = 2;
    } else {
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_TYPE, "lstm-input", -1);
    }
    /* TFLM's four buffers of batch * state cell elements */
    for (int k = 0; k < 4; k++) {
        TRY(ts_request_scratch(ctx, op, (uint32_t)bs * elem, &d->buf[k]));
    }
    op->macs = (uint64_t)p->batches * (uint64_t)p->steps * 4u * (uint64_t)S * ((uint64_t)p->input_size + (uint64_t)S);
    return 0;
}

int eval_lstm(ts_ctx *ctx, ts_op *op)
{
    const lstm_data *d = op->data;
    ts_tensor *in = in_t(ctx, op, LSTM_IN), *hidden = in_t(ctx, op, LSTM_HIDDEN), *cell = in_t(ctx, op, LSTM_CELL);
    ts_tensor *out = out_t(ctx, op, 0);
    ts_lstm_weights w;
    for (int g = 0; g < 4; g++) {
        w.w[g] = in_t(ctx, op, 1 + g)->data;
        w.rw[g] = in_t(ctx, op, 5 + g)->data;
        w.bias[g] = in_t(ctx, op, 12 + g)->data;
    }
    if (d->is_float) {
        float *const buf[4] = {(float *)op->scratch[d->buf[0]], (float *)op->scratch[d->buf[1]],
                               (float *)op->scratch[d->buf[2]], (float *)op->scratch[d->buf[3]]};
        ts_lstm_f32(&d->p, &w, (const float *)in->data, (float *)hidden->data, (float *)cell->data, (float *)out->data, buf);
    } else {
        int16_t *const buf[4] = {(int16_t *)op->scratch[d->buf[0]], (int16_t *)op->scratch[d->buf[1]],
                                 (int16_t *)op->scratch[d->buf[2]], (int16_t *)op->scratch[d->buf[3]]};
        if (d->act16) {
            ts_lstm_s16(&d->p, &w, (const int16_t *)(const void *)in->data, (int16_t *)(void *)hidden->data,
                        (int16_t *)cell->data, (int16_t *)(void *)out->data, buf);
        } else {
            ts_lstm_s8(&d->p, &w, (const int8_t *)in->data, (int8_t *)hidden->data, (int16_t *)cell->data,
                       (int8_t *)out->data, buf, d->simd);
        }
    }
    return 0;
}
