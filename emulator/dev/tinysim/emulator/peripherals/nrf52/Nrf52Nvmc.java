package dev.tinysim.emulator.peripherals.nrf52;

import dev.tinysim.emulator.board.PeripheralSpec;
import dev.tinysim.emulator.bus.PeripheralContext;
import dev.tinysim.emulator.bus.RegisterBlock;

/**
 * Non-volatile memory controller: CONFIG.WEN = 1 lets CPU stores program flash (bits go from 1
 * to 0), WEN = 2 allows ERASEPAGE/ERASEALL. READY is always 1: programming and erasing complete
 * at once. ICACHECNF is stored; the timing model reads it (cache on/off). With CACHEEN and
 * CACHEPROFEN set, IHIT counts one hit per 32-bit instruction fetch word of every executed block
 * in flash, and IMISS stays 0: the timing model's cache always hits (docs/timing-model.md), and
 * the counters say what the cycles assume. Firmware writes them to reset them.
 */
public final class Nrf52Nvmc extends RegisterBlock implements dev.tinysim.emulator.timing.TimingModel.MemoryState {
    static final int READY = 0x400, READYNEXT = 0x408, CONFIG = 0x504, ERASEPAGE = 0x508, ERASEALL = 0x50C,
            ERASEUICR = 0x514, ERASEPAGEPARTIAL = 0x518, ERASEPAGEPARTIALCFG = 0x51C, ICACHECNF = 0x540,
            IHIT = 0x548, IMISS = 0x54C;
    private static final long PAGE = 4096;

    private int config;
    private int icachecnf;
    private long ihit, imiss;

    public Nrf52Nvmc(PeripheralSpec spec, PeripheralContext ctx) {
        super(spec.name(), spec.base(), ctx.unmodelled());
        readOnly(READY, "READY", () -> 1);
        readOnly(READYNEXT, "READYNEXT", () -> 1);
        register(CONFIG, "CONFIG", () -> config, v -> {
            config = v & 3;
            ctx.flash().setWriteEnabled(config == 1);
        });
        register(ERASEPAGE, "ERASEPAGE", () -> 0, v -> {
            if (config == 2) {
                ctx.flash().erasePage(v & 0xFFFFFFFFL, PAGE);
            } else {
                ctx.log().log(String.format("%s: ERASEPAGE 0x%08x ignored: CONFIG.WEN is not 2 (erase)", spec.name(), v));
            }
        });
        register(ERASEPAGEPARTIAL, "ERASEPAGEPARTIAL", () -> 0, v -> {
            if (config == 2) {
                ctx.flash().erasePage(v & 0xFFFFFFFFL, PAGE);
            }
        });
        storage(ERASEPAGEPARTIALCFG, "ERASEPAGEPARTIALCFG", 0x0A);
        register(ERASEALL, "ERASEALL", () -> 0, v -> {
            if (config == 2 && (v & 1) != 0) {
                long flashSize = ctx.memory().mappings().stream()
                        .filter(m -> m.region().kind() == dev.tinysim.emulator.board.MemoryRegion.Kind.FLASH)
                        .mapToLong(m -> m.region().size()).findFirst().orElse(0);
                for (long a = 0; a < flashSize; a += PAGE) {
                    ctx.flash().erasePage(a, PAGE);
                }
            }
        });
        register(ERASEUICR, "ERASEUICR", () -> 0, v -> { });
        register(ICACHECNF, "ICACHECNF", () -> icachecnf, v -> {
            int before = icachecnf;
            icachecnf = v & 0x101;
            if (before != icachecnf) {
                ctx.flash().cacheConfigurationChanged();
            }
        });
        register(IHIT, "IHIT", () -> (int) ihit, v -> ihit = v & 0xFFFFFFFFL);
        register(IMISS, "IMISS", () -> (int) imiss, v -> imiss = v & 0xFFFFFFFFL);
    }

    /** NVMC ICACHECNF.CACHEEN. */
    public boolean cacheEnabled() {
        return (icachecnf & 1) != 0;
    }

    @Override
    public boolean flashCacheEnabled() {
        return cacheEnabled();
    }

    @Override
    public boolean flashCacheProfiling() {
        return (icachecnf & 0x100) != 0;
    }

    @Override
    public void flashCacheAccesses(long hits, long misses) {
        ihit = (ihit + hits) & 0xFFFFFFFFL;
        imiss = (imiss + misses) & 0xFFFFFFFFL;
    }
}
