/* Firmware entry of the inference runtime on the nRF52840 (and, with TS_QEMU, on QEMU's
 * mps2-an386 for development): reads the host configuration block that tinysim writes before
 * reset, enables the DWT cycle counter and runs the protocol of docs/inference-protocol.md. */
#include <stdint.h>
#include "nrf52840.h"
#include "semihost.h"
#include "ts_runtime.h"

/* ts_host.flags bit 1: enable the nRF52 instruction cache (docs/inference-protocol.md). */
#define TS_FLAG_NRF52_ICACHE 2u

#define TS_HOST_MAGIC 0x43485354u /* "TSHC" */
#define TS_SYS_INPUT 0x100u
#define TS_SYS_OUTPUT 0x101u

struct ts_host_config {
    uint32_t magic;
    uint32_t version;
    uint32_t model_size;
    uint32_t model_capacity;
    uint32_t runs;
    uint32_t kernels;
    uint32_t arena_base;
    uint32_t arena_size;
    uint32_t flags;
};

/* Written by tinysim before reset; neither loaded nor zeroed by the startup code. */
__attribute__((section(".noinit"), used)) volatile struct ts_host_config ts_host;

/* The register writes the board's vendor SDK makes at boot to set up flash wait states, caches and
   prefetch (ST's HAL_Init and SystemClock_Config, Zephyr's SoC init); written by tinysim with ts_host.
   Address 0 ends the list. */
struct ts_boot_write {
    uint32_t address;
    uint32_t value;
};
__attribute__((section(".noinit"), used)) volatile struct ts_boot_write ts_boot[2];

extern uint8_t __model_start[], __model_end[], __arena_start[], __arena_end[];

#ifdef TS_QEMU
uint32_t ts_qemu_ticks(void);
void ts_qemu_timer_start(void);
/* SysTick ticks x 40 = instructions under qemu -icount shift=0 (see qemu/qemu_port.c) */
uint32_t ts_port_cycles(void) { return ts_qemu_ticks() * 40u; }
#else
uint32_t ts_port_cycles(void) { return DWT_CYCCNT; }
#endif

/* Console: semihosting SYS_WRITE on handle 1 (tinysim's stdout). QEMU maps guest handles
 * through its own table, so the QEMU build opens ":tt" first. */
void ts_port_write(const char *s, size_t len)
{
#ifdef TS_QEMU
    static int32_t tt = -1;
    if (tt < 0) {
        tt = sh_open_tt(4);
    }
    sh_write(tt, s, len);
#else
    sh_write(1, s, len);
#endif
}

/* TS_SYS_INPUT / TS_SYS_OUTPUT, parameter block {run, ptr, len, index}. QEMU aborts on semihosting
 * operations it does not know ("Unsupported SemiHosting SWI 0x100"), so the QEMU development build
 * does not make them. */
int32_t ts_port_input(uint32_t run, uint32_t index, void *ptr, uint32_t len)
{
#ifdef TS_QEMU
    int32_t ts_qemu_input(uint32_t run, uint32_t index, void *ptr, uint32_t len); /* qemu/qemu_port.c */
    return ts_qemu_input(run, index, ptr, len);
#else
    uint32_t block[4] = { run, (uint32_t)(uintptr_t)ptr, len, index };
    return sh_call(TS_SYS_INPUT, block);
#endif
}

void ts_port_output(uint32_t run, uint32_t index, const void *ptr, uint32_t len)
{
#ifdef TS_QEMU
    (void)run, (void)index, (void)ptr, (void)len;
#else
    uint32_t block[4] = { run, (uint32_t)(uintptr_t)ptr, len, index };
    (void)sh_call(TS_SYS_OUTPUT, block);
#endif
}

#ifdef TS_QEMU
int ts_qemu_config(ts_config *cfg, uint32_t *runs, uint32_t *flags); /* qemu/qemu_port.c */
#endif

int main(void)
{
    dwt_enable();
    ts_config cfg = { 0 };
    uint32_t runs = 1, flags = 0;
    uint32_t capacity = (uint32_t)(__model_end - __model_start);
    cfg.model = __model_start;
    cfg.arena = __arena_start;
    cfg.arena_size = (uint32_t)(__arena_end - __arena_start);
    cfg.kernels = TS_KERNELS_SIMD;
    if (ts_host.magic == TS_HOST_MAGIC) {
        if (ts_host.version != 1u) {
            cfg.config_error = TS_ERR_BAD_CONFIG;
            cfg.config_detail = "version";
        }
        if (ts_host.model_capacity != 0) {
            capacity = ts_host.model_capacity;
        }
        cfg.model_size = ts_host.model_size;
        if (cfg.model_size > capacity) {
            cfg.config_error = TS_ERR_MODEL_TOO_LARGE;
        }
        runs = ts_host.runs != 0 ? ts_host.runs : 1u;
        if (ts_host.kernels > 1u) {
            cfg.config_error = TS_ERR_BAD_CONFIG;
            cfg.config_detail = "kernels";
        }
        cfg.kernels = (int32_t)ts_host.kernels;
        if (ts_host.arena_base != 0) {
            cfg.arena = (uint8_t *)(uintptr_t)ts_host.arena_base;
        }
        if (ts_host.arena_size != 0) {
            cfg.arena_size = ts_host.arena_size;
        }
        flags = ts_host.flags;
        if (flags & TS_FLAG_NRF52_ICACHE) {
            /* The nRF52 NVMC instruction cache, off at reset; Zephyr / nRF Connect SDK turn it on at
               boot (CONFIG_NRF_ENABLE_ICACHE), so deployed inference runs with it on. */
            NVMC_ICACHECNF = 1u;
            __asm__ volatile("dsb\n\tisb" ::: "memory");
        }
        for (uint32_t i = 0; i < 2u && ts_boot[i].address != 0; i++) {
            *(volatile uint32_t *)(uintptr_t)ts_boot[i].address = ts_boot[i].value;
            __asm__ volatile("dsb\n\tisb" ::: "memory");
        }
    }
#ifdef TS_QEMU
    else {
        ts_qemu_config(&cfg, &runs, &flags);
    }
    ts_qemu_timer_start();
#endif
#if defined(__ARM_FP)
    const char *abi = "hard";
#else
    const char *abi = "soft";
#endif
    return ts_main(&cfg, runs, flags, abi);
}
