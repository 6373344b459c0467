/* Unit tests of the sequence helper's C code (host build): the int16 logistic/tanh cores, ts_tanhf
 * and ts_logisticf.
 *
 *  1. ts_logistic_s16 / ts_tanh_s16 over every int16 input for several (multiplier, shift) pairs:
 *     a digest of the outputs equal to the one the Java reference computes
 *     (Int16ActivationsTest holds the same constants), plus values derived by hand
 *  2. ts_tanhf: a digest over a sweep of all float bit patterns equal to Java's
 *     DeterministicMath.tanhf (TanhfTest), and at most 1 ulp from libm's double tanh rounded to float
 *  3. SVDF: the DSP-extension kernel equals the reference kernel bit for bit (state and output, over
 *     several runs) on random shapes, int16 and int8 state, zero and non-zero zero points
 *  4. int8 LSTM: the same for the DSP-extension gate products (output, hidden and cell state, over
 *     several runs, time-major and batch-major, with and without the cell clip)
 *
 * Prints "N passed, N failed"; exit status 1 on a failure. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "../ts_kernels_sequence.h"
#include "../ts_quant.h"
#include "../ts_runtime.h"

/* the runtime's platform layer, unused here */
uint32_t ts_port_cycles(void) { return 0; }
void ts_port_write(const char *s, size_t len) { (void)s; (void)len; }
int32_t ts_port_input(uint32_t run, void *ptr, uint32_t len) { (void)run; (void)ptr; (void)len; return -1; }
void ts_port_output(uint32_t run, const void *ptr, uint32_t len) { (void)run; (void)ptr; (void)len; }
void ts_port_tensors(void *in, uint32_t in_len, void *out, uint32_t out_len) { (void)in; (void)in_len; (void)out; (void)out_len; }

static uint32_t passed, failed;
static void check(int ok, const char *what, uint32_t num)
{
    if (ok) {
        passed++;
    } else {
        failed++;
        printf("FAIL %s #%u\n", what, num);
    }
}

static uint32_t fnv(uint32_t h, uint32_t byte) { return (h ^ (byte & 0xFFu)) * 16777619u; }

/* {multiplier, left shift, digest of logistic, digest of tanh}: from the Java reference */
static const uint32_t S16_DIGESTS[][4] = {
    {0, 0, 0xab090d95u, 0x96f4c825u},
    {0, 1, 0xd1271751u, 0xbc9f8a61u},
    {0, 3, 0x2a51ae20u, 0x5f8e0a17u},
    {3, 4, 0x48c64398u, 0x3b07411au},
    {24576, 14, 0x0f4d4119u, 0xdb557974u},
    {32767, 15, 0x485cbb91u, 0x5632b320u},
    {12345, 12, 0xa9dadc0au, 0xc5407a1bu},
};

static void test_s16_activations(void)
{
    static int16_t in[65536], lo[65536], th[65536];
    for (int32_t i = 0; i < 65536; i++) {
        in[i] = (int16_t)(i - 32768);
    }
    for (uint32_t k = 0; k < sizeof S16_DIGESTS / sizeof S16_DIGESTS[0]; k++) {
        ts_logistic_s16((int32_t)S16_DIGESTS[k][0], (int32_t)S16_DIGESTS[k][1], 65536, in, lo);
        ts_tanh_s16((int32_t)S16_DIGESTS[k][0], (int32_t)S16_DIGESTS[k][1], 65536, in, th);
        uint32_t hl = 0x811c9dc5u, ht = 0x811c9dc5u;
        for (int32_t i = 0; i < 65536; i++) {
            hl = fnv(fnv(hl, (uint16_t)lo[i]), (uint16_t)lo[i] >> 8);
            ht = fnv(fnv(ht, (uint16_t)th[i]), (uint16_t)th[i] >> 8);
        }
        check(hl == S16_DIGESTS[k][2], "logistic_s16 digest == Java", k);
        check(ht == S16_DIGESTS[k][3], "tanh_s16 digest == Java", k);
    }
    /* by hand: x = 1.0 in Q3.12 (4096), multiplier 3: v = 12288, index 24, no fraction:
       logistic ((47911 << 9) + 512) >> 10 = 23956, 1 - that = 8812; tanh (57724 << 8) - 2^23 + 128 >> 8 = 24956 */
    int16_t x[4] = {0, 4096, -4096, 32767}, y[4];
    ts_logistic_s16(0, 0, 4, x, y);
    check(y[0] == 16384 && y[1] == 23956 && y[2] == 8812, "logistic_s16 by hand", 0);
    ts_tanh_s16(0, 0, 4, x, y);
    check(y[0] == 0 && y[1] == 24956 && y[2] == -24956, "tanh_s16 by hand", 0);
    /* in place, as the LSTM's gates use it */
    int16_t z[4] = {0, 4096, -4096, 32767};
    ts_logistic_s16(0, 0, 4, z, z);
    ts_logistic_s16(0, 0, 4, x, y);
    check(memcmp(y, z, sizeof y) == 0, "logistic_s16 in place", 0);
}

static float f_bits(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }
static uint32_t bits_f(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }

static void test_tanhf(void)
{
    uint32_t h = 0x811c9dc5u;
    for (uint64_t u = 0; u < (1ull << 32); u += 65521u) {
        uint32_t b = bits_f(ts_tanhf(f_bits((uint32_t)u)));
        h = fnv(fnv(fnv(fnv(h, b), b >> 8), b >> 16), b >> 24);
    }
    check(h == 0x6fecbdedu, "tanhf digest == Java", h);
    /* accuracy against libm's double tanh, rounded to float: every 7th float in [2^-14, 12] */
    uint32_t worst = 0, exact = 0, n = 0;
    for (uint32_t u = bits_f(6.103515625e-5f); u <= bits_f(12.0f); u += 7u) {
        float x = f_bits(u);
        float want = (float)tanh((double)x), got = ts_tanhf(x);
        uint32_t a = bits_f(want), b = bits_f(got);
        uint32_t d = a > b ? a - b : b - a;
        worst = d > worst ? d : worst;
        exact += d == 0;
        n++;
        if (bits_f(ts_tanhf(-x)) != (b | 0x80000000u)) {
            check(0, "tanhf odd", u);
            break;
        }
    }
    printf("ts_tanhf: worst %u ulp from libm tanh over %u floats in [2^-14, 12], %.2f%% exact\n", worst, n,
           100.0 * exact / n);
    check(worst <= 1, "tanhf within 1 ulp", worst);
    check(ts_tanhf(0.0f) == 0.0f && bits_f(ts_tanhf(-0.0f)) == 0x80000000u, "tanhf(+-0)", 0);
    check(ts_tanhf(20.0f) == 1.0f && ts_tanhf(-1e30f) == -1.0f && ts_tanhf(f_bits(0x7f800000u)) == 1.0f, "tanhf limits", 0);
    check(ts_tanhf(f_bits(0x7fc00000u)) != ts_tanhf(f_bits(0x7fc00000u)), "tanhf NaN", 0);
    check(ts_tanhf(1e-30f) == 1e-30f, "tanhf tiny", 0);
    /* ts_logisticf is the float LOGISTIC formula */
    check(ts_logisticf(0.0f) == 0.5f && ts_logisticf(17.0f) == 1.0f && ts_logisticf(-10.0f) == ts_expf(-10.0f)
          && ts_logisticf(1.0f) == 1.0f / (1.0f + ts_expf(-1.0f)), "logisticf", 0);
}


static uint32_t rng = 2463534242u;
static uint32_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}
static int32_t rnd_in(int32_t lo, int32_t hi) { return lo + (int32_t)(rnd() % (uint32_t)(hi - lo + 1)); }

static void test_svdf(uint32_t iters)
{
    static int8_t in[4 * 80], wf[64 * 80], out0[4 * 64], out1[4 * 64];
    static int16_t wt[64 * 12], st0[4 * 64 * 12], st1[4 * 64 * 12];
    static int32_t bias[64], s0[4 * 64], s1[4 * 64], so0[4 * 64], so1[4 * 64];
    for (uint32_t it = 0; it < iters; it++) {
        ts_svdf_params p;
        memset(&p, 0, sizeof p);
        p.batches = rnd_in(1, 4);
        p.rank = rnd_in(1, 3);
        p.units = rnd_in(1, 64 / p.rank);
        p.filters = p.units * p.rank;
        p.input_size = rnd_in(1, 80);
        p.memory = rnd_in(1, 12);
        p.state16 = (int32_t)(rnd() & 1);
        p.in_zp = rnd_in(-128, 127);
        p.out_zp = rnd_in(-128, 127);
        p.state_zp = (rnd() % 3 == 0) ? rnd_in(p.state16 ? -300 : -20, p.state16 ? 300 : 20) : 0;
        p.state_min = p.state16 ? -32768 : -128;
        p.state_max = p.state16 ? 32767 : 127;
        p.m1 = (int32_t)(rnd() >> 1) | (1 << 30);
        p.s1 = rnd_in(-12, 2);
        p.m2 = (int32_t)(rnd() >> 1) | (1 << 30);
        p.s2 = rnd_in(-20, 0);
        const int32_t n_state = p.batches * p.filters * p.memory;
        for (int32_t i = 0; i < p.batches * p.input_size; i++) in[i] = (int8_t)rnd();
        for (int32_t i = 0; i < p.filters * p.input_size; i++) wf[i] = (int8_t)rnd();
        for (int32_t i = 0; i < p.filters * p.memory; i++) {
            wt[i] = p.state16 ? (int16_t)rnd() : (int16_t)(int8_t)rnd();
        }
        if (!p.state16) {
            int8_t *w8 = (int8_t *)wt;
            for (int32_t i = 0; i < p.filters * p.memory; i++) w8[i] = (int8_t)rnd();
        }
        for (int32_t i = 0; i < p.units; i++) bias[i] = rnd_in(-100000, 100000);
        for (int32_t i = 0; i < n_state; i++) st0[i] = (int16_t)rnd();
        if (!p.state16) {
            int8_t *s8 = (int8_t *)st0;
            for (int32_t i = 0; i < n_state; i++) s8[i] = (int8_t)rnd();
        }
        memcpy(st1, st0, sizeof st0);
        int ok = 1;
        for (int run = 0; run < 3 && ok; run++) {
            const int32_t *b = (it & 4) ? NULL : bias;
            ts_svdf_s8_ref(&p, in, wf, wt, b, st0, out0, s0, so0);
            ts_svdf_s8_simd(&p, in, wf, wt, b, st1, out1, s1, so1);
            ok = memcmp(out0, out1, (size_t)(p.batches * p.units)) == 0 &&
                 memcmp(st0, st1, (size_t)n_state * (p.state16 ? 2u : 1u)) == 0;
            for (int32_t i = 0; i < p.batches * p.input_size; i++) in[i] = (int8_t)rnd();
        }
        check(ok, "svdf simd == ref", it);
    }
}

static void test_lstm(uint32_t iters)
{
    static int8_t w[4][40 * 70], rw[4][40 * 40], in[3 * 4 * 70], h0[3 * 40], h1[3 * 40], o0[3 * 4 * 40], o1[3 * 4 * 40];
    static int32_t bias[4][40];
    static int16_t c0[3 * 40], c1[3 * 40], b0[4][40], b1[4][40];
    for (uint32_t it = 0; it < iters; it++) {
        ts_lstm_params p;
        memset(&p, 0, sizeof p);
        p.batches = rnd_in(1, 3);
        p.steps = rnd_in(1, 4);
        p.input_size = rnd_in(1, 70);
        p.state = rnd_in(1, 40);
        p.time_major = (int32_t)(rnd() & 1);
        p.in_offset = rnd_in(-127, 128);
        p.hidden_zp = rnd_in(-20, 20);
        p.hidden_offset = -p.hidden_zp;
        for (int g = 0; g < 4; g++) {
            p.fc_mult[g] = (int32_t)(rnd() >> 1) | (1 << 30);
            p.fc_shift[g] = rnd_in(-8, 1);
            p.rec_mult[g] = (int32_t)(rnd() >> 1) | (1 << 30);
            p.rec_shift[g] = rnd_in(-8, 1);
            for (int32_t i = 0; i < p.state * p.input_size; i++) w[g][i] = (int8_t)rnd();
            for (int32_t i = 0; i < p.state * p.state; i++) rw[g][i] = (int8_t)rnd();
            for (int32_t i = 0; i < p.state; i++) bias[g][i] = rnd_in(-30000, 30000);
        }
        p.forget_mult = 1 << 30;
        p.forget_shift = -14;
        p.input_mult = (int32_t)(rnd() >> 1) | (1 << 30);
        p.input_shift = rnd_in(-20, -15);
        p.hidden_mult = (int32_t)(rnd() >> 1) | (1 << 30);
        p.hidden_shift = rnd_in(-26, -20);
        p.tanh_mult = (rnd() & 1) ? 3 : 0;
        p.tanh_shift = p.tanh_mult ? rnd_in(0, 4) : rnd_in(0, 2);
        p.clip = (int32_t)(rnd() & 1);
        p.quantized_clip = rnd_in(1000, 32767);
        ts_lstm_weights wts;
        for (int g = 0; g < 4; g++) {
            wts.w[g] = w[g];
            wts.rw[g] = rw[g];
            wts.bias[g] = bias[g];
        }
        for (int32_t i = 0; i < p.batches * p.state; i++) {
            h0[i] = h1[i] = (int8_t)p.hidden_zp;
            c0[i] = c1[i] = 0;
        }
        int16_t *const bufs0[4] = {b0[0], b0[1], b0[2], b0[3]};
        int16_t *const bufs1[4] = {b1[0], b1[1], b1[2], b1[3]};
        const int32_t n_in = p.batches * p.steps * p.input_size, n_out = p.batches * p.steps * p.state;
        int ok = 1;
        for (int run = 0; run < 3 && ok; run++) {
            for (int32_t i = 0; i < n_in; i++) in[i] = (int8_t)rnd();
            ts_lstm_s8(&p, &wts, in, h0, c0, o0, bufs0, 0);
            ts_lstm_s8(&p, &wts, in, h1, c1, o1, bufs1, 1);
            ok = memcmp(o0, o1, (size_t)n_out) == 0 && memcmp(h0, h1, (size_t)(p.batches * p.state)) == 0 &&
                 memcmp(c0, c1, (size_t)(p.batches * p.state) * 2u) == 0;
        }
        check(ok, "lstm simd == ref", it);
    }
}

int main(void)
{
    test_s16_activations();
    test_tanhf();
    test_svdf(2000);
    test_lstm(1000);
    printf("%u passed, %u failed\n", passed, failed);
    return failed != 0;
}
