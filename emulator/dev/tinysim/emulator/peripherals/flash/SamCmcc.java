package dev.tinysim.emulator.peripherals.flash;

import dev.tinysim.emulator.board.MemorySystemSpec.Side;
import dev.tinysim.emulator.board.PeripheralSpec;
import dev.tinysim.emulator.bus.PeripheralContext;
import dev.tinysim.emulator.bus.RegisterBlock;
import dev.tinysim.emulator.memory.MemorySystemControls;

/**
 * The Cortex-M Cache Controller of the SAM D5x/E5x (Microchip DS60001507, "CMCC"; register map
 * and reset values as in the device headers): CTRL.CEN switches the cache, CFG.ICDIS/DCDIS take
 * instruction fetches or data reads out of it, MAINT0.INVALL empties it, MAINT1 empties one way
 * (tinysim empties the whole way), SR.CSTS follows CEN. The monitor (MCFG.MODE, MEN, MCTRL, MSR)
 * counts cycles, instruction hits or data hits. TYPE reads the configuration (option "type",
 * 0x12D2: 4 KB, 4-way, 16-byte lines, round robin). Resizing by CFG.CSIZESW is not modelled (logged).
 */
public final class SamCmcc extends RegisterBlock {
    static final int TYPE = 0x00, CFG = 0x04, CTRL = 0x08, SR = 0x0C, LCKWAY = 0x10, MAINT0 = 0x20, MAINT1 = 0x24,
            MCFG = 0x28, MEN = 0x2C, MCTRL = 0x30, MSR = 0x34;
    static final int ICDIS = 1 << 1, DCDIS = 1 << 2, CSIZESW = 7 << 4;

    private final MemorySystemControls memory;
    private final PeripheralContext ctx;
    private final String name;
    private int cfg;
    private boolean enabled;
    private int mcfg;
    private boolean monitorOn;
    private long monitorBase;

    public SamCmcc(PeripheralSpec spec, PeripheralContext ctx) {
        super(spec.name(), spec.base(), ctx.unmodelled());
        this.memory = ctx.memorySystem();
        this.ctx = ctx;
        this.name = spec.name();
        int type = (int) Options.number(spec, "type", 0x12D2);
        int cfgReset = (int) Options.number(spec, "cfgReset", 0x20);
        readOnly(TYPE, "TYPE", () -> type);
        register(CFG, "CFG", () -> cfg, this::writeCfg);
        register(CTRL, "CTRL", () -> 0, v -> {
            enabled = (v & 1) != 0;
            apply();
        });
        readOnly(SR, "SR", () -> enabled ? 1 : 0);
        storage(LCKWAY, "LCKWAY", 0);
        register(MAINT0, "MAINT0", () -> 0, v -> {
            if ((v & 1) != 0) {
                memory.invalidate(Side.INSTRUCTION);
                memory.invalidate(Side.DATA);
            }
        });
        register(MAINT1, "MAINT1", () -> 0, v -> memory.invalidateWays(Side.INSTRUCTION, 1 << ((v >>> 28) & 0xF)));
        register(MCFG, "MCFG", () -> mcfg, v -> {
            mcfg = v & 3;
            monitorBase = counter();
        });
        register(MEN, "MEN", () -> monitorOn ? 1 : 0, v -> {
            boolean on = (v & 1) != 0;
            if (on && !monitorOn) {
                monitorBase = counter();
            }
            monitorOn = on;
        });
        register(MCTRL, "MCTRL", () -> 0, v -> {
            if ((v & 1) != 0) {
                monitorBase = counter();
            }
        });
        readOnly(MSR, "MSR", () -> monitorOn ? (int) (counter() - monitorBase) : 0);
        cfg = cfgReset;
        apply();
    }

    /** The event the monitor counts: cycles (mode 0), instruction hits (1) or data hits (2). */
    private long counter() {
        return switch (mcfg) {
            case 1 -> memory.stats().instructionHits();
            case 2 -> memory.stats().dataHits();
            default -> ctx.clock().now();
        };
    }

    private void writeCfg(int v) {
        if (((v ^ cfg) & CSIZESW) != 0) {
            ctx.log().log(name + ": CFG.CSIZESW changes the cache size: not modelled, the cache keeps its full size");
        }
        cfg = v & (ICDIS | DCDIS | CSIZESW);
        apply();
    }

    private void apply() {
        memory.setCache(Side.INSTRUCTION, enabled && (cfg & ICDIS) == 0);
        memory.setCache(Side.DATA, enabled && (cfg & DCDIS) == 0);
    }
}
