/* Kernels of the sequence operators (SVDF, UNIDIRECTIONAL_SEQUENCE_LSTM): model-format independent,
 * in a plain reference version (TFLite Micro's loops) and a DSP-extension version where it pays, both
 * bit-identical. The arithmetic is docs/inference-semantics.md, "Sequence operators and state". */
#ifndef TS_KERNELS_SEQUENCE_H
#define TS_KERNELS_SEQUENCE_H

#include <stdint.h>

/* ---- SVDF ---- */
typedef struct {
    int32_t batches, input_size, filters, memory, rank, units;
    /* int8 */
    int32_t in_zp, state_zp, out_zp;
    int32_t m1, s1;             /* input x weights_feature / state */
    int32_t m2, s2;             /* state x weights_time / output */
    int32_t state_min, state_max;
    int32_t state16;            /* state and weights_time are int16 (else int8) */
    /* float */
    uint8_t activation;         /* TFL_ACT_* */
} ts_svdf_params;

/* int8 SVDF, TFLM's EvalIntegerSvdfReference. state: int16 or int8 (p->state16), updated in place.
 * scratch: filters * batches int32, scratch_out: units * batches int32. */
void ts_svdf_s8_ref(const ts_svdf_params *p, const int8_t *in, const int8_t *wf, const void *wt,
                    const int32_t *bias, void *state, int8_t *out, int32_t *scratch, int32_t *scratch_out);
/* The same with the DSP extension (feature products 4 filters at a time with SMLAD; the int16 time
 * products two at a time when the state's zero point is 0). Same scratch. */
void ts_svdf_s8_simd(const ts_svdf_params *p, const int8_t *in, const int8_t *wf, const void *wt,
                     const int32_t *bias, void *state, int8_t *out, int32_t *scratch, int32_t *scratch_out);
/* float SVDF, TFLM's EvalFloatSvdfReference; scratch: filters * batches floats. */
void ts_svdf_f32(const ts_svdf_params *p, const float *in, const float *wf, const float *wt, const float *bias,
                 float *state, float *out, float *scratch);

/* ---- UNIDIRECTIONAL_SEQUENCE_LSTM ---- */
enum { TS_LSTM_INPUT_GATE = 0, TS_LSTM_FORGET_GATE = 1, TS_LSTM_CELL_GATE = 2, TS_LSTM_OUTPUT_GATE = 3 };
typedef struct {
    int32_t batches, steps, input_size, state, time_major;
    /* int8 */
    int32_t in_offset, hidden_offset, hidden_zp;          /* offsets: -zero point */
    int32_t fc_mult[4], fc_shift[4];                      /* input products, per gate (TS_LSTM_*_GATE) */
    int32_t rec_mult[4], rec_shift[4];                    /* recurrent products */
    int32_t forget_mult, forget_shift;                    /* forget gate x cell -> cell */
    int32_t input_mult, input_shift;                      /* input gate x cell gate -> cell */
    int32_t hidden_mult, hidden_shift;                    /* tanh(cell) x output gate -> hidden */
    int32_t tanh_mult, tanh_shift;                        /* the cell tanh's TFLite (multiplier, left shift) */
    int32_t clip;                                         /* cell_clip > 0 */
    int32_t quantized_clip;
    /* float */
    float cell_clip;
} ts_lstm_params;

typedef struct {
    const void *w[4], *rw[4], *bias[4];                   /* per gate: [state, in], [state, state], [state] */
} ts_lstm_weights;

/* int8 LSTM, TFLM's EvalLstm<int8_t, int8_t, int16_t, int32_t>: hidden (int8) and cell (int16) updated in
 * place; buf: 4 buffers of at least `state` int16. simd: the gate products with the DSP extension. */
void ts_lstm_s8(const ts_lstm_params *p, const ts_lstm_weights *w, const int8_t *in, int8_t *hidden, int16_t *cell,
                int8_t *out, int16_t *const buf[4], int simd);
/* 16x8 LSTM, TFLM's EvalLstm<int16_t, int8_t, int16_t, int64_t>: int16 input, hidden state and output
 * (zero point 0: the products take no input offset), int64 biases and sums rescaled with TFLite's int64
 * MultiplyByQuantizedMultiplier; otherwise as ts_lstm_s8. One kernel for both kernel sets. */
void ts_lstm_s16(const ts_lstm_params *p, const ts_lstm_weights *w, const int16_t *in, int16_t *hidden, int16_t *cell,
                 int16_t *out, int16_t *const buf[4]);
/* float LSTM, TFLM's EvalLstm<float, float, float, float>; buf: 4 buffers of at least `state` floats. */
void ts_lstm_f32(const ts_lstm_params *p, const ts_lstm_weights *w, const float *in, float *hidden, float *cell,
                 float *out, float *const buf[4]);

/* acc[r] += sum over c < cols of w[r * stride + c] * (x[c] + offset), r < rows, with the DSP
 * extension (wrapping int32 sums, so equal to the plain loop). Used by SVDF and the LSTM. */
void ts_seq_matvec_s8(const int8_t *w, int32_t rows, int32_t cols, int32_t stride, const int8_t *x,
                      int32_t offset, int32_t *acc);

/* TFLM's ActivationValFloat (std::max/min; tanh = ts_tanhf; sign bit = 1.0f or 0.0f) */
float ts_activation_val_f32(uint8_t act, float x);

#endif
