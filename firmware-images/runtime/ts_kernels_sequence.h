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

/* acc[r] += sum over c < cols of w[r * stride + c] * (x[c] + offset), r < rows, with the DSP
 * extension (wrapping int32 sums, so equal to the plain loop). Used by SVDF and the LSTM. */
void ts_seq_matvec_s8(const int8_t *w, int32_t rows, int32_t cols, int32_t stride, const int8_t *x,
                      int32_t offset, int32_t *acc);

/* TFLM's ActivationValFloat (std::max/min; tanh = ts_tanhf; sign bit = 1.0f or 0.0f) */
float ts_activation_val_f32(uint8_t act, float x);

#endif
