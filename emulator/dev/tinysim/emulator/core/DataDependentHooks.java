package dev.tinysim.emulator.core;

import dev.tinysim.emulator.disasm.Instruction;
import dev.tinysim.emulator.engine.CpuEngine;
import dev.tinysim.emulator.engine.Reg;
import dev.tinysim.emulator.memory.DataProgramCompiler;
import dev.tinysim.emulator.memory.FlashPath;
import dev.tinysim.emulator.memory.OperandText;
import dev.tinysim.emulator.scs.SystemControlSpace;
import dev.tinysim.emulator.timing.CortexM4Timing;
import dev.tinysim.emulator.timing.TimingModel;

/**
 * The per-instruction hooks of instructions a block's static cost cannot cover: SDIV/UDIV (their
 * cycles depend on the operands, and CCR.DIV_0_TRP makes a zero divisor fault) and loads whose address
 * no data program could compute (timed one by one through the flash path). Hooks are few and
 * per-instruction, so they stay off the per-block path.
 */
final class DataDependentHooks {
    private final CurrentBlock position;
    private final FpuGating fpu;
    private final FaultDelivery faults;
    private final CpuEngine engine;
    private final AccountingState st;
    private final SystemControlSpace scs;
    private final TimingModel timing;
    private final FlashPath flashPath;
    private final AccessLocator locator;

    DataDependentHooks(CurrentBlock position, FpuGating fpu, FaultDelivery faults, CpuEngine engine, AccountingState st, SystemControlSpace scs, TimingModel timing,
                       FlashPath flashPath, AccessLocator locator) {
        this.position = position;
        this.fpu = fpu;
        this.faults = faults;
        this.engine = engine;
        this.st = st;
        this.scs = scs;
        this.timing = timing;
        this.flashPath = flashPath;
        this.locator = locator;
    }

    /**
     * Instructions whose cost or behaviour depends on register values (SDIV/UDIV: 2–12 cycles,
     * and the CCR.DIV_0_TRP trap) get a per-instruction hook. The block was translated without
     * it, so the engine must translate it again: stop before it runs and restart at its start.
     */
    void hook(BlockInfo b) {
        boolean added = false;
        for (int i = 0; i < b.count; i++) {
            Instruction in = b.instructions[i];
            boolean divide = in.name().equals("sdiv") || in.name().equals("udiv");
            boolean dynamic = divide;
            for (int d : b.dynamicIndices) {
                dynamic |= d == i;
            }
            if (b.program != null) {
                for (int f : b.program.fallback()) {
                    if (f == i) {
                        dynamic = true;
                        fallbackReads.add(in.address());
                    }
                }
            }
            if (dynamic && dynamicHooked.add(in.address())) {
                dynamicInstructions.put(in.address(), in);
                engine.onInstruction(in.address(), in.address(), this::onDataDependent);
                added = true;
            }
        }
        if (added) {
            engine.invalidateCode(b.address, b.address + b.size);
            retranslate = true;
        }
    }

    private final java.util.Set<Long> dynamicHooked = new java.util.HashSet<>();
    /** Loads whose address a data program could not compute: timed one by one through the flash path. */
    private final java.util.Set<Long> fallbackReads = new java.util.HashSet<>();
    private final java.util.Map<Long, Instruction> dynamicInstructions = new java.util.HashMap<>();
    private boolean retranslate;

    /** Whether a block was just hooked, so the engine must stop and translate it again (cleared by asking). */
    boolean takeRetranslate() {
        if (!retranslate) {
            return false;
        }
        retranslate = false;
        return true;
    }

    private long dynamicCalls;

    private void onDataDependent(long address, int size) {
        dynamicCalls++;
        if (fpu.partialRunActive()) {
            return;
        }
        Instruction in = dynamicInstructions.get(address);
        if (in == null) {
            return;
        }
        boolean divide = in.name().equals("sdiv") || in.name().equals("udiv");
        if (divide && (scs.ccr() & SystemControlSpace.CCR_DIV_0_TRP) != 0) {
            String[] ops = in.operands().split(",");
            int rm = OperandText.register(ops[ops.length - 1]);
            if (rm >= 0 && engine.read(Reg.core(rm)) == 0) {
                int index = position.current() == null ? -1 : position.current().indexOf(address);
                if (index >= 0) {
                    st.cycles(st.get(AccountingState.BLOCK_START_CYCLES) + position.current().cyclesBefore[index]);
                    st.instructions(position.blockStartInstructions() + index);
                }
                faults.raise(FaultKind.DIVIDE_BY_ZERO, address, -1, null, in.text());
                return;
            }
        }
        int extra = timing.dynamicCycles(in, n -> n == CortexM4Timing.XPSR_REGISTER ? engine.read(Reg.XPSR) : engine.read(Reg.core(n)));
        if (fallbackReads.contains(address) && flashPath.dataAtRunTime()) {
            extra += fallbackReadStall(in);
        }
        if (extra != 0) {
            position.addDynamicCycles(extra);
        }
    }

    /** A load no data program could follow, about to execute: its reads through the flash path. */
    private int fallbackReadStall(Instruction in) {
        long[] range = locator.accessRange(in);
        if (range == null) {
            return 0;
        }
        int size = DataProgramCompiler.transferBytes(in);
        long stall = 0;
        for (long a = range[0]; a < range[1]; a += size) {
            stall += flashPath.dataRead(a & 0xFFFFFFFFL);
        }
        return (int) stall;
    }
}
