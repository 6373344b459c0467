/* tinysim self-test: the default firmware the README's first command runs.
 * It checks, on the emulated nRF52840, the things every other image relies on: the clock
 * start-up handshake, console output through UART0, UARTE0 (EasyDMA) and semihosting, the DWT
 * cycle counter, the Cortex-M4 DSP instructions and float arithmetic (FPU instructions in the
 * hard-float build, library calls in the soft-float build). It exits with the number of failed
 * checks: 0 means everything passed.
 *
 * Built twice from this file: selftest (nRF52: CLOCK handshake, UART0, UARTE0 and semihosting) and,
 * with SELFTEST_SEMIHOSTING_ONLY, selftest-semihosting (console through semihosting only, no
 * peripheral), which tinysim runs on boards without the nRF52 peripherals. */
#include <arm_acle.h>
#include <stdint.h>
#include "console.h"
#include "nrf52840.h"
#include "semihost.h"
#include "tinysim_requires.h"

#ifndef SELFTEST_SEMIHOSTING_ONLY
TINYSIM_REQUIRES("always peripheral nrf52.clock@0x40000000 the HFCLK start-up handshake");
TINYSIM_REQUIRES("always peripheral nrf52.uarte@0x40002000 the UART0 and UARTE0 console lines");
#endif

static int failures;

static void report(const char *what, int ok)
{
    line_t l;
    line_reset(&l);
    line_str(&l, ok ? "  ok    " : "  FAIL  ");
    line_str(&l, what);
    line_str(&l, "\n");
    semihost_write(l.buf, l.len);
    if (!ok) {
        failures++;
    }
}

/* Inputs live in volatile globals so that the compiler cannot fold the arithmetic away. */
static volatile uint32_t dsp_a = 0x00030002u;   /* int16 pairs (3, 2) */
static volatile uint32_t dsp_b = 0x00050004u;   /* (5, 4) */
static volatile uint32_t dsp_bytes = 0x80FF7F01u;
static volatile uint32_t dsp_sat = 0x7FFF8000u;
static volatile int32_t dsp_big = 100000;

static void check_dsp(void)
{
    /* SMLAD: 3*5 + 2*4 + 100 = 123 */
    report("SMLAD (3*5 + 2*4 + 100 = 123)", __smlad(dsp_a, dsp_b, 100) == 123);
    /* SXTB16 sign-extends bytes 0 and 2: 0x01 -> 1, 0xFF -> -1 */
    report("SXTB16 (0x80FF7F01 -> 0xFFFF0001)", (uint32_t)__sxtb16(dsp_bytes) == 0xFFFF0001u);
    /* QADD16 saturates each half: 0x7FFF+1 -> 0x7FFF (top), 0x8000+(-1) -> 0x8000 (bottom) */
    report("QADD16 saturates both halves", (uint32_t)__qadd16(dsp_sat, 0x0001FFFFu) == 0x7FFF8000u);
    /* SSAT to 8 bits: 100000 -> 127 */
    report("SSAT #8 (100000 -> 127)", __ssat(dsp_big, 8) == 127);
}

static volatile float f_x = 1.5f;
static volatile float f_y = -2.25f;
static volatile int32_t f_n = 7;

static void check_float(void)
{
    float prod = f_x * f_y;                 /* -3.375, exact */
    report("float multiply (1.5 * -2.25 = -3.375)", prod == -3.375f);
    float q = 1.0f / (float)f_n;            /* 1/7 rounded to nearest float */
    union { float f; uint32_t u; } bits = { .f = q };
    report("float divide (1/7 = 0x3e124925)", bits.u == 0x3e124925u);
    float acc = 0.0f;
    for (int i = 1; i <= 100; i++) {
        acc += (float)i * f_x;              /* 1.5 * 5050 = 7575, exact in float */
    }
    report("float accumulate (sum 1.5*i, i=1..100 = 7575)", acc == 7575.0f);
    report("float to int conversion (-3.375 -> -3)", (int32_t)prod == -3);
}

static void check_dwt(void)
{
    dwt_enable();
    uint32_t start = DWT_CYCCNT;
    volatile uint32_t sink = 0;
    for (uint32_t i = 0; i < 1000; i++) {
        sink += i;
    }
    uint32_t elapsed = DWT_CYCCNT - start;
    line_t l;
    line_reset(&l);
    line_str(&l, "  dwt   1000-iteration loop took ");
    line_u32(&l, elapsed);
    line_str(&l, " cycles (DWT CYCCNT)\n");
    semihost_write(l.buf, l.len);
    report("DWT CYCCNT advances", elapsed >= 1000 && sink == 499500u);
}

int main(void)
{
#ifndef SELFTEST_SEMIHOSTING_ONLY
    CLOCK_TASKS_HFCLKSTART = 1;
    while (CLOCK_EVENTS_HFCLKSTARTED == 0) {
    }

    static const char uart_text[] = "tinysim self-test: hello from UART0\n";
    uart0_write(uart_text, sizeof uart_text - 1);
    static const char uarte_text[] = "tinysim self-test: hello from UARTE0 (EasyDMA)\n";
    uarte0_write(uarte_text, sizeof uarte_text - 1);
#endif
    sh_puts("tinysim self-test: hello from semihosting\n");

    line_t l;
    line_reset(&l);
    line_str(&l, "  cpu   CPUID ");
    line_hex32(&l, SCB_CPUID);
#if defined(__ARM_FP)
    line_str(&l, ", hard-float build (FPv4-SP)\n");
#else
    line_str(&l, ", soft-float build (no FPU instructions)\n");
#endif
    semihost_write(l.buf, l.len);
    report("CPUID is Cortex-M4 r0p1 (0x410fc241)", SCB_CPUID == 0x410FC241u);

    check_dsp();
    check_float();
    check_dwt();

    line_reset(&l);
    line_str(&l, failures == 0 ? "self-test passed\n" : "self-test FAILED: ");
    if (failures != 0) {
        line_i32(&l, failures);
        line_str(&l, " check(s)\n");
    }
    semihost_write(l.buf, l.len);
    return failures;
}
