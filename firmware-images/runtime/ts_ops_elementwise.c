/* Elementwise and activation operators: SUB, MAXIMUM, MINIMUM, SQUARED_DIFFERENCE, DIV, PRELU, TANH,
 * HARD_SWISH, LEAKY_RELU, EXP, RSQRT, LOG_SOFTMAX, CAST; and the helpers ts_ops.c's ADD, MUL, SOFTMAX
 * and LOGISTIC share (ts_elementwise.h). Arithmetic: TFLite Micro's reference kernels, as pinned in
 * docs/inference-semantics.md ("Elementwise and activation operators"). */
#include <string.h>
#include "tflite_schema.h"
#include "ts_dsp.h"
#include "ts_elementwise.h"
#include "ts_kernels.h"
#include "ts_op_util.h"
#include "ts_ops.h"
#include "ts_quant.h"

static inline int32_t clampi(int32_t v, int32_t lo, int32_t hi)
{
    v = v < lo ? lo : v;
    return v > hi ? hi : v;
}

static inline int32_t wrap_add(int32_t a, int32_t b) { return (int32_t)((uint32_t)a + (uint32_t)b); }
static inline int32_t wrap_sub(int32_t a, int32_t b) { return (int32_t)((uint32_t)a - (uint32_t)b); }
static inline int32_t wrap_mul(int32_t a, int32_t b) { return (int32_t)((uint32_t)a * (uint32_t)b); }

/* ======================= shared helpers ======================= */

int ts_bcast_prepare(ts_ctx *ctx, const ts_tensor *a, const ts_tensor *b, const ts_tensor *out, ts_bcast *bc)
{
    int32_t ea[TS_MAX_RANK], eb[TS_MAX_RANK], eo[TS_MAX_RANK];
    for (int i = 0; i < TS_MAX_RANK; i++) {
        const int ia = i - (TS_MAX_RANK - a->rank), ib = i - (TS_MAX_RANK - b->rank);
        const int io = i - (TS_MAX_RANK - out->rank);
        ea[i] = ia >= 0 ? a->dims[ia] : 1;
        eb[i] = ib >= 0 ? b->dims[ib] : 1;
        eo[i] = io >= 0 ? out->dims[io] : 1;
    }
    bc->broadcast = 0;
    for (int i = 0; i < TS_MAX_RANK; i++) {
        const int32_t o = ea[i] > eb[i] ? ea[i] : eb[i];
        if ((ea[i] != o && ea[i] != 1) || (eb[i] != o && eb[i] != 1) || eo[i] != o) {
            return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "broadcast-shape", -1);
        }
        bc->dims[i] = o;
        if (ea[i] != eb[i]) {
            bc->broadcast = 1;
        }
    }
    int32_t sa = 1, sb = 1;
    for (int i = TS_MAX_RANK - 1; i >= 0; i--) {
        bc->sa[i] = ea[i] == 1 ? 0 : sa;
        bc->sb[i] = eb[i] == 1 ? 0 : sb;
        sa *= ea[i];
        sb *= eb[i];
    }
    bc->n = numel(out);
    return 0;
}

int ts_act_range_q(ts_ctx *ctx, uint8_t act, const ts_tensor *out, int32_t qmin, int32_t qmax, int32_t *lo,
                   int32_t *hi)
{
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

/* int8 tensors: quantized, zero point in [-128, 127] (the loader checks the latter);
 * int16 tensors: quantized, zero point in [-32768, 32767] or exactly 0 (zero_point_zero) */
static int check_q8(ts_ctx *ctx, const ts_tensor *t, const char *what) { return check_quant(ctx, t, what); }

static int check_q16(ts_ctx *ctx, const ts_tensor *t, const char *what, int zero_point_zero)
{
    TRY(check_quant(ctx, t, what));
    if (zero_point_zero ? t->zero_point != 0 : (t->zero_point < -32768 || t->zero_point > 32767)) {
        return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "int16-zero-point", (int32_t)(t - ctx->tensors));
    }
    return 0;
}

/* 2^e as a double, -1022 <= e <= 1023 */
static double pow2d(int32_t e)
{
    const uint64_t u = (uint64_t)(e + 1023) << 52;
    double d;
    memcpy(&d, &u, 8);
    return d;
}

/* TFLite QuantizeMultiplier for any sign (LEAKY_RELU's alpha may be negative). A negative m is
 * rounded like -m, except that a significand rounding to -2^31 is kept (TFLite fixes up only +2^31):
 * where ts_quantize_multiplier(-m) made that fix-up, the result is (INT32_MIN, shift - 1). */
static int quantize_mult_signed(ts_ctx *ctx, double m, int32_t *qm, int32_t *shift)
{
    if (!(m < 0.0)) {
        return quantize_mult(ctx, m, qm, shift);
    }
    TRY(quantize_mult(ctx, -m, qm, shift));
    if (*qm == (1 << 30) && -m != pow2d(*shift - 1)) {
        *qm = INT32_MIN;
        *shift -= 1;
    } else {
        *qm = -*qm;
    }
    return 0;
}

/* ======================= ADD / SUB arithmetic (shared with ts_ops.c's ADD) ======================= */

int ts_addsub_prepare(ts_ctx *ctx, ts_op *op, const ts_tensor *a, const ts_tensor *b, const ts_tensor *out,
                      uint8_t act, int sub, uint32_t n, ts_addsub *p)
{
    p->sub = sub;
    p->int16 = out->type == TFL_INT16;
    p->table_scratch = -1;
    if (p->int16) {
        TRY(check_q16(ctx, a, "input1", 0));
        TRY(check_q16(ctx, b, "input2", 0));
        TRY(check_q16(ctx, out, "output", 0));
        TRY(ts_act_range_q(ctx, act, out, -32768, 32767, &p->act_min, &p->act_max));
    } else {
        TRY(check_q8(ctx, a, "input1"));
        TRY(check_q8(ctx, b, "input2"));
        TRY(check_q8(ctx, out, "output"));
        TRY(ts_act_range_q(ctx, act, out, -128, 127, &p->act_min, &p->act_max));
    }
    p->in1_offset = -a->zero_point;
    p->in2_offset = -b->zero_point;
    p->out_offset = out->zero_point;
    p->left_shift = p->int16 ? 15 : 20;
    double r1, r2, ro;
    if (sub) {
        /* TFLM sub_common.cc: float quotients, widened */
        const float twice_max = 2.0f * (a->scale > b->scale ? a->scale : b->scale);
        r1 = (double)(a->scale / twice_max);
        r2 = (double)(b->scale / twice_max);
        ro = (double)(twice_max / ((float)(1 << p->left_shift) * out->scale));
    } else {
        /* TFLM add_common.cc: double arithmetic */
        const double twice_max = 2.0 * (double)(a->scale > b->scale ? a->scale : b->scale);
        r1 = (double)a->scale / twice_max;
        r2 = (double)b->scale / twice_max;
        ro = twice_max / ((double)(1 << p->left_shift) * (double)out->scale);
    }
    /* QuantizeMultiplierSmallerThanOneExp: 0 < m < 1 and a shift <= 0 (TFLITE_CHECKs) */
    if (!(r1 > 0.0 && r1 < 1.0 && r2 > 0.0 && r2 < 1.0 && ro > 0.0 && ro < 1.0)) {
        return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "add-sub-multiplier", -1);
    }
    TRY(quantize_mult(ctx, r1, &p->m1, &p->s1));
    TRY(quantize_mult(ctx, r2, &p->m2, &p->s2));
    TRY(quantize_mult(ctx, ro, &p->mo, &p->so));
    if (p->s1 > 0 || p->s2 > 0 || p->so > 0) {
        return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "add-sub-multiplier", -1);
    }
    /* SIMD kernels, int8: the two input rescalings of every possible int8 value as a 512-entry
     * table (2 KB of scratch), built at the start of each run; worth it from 256 elements on */
    if (!p->int16 && ctx->kernels == TS_KERNELS_SIMD && n >= 256u && p->so < 0) {
        int idx;
        TRY(ts_request_scratch(ctx, op, 512u * 4u, &idx));
        p->table_scratch = idx;
    }
    return 0;
}

static inline int32_t addsub_rescale(int32_t x, int32_t offset, int32_t left_shift, int32_t m, int32_t s)
{
    return ts_mbqm_pos((int32_t)((uint32_t)(offset + x) << left_shift), m, s);
}

/* int8 with the tables (SIMD kernels). t[128 + x] = 2 * rescaled input1 x, t[384 + x] = 2 * rescaled
 * input2 x (negated for SUB: v1 + (-v2) == v1 - v2). Why this is exact:
 *  - |rescaled| <= 255 * 2^20 * m / 2^31 < 2^28, so the doubled sum 2s never wraps and |s| < 2^29;
 *  - SRDHM(s, mo) = floor((s * mo + 2^30) / 2^31) = floor((2s * mo + 2^31) / 2^32) = SMMULR(2s, mo);
 *  - RoundingDivideByPOT(x, e), e >= 1: (x >> e) + (remainder > 2^(e-1) - 1 + (x < 0)), which is
 *    (x + 2^(e-1) - (x < 0)) >> e; |x| <= |s| + 1 < 2^29 keeps the sum inside int32;
 *  - the entries themselves the same way: |(offset + x) << 20| < 2^28, so SMMULR((offset + x) << 21, m)
 *    is its SRDHM, then the rounding shift by -s (no sign correction when s = 0).
 * The tables are used only when the output shift is negative (e >= 1), i.e. for every real model.
 * Parameters are in locals: the int8 stores could alias *p and force reloads for every element. */
static void addsub_s8_table(const ts_addsub *p, int32_t *t, const ts_bcast *bc, const int8_t *a, const int8_t *b,
                            int8_t *o)
{
    /* the entries with the same two steps: (offset + x) << 20 is below 2^28 in magnitude */
    const int32_t e1 = -p->s1, e2 = -p->s2;
    const int32_t half1 = e1 > 0 ? 1 << (e1 - 1) : 0, half2 = e2 > 0 ? 1 << (e2 - 1) : 0;
    const int32_t sign1 = e1 > 0 ? -1 : 0, sign2 = e2 > 0 ? -1 : 0; /* no correction when e = 0 */
    for (int32_t x = -128; x < 128; x++) {
        const int32_t u1 = ts_smmulr((p->in1_offset + x) * (1 << 21), p->m1);
        const int32_t u2 = ts_smmulr((p->in2_offset + x) * (1 << 21), p->m2);
        const int32_t v1 = (u1 + half1 + ((u1 >> 31) & sign1)) >> e1;
        const int32_t v2 = (u2 + half2 + ((u2 >> 31) & sign2)) >> e2;
        t[128 + x] = 2 * v1;
        t[384 + x] = 2 * (p->sub ? -v2 : v2);
    }
    const int32_t *t1 = t + 128, *t2 = t + 384;
    const int32_t mo = p->mo, e = -p->so, half = 1 << (e - 1), out_offset = p->out_offset;
    const int32_t lo = p->act_min, hi = p->act_max;
    const uint32_t n = bc->n;
#define ADDSUB_TABLE_ONE(I, A, B)                                                   \
    do {                                                                            \
        const int32_t x = ts_smmulr(t1[A] + t2[B], mo);                             \
        int32_t v = ((x + half + (x >> 31)) >> e) + out_offset;                     \
        if (full_range) {                                                           \
            v = ts_ssat8(v);                                                        \
        } else {                                                                    \
            v = v < lo ? lo : v;                                                    \
            v = v > hi ? hi : v;                                                    \
        }                                                                           \
        o[I] = (int8_t)v;                                                           \
    } while (0)
    if (!bc->broadcast) {
        /* unrolled 4 times: the loop's compare and taken branch cost as much as a table load */
        if (lo == -128 && hi == 127) {
            const int full_range = 1;
            _Pragma("GCC unroll 4") for (uint32_t i = 0; i < n; i++) {
                ADDSUB_TABLE_ONE(i, a[i], b[i]);
            }
        } else {
            const int full_range = 0;
            _Pragma("GCC unroll 4") for (uint32_t i = 0; i < n; i++) {
                ADDSUB_TABLE_ONE(i, a[i], b[i]);
            }
        }
        return;
    }
    const int full_range = 0;
    int32_t idx[TS_MAX_RANK] = { 0 };
    uint32_t ia = 0, ib = 0;
    for (uint32_t i = 0; i < n; i++) {
        ADDSUB_TABLE_ONE(i, a[ia], b[ib]);
        ts_bcast_next(bc, idx, &ia, &ib);
    }
#undef ADDSUB_TABLE_ONE
}

/* Without the tables: TFLite's per-element arithmetic, parameters in locals as above; the operation
 * (add or subtract) and the broadcast test outside the element loops. */
#define ADDSUB_ONE(T, I, A, B, OP)                                                               \
    do {                                                                                         \
        const int32_t v1 = addsub_rescale(A, off1, ls, m1, s1);                                  \
        const int32_t v2 = addsub_rescale(B, off2, ls, m2, s2);                                  \
        o[I] = (T)clampi(ts_mbqm_pos(OP(v1, v2), mo, so) + off_o, lo, hi);                       \
    } while (0)
#define ADDSUB_LOOPS(T)                                                                          \
    do {                                                                                         \
        const T *a = (const T *)av, *b = (const T *)bv;                                          \
        T *o = (T *)ov;                                                                          \
        if (!bc->broadcast && sub) {                                                             \
            for (uint32_t i = 0; i < n; i++) {                                                   \
                ADDSUB_ONE(T, i, a[i], b[i], wrap_sub);                                          \
            }                                                                                    \
        } else if (!bc->broadcast) {                                                             \
            for (uint32_t i = 0; i < n; i++) {                                                   \
                ADDSUB_ONE(T, i, a[i], b[i], wrap_add);                                          \
            }                                                                                    \
        } else {                                                                                 \
            int32_t idx[TS_MAX_RANK] = { 0 };                                                    \
            uint32_t ia = 0, ib = 0;                                                             \
            for (uint32_t i = 0; i < n; i++) {                                                   \
                if (sub) {                                                                       \
                    ADDSUB_ONE(T, i, a[ia], b[ib], wrap_sub);                                    \
                } else {                                                                         \
                    ADDSUB_ONE(T, i, a[ia], b[ib], wrap_add);                                    \
                }                                                                                \
                ts_bcast_next(bc, idx, &ia, &ib);                                                \
            }                                                                                    \
        }                                                                                        \
    } while (0)

void ts_addsub_eval(const ts_op *op, const ts_addsub *p, const ts_bcast *bc, const void *av, const void *bv, void *ov)
{
    if (p->table_scratch >= 0) {
        addsub_s8_table(p, (int32_t *)(void *)op->scratch[p->table_scratch], bc, av, bv, ov);
        return;
    }
    const int32_t off1 = p->in1_offset, off2 = p->in2_offset, off_o = p->out_offset, ls = p->left_shift;
    const int32_t m1 = p->m1, s1 = p->s1, m2 = p->m2, s2 = p->s2, mo = p->mo, so = p->so;
    const int32_t lo = p->act_min, hi = p->act_max, sub = p->sub;
    const uint32_t n = bc->n;
    if (p->int16) {
        ADDSUB_LOOPS(int16_t);
    } else {
        ADDSUB_LOOPS(int8_t);
    }
}
#undef ADDSUB_ONE
#undef ADDSUB_LOOPS

/* ======================= int16 LOGISTIC / TANH parameters (ts_ops.c's LOGISTIC, TANH) ======================= */

/* TFLite CheckedLog2, std::log replaced by ts_logf: log2 of x rounded, and whether x is within 0.1 %
 * of that power of two */
static int checked_log2(float x, int32_t *log2_rounded)
{
    const float x_log2 = ts_logf(x) * (1.0f / ts_logf(2.0f));
    const float rounded = ts_roundf(x_log2);
    const float frac = x_log2 - rounded;
    *log2_rounded = ts_f2i_sat(rounded);
    return (frac < 0.0f ? -frac : frac) < 1e-3f;
}

int ts_int16_activation_prepare(ts_ctx *ctx, const ts_tensor *in, const ts_tensor *out, int is_tanh,
                                int32_t *multiplier, int32_t *left_shift)
{
    TRY(check_q16(ctx, in, "input", 1));
    TRY(check_q16(ctx, out, "output", 1));
    int32_t log2_in, log2_out;
    int pot = checked_log2(in->scale, &log2_in);
    *left_shift = (15 - 3) + log2_in;
    pot = pot && (*left_shift == 0 || (is_tanh && *left_shift == 1));
    if (pot) {
        *multiplier = 0;
    } else {
        /* to the table's input scale 1/(3 * 4096): +-2^17 is +-10.7 */
        double m = (double)in->scale * 4096.0 * 3.0;
        *left_shift = 0;
        while (m <= 32767.0 / 2.0 && *left_shift <= 30) {
            (*left_shift)++;
            m = m * 2.0;
        }
        if (!(m < 2147483648.0)) {
            return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "int16-activation-multiplier", -1);
        }
        *multiplier = (int32_t)m;
    }
    if (!checked_log2(out->scale, &log2_out) || log2_out != -15) {
        return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "int16-activation-output", -1);
    }
    return 0;
}

/* ======================= int16 SOFTMAX lookup tables (ts_ops.c) ======================= */

/* TFLite gen_lut<float, int16_t, int16_t>(func, input_min, input_max, -1, 1): 512 steps plus the
 * value at input_max, each corrected by half the error of linear interpolation at the midpoint */
static void gen_lut_s16(float (*func)(float), float input_min, float input_max, int16_t *lut)
{
    const int nb_steps = 512;
    const float step = (input_max - input_min) / (float)nb_steps;
    const float half_step = step / 2.0f;
    const float output_scaling_inv = 65536.0f / 2.0f; /* (max - min + 1) / (output_max - output_min) */
    const float table_min = -32768.0f, table_max = 32767.0f;
    for (int i = 0; i < nb_steps; i++) {
        const float val = func(input_min + (float)i * step);
        const float val_midpoint = func(input_min + (float)i * step + half_step);
        const float val_next = func(input_min + (float)(i + 1) * step);
        const float sample_val = ts_roundf(val * output_scaling_inv);
        const float midpoint_interp_val =
            ts_roundf((val_next * output_scaling_inv + ts_roundf(val * output_scaling_inv)) / 2.0f);
        const float midpoint_val = ts_roundf(val_midpoint * output_scaling_inv);
        const float midpoint_err = midpoint_interp_val - midpoint_val;
        const float bias = ts_roundf(midpoint_err / 2.0f);
        float v = sample_val - bias;
        v = (v < table_min) ? table_min : v; /* std::max(v, table_min) */
        v = (table_max < v) ? table_max : v; /* std::min(v, table_max) */
        lut[i] = (int16_t)v;
    }
    float last = ts_roundf(func(input_max) * output_scaling_inv);
    last = (last < table_min) ? table_min : last;
    last = (table_max < last) ? table_max : last;
    lut[nb_steps] = (int16_t)last;
}

static float one_over_one_plus_x(float x) { return 1.0f / (1.0f + x); }

void ts_gen_lut_s16_exp(int16_t *lut) { gen_lut_s16(ts_expf, -10.0f, 0.0f, lut); }
void ts_gen_lut_s16_one_over_one_plus_x(int16_t *lut) { gen_lut_s16(one_over_one_plus_x, 0.0f, 1.0f, lut); }

/* ======================= SUB ======================= */

typedef struct {
    ts_bcast bc;
    int32_t type; /* TFL_FLOAT32, TFL_INT8, TFL_INT16 */
    float fmin, fmax;
    ts_addsub q;
} sub_data;

int prepare_sub(ts_ctx *ctx, ts_op *op)
{
    TRY(check_io(ctx, op, 2, 2, 1));
    TRY(check_options(ctx, op, OPT_SUB));
    ts_tensor *a = in_t(ctx, op, 0), *b = in_t(ctx, op, 1), *out = out_t(ctx, op, 0);
    TRY(alloc_data(ctx, op, sizeof(sub_data)));
    sub_data *d = op->data;
    uint8_t act;
    TRY(opt_u8(ctx, op, SUB_ACTIVATION, TFL_ACT_NONE, &act));
    TRY(ts_bcast_prepare(ctx, a, b, out, &d->bc));
    if (a->type != out->type || b->type != out->type) {
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_TYPE, "input-output", -1);
    }
    d->type = out->type;
    if (out->type == TFL_FLOAT32) {
        return act_range_f32(ctx, act, &d->fmin, &d->fmax);
    }
    if (out->type != TFL_INT8 && out->type != TFL_INT16) {
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_TYPE, "input-output", -1);
    }
    return ts_addsub_prepare(ctx, op, a, b, out, act, 1, d->bc.n, &d->q);
}

int eval_sub(ts_ctx *ctx, ts_op *op)
{
    const sub_data *d = op->data;
    ts_tensor *ta = in_t(ctx, op, 0), *tb = in_t(ctx, op, 1), *to = out_t(ctx, op, 0);
    if (d->type != TFL_FLOAT32) {
        ts_addsub_eval(op, &d->q, &d->bc, ta->data, tb->data, to->data);
        return 0;
    }
    const float *a = (const float *)ta->data, *b = (const float *)tb->data;
    float *o = (float *)to->data;
    int32_t idx[TS_MAX_RANK] = { 0 };
    uint32_t ia = 0, ib = 0;
    for (uint32_t i = 0; i < d->bc.n; i++) {
        o[i] = ts_act_f32(a[ia] - b[ib], d->fmin, d->fmax);
        ts_bcast_next(&d->bc, idx, &ia, &ib);
    }
    return 0;
}

/* ======================= MAXIMUM / MINIMUM ======================= */

typedef struct {
    ts_bcast bc;
    int32_t type;
} minmax_data;

int prepare_maximum_minimum(ts_ctx *ctx, ts_op *op)
{
    TRY(check_io(ctx, op, 2, 2, 1));
    TRY(check_options(ctx, op, OPT_MAXIMUM_MINIMUM));
    ts_tensor *a = in_t(ctx, op, 0), *b = in_t(ctx, op, 1), *out = out_t(ctx, op, 0);
    TRY(alloc_data(ctx, op, sizeof(minmax_data)));
    minmax_data *d = op->data;
    TRY(ts_bcast_prepare(ctx, a, b, out, &d->bc));
    if (a->type != out->type || b->type != out->type ||
        (out->type != TFL_FLOAT32 && out->type != TFL_INT8 && out->type != TFL_INT16 && out->type != TFL_INT32)) {
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_TYPE, "input-output", -1);
    }
    d->type = out->type;
    return 0;
}

/* TFLM MaximumOp / MinimumOp on the raw values (no requantization, as TFLM) */
#define MINMAX_LOOP(T, IS_MAX)                                                                      \
    do {                                                                                            \
        const T *a = (const T *)ta->data, *b = (const T *)tb->data;                                 \
        T *o = (T *)to->data;                                                                       \
        for (uint32_t i = 0; i < d->bc.n; i++) {                                                    \
            const T x = a[ia], y = b[ib];                                                           \
            o[i] = (IS_MAX) ? (x > y ? x : y) : (x < y ? x : y);                                    \
            ts_bcast_next(&d->bc, idx, &ia, &ib);                                                   \
        }                                                                                           \
    } while (0)

static int eval_minmax(ts_ctx *ctx, ts_op *op, int is_max)
{
    const minmax_data *d = op->data;
    ts_tensor *ta = in_t(ctx, op, 0), *tb = in_t(ctx, op, 1), *to = out_t(ctx, op, 0);
    int32_t idx[TS_MAX_RANK] = { 0 };
    uint32_t ia = 0, ib = 0;
    switch (d->type) {
    case TFL_FLOAT32:
        MINMAX_LOOP(float, is_max);
        break;
    case TFL_INT8:
        MINMAX_LOOP(int8_t, is_max);
        break;
    case TFL_INT16:
        MINMAX_LOOP(int16_t, is_max);
        break;
    default:
        MINMAX_LOOP(int32_t, is_max);
        break;
    }
    return 0;
}

int eval_maximum(ts_ctx *ctx, ts_op *op) { return eval_minmax(ctx, op, 1); }
int eval_minimum(ts_ctx *ctx, ts_op *op) { return eval_minmax(ctx, op, 0); }

/* ======================= SQUARED_DIFFERENCE ======================= */

typedef struct {
    ts_bcast bc;
    int32_t is_float;
    int32_t in1_offset, in2_offset, out_offset, left_shift;
    int32_t m1, s1, m2, s2, mo, so;
} sqdiff_data;

int prepare_squared_difference(ts_ctx *ctx, ts_op *op)
{
    TRY(check_io(ctx, op, 2, 2, 1));
    TRY(check_options(ctx, op, OPT_SQUARED_DIFFERENCE));
    ts_tensor *a = in_t(ctx, op, 0), *b = in_t(ctx, op, 1), *out = out_t(ctx, op, 0);
    TRY(alloc_data(ctx, op, sizeof(sqdiff_data)));
    sqdiff_data *d = op->data;
    TRY(ts_bcast_prepare(ctx, a, b, out, &d->bc));
    if (a->type != out->type || b->type != out->type) {
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_TYPE, "input-output", -1);
    }
    if (out->type == TFL_FLOAT32) {
        d->is_float = 1;
        return 0;
    }
    if (out->type != TFL_INT8) {
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_TYPE, "input-output", -1);
    }
    TRY(check_q8(ctx, a, "input1"));
    TRY(check_q8(ctx, b, "input2"));
    TRY(check_q8(ctx, out, "output"));
    /* TFLM squared_difference.cc PrepareQuantized, left shift 7 */
    d->in1_offset = -a->zero_point;
    d->in2_offset = -b->zero_point;
    d->out_offset = out->zero_point;
    d->left_shift = 7;
    const double twice_max = 2.0 * (double)(a->scale > b->scale ? a->scale : b->scale);
    const double r1 = (double)a->scale / twice_max;
    const double r2 = (double)b->scale / twice_max;
    const double ro = (twice_max * twice_max) / (double)((float)(1 << (d->left_shift * 2)) * out->scale);
    TRY(quantize_mult(ctx, r1, &d->m1, &d->s1));
    TRY(quantize_mult(ctx, r2, &d->m2, &d->s2));
    TRY(quantize_mult(ctx, ro, &d->mo, &d->so));
    if (d->s1 > 0 || d->s2 > 0) { /* QuantizeMultiplierSmallerThanOneExp */
        return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "squared-difference-multiplier", -1);
    }
    return 0;
}

int eval_squared_difference(ts_ctx *ctx, ts_op *op)
{
    const sqdiff_data *d = op->data;
    ts_tensor *ta = in_t(ctx, op, 0), *tb = in_t(ctx, op, 1), *to = out_t(ctx, op, 0);
    int32_t idx[TS_MAX_RANK] = { 0 };
    uint32_t ia = 0, ib = 0;
    if (d->is_float) {
        const float *a = (const float *)ta->data, *b = (const float *)tb->data;
        float *o = (float *)to->data;
        for (uint32_t i = 0; i < d->bc.n; i++) {
            const float diff = a[ia] - b[ib];
            o[i] = diff * diff;
            ts_bcast_next(&d->bc, idx, &ia, &ib);
        }
        return 0;
    }
    const int8_t *a = (const int8_t *)ta->data, *b = (const int8_t *)tb->data;
    int8_t *o = (int8_t *)to->data;
    for (uint32_t i = 0; i < d->bc.n; i++) {
        const int32_t v1 = ts_mbqm_smaller((d->in1_offset + a[ia]) * (1 << d->left_shift), d->m1, d->s1);
        const int32_t v2 = ts_mbqm_smaller((d->in2_offset + b[ib]) * (1 << d->left_shift), d->m2, d->s2);
        const int32_t diff = v1 - v2;
        const int32_t raw = ts_mbqm(diff * diff, d->mo, d->so) + d->out_offset;
        o[i] = (int8_t)clampi(raw, -128, 127);
        ts_bcast_next(&d->bc, idx, &ia, &ib);
    }
    return 0;
}

/* ======================= DIV ======================= */

typedef struct {
    ts_bcast bc;
    int32_t is_float;
    float fmin, fmax;
    int32_t in1_offset, in2_offset, out_offset, mult, shift, act_min, act_max;
} div_data;

int prepare_div(ts_ctx *ctx, ts_op *op)
{
    TRY(check_io(ctx, op, 2, 2, 1));
    TRY(check_options(ctx, op, OPT_DIV));
    ts_tensor *a = in_t(ctx, op, 0), *b = in_t(ctx, op, 1), *out = out_t(ctx, op, 0);
    TRY(alloc_data(ctx, op, sizeof(div_data)));
    div_data *d = op->data;
    uint8_t act;
    TRY(opt_u8(ctx, op, DIV_ACTIVATION, TFL_ACT_NONE, &act));
    TRY(ts_bcast_prepare(ctx, a, b, out, &d->bc));
    if (a->type != out->type || b->type != out->type) {
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_TYPE, "input-output", -1);
    }
    if (out->type == TFL_FLOAT32) {
        d->is_float = 1;
        return act_range_f32(ctx, act, &d->fmin, &d->fmax);
    }
    if (out->type != TFL_INT8) {
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_TYPE, "input-output", -1);
    }
    TRY(check_q8(ctx, a, "input1"));
    TRY(check_q8(ctx, b, "input2"));
    TRY(check_q8(ctx, out, "output"));
    TRY(ts_act_range_q(ctx, act, out, -128, 127, &d->act_min, &d->act_max));
    /* TFLM div.cc: the quotient of floats, widened */
    TRY(quantize_mult(ctx, (double)(a->scale / (b->scale * out->scale)), &d->mult, &d->shift));
    /* the eval's total shift (shift - reciprocal shift - headroom) must stay <= 0 for every input:
     * headroom >= 23 and the reciprocal shift >= -1 for int8 operands */
    if (d->shift > 22) {
        return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "div-multiplier", -1);
    }
    d->in1_offset = -a->zero_point;
    d->in2_offset = -b->zero_point;
    d->out_offset = out->zero_point;
    return 0;
}

/* TFLite DivElementwise, one element */
static int32_t div_s8(const div_data *d, int32_t x1, int32_t x2)
{
    int32_t v1 = d->in1_offset + x1;
    int32_t v2 = d->in2_offset + x2;
    if (v2 < 0) {
        v1 = -v1;
        v2 = -v2;
    }
    int32_t recip_shift;
    const int32_t inv = ts_fp_get_reciprocal(v2, 31, &recip_shift);
    const int32_t headroom = v1 == 0 ? 31 : __builtin_clrsb(v1); /* CountLeadingSignBits */
    const int32_t unscaled = ts_mbqm_greater(v1, inv, headroom);
    const int32_t total_shift = d->shift - recip_shift - headroom;
    const int32_t raw = d->out_offset + ts_rdbp_wide(ts_srdhm(unscaled, d->mult), -total_shift);
    return clampi(raw, d->act_min, d->act_max);
}

int eval_div(ts_ctx *ctx, ts_op *op)
{
    const div_data *d = op->data;
    ts_tensor *ta = in_t(ctx, op, 0), *tb = in_t(ctx, op, 1), *to = out_t(ctx, op, 0);
    int32_t idx[TS_MAX_RANK] = { 0 };
    uint32_t ia = 0, ib = 0;
    for (uint32_t i = 0; i < d->bc.n; i++) {
        if (d->is_float) {
            const float x = ((const float *)ta->data)[ia], y = ((const float *)tb->data)[ib];
            ((float *)to->data)[i] = ts_act_f32(x / y, d->fmin, d->fmax);
        } else {
            ((int8_t *)to->data)[i] = (int8_t)div_s8(d, ((const int8_t *)ta->data)[ia], ((const int8_t *)tb->data)[ib]);
        }
        ts_bcast_next(&d->bc, idx, &ia, &ib);
    }
    return 0;
}

/* ======================= PRELU ======================= */

typedef struct {
    ts_bcast bc;
    int32_t is_float;
    int32_t in_offset, alpha_offset, out_offset, m1, s1, m2, s2;
} prelu_data;

int prepare_prelu(ts_ctx *ctx, ts_op *op)
{
    TRY(check_io(ctx, op, 2, 2, 1));
    ts_tensor *in = in_t(ctx, op, 0), *alpha = in_t(ctx, op, 1), *out = out_t(ctx, op, 0);
    TRY(alloc_data(ctx, op, sizeof(prelu_data)));
    prelu_data *d = op->data;
    TRY(ts_bcast_prepare(ctx, in, alpha, out, &d->bc));
    if (in->type != out->type || alpha->type != out->type) {
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_TYPE, "input-alpha-output", -1);
    }
    if (out->type == TFL_FLOAT32) {
        d->is_float = 1;
        return 0;
    }
    if (out->type != TFL_INT8) {
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_TYPE, "input-alpha-output", -1);
    }
    TRY(check_q8(ctx, in, "input"));
    TRY(check_q8(ctx, alpha, "alpha"));
    TRY(check_q8(ctx, out, "output"));
    /* TFLM prelu_common.cc CalculatePreluParams */
    TRY(quantize_mult(ctx, (double)in->scale / (double)out->scale, &d->m1, &d->s1));
    TRY(quantize_mult(ctx, (double)in->scale * (double)alpha->scale / (double)out->scale, &d->m2, &d->s2));
    d->in_offset = -in->zero_point;
    d->alpha_offset = -alpha->zero_point;
    d->out_offset = out->zero_point;
    return 0;
}

int eval_prelu(ts_ctx *ctx, ts_op *op)
{
    const prelu_data *d = op->data;
    ts_tensor *ti = in_t(ctx, op, 0), *ta = in_t(ctx, op, 1), *to = out_t(ctx, op, 0);
    int32_t idx[TS_MAX_RANK] = { 0 };
    uint32_t ii = 0, ia = 0;
    for (uint32_t i = 0; i < d->bc.n; i++) {
        if (d->is_float) {
            const float x = ((const float *)ti->data)[ii];
            ((float *)to->data)[i] = x >= 0.0f ? x : x * ((const float *)ta->data)[ia];
        } else {
            const int32_t v = d->in_offset + ((const int8_t *)ti->data)[ii];
            int32_t r;
            if (v >= 0) {
                r = ts_mbqm(v, d->m1, d->s1);
            } else {
                const int32_t av = d->alpha_offset + ((const int8_t *)ta->data)[ia];
                r = ts_mbqm(v * av, d->m2, d->s2);
            }
            ((int8_t *)to->data)[i] = (int8_t)clampi(r + d->out_offset, -128, 127);
        }
        ts_bcast_next(&d->bc, idx, &ii, &ia);
    }
    return 0;
}

/* ======================= unary operators: common checks ======================= */

/* one input, one output of the same type and shape (element count for CAST) */
static int unary_io(ts_ctx *ctx, ts_op *op, ts_tensor **in, ts_tensor **out, int same_type)
{
    TRY(check_io(ctx, op, 1, 1, 1));
    *in = in_t(ctx, op, 0);
    *out = out_t(ctx, op, 0);
    if (same_type && (*in)->type != (*out)->type) {
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_TYPE, "input-output", -1);
    }
    if (same_type ? !same_dims(*in, *out) : numel(*in) != numel(*out)) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "output-shape", -1);
    }
    return 0;
}

/* ======================= TANH ======================= */

typedef struct {
    uint32_t n;
    int32_t type;
    int32_t input_zero_point, input_range_radius, input_multiplier, input_left_shift;
} tanh_data;

int prepare_tanh(ts_ctx *ctx, ts_op *op)
{
    ts_tensor *in, *out;
    TRY(unary_io(ctx, op, &in, &out, 1));
    TRY(alloc_data(ctx, op, sizeof(tanh_data)));
    tanh_data *d = op->data;
    d->n = numel(in);
    d->type = in->type;
    if (in->type == TFL_FLOAT32) {
        return 0;
    }
    if (in->type == TFL_INT16) {
        return ts_int16_activation_prepare(ctx, in, out, 1, &d->input_multiplier, &d->input_left_shift);
    }
    if (in->type != TFL_INT8) {
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_TYPE, "input-output", -1);
    }
    /* TFLM tanh.cc, int8: the output is in units of 1/128 around 0 whatever its quantization says
     * (TFLM does not check it); the input multiplier as LOGISTIC's, kInputIntegerBits = 4 */
    TRY(check_q8(ctx, in, "input"));
    TRY(check_q8(ctx, out, "output"));
    const double real = (double)in->scale * (double)(1 << (31 - 4));
    if (ts_logistic_multiplier(real, &d->input_multiplier, &d->input_left_shift) != 0 ||
        d->input_left_shift < 0 || d->input_left_shift > 31) {
        return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "tanh-multiplier", -1);
    }
    d->input_zero_point = in->zero_point;
    d->input_range_radius = (int32_t)((15ll << 27) >> d->input_left_shift); /* CalculateInputRadius(4, shift) */
    return 0;
}

int eval_tanh(ts_ctx *ctx, ts_op *op)
{
    const tanh_data *d = op->data;
    ts_tensor *ti = in_t(ctx, op, 0), *to = out_t(ctx, op, 0);
    if (d->type == TFL_FLOAT32) {
        const float *x = (const float *)ti->data;
        float *y = (float *)to->data;
        for (uint32_t i = 0; i < d->n; i++) {
            y[i] = ts_tanhf(x[i]);
        }
        return 0;
    }
    if (d->type == TFL_INT16) {
        ts_tanh_s16(d->input_multiplier, d->input_left_shift, (int32_t)d->n, (const int16_t *)ti->data,
                    (int16_t *)to->data);
        return 0;
    }
    /* TFLite reference_integer_ops::Tanh (int8) */
    const int8_t *x = (const int8_t *)ti->data;
    int8_t *y = (int8_t *)to->data;
    for (uint32_t i = 0; i < d->n; i++) {
        const int32_t v = x[i] - d->input_zero_point;
        if (v <= -d->input_range_radius) {
            y[i] = -128;
        } else if (v >= d->input_range_radius) {
            y[i] = 127;
        } else {
            const int32_t in_q4 = ts_mbqm(v, d->input_multiplier, d->input_left_shift);
            const int32_t out_q0 = ts_fp_tanh(in_q4, 4);
            y[i] = (int8_t)clampi(ts_rdbp(out_q0, 31 - 7), -128, 127);
        }
    }
    return 0;
}

/* ======================= HARD_SWISH ======================= */

typedef struct {
    uint32_t n;
    int32_t is_float;
    int32_t in_zero_point, out_zero_point;
    int32_t out_exponent, reluish_exponent;
    int16_t out_mult16, reluish_mult16;
} hard_swish_data;

/* TFLite DownScaleInt32ToInt16Multiplier */
static int16_t downscale_multiplier(int32_t m)
{
    if (m >= INT32_MAX - (1 << 15)) {
        return INT16_MAX;
    }
    return (int16_t)((m + (1 << 15)) >> 16);
}

int prepare_hard_swish(ts_ctx *ctx, ts_op *op)
{
    ts_tensor *in, *out;
    TRY(unary_io(ctx, op, &in, &out, 1));
    TRY(alloc_data(ctx, op, sizeof(hard_swish_data)));
    hard_swish_data *d = op->data;
    d->n = numel(in);
    if (in->type == TFL_FLOAT32) {
        d->is_float = 1;
        return 0;
    }
    if (in->type != TFL_INT8) {
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_TYPE, "input-output", -1);
    }
    TRY(check_q8(ctx, in, "input"));
    TRY(check_q8(ctx, out, "output"));
    /* TFLM hard_swish_common.cc HardSwishPrepare: float quotients, widened */
    const float hires_input_scale = (1.0f / 128.0f) * in->scale;
    const float reluish_scale = 3.0f / 32768.0f;
    int32_t m;
    TRY(quantize_mult(ctx, (double)(hires_input_scale / out->scale), &m, &d->out_exponent));
    d->out_mult16 = downscale_multiplier(m);
    if (d->out_exponent > 0) { /* TF_LITE_ENSURE(output_multiplier_exponent <= 0) */
        return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "hard-swish-multiplier", -1);
    }
    TRY(quantize_mult(ctx, (double)(hires_input_scale / reluish_scale), &m, &d->reluish_exponent));
    d->reluish_mult16 = downscale_multiplier(m);
    d->in_zero_point = in->zero_point;
    d->out_zero_point = out->zero_point;
    return 0;
}

/* gemmlowp SaturatingRoundingDoublingHighMul for int16 */
static inline int16_t srdhm16(int16_t a, int16_t b)
{
    if (a == b && a == INT16_MIN) {
        return INT16_MAX;
    }
    const int32_t ab = (int32_t)a * (int32_t)b;
    const int32_t nudge = ab >= 0 ? (1 << 14) : (1 - (1 << 14));
    return (int16_t)((ab + nudge) / (1 << 15));
}

/* TFLite's SaturatingDoublingHighMul (hard_swish.h): rounding toward zero */
static inline int16_t sdhm16(int16_t a, int16_t b)
{
    if (a == b && a == INT16_MIN) {
        return INT16_MAX;
    }
    return (int16_t)(((int32_t)a * (int32_t)b) / (1 << 15));
}

/* gemmlowp RoundingDivideByPOT for int16, 0 <= e <= 31 (above 15 the int16 mask is all ones) */
static inline int16_t rdbp16(int16_t x, int32_t e)
{
    const int16_t mask = (int16_t)((1ll << e) - 1);
    const int16_t remainder = (int16_t)(x & mask);
    const int16_t threshold = (int16_t)((mask >> 1) + (x < 0 ? 1 : 0));
    return (int16_t)((x >> e) + (remainder > threshold ? 1 : 0));
}

static inline int16_t sat_left_shift16(int16_t v, int32_t amount)
{
    const int64_t r = (int64_t)v * ((int64_t)1 << amount);
    return (int16_t)(r > INT16_MAX ? INT16_MAX : (r < INT16_MIN ? INT16_MIN : r));
}

/* TFLite reference_ops::HardSwish<int8_t>, one element */
static int8_t hard_swish_s8(const hard_swish_data *d, int8_t x)
{
    const int16_t input_value = (int16_t)(x - d->in_zero_point);
    const int16_t hires = (int16_t)(input_value * (1 << 7));
    const int16_t preshift_output_scale = srdhm16(hires, d->out_mult16);
    int16_t reluish = hires;
    if (d->reluish_exponent > 0) {
        reluish = sat_left_shift16(reluish, d->reluish_exponent - 1);
    }
    reluish = srdhm16(reluish, d->reluish_mult16);
    if (d->reluish_exponent > 0) {
        reluish = sat_left_shift16(reluish, 1);
    }
    if (d->reluish_exponent < 0) {
        reluish = rdbp16(reluish, -d->reluish_exponent);
    }
    reluish = (int16_t)((reluish + (1 << 15)) >> 1);
    const int16_t preshift_output = sdhm16(reluish, preshift_output_scale);
    int16_t v = rdbp16(preshift_output, -d->out_exponent);
    v = (int16_t)(v + d->out_zero_point);
    v = v > 127 ? 127 : v;
    v = v < -128 ? -128 : v;
    return (int8_t)v;
}

int eval_hard_swish(ts_ctx *ctx, ts_op *op)
{
    const hard_swish_data *d = op->data;
    ts_tensor *ti = in_t(ctx, op, 0), *to = out_t(ctx, op, 0);
    if (d->is_float) {
        const float *x = (const float *)ti->data;
        float *y = (float *)to->data;
        for (uint32_t i = 0; i < d->n; i++) {
            const float v = x[i];
            float r = v + 3.0f;
            r = (0.0f < r) ? r : 0.0f; /* std::max(0, v + 3) */
            r = (r < 6.0f) ? r : 6.0f; /* std::min(6, ...) */
            y[i] = v * r / 6.0f;
        }
        return 0;
    }
    const int8_t *x = (const int8_t *)ti->data;
    int8_t *y = (int8_t *)to->data;
    for (uint32_t i = 0; i < d->n; i++) {
        y[i] = hard_swish_s8(d, x[i]);
    }
    return 0;
}

/* ======================= LEAKY_RELU ======================= */

typedef struct {
    uint32_t n;
    int32_t is_float;
    float alpha;
    int32_t in_zero_point, out_zero_point, m_alpha, s_alpha, m_identity, s_identity;
} leaky_relu_data;

int prepare_leaky_relu(ts_ctx *ctx, ts_op *op)
{
    ts_tensor *in, *out;
    TRY(unary_io(ctx, op, &in, &out, 1));
    TRY(check_options(ctx, op, OPT_LEAKY_RELU));
    TRY(alloc_data(ctx, op, sizeof(leaky_relu_data)));
    leaky_relu_data *d = op->data;
    d->n = numel(in);
    float alpha = 0.0f;
    if (op->has_options) {
        TRY(fb_f32(&ctx->fb, &op->options, LEAKY_RELU_ALPHA, 0.0f, &alpha));
    }
    d->alpha = alpha;
    if (in->type == TFL_FLOAT32) {
        d->is_float = 1;
        return 0;
    }
    if (in->type != TFL_INT8) {
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_TYPE, "input-output", -1);
    }
    TRY(check_q8(ctx, in, "input"));
    TRY(check_q8(ctx, out, "output"));
    /* TFLM leaky_relu_common.cc: float expressions, widened; alpha may be negative or zero */
    TRY(quantize_mult_signed(ctx, (double)(in->scale * alpha / out->scale), &d->m_alpha, &d->s_alpha));
    TRY(quantize_mult(ctx, (double)(in->scale / out->scale), &d->m_identity, &d->s_identity));
    d->in_zero_point = in->zero_point;
    d->out_zero_point = out->zero_point;
    return 0;
}

int eval_leaky_relu(ts_ctx *ctx, ts_op *op)
{
    const leaky_relu_data *d = op->data;
    ts_tensor *ti = in_t(ctx, op, 0), *to = out_t(ctx, op, 0);
    if (d->is_float) {
        const float *x = (const float *)ti->data;
        float *y = (float *)to->data;
        for (uint32_t i = 0; i < d->n; i++) {
            const float v = x[i];
            y[i] = v > 0.0f ? v : v * d->alpha;
        }
        return 0;
    }
    const int8_t *x = (const int8_t *)ti->data;
    int8_t *y = (int8_t *)to->data;
    for (uint32_t i = 0; i < d->n; i++) {
        const int32_t v = x[i] - d->in_zero_point;
        const int32_t r = v >= 0 ? ts_mbqm(v, d->m_identity, d->s_identity) : ts_mbqm(v, d->m_alpha, d->s_alpha);
        y[i] = (int8_t)clampi(d->out_zero_point + r, -128, 127);
    }
    return 0;
}

/* ======================= EXP ======================= */

int prepare_exp(ts_ctx *ctx, ts_op *op)
{
    ts_tensor *in, *out;
    TRY(unary_io(ctx, op, &in, &out, 1));
    if (in->type != TFL_FLOAT32) { /* TFLM exp.cc: float32 only */
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_TYPE, "input-output", -1);
    }
    return 0;
}

int eval_exp(ts_ctx *ctx, ts_op *op)
{
    ts_tensor *ti = in_t(ctx, op, 0), *to = out_t(ctx, op, 0);
    const float *x = (const float *)ti->data;
    float *y = (float *)to->data;
    const uint32_t n = numel(ti);
    for (uint32_t i = 0; i < n; i++) {
        y[i] = ts_expf(x[i]);
    }
    return 0;
}

/* ======================= RSQRT ======================= */

typedef struct {
    uint32_t n;
    int32_t is_float;
    int32_t in_zero_point, out_zero_point, mult, shift;
} rsqrt_data;

int prepare_rsqrt(ts_ctx *ctx, ts_op *op)
{
    ts_tensor *in, *out;
    TRY(unary_io(ctx, op, &in, &out, 1));
    TRY(alloc_data(ctx, op, sizeof(rsqrt_data)));
    rsqrt_data *d = op->data;
    d->n = numel(in);
    if (in->type == TFL_FLOAT32) {
        d->is_float = 1;
        return 0;
    }
    if (in->type != TFL_INT8) {
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_TYPE, "input-output", -1);
    }
    TRY(check_q8(ctx, in, "input"));
    TRY(check_q8(ctx, out, "output"));
    /* TFLM elementwise.cc SetRsqrtOutputMultiplier (sqrt is correctly rounded everywhere) */
    const double real = 1.0 / (ts_sqrt((double)in->scale) * (double)out->scale);
    TRY(quantize_mult(ctx, real, &d->mult, &d->shift));
    if (d->shift - 20 < -31) { /* the eval's MBQM shift */
        return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "rsqrt-multiplier", -1);
    }
    d->in_zero_point = in->zero_point;
    d->out_zero_point = out->zero_point;
    return 0;
}

int eval_rsqrt(ts_ctx *ctx, ts_op *op)
{
    const rsqrt_data *d = op->data;
    ts_tensor *ti = in_t(ctx, op, 0), *to = out_t(ctx, op, 0);
    if (d->is_float) {
        const float *x = (const float *)ti->data;
        float *y = (float *)to->data;
        const uint32_t nan_bits = 0x7fc00000u; /* the Arm default NaN, what VSQRT of a negative gives */
        float nan;
        memcpy(&nan, &nan_bits, 4);
        for (uint32_t i = 0; i < d->n; i++) {
            const float v = x[i];
            y[i] = v != v ? v : (v < 0.0f ? nan : 1.0f / ts_sqrtf(v));
        }
        return 0;
    }
    const int8_t *x = (const int8_t *)ti->data;
    int8_t *y = (int8_t *)to->data;
    for (uint32_t i = 0; i < d->n; i++) {
        const int32_t v = x[i] - d->in_zero_point;
        if (v < 0) { /* TFLM: "Rsqrt is only defined for positive values", an error at eval */
            return ts_fail(ctx, TS_ERR_KERNEL_FAILURE, "rsqrt-negative-input", (int32_t)i);
        }
        if (v == 0) {
            y[i] = 127;
            continue;
        }
        int32_t inv_mult, inv_shift;
        ts_inv_sqrt_multiplier(v, -1, &inv_mult, &inv_shift);
        const int32_t data = ts_mbqm(1, inv_mult, inv_shift + 20);
        const int32_t r = ts_mbqm(data, d->mult, d->shift - 20) + d->out_zero_point;
        y[i] = (int8_t)clampi(r, -128, 127);
    }
    return 0;
}

/* ======================= LOG_SOFTMAX ======================= */

typedef struct {
    uint32_t outer, depth;
    int32_t is_float;
    int32_t input_multiplier, input_left_shift, reverse_scaling_divisor, reverse_scaling_left_shift, diff_min;
} log_softmax_data;

int prepare_log_softmax(ts_ctx *ctx, ts_op *op)
{
    ts_tensor *in, *out;
    TRY(unary_io(ctx, op, &in, &out, 1));
    if (in->rank < 1) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "rank", -1);
    }
    TRY(alloc_data(ctx, op, sizeof(log_softmax_data)));
    log_softmax_data *d = op->data;
    d->depth = (uint32_t)in->dims[in->rank - 1];
    d->outer = numel(in) / d->depth;
    if (in->type == TFL_FLOAT32) {
        d->is_float = 1;
        return 0;
    }
    if (in->type != TFL_INT8) {
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_TYPE, "input-output", -1);
    }
    TRY(check_q8(ctx, in, "input"));
    TRY(check_quant(ctx, out, "output"));
    if (out->scale != 0.0625f || out->zero_point != 127) { /* 16/256, 127 */
        return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "log-softmax-output", -1);
    }
    /* the Q12.19 sum of exps cannot wrap below 4096 elements per row (TFLM's stated range) */
    if (d->depth >= 4096u) {
        return ts_fail(ctx, TS_ERR_BAD_OPERATOR, "log-softmax-depth", (int32_t)d->depth);
    }
    /* TFLM PreprocessLogSoftmaxScalingExp(beta 1, input scale, 5 integer bits) */
    double real = 1.0 * (double)in->scale * (double)(1 << (31 - 5));
    if (real > 2147483647.0) {
        real = 2147483647.0;
    }
    if (!(real > 1.0)) { /* QuantizeMultiplierGreaterThanOne */
        return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "log-softmax-multiplier", -1);
    }
    TRY(quantize_mult(ctx, real, &d->input_multiplier, &d->input_left_shift));
    const double reverse = (double)(1 << (31 - d->input_left_shift)) / (double)d->input_multiplier;
    if (!(reverse > 0.0 && reverse < 1.0)) { /* QuantizeMultiplierSmallerThanOneExp */
        return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "log-softmax-multiplier", -1);
    }
    TRY(quantize_mult(ctx, reverse, &d->reverse_scaling_divisor, &d->reverse_scaling_left_shift));
    if (d->reverse_scaling_left_shift > 0) {
        return ts_fail(ctx, TS_ERR_BAD_QUANTIZATION, "log-softmax-multiplier", -1);
    }
    d->diff_min = -ts_input_radius(5, d->input_left_shift);
    return 0;
}

int eval_log_softmax(ts_ctx *ctx, ts_op *op)
{
    const log_softmax_data *d = op->data;
    ts_tensor *ti = in_t(ctx, op, 0), *to = out_t(ctx, op, 0);
    const uint32_t depth = d->depth;
    if (d->is_float) {
        for (uint32_t r = 0; r < d->outer; r++) {
            const float *x = (const float *)ti->data + r * depth;
            float *y = (float *)to->data + r * depth;
            float max = -FLT_MAX_;
            for (uint32_t c = 0; c < depth; c++) {
                max = (max < x[c]) ? x[c] : max;
            }
            float sum = 0.0f;
            for (uint32_t c = 0; c < depth; c++) {
                sum += ts_expf(x[c] - max);
            }
            const float log_sum = ts_logf(sum);
            for (uint32_t c = 0; c < depth; c++) {
                y[c] = x[c] - max - log_sum;
            }
        }
        return 0;
    }
    for (uint32_t r = 0; r < d->outer; r++) {
        const int8_t *x = (const int8_t *)ti->data + r * depth;
        int8_t *y = (int8_t *)to->data + r * depth;
        int32_t max = -128;
        for (uint32_t c = 0; c < depth; c++) {
            max = x[c] > max ? x[c] : max;
        }
        int32_t sum_of_exps = 0; /* Q12.19 */
        for (uint32_t c = 0; c < depth; c++) {
            const int32_t diff = x[c] - max;
            if (diff >= d->diff_min) {
                const int32_t diff_q5 = ts_mbqm(diff, d->input_multiplier, d->input_left_shift);
                sum_of_exps = wrap_add(sum_of_exps, ts_fp_rescale(ts_fp_exp_on_negative_values(diff_q5, 5), 0, 12));
            }
        }
        const int32_t log_sum_q5 = ts_fp_log_x_ge_1(sum_of_exps, 12, 5);
        const int32_t shifted_log_sum = wrap_add(log_sum_q5, INT32_MIN);
        const int32_t rescaled = ts_mbqm(shifted_log_sum, d->reverse_scaling_divisor, d->reverse_scaling_left_shift);
        const int32_t adjusted_diff_min = d->diff_min - 1 > rescaled ? d->diff_min - 1 : rescaled;
        for (uint32_t c = 0; c < depth; c++) {
            const int32_t diff = x[c] - max;
            if (diff > adjusted_diff_min) {
                const int32_t diff_q5 = ts_mbqm(diff, d->input_multiplier, d->input_left_shift);
                const int32_t v = ts_rdbp(wrap_sub(diff_q5, log_sum_q5), 31 - 5 - 4) + 127;
                y[c] = (int8_t)clampi(v, -128, 127);
            } else {
                y[c] = -128;
            }
        }
    }
    return 0;
}

/* ======================= CAST ======================= */

typedef struct {
    uint32_t n;
    uint8_t in_type, out_type;
} cast_data;

int prepare_cast(ts_ctx *ctx, ts_op *op)
{
    ts_tensor *in, *out;
    TRY(unary_io(ctx, op, &in, &out, 0));
    /* TFLM cast.cc: inputs int8, int16, int32, float32, bool (and uint32, which tinysim does not
     * store); outputs int8, int16, int32, float32 (and uint32). TFLM returns without writing for
     * other types; tinysim refuses them. */
    const uint8_t it = in->type, ot = out->type;
    if (!(it == TFL_INT8 || it == TFL_INT16 || it == TFL_INT32 || it == TFL_FLOAT32 || it == TFL_BOOL) ||
        !(ot == TFL_INT8 || ot == TFL_INT16 || ot == TFL_INT32 || ot == TFL_FLOAT32)) {
        return ts_fail(ctx, TS_ERR_UNSUPPORTED_TYPE, "input-output", -1);
    }
    TRY(alloc_data(ctx, op, sizeof(cast_data)));
    cast_data *d = op->data;
    d->n = numel(in);
    d->in_type = it;
    d->out_type = ot;
    return 0;
}

int eval_cast(ts_ctx *ctx, ts_op *op)
{
    const cast_data *d = op->data;
    const uint8_t *src = in_t(ctx, op, 0)->data;
    uint8_t *dst = out_t(ctx, op, 0)->data;
    for (uint32_t i = 0; i < d->n; i++) {
        /* the value as an int32 or a float */
        int32_t iv = 0;
        float fv = 0.0f;
        switch (d->in_type) {
        case TFL_INT8:
            iv = ((const int8_t *)src)[i];
            break;
        case TFL_INT16:
            iv = ((const int16_t *)(const void *)src)[i];
            break;
        case TFL_INT32:
            iv = ((const int32_t *)(const void *)src)[i];
            break;
        case TFL_BOOL:
            iv = src[i] != 0;
            break;
        default:
            fv = ((const float *)(const void *)src)[i];
            /* static_cast of a float to an integer on Arm: VCVT (toward zero, saturating to int32,
             * NaN -> 0), then the low bits */
            iv = ts_f2i_sat(fv);
            break;
        }
        switch (d->out_type) {
        case TFL_INT8:
            ((int8_t *)dst)[i] = (int8_t)iv;
            break;
        case TFL_INT16:
            ((int16_t *)(void *)dst)[i] = (int16_t)iv;
            break;
        case TFL_INT32:
            ((int32_t *)(void *)dst)[i] = iv;
            break;
        default:
            ((float *)(void *)dst)[i] = d->in_type == TFL_FLOAT32 ? fv : (float)iv;
            break;
        }
    }
    return 0;
}
