/* tinysim timing firmware: the cycle model's microbenchmarks (cases.S) and programs that look
 * like real work (programs.c), timed with DWT CYCCNT and printed over semihosting.
 *
 *   tinysim run timing                 every case, then every program
 *   tinysim run timing -- cases        the cases only
 *   tinysim run timing -- programs     the programs only
 *   tinysim run timing -- crc32        one program (crc32, isort, qsort, matmul_int, matmul_float, fsm)
 *   tinysim run timing -- none         nothing: the baseline a program's run is compared with
 *
 * Output lines: "case <name> cycles=<n>" (the case's BODY, the measured overhead subtracted, see
 * cases.S) and "program <name> cycles=<n> checksum=<hex>". The programs' inputs are prepared in
 * every mode (also "none"), so that a program's instructions and cycles are the difference
 * between its run's report and the "none" run's report: that is how docs/timing-model.md and
 * TimingMicrobenchmarkTest compute their CPI.
 */
#include <stdint.h>
#include <string.h>
#include "console.h"
#include "nrf52840.h"
#include "semihost.h"
#include "programs.h"
#include "tinysim_requires.h"

TINYSIM_REQUIRES("no-args alias 0x00800000=0x20000000 the nRF52 code-bus alias of RAM the cases run from");
TINYSIM_REQUIRES("arg:cases alias 0x00800000=0x20000000 the nRF52 code-bus alias of RAM the cases run from");

typedef uint32_t (*case_fn)(volatile uint32_t *cyccnt);

/* cases.S */
extern const uint8_t timing_cases_start[], timing_cases_end[];
#define CASE(name) extern uint32_t case_##name(volatile uint32_t *cyccnt);
#include "case_list.h"
CASE(flash_empty)
CASE(flash_alu16)
CASE(flash_alu32)
CASE(flash_loop)
CASE(flash_literal)
#undef CASE

/* A RAM buffer the cases load from and store to (r12 in cases.S). */
uint32_t timing_scratch[64] __attribute__((aligned(8)));

struct timing_case {
    const char *name;
    case_fn fn;
};

static const struct timing_case ram_cases[] = {
#define CASE(name) { #name, case_##name },
#include "case_list.h"
#undef CASE
};

static const struct timing_case flash_cases[] = {
    { "flash_empty", case_flash_empty },
    { "flash_alu16", case_flash_alu16 },
    { "flash_alu32", case_flash_alu32 },
    { "flash_loop", case_flash_loop },
    { "flash_literal", case_flash_literal },
};

/* The cases run from a RAM copy, through the code-bus alias of RAM at 0x00800000 (no wait
 * states, the TRM's assumption; the System-bus address 0x20000000 would add a fetch wait state).
 * 1 KB aligned like their flash original, so no case crosses a 1 KB boundary. */
#define RAM_CODE_SIZE 16384u
static uint8_t ram_code[RAM_CODE_SIZE] __attribute__((aligned(1024)));
#define RAM_BASE 0x20000000u
#define RAM_CODE_ALIAS 0x00800000u

static void out(const char *s, size_t len)
{
    semihost_write(s, len);
}

static void print_value(const char *kind, const char *name, uint32_t cycles)
{
    line_t l;
    line_reset(&l);
    line_str(&l, kind);
    line_str(&l, " ");
    line_str(&l, name);
    line_str(&l, " cycles=");
    line_u32(&l, cycles);
    line_str(&l, "\n");
    out(l.buf, l.len);
}

static case_fn in_ram(case_fn fn)
{
    uintptr_t offset = ((uintptr_t)fn & ~1u) - (uintptr_t)timing_cases_start;
    uintptr_t ram = (uintptr_t)ram_code - RAM_BASE + RAM_CODE_ALIAS;
    return (case_fn)(ram + offset + 1u);
}

static int run_cases(void)
{
    size_t size = (size_t)(timing_cases_end - timing_cases_start);
    if (size > RAM_CODE_SIZE) {
        sh_puts("timing: the cases do not fit their RAM buffer\n");
        return 1;
    }
    memcpy(ram_code, timing_cases_start, size);
    __asm__ volatile("dsb\n\tisb" ::: "memory");

    volatile uint32_t *cyccnt = &DWT_CYCCNT;
    uint32_t overhead = in_ram(case_empty)(cyccnt);
    print_value("case-overhead", "ram", overhead);
    for (size_t i = 0; i < sizeof ram_cases / sizeof ram_cases[0]; i++) {
        if (ram_cases[i].fn == case_empty) {
            continue;
        }
        uint32_t raw = in_ram(ram_cases[i].fn)(cyccnt);
        print_value("case", ram_cases[i].name, raw - overhead);
    }
    uint32_t flash_overhead = case_flash_empty(cyccnt);
    print_value("case-overhead", "flash", flash_overhead);
    for (size_t i = 1; i < sizeof flash_cases / sizeof flash_cases[0]; i++) {
        uint32_t raw = flash_cases[i].fn(cyccnt);
        print_value("case", flash_cases[i].name, raw - flash_overhead);
    }
    return 0;
}

static void run_program(const struct program *p)
{
    uint32_t t0 = DWT_CYCCNT;
    uint32_t checksum = p->run();
    uint32_t t1 = DWT_CYCCNT;
    line_t l;
    line_reset(&l);
    line_str(&l, "program ");
    line_str(&l, p->name);
    line_str(&l, " cycles=");
    line_u32(&l, t1 - t0);
    line_str(&l, " checksum=");
    line_hex32(&l, checksum);
    line_str(&l, "\n");
    out(l.buf, l.len);
}

/* The words of the semihosting command line after the image name. */
static char cmdline[128];

static const char *first_argument(void)
{
    uint32_t block[2] = { (uint32_t)cmdline, sizeof cmdline - 1 };
    if (sh_call(SH_SYS_GET_CMDLINE, block) != 0) {
        return "";
    }
    cmdline[sizeof cmdline - 1] = 0;
    char *s = cmdline;
    while (*s && *s != ' ') {   /* skip the image name */
        s++;
    }
    while (*s == ' ') {
        s++;
    }
    char *end = s;
    while (*end && *end != ' ') {
        end++;
    }
    *end = 0;
    return s;
}

int main(void)
{
    dwt_enable();
    timing_scratch[4] = (uint32_t)&timing_scratch[0];   /* case ldr_dependent */
    const char *arg = first_argument();
    int all = arg[0] == 0;
    int status = 0;

    if (all || strcmp(arg, "cases") == 0) {
        status = run_cases();
    }
    programs_prepare();
    for (size_t i = 0; i < program_count; i++) {
        if (all || strcmp(arg, "programs") == 0 || strcmp(arg, programs[i].name) == 0) {
            run_program(&programs[i]);
        }
    }
    if (!all && strcmp(arg, "cases") != 0 && strcmp(arg, "programs") != 0 && strcmp(arg, "none") != 0) {
        int known = 0;
        for (size_t i = 0; i < program_count; i++) {
            known |= strcmp(arg, programs[i].name) == 0;
        }
        if (!known) {
            sh_puts("timing: unknown argument (cases, programs, none, or a program name)\n");
            return 2;
        }
    }
    return status;
}
