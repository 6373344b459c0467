package dev.tinysim.emulator.core;

import dev.tinysim.emulator.engine.Access;
import dev.tinysim.emulator.engine.CpuEngine;
import dev.tinysim.emulator.engine.EngineStop;
import dev.tinysim.emulator.engine.Reg;
import dev.tinysim.emulator.sim.AddressSpace;

/**
 * What a stop of the engine means for the run: the firmware exited, a strict-mode violation, a reset, a fault
 * a hook recorded, WFI/WFE sleep, a hint to step over, an undefined instruction or Thumb-state loss, a bad
 * access no hook explained. Decided once the engine has stopped, in that order.
 */
final class EngineStops {
    private final StopState stops;
    private final Semihosting semihosting;
    private final CpuEngine engine;
    private final AddressSpace memory;
    private final AccountingState st;
    private final CurrentBlock position;
    private final SleepAndSpin idle;
    private final FaultDelivery faults;

    EngineStops(StopState stops, Semihosting semihosting, CpuEngine engine, AddressSpace memory, AccountingState st,
                CurrentBlock position, SleepAndSpin idle, FaultDelivery faults) {
        this.stops = stops;
        this.semihosting = semihosting;
        this.engine = engine;
        this.memory = memory;
        this.st = st;
        this.position = position;
        this.idle = idle;
        this.faults = faults;
    }

    void afterStop(EngineStop stop) {
        if (stops.outcome != null) {
            return;
        }
        if (semihosting.exit() != null) {
            stops.outcome = new RunOutcome.Exited(semihosting.exit());
            return;
        }
        if (stops.strictViolation != null) {
            stops.outcome = new RunOutcome.UnmodelledAccess(stops.strictViolation, position.currentPc());
            return;
        }
        if (stops.resetRequested) {
            stops.outcome = new RunOutcome.ResetRequested(engine.read(Reg.PC));
            return;
        }
        if (stops.pendingFault != null) {
            PendingFault f = stops.pendingFault;
            stops.pendingFault = null;
            if (f.blockIndex() >= 0 && position.current() != null) {
                // The block stopped at the faulting instruction: charge only what ran before it.
                st.cycles(st.get(AccountingState.BLOCK_START_CYCLES) + position.current().cyclesBefore[f.blockIndex()]);
                st.instructions(position.blockStartInstructions() + f.blockIndex());
            }
            faults.raise(f.kind(), f.pc(), f.address(), f.access(), f.instruction());
            return;
        }
        switch (stop.kind()) {
            case STOPPED -> {
                if (!stops.stopRequested) {
                    idle.afterWfi();
                }
            }
            case INVALID_INSTRUCTION -> invalidInstruction();
            case READ_UNMAPPED, WRITE_UNMAPPED, FETCH_UNMAPPED, READ_PROTECTED, WRITE_PROTECTED, FETCH_PROTECTED ->
                    unexplainedMemoryStop(stop.kind());
            default -> stops.outcome = new RunOutcome.Hang(engine.read(Reg.PC), "the CPU engine stopped: " + stop.message());
        }
    }

    /** The engine stopped on an instruction it could not run: a hint it does not know, or a fault. */
    private void invalidInstruction() {
        long pc = engine.read(Reg.PC);
        Hint hint = Hint.before(memory, position.current(), pc);
        if (hint == Hint.WFE || hint == Hint.WFI) {
            // The engine stops after WFE (as if it were undefined), and may after WFI: wait for an event instead.
            idle.afterWfi();
            return;
        }
        if (hint == Hint.YIELD || hint == Hint.SEV) {
            return;   // hints with no effect here: resume after them
        }
        position.chargeUpTo(pc);
        if ((engine.read(Reg.XPSR) & ExceptionUnit.XPSR_T) == 0) {
            // A BX/BLX to an even address left Thumb state: on a Cortex-M the next
            // instruction raises an INVSTATE UsageFault (the engine sees an ARM-state decode).
            engine.write(Reg.XPSR, engine.read(Reg.XPSR) | ExceptionUnit.XPSR_T);
            faults.raise(FaultKind.INVALID_STATE, pc, pc, Access.FETCH, "");
        } else {
            faults.raise(FaultKind.INVALID_INSTRUCTION, pc, -1, null, position.describeAt(pc));
        }
    }

    /**
     * The engine stopped on a bad access that no invalid-memory hook call explained (so no fault was recorded):
     * the stop still tells the access kind. A fetch's address is the PC the engine stopped at; a data access's
     * address is not known (the engine's PC is not even the accessing instruction's), and is reported as such (-1).
     */
    private void unexplainedMemoryStop(EngineStop.Kind kind) {
        long pc = engine.read(Reg.PC);
        switch (kind) {
            case FETCH_UNMAPPED, FETCH_PROTECTED -> faults.raise(FaultKind.FETCH_UNMAPPED, pc, pc, Access.FETCH, "");
            case WRITE_UNMAPPED -> faults.raise(FaultKind.WRITE_UNMAPPED, pc, -1, Access.WRITE, "");
            case WRITE_PROTECTED -> faults.raise(FaultKind.WRITE_PROTECTED, pc, -1, Access.WRITE, "");
            default -> faults.raise(FaultKind.READ_UNMAPPED, pc, -1, Access.READ, "");
        }
    }
}
