/* Development harness for QEMU's mps2-an386 (Cortex-M4): no tinysim to place the model and
 * write the ts_host block, so the firmware reads the semihosting command line
 *     MODEL.tflite [input=FILE] [runs=N] [reference] [hex]
 * and loads the model file with semihosting file I/O into the model region (RAM on the
 * mps2-an386, where the nRF52840 has flash). Not part of the prebuilt firmware. */
#include <stdint.h>
#include <string.h>
#include "nrf52840.h"
#include "semihost.h"
#include "ts_runtime.h"

extern uint8_t __model_start[], __model_end[];

static char cmdline[512];
static const char *input_path;

static int32_t sh_open_read(const char *path)
{
    uint32_t block[3] = { (uint32_t)(uintptr_t)path, 1 /* "rb" */, (uint32_t)strlen(path) };
    return sh_call(SH_SYS_OPEN, block);
}

static uint32_t parse_u32(const char *s)
{
    uint32_t v = 0;
    while (*s >= '0' && *s <= '9') {
        v = v * 10u + (uint32_t)(*s++ - '0');
    }
    return v;
}

int ts_qemu_config(ts_config *cfg, uint32_t *runs, uint32_t *flags)
{
    uint32_t block[2] = { (uint32_t)(uintptr_t)cmdline, sizeof cmdline - 1 };
    if (sh_call(SH_SYS_GET_CMDLINE, block) != 0) {
        return -1;
    }
    cmdline[sizeof cmdline - 1] = 0;
    /* tokens separated by spaces; the first one may be the program name QEMU passes */
    char *tok[8];
    int n = 0;
    for (char *p = cmdline; *p && n < 8;) {
        while (*p == ' ') {
            *p++ = 0;
        }
        if (*p == 0) {
            break;
        }
        tok[n++] = p;
        while (*p && *p != ' ') {
            p++;
        }
    }
    const char *model = NULL;
    for (int i = 0; i < n; i++) {
        if (!strncmp(tok[i], "input=", 6)) {
            input_path = tok[i] + 6;
        } else if (!strncmp(tok[i], "runs=", 5)) {
            *runs = parse_u32(tok[i] + 5);
        } else if (!strcmp(tok[i], "reference")) {
            cfg->kernels = TS_KERNELS_REFERENCE;
        } else if (!strcmp(tok[i], "hex")) {
            *flags |= TS_FLAG_PRINT_OUTPUT;
        } else {
            size_t l = strlen(tok[i]);
            if (l > 7 && !strcmp(tok[i] + l - 7, ".tflite")) {
                model = tok[i];
            }
        }
    }
    if (model == NULL) {
        return -1;
    }
    int32_t fh = sh_open_read(model);
    if (fh < 0) {
        sh_puts("cannot open the model file\n");
        return -1;
    }
    int32_t len = sh_call(SH_SYS_FLEN, &fh);
    uint32_t cap = (uint32_t)(__model_end - __model_start);
    if (len < 0 || (uint32_t)len > cap) {
        cfg->config_error = TS_ERR_MODEL_TOO_LARGE;
        cfg->model_size = (uint32_t)len;
        return -1;
    }
    uint32_t rd[3] = { (uint32_t)fh, (uint32_t)(uintptr_t)__model_start, (uint32_t)len };
    if (sh_call(SH_SYS_READ, rd) != 0) {
        sh_puts("cannot read the model file\n");
        return -1;
    }
    uint32_t cl = (uint32_t)fh;
    sh_call(SH_SYS_CLOSE, &cl);
    cfg->model_size = (uint32_t)len;
    return 0;
}

/* TS_SYS_INPUT stand-in: the input= file holds every graph input back to back, in graph order (the
 * same inputs every run). Inputs are asked for in order, so input `index` starts where the previous
 * one ended. */
#define SH_SYS_SEEK 0x0Au
int32_t ts_qemu_input(uint32_t run, uint32_t index, void *ptr, uint32_t len)
{
    static uint32_t pos;
    (void)run;
    if (index == 0) {
        pos = 0;
    }
    if (input_path == NULL) {
        return -1;
    }
    int32_t fh = sh_open_read(input_path);
    if (fh < 0 || sh_call(SH_SYS_FLEN, &fh) < (int32_t)(pos + len)) {
        sh_puts("input file missing or too short\n");
        return -1;
    }
    uint32_t sk[2] = { (uint32_t)fh, pos };
    int32_t seek = sh_call(SH_SYS_SEEK, sk);
    uint32_t rd[3] = { (uint32_t)fh, (uint32_t)(uintptr_t)ptr, len };
    int32_t left = seek == 0 ? sh_call(SH_SYS_READ, rd) : -1;
    uint32_t cl = (uint32_t)fh;
    sh_call(SH_SYS_CLOSE, &cl);
    pos += len;
    return left == 0 ? 0 : -1;
}

/* A cycle stand-in under QEMU (DWT reads 0 there): SysTick on the processor clock, counted
 * with its wrap interrupt. Run QEMU with -icount shift=0 to make virtual time proportional
 * to executed instructions; then ts_qemu_ticks() * (1e9 / 25e6) = instructions (mps2-an386
 * SYSCLK is 25 MHz, one instruction = 1 ns of virtual time): an instruction count, not cycles. */
static volatile uint32_t systick_wraps;

void SysTick_Handler(void) { systick_wraps++; }

void ts_qemu_timer_start(void)
{
    SYST_RVR = 0x00FFFFFFu;
    SYST_CVR = 0;
    SYST_CSR = 7u; /* ENABLE | TICKINT | CLKSOURCE = processor clock */
}

uint32_t ts_qemu_ticks(void)
{
    uint32_t w, v;
    do {
        w = systick_wraps;
        v = SYST_CVR;
    } while (w != systick_wraps);
    return w * 0x01000000u + (0x00FFFFFFu - v);
}
