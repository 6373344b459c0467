/* tinysim fault and semihosting test image. The case to run is the first word of the command
 * line (semihosting SYS_GET_CMDLINE): `tinysim run faults -- read-unmapped`. Each case ends in
 * exactly one way that tinysim must report: a fault class, a hang, a breakpoint, an exit status.
 * The HardFault handler either spins (the usual default) or, for the "handled-" cases, reports
 * the fault status registers through semihosting and exits with status 3. */
#include <stdint.h>
#include <string.h>
#include "console.h"
#include "nrf52840.h"
#include "semihost.h"
#include "tinysim_requires.h"

TINYSIM_REQUIRES("arg:read-unmapped,handled-read-unmapped unmapped 0x30000000 the read that must fault there");
TINYSIM_REQUIRES("arg:write-unmapped,handled-write-unmapped unmapped 0x30000004 the write that must fault there");
TINYSIM_REQUIRES("arg:fetch-unmapped,handled-fetch-unmapped unmapped 0x30000000 the call that must fault there");
TINYSIM_REQUIRES("arg:flash-write,handled-flash-write peripheral nrf52.nvmc@0x4001e000 the NVMC that writes and erases flash");
TINYSIM_REQUIRES("arg:flash-write,handled-flash-write flash 0x000f0000 the erased flash page it writes");
TINYSIM_REQUIRES("arg:unmodelled,handled-unmodelled peripheral unmodelled@0x40001000 the nRF52 RADIO registers it touches, which tinysim does not model");
TINYSIM_REQUIRES("arg:ram-code,handled-ram-code alias 0x00800000=0x20000000 the nRF52 code-bus alias of RAM it runs code from");

static volatile int report_faults;

static void say(const char *s)
{
    sh_puts(s);
}

static void say_hex(const char *label, uint32_t v)
{
    line_t l;
    line_reset(&l);
    line_str(&l, label);
    line_hex32(&l, v);
    line_str(&l, "\n");
    semihost_write(l.buf, l.len);
}

/* A strong HardFault handler: either report and exit, or spin as a default handler does. */
void HardFault_Handler(void) __attribute__((naked));
void HardFault_Handler(void)
{
    __asm__ volatile(
        "ldr r0, =report_faults\n"
        "ldr r0, [r0]\n"
        "cbz r0, 1f\n"
        "tst lr, #4\n"
        "ite eq\n"
        "mrseq r0, msp\n"
        "mrsne r0, psp\n"
        "b hardfault_report\n"
        "1: b 1b\n");
}

__attribute__((used, noreturn)) void hardfault_report(uint32_t *frame)
{
    say("HardFault handler: fault delivered\n");
    say_hex("  CFSR  ", SCB_CFSR);
    say_hex("  HFSR  ", SCB_HFSR);
    say_hex("  BFAR  ", SCB_BFAR);
    say_hex("  stacked PC ", frame[6]);
    say_hex("  stacked LR ", frame[5]);
    sh_exit(3);
}

static volatile uint32_t svc_calls;
void SVC_Handler(void)
{
    svc_calls++;
}

typedef void (*fn_t)(void);

static uint32_t deep(uint32_t n)
{
    volatile uint8_t pad[512];
    pad[0] = (uint8_t)n;
    if (n > 1000000u) {   /* never reached: the stack leaves RAM long before */
        return pad[0];
    }
    return deep(n + 1) + pad[0];
}

/* Code that can run from RAM: position-independent, no literal pool. */
__attribute__((noinline)) static uint32_t add3(uint32_t a)
{
    return a + 3;
}

static char cmdline[128];

static const char *get_case(void)
{
    uint32_t block[2] = { (uint32_t)cmdline, sizeof cmdline };
    if (sh_call(SH_SYS_GET_CMDLINE, block) != 0) {
        return "";
    }
    /* Skip the program name (the first word), take the second. */
    char *p = cmdline;
    while (*p && *p != ' ') p++;
    while (*p == ' ') p++;
    char *end = p;
    while (*end && *end != ' ') end++;
    *end = 0;
    return p;
}

static int is(const char *a, const char *b)
{
    return strcmp(a, b) == 0;
}

static volatile uint32_t sink;

int main(void)
{
    const char *c = get_case();
    if (strncmp(c, "handled-", 8) == 0) {
        report_faults = 1;
        c += 8;
    }
    say("faults: case ");
    say(c);
    say("\n");

    if (is(c, "read-unmapped")) {
        sink = *(volatile uint32_t *)0x30000000u;
    } else if (is(c, "write-unmapped")) {
        *(volatile uint32_t *)0x30000004u = 0x12345678u;
    } else if (is(c, "fetch-unmapped")) {
        ((fn_t)0x30000001u)();
    } else if (is(c, "invalid-instruction")) {
        __asm__ volatile(".short 0xde42");   /* UDF #0x42 */
    } else if (is(c, "invalid-state")) {
        __asm__ volatile("ldr r0, =add3\n bic r0, r0, #1\n bx r0" ::: "r0");
    } else if (is(c, "stack-overflow")) {
        sink = deep(0);
    } else if (is(c, "runaway")) {
        for (;;) {
            sink++;
        }
    } else if (is(c, "spin")) {
        for (;;) {
        }
    } else if (is(c, "wfi")) {
        __asm__ volatile("wfi");
    } else if (is(c, "bkpt")) {
        __asm__ volatile("bkpt 0x01");
    } else if (is(c, "nocp")) {
#if defined(__ARM_FP)
        SCB_CPACR &= ~(0xFu << 20);
        __asm__ volatile("dsb\n isb\n vmov s0, %0\n vadd.f32 s1, s0, s0" ::"r"(1) : "s0", "s1");
#endif
    } else if (is(c, "div0")) {
        SCB_CCR |= (1u << 4);   /* DIV_0_TRP */
        volatile uint32_t zero = 0;
        sink = 100u / zero;
    } else if (is(c, "svc")) {
        __asm__ volatile("svc 1");
        __asm__ volatile("svc 2");
        say_hex("svc handler calls: ", svc_calls);
        return svc_calls == 2 ? 0 : 1;
    } else if (is(c, "flash-write")) {
        volatile uint32_t *word = (volatile uint32_t *)0x000F0000u;   /* an erased page */
        say_hex("before: ", *word);
        NVMC_CONFIG = 1;                /* WEN: write enable */
        while (NVMC_READY == 0) {
        }
        *word = 0x12345678u;
        NVMC_CONFIG = 0;
        say_hex("after:  ", *word);
        NVMC_CONFIG = 2;                /* EEN: erase enable */
        NVMC_ERASEPAGE = 0x000F0000u;
        NVMC_CONFIG = 0;
        say_hex("erased: ", *word);
        *word = 0;                      /* no write enable: a bus fault */
    } else if (is(c, "abnormal-exit")) {
        sh_call(SH_SYS_EXIT, (const void *)0x20023u);   /* ADP_Stopped_RunTimeErrorUnknown */
    } else if (is(c, "exit-status")) {
        return 42;
    } else if (is(c, "semihosting")) {
        int32_t err = sh_open_tt(8);              /* stderr */
        static const char e[] = "to stderr\n";
        sh_write(err, e, sizeof e - 1);
        char ch = 'W';
        sh_call(SH_SYS_WRITEC, &ch);
        say("\n");
        /* features file: magic SHFB and the feature byte */
        static const char feat[] = ":semihosting-features";
        uint32_t open_block[3] = { (uint32_t)feat, 0, sizeof feat - 1 };
        int32_t fh = sh_call(SH_SYS_OPEN, open_block);
        uint8_t fb[5] = { 0 };
        uint32_t read_block[3] = { (uint32_t)fh, (uint32_t)fb, 5 };
        int32_t left = sh_call(SH_SYS_READ, read_block);
        say_hex("features: ", (uint32_t)fb[4] | ((uint32_t)(fb[0] == 'S' && fb[1] == 'H' && fb[2] == 'F' && fb[3] == 'B') << 8)
                                   | ((uint32_t)left << 16));
        uint32_t heap[4];
        uint32_t *heap_ptr = heap;
        sh_call(SH_SYS_HEAPINFO, &heap_ptr);
        say_hex("stack base: ", heap[2]);
        say_hex("tickfreq: ", (uint32_t)sh_call(SH_SYS_TICKFREQ, 0));
        uint32_t ticks[2];
        sh_call(SH_SYS_ELAPSED, ticks);
        say_hex("elapsed>0: ", ticks[0] > 0);
        /* read a line from stdin */
        char buf[32] = { 0 };
        int32_t in = sh_open_tt(0);
        uint32_t rb[3] = { (uint32_t)in, (uint32_t)buf, 5 };
        int32_t notread = sh_call(SH_SYS_READ, rb);
        say("stdin: ");
        say(buf);
        say_hex("\nnot read: ", (uint32_t)notread);
        return 7;
    } else if (is(c, "unmodelled")) {
        sink = *(volatile uint32_t *)0x40001400u;     /* RADIO: no model */
        *(volatile uint32_t *)0x40001500u = 1;
        return 0;
    } else if (is(c, "reset")) {
        SCB_AIRCR = (0x05FAu << 16) | (1u << 2);   /* SYSRESETREQ */
        for (;;) {
        }
    } else if (is(c, "ram-code")) {
        /* Copy add3 into RAM and run it from its data-bus address and from the code-bus alias. */
        static uint16_t ram_code[16] __attribute__((aligned(4)));
        memcpy(ram_code, (const void *)((uint32_t)add3 & ~1u), sizeof ram_code);
        __asm__ volatile("dsb\n isb" ::: "memory");
        uint32_t data_bus = (uint32_t)ram_code | 1u;
        uint32_t code_bus = ((uint32_t)ram_code - 0x20000000u + 0x00800000u) | 1u;
        uint32_t a = ((uint32_t (*)(uint32_t))data_bus)(1);
        uint32_t b = ((uint32_t (*)(uint32_t))code_bus)(2);
        say_hex("from RAM: ", a);
        say_hex("from the code-bus alias: ", b);
        return (a == 4 && b == 5) ? 0 : 1;
    } else {
        say("unknown case\n");
        return 2;
    }
    say("the fault did not happen\n");
    return 1;
}
