/* Unit tests of the sequence helper's C code (host build): the int16 logistic/tanh cores, ts_tanhf
 * and ts_logisticf.
 *
 *  1. ts_logistic_s16 / ts_tanh_s16 over every int16 input for several (multiplier, shift) pairs:
 *     a digest of the outputs equal to the one the Java reference computes
 *     (Int16ActivationsTest holds the same constants), plus values derived by hand
 *  2. ts_tanhf: a digest over a sweep of all float bit patterns equal to Java's
 *     DeterministicMath.tanhf (TanhfTest), and at most 1 ulp from libm's double tanh rounded to float
 *
 * Prints "N passed, N failed"; exit status 1 on a failure. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
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

int main(void)
{
    test_s16_activations();
    test_tanhf();
    printf("%u passed, %u failed\n", passed, failed);
    return failed != 0;
}
