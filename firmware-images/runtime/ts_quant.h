/* Integer requantization and fixed-point math, bit-exact with TensorFlow Lite's reference
 * kernels (tensorflow/lite/kernels/internal/common.h, quantization_util.cc) and gemmlowp's
 * fixedpoint.h, which docs/inference-semantics.md pins for tinysim's Java reference. */
#ifndef TS_QUANT_H
#define TS_QUANT_H

#include <stdint.h>

/* gemmlowp SaturatingRoundingDoublingHighMul (int32): round(a*b / 2^31), INT32_MIN^2 saturates. */
static inline int32_t ts_srdhm(int32_t a, int32_t b)
{
    if (a == b && a == INT32_MIN) {
        return INT32_MAX;
    }
    /* gemmlowp: (ab + (ab >= 0 ? 2^30 : 1 - 2^30)) / 2^31, division truncating toward zero.
     * That equals floor((ab + 2^30) / 2^31) for every ab (for ab = -k: both are
     * -floor((k + 2^30 - 1) / 2^31)), i.e. one add and one arithmetic shift: SMULL, ADDS, ADC,
     * and a funnel shift on the Cortex-M4 instead of a sign-dependent 64-bit division. */
    int64_t ab = (int64_t)a * (int64_t)b;
    return (int32_t)((ab + (1ll << 30)) >> 31);
}

/* gemmlowp RoundingDivideByPOT: x / 2^e rounded to nearest, ties away from zero. 0 <= e <= 31.
 * The mask is computed in 32 bits ((1u << 31) - 1 = 0x7fffffff, the value the 64-bit form of
 * the semantics doc gives), and (x < 0) is the sign bit: no 64-bit shift, no branch. */
static inline int32_t ts_rdbp(int32_t x, int e)
{
    const int32_t mask = (int32_t)((1u << e) - 1u);
    const int32_t remainder = x & mask;
    const int32_t threshold = (mask >> 1) + (int32_t)((uint32_t)x >> 31);
    return (x >> e) + (remainder > threshold ? 1 : 0);
}

/* TFLite MultiplyByQuantizedMultiplier (double rounding). shift in [-31, 30] (checked at
 * prepare time); the left shift wraps like two's complement int32 arithmetic.
 * left = max(shift, 0) and right = left - shift = max(-shift, 0), without a branch. */
static inline int32_t ts_mbqm(int32_t x, int32_t qm, int32_t shift)
{
    const int32_t left = shift > 0 ? shift : 0;
    const int32_t right = left - shift;
    return ts_rdbp(ts_srdhm((int32_t)((uint32_t)x << left), qm), right);
}

/* ts_mbqm for a multiplier in [0, 2^31), which is what ts_quantize_multiplier produces (all
 * conv / depthwise / fully-connected multipliers): SRDHM cannot saturate (that needs
 * a == b == INT32_MIN), so its test is left out. Same result as ts_mbqm for such multipliers. */
static inline int32_t ts_mbqm_pos(int32_t x, int32_t qm, int32_t shift)
{
    const int32_t left = shift > 0 ? shift : 0;
    const int32_t right = left - shift;
    const int64_t ab = (int64_t)(int32_t)((uint32_t)x << left) * (int64_t)qm;
    return ts_rdbp((int32_t)((ab + (1ll << 30)) >> 31), right);
}

/* TFLite MultiplyByQuantizedMultiplierSmallerThanOneExp: left_shift <= 0. */
static inline int32_t ts_mbqm_smaller(int32_t x, int32_t qm, int32_t left_shift)
{
    return ts_rdbp(ts_srdhm(x, qm), -left_shift);
}

/* TFLite MultiplyByQuantizedMultiplierGreaterThanOne: left_shift >= 0. */
static inline int32_t ts_mbqm_greater(int32_t x, int32_t qm, int32_t left_shift)
{
    return ts_srdhm((int32_t)((uint32_t)x << left_shift), qm);
}

/* TFLite QuantizeMultiplier: m = q * 2^shift, q in [2^30, 2^31). Returns 0, or -1 when the
 * multiplier is negative, not finite or needs a left shift > 30 (the runtime rejects those). */
int ts_quantize_multiplier(double m, int32_t *qm, int32_t *shift);

/* TFLite CalculateInputRadius(input_integer_bits, input_left_shift, total_signed_bits = 31) */
int32_t ts_input_radius(int32_t integer_bits, int32_t left_shift);

/* round(x) with ties away from zero, as std::round / TfLiteRound (float and double). */
float ts_roundf(float x);
double ts_round(double x);

/* Project-defined deterministic expf (docs/inference-semantics.md §7) */
float ts_expf(float x);
/* Project-defined deterministic logf (docs/inference-semantics.md, "ts_logf: the deterministic float log") */
float ts_logf(float x);
/* Correctly rounded square roots without libm (RSQRT): NaN and +-0 unchanged, a negative x gives the
 * default NaN (0x7fc00000 for float, as VSQRT) */
double ts_sqrt(double x);
float ts_sqrtf(float x);

/* TFLite reference_ops::Logistic (float) with ts_expf: 1 above 16.619047, ts_expf(x) below -9,
 * else 1 / (1 + ts_expf(-x)). Float LOGISTIC and the float LSTM gates. */
float ts_logisticf(float x);

/* Project-defined deterministic tanhf (docs/inference-semantics.md, "Sequence operators and state";
 * Java DeterministicMath.tanhf): at most 1 ulp from the correctly rounded tanh. Float TANH, the float LSTM, SVDF's TANH activation. */
float ts_tanhf(float x);

/* TFLite reference_integer_ops::Logistic / Tanh for int16 (same arguments, in place allowed):
 * input Q3.12 after (x * input_multiplier + round) >> input_left_shift, output Q0.15. A zero
 * input_multiplier means 3 << input_left_shift with no shift (TFLite's power-of-two case, and
 * what the integer LSTM's gates use: ts_logistic_s16(0, 0, ...), ts_tanh_s16(0, 0, ...)).
 * Preconditions (checked by the callers' prepare): 0 <= input_left_shift <= 31 and
 * |x * multiplier| < 2^31 for every int16 x. */
void ts_logistic_s16(int32_t input_multiplier, int32_t input_left_shift, int32_t size, const int16_t *input,
                     int16_t *output);
void ts_tanh_s16(int32_t input_multiplier, int32_t input_left_shift, int32_t size, const int16_t *input,
                 int16_t *output);
/* One element, with the parameters already resolved (multiplier != 0, rounding = 1 << (shift - 1) or 0). */
int16_t ts_logistic_s16_one(int16_t x, int32_t mult, int32_t shift, int32_t rounding);
int16_t ts_tanh_s16_one(int16_t x, int32_t mult, int32_t shift, int32_t rounding);

/* (int32)x saturating to [INT32_MIN, INT32_MAX], NaN -> 0 (what VCVT.S32.F32 and Java do) */
int32_t ts_f2i_sat(float x);

/* TFLM's int8 LOGISTIC input multiplier: frexp + round, without QuantizeMultiplier's 2^31
 * fix-up (2^31 saturates to INT32_MAX). -1 for a non-positive or non-finite m. */
int ts_logistic_multiplier(double m, int32_t *mult, int32_t *shift);

/* gemmlowp fixed-point functions used by int8 SOFTMAX and LOGISTIC, on raw int32 values. */
int32_t ts_fp_exp_on_negative_values(int32_t a, int integer_bits); /* result Q0.31 */
int32_t ts_fp_one_over_one_plus_x_for_x_in_0_1(int32_t a);        /* Q0.31 -> Q0.31 */
int32_t ts_fp_logistic(int32_t a, int integer_bits);               /* result Q0.31 */
/* TANH, LOG_SOFTMAX, RSQRT, DIV (ts_ops_elementwise.c) */
int32_t ts_fp_one_minus_x_over_one_plus_x_for_x_in_0_1(int32_t a); /* Q0.31 -> Q0.31 */
int32_t ts_fp_tanh(int32_t a, int integer_bits);                   /* result Q0.31 */
/* TFLite log_x_for_x_greater_than_or_equal_to_1<output_bits>(FixedPoint<int32, input_bits>) */
int32_t ts_fp_log_x_ge_1(int32_t input, int input_bits, int output_bits);
/* TFLite GetInvSqrtQuantizedMultiplierExp */
void ts_inv_sqrt_multiplier(int32_t input, int32_t reverse_shift, int32_t *mult, int32_t *shift);
/* gemmlowp RoundingDivideByPOT for any e >= 0: above 31 (outside gemmlowp's asserted range) it
 * gives what the code computes on a Cortex-M: x >= 0 ? 1 : -1 (docs/inference-semantics.md, DIV) */
int32_t ts_rdbp_wide(int32_t x, int32_t e);
int32_t ts_fp_rescale(int32_t x, int src_bits, int dst_bits);      /* Rescale<dst>(FixedPoint<src>) */
/* TFLite GetReciprocal(x, x_integer_digits, &num_bits_over_unit) */
int32_t ts_fp_get_reciprocal(int32_t x, int x_integer_digits, int32_t *num_bits_over_unit);

#endif
