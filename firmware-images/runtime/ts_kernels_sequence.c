/* Sequence operator kernels (see ts_kernels_sequence.h). Integer sums are accumulated in uint32
 * (wrapping like the Java reference's int, never C's undefined signed overflow); with the DSP
 * extension the same sums are formed in another order, which cannot change a bit. */
#include <string.h>
#include "ts_dsp.h"
#include "ts_kernels.h"
#include "ts_kernels_s16.h"
#include "ts_kernels_sequence.h"
#include "ts_quant.h"
#include "tflite_schema.h"

static inline int32_t clamp_i32(int32_t v, int32_t lo, int32_t hi)
{
    return v < lo ? lo : (v > hi ? hi : v);
}

/* ======================= SVDF ======================= */

/* Bias, rank reduction and rescale of TFLM's integer SVDF (no fused activation there). */
static void svdf_s8_output(const ts_svdf_params *p, const int32_t *bias, const int32_t *scratch,
                           int32_t *scratch_out, int8_t *out)
{
    const int32_t units = p->units, rank = p->rank;
    for (int32_t b = 0; b < p->batches; b++) {
        int32_t *o = scratch_out + b * units;
        for (int32_t u = 0; u < units; u++) {
            o[u] = bias != NULL ? bias[u] : 0;
        }
        const int32_t *s = scratch + b * p->filters;
        for (int32_t u = 0; u < units; u++) {
            uint32_t acc = (uint32_t)o[u];
            for (int32_t j = 0; j < rank; j++) {
                acc += (uint32_t)*s++;
            }
            o[u] = (int32_t)acc;
        }
    }
    const int32_t n = p->batches * units, m2 = p->m2, s2 = p->s2, out_zp = p->out_zp;
    for (int32_t i = 0; i < n; i++) {
        const int32_t v = (int32_t)((uint32_t)ts_mbqm_pos(scratch_out[i], m2, s2) + (uint32_t)out_zp);
        out[i] = (int8_t)clamp_i32(v, -128, 127);
    }
}

/* The feature product of one filter row, requantized into the state's element range. */
static inline int32_t svdf_state_value(const ts_svdf_params *p, int32_t dot)
{
    const int32_t v = (int32_t)((uint32_t)p->state_zp + (uint32_t)ts_mbqm(dot, p->m1, p->s1));
    return clamp_i32(v, p->state_min, p->state_max);
}

/* The reference kernel for a state of element type T (int16_t or int8_t): TFLM's loops as written. */
#define SVDF_S8_REF(T, NAME)                                                                               \
    static void NAME(const ts_svdf_params *p, const int8_t *in, const int8_t *wf, const T *wt,           \
                     const int32_t *bias, T *state, int8_t *out, int32_t *scratch, int32_t *scratch_out)  \
    {                                                                                                      \
        const int32_t F = p->filters, M = p->memory, I = p->input_size, zp = p->state_zp;                \
        const int32_t n = p->batches * F * M;                                                             \
        for (int32_t k = 0; k + 1 < n; k++) {                                                             \
            state[k] = state[k + 1];                                                                       \
        }                                                                                                  \
        T *result = state + (M - 1);                                                                       \
        for (int32_t b = 0; b < p->batches; b++) {                                                         \
            const int8_t *w = wf;                                                                          \
            for (int32_t r = 0; r < F; r++) {                                                              \
                const int8_t *x = in + b * I;                                                              \
                uint32_t dot = 0;                                                                          \
                for (int32_t c = 0; c < I; c++) {                                                          \
                    dot += (uint32_t)(*w++ * (*x++ - p->in_zp));                                           \
                }                                                                                          \
                *result = (T)svdf_state_value(p, (int32_t)dot);                                            \
                result += M;                                                                               \
            }                                                                                              \
        }                                                                                                  \
        for (int32_t b = 0; b < p->batches; b++) {                                                         \
            int32_t *s = scratch + b * F;                                                                  \
            const T *w = wt;                                                                               \
            const T *v = state + b * M * F;                                                                \
            for (int32_t i = 0; i < F; i++) {                                                              \
                uint32_t acc = 0;                                                                          \
                for (int32_t j = 0; j < M; j++) {                                                          \
                    acc += (uint32_t)*w++ * (uint32_t)(*v++ - zp);                                         \
                }                                                                                          \
                *s++ = (int32_t)acc;                                                                       \
            }                                                                                              \
        }                                                                                                  \
        svdf_s8_output(p, bias, scratch, scratch_out, out);                                                \
    }

SVDF_S8_REF(int16_t, svdf_s8_ref_s16)
SVDF_S8_REF(int8_t, svdf_s8_ref_s8)

void ts_svdf_s8_ref(const ts_svdf_params *p, const int8_t *in, const int8_t *wf, const void *wt,
                    const int32_t *bias, void *state, int8_t *out, int32_t *scratch, int32_t *scratch_out)
{
    if (p->state16) {
        svdf_s8_ref_s16(p, in, wf, (const int16_t *)wt, bias, (int16_t *)state, out, scratch, scratch_out);
    } else {
        svdf_s8_ref_s8(p, in, wf, (const int8_t *)wt, bias, (int8_t *)state, out, scratch, scratch_out);
    }
}

/* 4 rows at a time, 4 columns per step: SXTAB16 adds the offset while it sign-extends the vector
 * (shared by the 4 rows), then 2 SXTB16 and 2 SMLAD per row. */
void ts_seq_matvec_s8(const int8_t *w, int32_t rows, int32_t cols, int32_t stride, const int8_t *x,
                      int32_t offset, int32_t *acc)
{
    const uint32_t off2 = ts_pack16(offset, offset);
    const int32_t cols4 = cols & ~3;
    int32_t r = 0;
    for (; r + 4 <= rows; r += 4) {
        const int8_t *w0 = w + r * stride, *w1 = w0 + stride, *w2 = w1 + stride, *w3 = w2 + stride;
        int32_t a0 = acc[r], a1 = acc[r + 1], a2 = acc[r + 2], a3 = acc[r + 3];
        int32_t k = 0;
        for (; k < cols4; k += 4) {
            const uint32_t xw = ts_ld32(x + k);
            const uint32_t xa = ts_sxtab16(off2, xw), xb = ts_sxtab16_ror8(off2, xw);
            uint32_t ww = ts_ld32(w0 + k);
            a0 = ts_smlad(ts_sxtb16(ww), xa, a0);
            a0 = ts_smlad(ts_sxtb16_ror8(ww), xb, a0);
            ww = ts_ld32(w1 + k);
            a1 = ts_smlad(ts_sxtb16(ww), xa, a1);
            a1 = ts_smlad(ts_sxtb16_ror8(ww), xb, a1);
            ww = ts_ld32(w2 + k);
            a2 = ts_smlad(ts_sxtb16(ww), xa, a2);
            a2 = ts_smlad(ts_sxtb16_ror8(ww), xb, a2);
            ww = ts_ld32(w3 + k);
            a3 = ts_smlad(ts_sxtb16(ww), xa, a3);
            a3 = ts_smlad(ts_sxtb16_ror8(ww), xb, a3);
        }
        for (; k < cols; k++) {
            const int32_t xv = x[k] + offset;
            a0 = (int32_t)((uint32_t)a0 + (uint32_t)(w0[k] * xv));
            a1 = (int32_t)((uint32_t)a1 + (uint32_t)(w1[k] * xv));
            a2 = (int32_t)((uint32_t)a2 + (uint32_t)(w2[k] * xv));
            a3 = (int32_t)((uint32_t)a3 + (uint32_t)(w3[k] * xv));
        }
        acc[r] = a0;
        acc[r + 1] = a1;
        acc[r + 2] = a2;
        acc[r + 3] = a3;
    }
    for (; r < rows; r++) {
        const int8_t *w0 = w + r * stride;
        int32_t a0 = acc[r];
        int32_t k = 0;
        for (; k < cols4; k += 4) {
            const uint32_t xw = ts_ld32(x + k);
            const uint32_t ww = ts_ld32(w0 + k);
            a0 = ts_smlad(ts_sxtb16(ww), ts_sxtab16(off2, xw), a0);
            a0 = ts_smlad(ts_sxtb16_ror8(ww), ts_sxtab16_ror8(off2, xw), a0);
        }
        for (; k < cols; k++) {
            a0 = (int32_t)((uint32_t)a0 + (uint32_t)(w0[k] * (x[k] + offset)));
        }
        acc[r] = a0;
    }
}

/* The state shifted left by one element (es bytes): 4 words per step, unaligned loads from one element
 * ahead (the Cortex-M4's LDR allows them) and aligned stores; each load is ahead of every store so far. */
static void shift_state(uint8_t *s, uint32_t nbytes, uint32_t es)
{
    const uint32_t n = nbytes - es;   /* bytes to move */
    uint32_t i = 0;
    for (; i + 16 <= n; i += 16) {
        const uint32_t a = ts_ld32(s + es + i), b = ts_ld32(s + es + i + 4);
        const uint32_t c = ts_ld32(s + es + i + 8), d = ts_ld32(s + es + i + 12);
        ts_st32(s + i, a);
        ts_st32(s + i + 4, b);
        ts_st32(s + i + 8, c);
        ts_st32(s + i + 12, d);
    }
    for (; i < n; i++) {
        s[i] = s[i + es];
    }
}

void ts_svdf_s8_simd(const ts_svdf_params *p, const int8_t *in, const int8_t *wf, const void *wt,
                     const int32_t *bias, void *state, int8_t *out, int32_t *scratch, int32_t *scratch_out)
{
    const int32_t F = p->filters, M = p->memory, I = p->input_size;
    const uint32_t es = p->state16 ? 2u : 1u;
    const int32_t n = p->batches * F * M;
    shift_state((uint8_t *)state, (uint32_t)n * es, es);
    /* feature products, 4 filters at a time, into scratch (free until the time products); the
       requantization constants in locals (the state stores could alias p) */
    const int32_t m1 = p->m1, s1 = p->s1, zp = p->state_zp, lo = p->state_min, hi = p->state_max;
    for (int32_t b = 0; b < p->batches; b++) {
        memset(scratch, 0, (size_t)F * 4u);
        ts_seq_matvec_s8(wf, F, I, I, in + b * I, -p->in_zp, scratch);
        if (p->state16) {
            int16_t *dst = (int16_t *)state + b * F * M + M - 1;
            for (int32_t r = 0; r < F; r++, dst += M) {
                *dst = (int16_t)clamp_i32((int32_t)((uint32_t)zp + (uint32_t)ts_mbqm_pos(scratch[r], m1, s1)), lo, hi);
            }
        } else {
            int8_t *dst = (int8_t *)state + b * F * M + M - 1;
            for (int32_t r = 0; r < F; r++, dst += M) {
                *dst = (int8_t)clamp_i32((int32_t)((uint32_t)zp + (uint32_t)ts_mbqm_pos(scratch[r], m1, s1)), lo, hi);
            }
        }
    }
    /* time products */
    for (int32_t b = 0; b < p->batches; b++) {
        int32_t *s = scratch + b * F;
        if (p->state16 && p->state_zp == 0) {
            const int16_t *w = (const int16_t *)wt;
            const int16_t *v = (const int16_t *)state + b * M * F;
            for (int32_t i = 0; i < F; i++, w += M, v += M) {
                int32_t acc = 0;
                int32_t j = 0;
                for (; j + 4 <= M; j += 4) {
                    acc = ts_smlad(ts_ld32(w + j), ts_ld32(v + j), acc);
                    acc = ts_smlad(ts_ld32(w + j + 2), ts_ld32(v + j + 2), acc);
                }
                for (; j + 2 <= M; j += 2) {
                    acc = ts_smlad(ts_ld32(w + j), ts_ld32(v + j), acc);
                }
                if (j < M) {
                    acc = (int32_t)((uint32_t)acc + (uint32_t)(w[j] * v[j]));
                }
                s[i] = acc;
            }
        } else if (p->state16) {
            const int16_t *w = (const int16_t *)wt;
            const int16_t *v = (const int16_t *)state + b * M * F;
            for (int32_t i = 0; i < F; i++) {
                uint32_t acc = 0;
                for (int32_t j = 0; j < M; j++) {
                    acc += (uint32_t)*w++ * (uint32_t)(*v++ - p->state_zp);
                }
                s[i] = (int32_t)acc;
            }
        } else {
            const int8_t *w = (const int8_t *)wt;
            const int8_t *v = (const int8_t *)state + b * M * F;
            for (int32_t i = 0; i < F; i++) {
                uint32_t acc = 0;
                for (int32_t j = 0; j < M; j++) {
                    acc += (uint32_t)(*w++ * (*v++ - p->state_zp));
                }
                s[i] = (int32_t)acc;
            }
        }
    }
    svdf_s8_output(p, bias, scratch, scratch_out, out);
}

float ts_activation_val_f32(uint8_t act, float x)
{
    /* std::max(a, b) = (a < b) ? b : a; std::min(a, b) = (b < a) ? b : a */
    switch (act) {
    case TFL_ACT_RELU:
        return (0.0f < x) ? x : 0.0f;
    case TFL_ACT_RELU_N1_TO_1: {
        const float m = (1.0f < x) ? 1.0f : x;
        return (-1.0f < m) ? m : -1.0f;
    }
    case TFL_ACT_RELU6: {
        const float m = (6.0f < x) ? 6.0f : x;
        return (0.0f < m) ? m : 0.0f;
    }
    case TFL_ACT_TANH:
        return ts_tanhf(x);
    case TFL_ACT_SIGN_BIT: {
        uint32_t u;
        memcpy(&u, &x, 4);
        return (u >> 31) ? 1.0f : 0.0f;
    }
    default:
        return x;
    }
}

void ts_svdf_f32(const ts_svdf_params *p, const float *in, const float *wf, const float *wt, const float *bias,
                 float *state, float *out, float *scratch)
{
    const int32_t F = p->filters, M = p->memory, I = p->input_size, U = p->units;
    const int32_t n = p->batches * F * M;
    for (int32_t k = 0; k + 1 < n; k++) {
        state[k] = state[k + 1];
    }
    float *result = state + (M - 1);
    for (int32_t b = 0; b < p->batches; b++) {
        const float *w = wf;
        for (int32_t r = 0; r < F; r++) {
            const float *x = in + b * I;
            float dot = 0.0f;
            for (int32_t c = 0; c < I; c++) {
                dot += *w++ * *x++;
            }
            *result = dot;
            result += M;
        }
    }
    for (int32_t b = 0; b < p->batches; b++) {
        float *s = scratch + b * F;
        const float *w = wt;
        const float *v = state + b * M * F;
        for (int32_t i = 0; i < F; i++) {
            float acc = 0.0f;
            for (int32_t j = 0; j < M; j++) {
                acc += *w++ * *v++;
            }
            *s++ = acc;
        }
    }
    for (int32_t b = 0; b < p->batches; b++) {
        float *o = out + b * U;
        for (int32_t u = 0; u < U; u++) {
            o[u] = bias != NULL ? bias[u] : 0.0f;
        }
        const float *s = scratch + b * F;
        for (int32_t u = 0; u < U; u++) {
            for (int32_t j = 0; j < p->rank; j++) {
                o[u] += *s++;
            }
        }
        for (int32_t u = 0; u < U; u++) {
            o[u] = ts_activation_val_f32(p->activation, o[u]);
        }
    }
}

/* ======================= UNIDIRECTIONAL_SEQUENCE_LSTM ======================= */

static inline int32_t clamp16(int32_t v)
{
    return clamp_i32(v, -32768, 32767);
}

/* The row of batch b at time step t in the input and output ([time, batch] or [batch, time]). */
static inline int32_t lstm_row(const ts_lstm_params *p, int32_t b, int32_t t)
{
    return p->time_major ? t * p->batches + b : b * p->steps + t;
}

/* One int8 FULLY_CONNECTED of a gate, TFLM's reference_integer_ops::FullyConnected with an int16
 * output at scale 2^-12: out[k] = clamp16(MBQM(sum_i w[k][i] * (x[i] + offset) + bias[k])). */
static void lstm_fc_s8(const int8_t *w, const int32_t *bias, int32_t rows, int32_t cols, const int8_t *x,
                       int32_t offset, int32_t mult, int32_t shift, int16_t *out, int simd)
{
    if (!simd) {
        for (int32_t k = 0; k < rows; k++) {
            const int8_t *wk = w + k * cols;
            uint32_t acc = 0;
            for (int32_t i = 0; i < cols; i++) {
                acc += (uint32_t)(wk[i] * (x[i] + offset));
            }
            if (bias != NULL) {
                acc += (uint32_t)bias[k];
            }
            out[k] = (int16_t)clamp16(ts_mbqm((int32_t)acc, mult, shift));
        }
        return;
    }
    /* 16 rows at a time into int32 sums on the stack, 4 at a time with SMLAD */
    for (int32_t r0 = 0; r0 < rows; r0 += 16) {
        const int32_t n = rows - r0 < 16 ? rows - r0 : 16;
        int32_t acc[16];
        for (int32_t k = 0; k < n; k++) {
            acc[k] = bias != NULL ? bias[r0 + k] : 0;
        }
        ts_seq_matvec_s8(w + r0 * cols, n, cols, cols, x, offset, acc);
        for (int32_t k = 0; k < n; k++) {
            out[r0 + k] = (int16_t)clamp16(ts_mbqm(acc[k], mult, shift));
        }
    }
}

/* CalculateLstmGate (integer): FC(input) with bias, FC(hidden) without, saturating add, then the
 * int16 sigmoid (or, for the cell gate, tanh) of TFLite with multiplier 3 and no shift. */
static void lstm_gate_s8(const ts_lstm_params *p, const ts_lstm_weights *w, int g, const int8_t *x, const int8_t *h,
                         int16_t *gate, int16_t *tmp, int simd)
{
    const int32_t S = p->state;
    lstm_fc_s8((const int8_t *)w->w[g], (const int32_t *)w->bias[g], S, p->input_size, x, p->in_offset, p->fc_mult[g],
               p->fc_shift[g], gate, simd);
    lstm_fc_s8((const int8_t *)w->rw[g], NULL, S, S, h, p->hidden_offset, p->rec_mult[g], p->rec_shift[g], tmp, simd);
    for (int32_t k = 0; k < S; k++) {
        gate[k] = (int16_t)clamp16(gate[k] + tmp[k]);
    }
    if (g == TS_LSTM_CELL_GATE) {
        ts_tanh_s16(0, 0, S, gate, gate);
    } else {
        ts_logistic_s16(0, 0, S, gate, gate);
    }
}

void ts_lstm_s8(const ts_lstm_params *p, const ts_lstm_weights *w, const int8_t *in, int8_t *hidden, int16_t *cell,
                int8_t *out, int16_t *const buf[4], int simd)
{
    const int32_t S = p->state, I = p->input_size;
    int16_t *forget = buf[0], *input_gate = buf[1], *cell_gate = buf[2], *tmp = buf[3];
    for (int32_t b = 0; b < p->batches; b++) {
        int8_t *h = hidden + b * S;
        int16_t *c = cell + b * S;
        for (int32_t t = 0; t < p->steps; t++) {
            const int8_t *x = in + lstm_row(p, b, t) * I;
            lstm_gate_s8(p, w, TS_LSTM_FORGET_GATE, x, h, forget, tmp, simd);
            lstm_gate_s8(p, w, TS_LSTM_INPUT_GATE, x, h, input_gate, tmp, simd);
            lstm_gate_s8(p, w, TS_LSTM_CELL_GATE, x, h, cell_gate, tmp, simd);
            /* UpdateLstmCell: two MulElementwise (offsets 0, int16 range), a saturating add, the clip */
            for (int32_t k = 0; k < S; k++) {
                const int32_t kept = clamp16(ts_mbqm(forget[k] * c[k], p->forget_mult, p->forget_shift));
                const int32_t added = clamp16(ts_mbqm(input_gate[k] * cell_gate[k], p->input_mult, p->input_shift));
                int32_t v = clamp16(kept + added);
                if (p->clip) {
                    v = v < p->quantized_clip ? v : p->quantized_clip;
                    v = v > -p->quantized_clip ? v : (int16_t)-p->quantized_clip;
                }
                c[k] = (int16_t)v;
            }
            int16_t *output_gate = input_gate;      /* TFLM reuses buffer 1 */
            lstm_gate_s8(p, w, TS_LSTM_OUTPUT_GATE, x, h, output_gate, tmp, simd);
            /* UpdateLstmHidden: tanh(cell) at the cell's scale, times the output gate, to the hidden scale */
            int16_t *tanh_cell = forget;             /* and buffer 0 */
            ts_tanh_s16(p->tanh_mult, p->tanh_shift, S, c, tanh_cell);
            int8_t *o = out + lstm_row(p, b, t) * S;
            for (int32_t k = 0; k < S; k++) {
                const int32_t v = p->hidden_zp + ts_mbqm(tanh_cell[k] * output_gate[k], p->hidden_mult, p->hidden_shift);
                h[k] = (int8_t)clamp_i32(v, -128, 127);
            }
            memcpy(o, h, (size_t)S);
        }
    }
}

/* reference_integer_ops::FullyConnected for int16 activations: sum (w + 0) * x in int64 (no input
 * offset), the int64 bias, TFLite's int64 MultiplyByQuantizedMultiplier, clamped to int16. */
static void lstm_fc_s16(const int8_t *w, const uint8_t *bias, int32_t rows, int32_t cols, const int16_t *x, int32_t mult,
                        int32_t shift, int16_t *out)
{
    for (int32_t k = 0; k < rows; k++) {
        const int8_t *wk = w + k * cols;
        int64_t acc = 0;
        for (int32_t i = 0; i < cols; i++) {
            acc += (int64_t)(wk[i] * x[i]);
        }
        if (bias != NULL) {
            acc = (int64_t)((uint64_t)acc + (uint64_t)ts_ld64(bias + 8u * (uint32_t)k));
        }
        out[k] = (int16_t)clamp16(ts_mbqm64(acc, mult, shift));
    }
}

static void lstm_gate_s16(const ts_lstm_params *p, const ts_lstm_weights *w, int g, const int16_t *x, const int16_t *h,
                          int16_t *gate, int16_t *tmp)
{
    const int32_t S = p->state;
    lstm_fc_s16((const int8_t *)w->w[g], (const uint8_t *)w->bias[g], S, p->input_size, x, p->fc_mult[g], p->fc_shift[g],
                gate);
    lstm_fc_s16((const int8_t *)w->rw[g], NULL, S, S, h, p->rec_mult[g], p->rec_shift[g], tmp);
    for (int32_t k = 0; k < S; k++) {
        gate[k] = (int16_t)clamp16(gate[k] + tmp[k]);
    }
    if (g == TS_LSTM_CELL_GATE) {
        ts_tanh_s16(0, 0, S, gate, gate);
    } else {
        ts_logistic_s16(0, 0, S, gate, gate);
    }
}

void ts_lstm_s16(const ts_lstm_params *p, const ts_lstm_weights *w, const int16_t *in, int16_t *hidden, int16_t *cell,
                 int16_t *out, int16_t *const buf[4])
{
    const int32_t S = p->state, I = p->input_size;
    int16_t *forget = buf[0], *input_gate = buf[1], *cell_gate = buf[2], *tmp = buf[3];
    for (int32_t b = 0; b < p->batches; b++) {
        int16_t *h = hidden + b * S;
        int16_t *c = cell + b * S;
        for (int32_t t = 0; t < p->steps; t++) {
            const int16_t *x = in + lstm_row(p, b, t) * I;
            lstm_gate_s16(p, w, TS_LSTM_FORGET_GATE, x, h, forget, tmp);
            lstm_gate_s16(p, w, TS_LSTM_INPUT_GATE, x, h, input_gate, tmp);
            lstm_gate_s16(p, w, TS_LSTM_CELL_GATE, x, h, cell_gate, tmp);
            for (int32_t k = 0; k < S; k++) {
                const int32_t kept = clamp16(ts_mbqm(forget[k] * c[k], p->forget_mult, p->forget_shift));
                const int32_t added = clamp16(ts_mbqm(input_gate[k] * cell_gate[k], p->input_mult, p->input_shift));
                int32_t v = clamp16(kept + added);
                if (p->clip) {
                    v = v < p->quantized_clip ? v : p->quantized_clip;
                    v = v > -p->quantized_clip ? v : (int16_t)-p->quantized_clip;
                }
                c[k] = (int16_t)v;
            }
            int16_t *output_gate = input_gate;
            lstm_gate_s16(p, w, TS_LSTM_OUTPUT_GATE, x, h, output_gate, tmp);
            int16_t *tanh_cell = forget;
            ts_tanh_s16(p->tanh_mult, p->tanh_shift, S, c, tanh_cell);
            int16_t *o = out + lstm_row(p, b, t) * S;
            for (int32_t k = 0; k < S; k++) {
                const int32_t v = p->hidden_zp + ts_mbqm(tanh_cell[k] * output_gate[k], p->hidden_mult, p->hidden_shift);
                h[k] = (int16_t)clamp16(v);
            }
            memcpy(o, h, (size_t)S * 2u);
        }
    }
}

/* C++ std::max(a, b) = (a < b) ? b : a and std::min(a, b) = (b < a) ? b : a; ActivationFunctionWithMinMax
 * with the NONE range [-FLT_MAX, FLT_MAX] (maps +-inf to +-FLT_MAX) */
static inline float clamp_none(float x)
{
    const float lo = -3.402823466e+38f, hi = 3.402823466e+38f;
    const float m = (x < lo) ? lo : x;
    return (hi < m) ? hi : m;
}

/* CalculateLstmGate (float): reference_ops::FullyConnected (sums in index order, then the bias) of the
 * input and of the hidden state, added, then ts_logisticf (or ts_tanhf for the cell gate). */
static void lstm_gate_f32(const ts_lstm_params *p, const ts_lstm_weights *w, int g, const float *x, const float *h,
                          float *gate, float *tmp)
{
    const int32_t S = p->state, I = p->input_size;
    /* the runtime's float FULLY_CONNECTED kernel: TFLite's reference order and arithmetic, 4 rows at a
       time (total = 0.0f; total = total + x * w per column, then clampf(total + bias), bias 0.0f if absent) */
    ts_fc_params fc;
    memset(&fc, 0, sizeof fc);
    fc.batches = 1;
    fc.out_depth = S;
    fc.fmin = -3.402823466e+38f;
    fc.fmax = 3.402823466e+38f;
    fc.in_depth = I;
    ts_fc_f32(&fc, x, (const float *)w->w[g], NULL, (const float *)w->bias[g], gate, NULL);
    fc.in_depth = S;
    ts_fc_f32(&fc, h, (const float *)w->rw[g], NULL, NULL, tmp, NULL);
    for (int32_t k = 0; k < S; k++) {
        const float v = gate[k] + tmp[k];
        gate[k] = g == TS_LSTM_CELL_GATE ? ts_tanhf(v) : ts_logisticf(v);
    }
}

void ts_lstm_f32(const ts_lstm_params *p, const ts_lstm_weights *w, const float *in, float *hidden, float *cell,
                 float *out, float *const buf[4])
{
    const int32_t S = p->state, I = p->input_size;
    float *forget = buf[0], *input_gate = buf[1], *cell_gate = buf[2], *tmp = buf[3];
    const float clip = p->cell_clip;
    for (int32_t b = 0; b < p->batches; b++) {
        float *h = hidden + b * S;
        float *c = cell + b * S;
        for (int32_t t = 0; t < p->steps; t++) {
            const float *x = in + lstm_row(p, b, t) * I;
            lstm_gate_f32(p, w, TS_LSTM_FORGET_GATE, x, h, forget, tmp);
            lstm_gate_f32(p, w, TS_LSTM_INPUT_GATE, x, h, input_gate, tmp);
            lstm_gate_f32(p, w, TS_LSTM_CELL_GATE, x, h, cell_gate, tmp);
            for (int32_t k = 0; k < S; k++) {
                float v = clamp_none(forget[k] * c[k]) + clamp_none(input_gate[k] * cell_gate[k]);
                if (clip > 0.0f) {
                    const float m = (v < clip) ? v : clip;   /* std::min(clip, v) */
                    v = (m < -clip) ? -clip : m;             /* std::max(m, -clip) */
                }
                c[k] = v;
            }
            float *output_gate = input_gate;
            lstm_gate_f32(p, w, TS_LSTM_OUTPUT_GATE, x, h, output_gate, tmp);
            float *o = out + lstm_row(p, b, t) * S;
            for (int32_t k = 0; k < S; k++) {
                h[k] = clamp_none(ts_tanhf(c[k]) * output_gate[k]);
            }
            memcpy(o, h, (size_t)S * 4u);
        }
    }
}
