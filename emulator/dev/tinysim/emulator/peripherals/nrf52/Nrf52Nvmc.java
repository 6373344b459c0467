package dev.tinysim.emulator.peripherals.nrf52;

import dev.tinysim.emulator.board.PeripheralSpec;
import dev.tinysim.emulator.bus.PeripheralContext;
import dev.tinysim.emulator.bus.RegisterBlock;
import dev.tinysim.emulator.board.MemorySystemSpec.Side;
import dev.tinysim.emulator.memory.MemorySystemControls;

/**
 * Non-volatile memory controller: CONFIG.WEN = 1 lets CPU stores program flash (bits go from 1
 * to 0), WEN = 2 allows ERASEPAGE/ERASEALL. READY is always 1: programming and erasing complete
 * at once. ICACHECNF.CACHEEN switches the flash path's instruction cache (off at reset, as on
 * silicon); while CACHEPROFEN is set, IHIT and IMISS count the cache's hits and misses (one per
 * 32-bit fetch, the unit the nRF52 reads flash in). Firmware writes them to reset them.
 */
public final class Nrf52Nvmc extends RegisterBlock {
    static final int READY = 0x400, READYNEXT = 0x408, CONFIG = 0x504, ERASEPAGE = 0x508, ERASEALL = 0x50C,
            ERASEUICR = 0x514, ERASEPAGEPARTIAL = 0x518, ERASEPAGEPARTIALCFG = 0x51C, ICACHECNF = 0x540,
            IHIT = 0x548, IMISS = 0x54C;
    private static final long PAGE = 4096;

    private final MemorySystemControls memory;
    private int config;
    private int icachecnf;
    /** The counters as firmware last set them, and the flash path's counts at that moment (while profiling). */
    private long ihit, imiss, hitBase, missBase;

    public Nrf52Nvmc(PeripheralSpec spec, PeripheralContext ctx) {
        super(spec.name(), spec.base(), ctx.unmodelled());
        this.memory = ctx.memorySystem();
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
            boolean wasProfiling = profiling();
            if (wasProfiling) {
                ihit = counted(ihit, hitBase, memory.stats().instructionHits());
                imiss = counted(imiss, missBase, memory.stats().instructionMisses());
            }
            icachecnf = v & 0x101;
            memory.setCache(Side.INSTRUCTION, cacheEnabled());
            hitBase = memory.stats().instructionHits();
            missBase = memory.stats().instructionMisses();
        });
        register(IHIT, "IHIT", () -> (int) (profiling() ? counted(ihit, hitBase, memory.stats().instructionHits()) : ihit), v -> {
            ihit = v & 0xFFFFFFFFL;
            hitBase = memory.stats().instructionHits();
        });
        register(IMISS, "IMISS", () -> (int) (profiling() ? counted(imiss, missBase, memory.stats().instructionMisses()) : imiss), v -> {
            imiss = v & 0xFFFFFFFFL;
            missBase = memory.stats().instructionMisses();
        });
    }

    private static long counted(long value, long base, long now) {
        return (value + now - base) & 0xFFFFFFFFL;
    }

    /** NVMC ICACHECNF.CACHEEN. */
    public boolean cacheEnabled() {
        return (icachecnf & 1) != 0;
    }

    private boolean profiling() {
        return (icachecnf & 0x101) == 0x101;
    }
}
