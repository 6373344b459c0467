package dev.tinysim.emulator.core;

import dev.tinysim.emulator.engine.CpuEngine;
import dev.tinysim.emulator.engine.HookHandle;

/**
 * The profile's block listener and the trace's instruction listener. While either is installed every
 * block takes the Java path (the native hook cannot call them), so installing one changes the slow-path limits.
 */
final class Observers {
    private final CpuEngine engine;
    private final AccountingState st;
    private final CurrentBlock position;
    private final FpuGating fpu;
    private final SlowPathLimits limits;
    private CortexM4.BlockListener blockListener;
    private HookHandle instructionHook;

    Observers(CpuEngine engine, AccountingState st, CurrentBlock position, FpuGating fpu, SlowPathLimits limits) {
        this.engine = engine;
        this.st = st;
        this.position = position;
        this.fpu = fpu;
        this.limits = limits;
    }

    /** The per-block listener, or null. */
    CortexM4.BlockListener blockListener() {
        return blockListener;
    }

    /** Installs (or with null removes) a listener called before every executed instruction. */
    void setInstructionListener(CortexM4.InstructionListener listener) {
        if (instructionHook != null) {
            instructionHook.close();
            instructionHook = null;
        }
        if (listener != null) {
            instructionHook = engine.onInstruction(1, 0, (address, size) -> {
                if (fpu.partialRunActive()) {
                    return;
                }
                long at = st.cycles();
                BlockInfo b = position.current();
                if (b != null) {
                    int i = b.indexOf(address);
                    if (i >= 0) {
                        at = st.get(AccountingState.BLOCK_START_CYCLES) + b.cyclesBefore[i];
                    }
                }
                listener.onInstruction(address, size, at);
            });
        }
        updateSlowPath();
    }

    /** Installs (or with null removes) a per-block listener; every block then takes the Java path. */
    void setBlockListener(CortexM4.BlockListener listener) {
        blockListener = listener;
        updateSlowPath();
    }

    /** Every block goes through Java while a listener watches blocks or instructions. */
    void updateSlowPath() {
        limits.forceSlowPath(blockListener != null || instructionHook != null);
    }
}
