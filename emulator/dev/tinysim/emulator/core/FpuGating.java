package dev.tinysim.emulator.core;

import dev.tinysim.emulator.disasm.Instruction;
import dev.tinysim.emulator.engine.CpuEngine;
import dev.tinysim.emulator.engine.EngineStop;
import dev.tinysim.emulator.engine.Reg;

/**
 * A block with a floating-point instruction while the FPU is off (CPACR) or absent: the instructions before
 * it run, then it faults (UsageFault NOCP, or no FPU at all). The engine runs whole blocks, so the part
 * before the floating-point instruction is run here as a shortened block with its accounting done here.
 */
final class FpuGating {
    private final CpuEngine engine;
    private final AccountingState st;
    private final boolean fpuPresent;
    private final StopState stops;
    private final FaultDelivery faults;
    private final EngineStops engineStops;
    private BlockInfo partialRunBlock;
    /** runPartialBlock is running a shortened block: the hooks leave its accounting to it. */
    private boolean partialRunActive;

    FpuGating(CpuEngine engine, AccountingState st, boolean fpuPresent, StopState stops, FaultDelivery faults,
              EngineStops engineStops) {
        this.engine = engine;
        this.st = st;
        this.fpuPresent = fpuPresent;
        this.stops = stops;
        this.faults = faults;
        this.engineStops = engineStops;
    }

    /** Whether a shortened block is running now: the hooks leave its accounting to {@link #runPartialBlock()}. */
    boolean partialRunActive() {
        return partialRunActive;
    }

    /** Whether the run loop must run a shortened block next. */
    boolean partialRunPending() {
        return partialRunBlock != null;
    }

    /** Block {@code b} is about to run with the FPU denied: fault now, or run its start first. */
    void floatingPointDenied(BlockInfo b) {
        if (b.firstFloatingPoint == 0) {
            Instruction fp = b.instructions[0];
            stops.pendingFault = null;
            st.set(AccountingState.CURRENT, b.address);
            st.set(AccountingState.BLOCK_START_CYCLES, st.cycles());
            raiseFaultLater(fpuPresent ? FaultKind.FPU_DISABLED : FaultKind.NO_FPU, fp);
            stops.requestStop();
            return;
        }
        // Run the instructions before the floating-point one, then fault on it.
        partialRunBlock = b;
        stops.requestStop();
    }

    private void raiseFaultLater(FaultKind kind, Instruction at) {
        stops.pendingFault = new PendingFault(kind, at.address(), -1, null, at.text(), -1);
    }

    /** Runs the instructions before the floating-point one of the block met, then faults on it. */
    EngineStop runPartialBlock() {
        BlockInfo b = partialRunBlock;
        partialRunBlock = null;
        Instruction fp = b.instructions[b.firstFloatingPoint];
        // The block hook sees the shortened run as a new block; account for it exactly here instead.
        st.set(AccountingState.CURRENT, b.address);
        st.set(AccountingState.BLOCK_START_CYCLES, st.cycles());
        long startInstructions = st.instructions();
        EngineStop stop;
        partialRunActive = true;
        try {
            // The cached translation has no per-instruction counting: drop it so the engine
            // re-translates the block with its instruction counter, and again afterwards.
            engine.invalidateCode(b.address, b.address + b.size);
            stop = engine.runCount(b.address, b.firstFloatingPoint);
            engine.invalidateCode(b.address, b.address + b.size);
        } finally {
            partialRunActive = false;
        }
        if (stops.outcome == null && engine.read(Reg.PC) == fp.address()) {
            st.cycles(st.get(AccountingState.BLOCK_START_CYCLES) + b.cyclesBefore[b.firstFloatingPoint]);
            st.instructions(startInstructions + b.firstFloatingPoint);
            faults.raise(fpuPresent ? FaultKind.FPU_DISABLED : FaultKind.NO_FPU, fp.address(), -1, null, fp.text());
        } else {
            engineStops.afterStop(stop);
        }
        return stop;
    }
}
