package dev.tinysim.emulator.peripherals.flash;

import dev.tinysim.emulator.board.PeripheralSpec;
import dev.tinysim.emulator.bus.PeripheralContext;
import dev.tinysim.emulator.bus.RegisterBlock;
import dev.tinysim.emulator.memory.MemorySystemControls;

/**
 * The SAM D5x/E5x NVM controller's read side (Microchip DS60001507, "NVMCTRL"): CTRLA.RWS sets
 * the read wait states (CTRLA.AUTOWS, set at reset, lets the controller insert what the clock
 * needs: the board's value); flash reads take the larger of the two. STATUS.READY reads 1 and
 * PARAM the flash geometry (option "param"). The NVM line caches (CTRLA.CACHEDIS0/1) are not
 * modelled: their geometry is not published. Programming commands are logged, not executed.
 */
public final class SamNvmctrl extends RegisterBlock {
    static final int CTRLA = 0x00, CTRLB = 0x04, PARAM = 0x08, INTEN = 0x0C, INTFLAG_STATUS = 0x10, ADDR = 0x14;
    static final int AUTOWS = 1 << 2, RWS_SHIFT = 8;

    private final MemorySystemControls memory;
    private int ctrla;

    public SamNvmctrl(PeripheralSpec spec, PeripheralContext ctx) {
        super(spec.name(), spec.base(), ctx.unmodelled());
        this.memory = ctx.memorySystem();
        int param = (int) Options.number(spec, "param", 0);
        register(CTRLA, "CTRLA", () -> ctrla, v -> {
            ctrla = v & 0xFFFF;
            int rws = (ctrla >>> RWS_SHIFT) & 0xF;
            memory.requestWaitStates((ctrla & AUTOWS) != 0 ? 0 : rws);
        });
        unmodelledRegister(CTRLB, "CTRLB");
        readOnly(PARAM, "PARAM", () -> param);
        unmodelledRegister(INTEN, "INTENCLR/INTENSET");
        readOnly(INTFLAG_STATUS, "INTFLAG/STATUS", () -> 1 << 16);   // STATUS.READY
        storage(ADDR, "ADDR", 0);
        for (int off = 0x18; off <= 0x2C; off += 4) {
            unmodelledRegister(off, "NVMCTRL+0x" + Integer.toHexString(off));
        }
        ctrla = (int) Options.number(spec, "ctrlaReset", AUTOWS);
    }
}
