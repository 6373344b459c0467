/* tinysim's nRF52 instruction-cache image: with NVMC ICACHECNF = CACHEEN | CACHEPROFEN, a loop
 * whose body fits the cache (1 KB) and one that does not (3 KB), each run once and eleven times,
 * printing what IHIT, IMISS and DWT CYCCNT counted (loops.S). FlashCacheProfilingTest checks the
 * figures against the cache geometry and miss penalty of boards/nrf52840.json. */
#include <stdint.h>
#include "console.h"
#include "nrf52840.h"
#include "tinysim_requires.h"

TINYSIM_REQUIRES("always peripheral nrf52.nvmc@0x4001e000 the NVMC whose cache (ICACHECNF) and counters (IHIT, IMISS) it measures");

#define NVMC_ICACHECNF REG32(0x4001E540u)
#define ICACHECNF_CACHEEN     (1u << 0)
#define ICACHECNF_CACHEPROFEN (1u << 8)

void icache_fits(uint32_t n, uint32_t out[3]);
void icache_thrash(uint32_t n, uint32_t out[3]);

static void report(const char *name, uint32_t n, void (*loop)(uint32_t, uint32_t[3]))
{
    uint32_t out[3];
    loop(n, out);
    line_t l;
    line_reset(&l);
    line_str(&l, name);
    line_str(&l, " x");
    line_u32(&l, n);
    line_str(&l, ": ihit ");
    line_u32(&l, out[0]);
    line_str(&l, " imiss ");
    line_u32(&l, out[1]);
    line_str(&l, " cycles ");
    line_u32(&l, out[2]);
    line_str(&l, "\n");
    semihost_write(l.buf, l.len);
}

int main(void)
{
    dwt_enable();
    NVMC_ICACHECNF = ICACHECNF_CACHEEN | ICACHECNF_CACHEPROFEN;
    report("fits", 1, icache_fits);
    report("fits", 11, icache_fits);
    report("thrash", 1, icache_thrash);
    report("thrash", 11, icache_thrash);
    NVMC_ICACHECNF = ICACHECNF_CACHEEN;   /* profiling off: the counters hold their values */
    report("unprofiled", 11, icache_fits);
    return 0;
}
