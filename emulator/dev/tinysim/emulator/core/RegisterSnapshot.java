package dev.tinysim.emulator.core;

import dev.tinysim.emulator.engine.CpuEngine;
import dev.tinysim.emulator.engine.Reg;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The core registers as a run report shows them: r0..r12, sp, lr, pc, xpsr, msp, psp, control, primask. */
public final class RegisterSnapshot {
    private RegisterSnapshot() {
    }

    /**
     * Reads the registers now.
     *
     * @param currentException the exception number xPSR's IPSR field shows (the core keeps it, not the engine)
     * @param pc               the PC to show (a faulting instruction's), or null for the engine's
     */
    public static Map<String, Long> read(CpuEngine engine, int currentException, Long pc) {
        Map<String, Long> regs = new LinkedHashMap<>();
        for (int i = 0; i <= 15; i++) {
            Reg r = Reg.core(i);
            regs.put(r.name().toLowerCase(Locale.ROOT), i == 15 && pc != null ? pc : engine.read(r));
        }
        regs.put("xpsr", (engine.read(Reg.XPSR) & ~0x1FFL) | currentException);
        regs.put("msp", engine.read(Reg.MSP));
        regs.put("psp", engine.read(Reg.PSP));
        regs.put("control", engine.read(Reg.CONTROL));
        regs.put("primask", engine.read(Reg.PRIMASK));
        return regs;
    }
}
