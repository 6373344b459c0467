package dev.tinysim.emulator.core;

import dev.tinysim.emulator.engine.Access;
import dev.tinysim.emulator.engine.CpuEngine;
import dev.tinysim.emulator.engine.CpuTrap;
import dev.tinysim.emulator.engine.Reg;
import dev.tinysim.emulator.scs.ExceptionNumbers;
import dev.tinysim.emulator.scs.Nvic;
import dev.tinysim.emulator.sim.AddressSpace;

/**
 * The engine's CPU exceptions, as the core turns them into M-profile behaviour: BKPT 0xAB is a semihosting
 * call (any other BKPT ends the run), SVC enters SVCall, a branch to EXC_RETURN returns from the exception,
 * and the rest (bad fetch, no coprocessor, lost Thumb state, undefined instruction) are faults.
 */
final class Traps {
    private static final int BKPT_SEMIHOSTING = 0xAB;

    private final CpuEngine engine;
    private final AddressSpace memory;
    private final Nvic nvic;
    private final ExceptionUnit exceptions;
    private final boolean fpuPresent;
    private final Semihosting semihosting;
    private final StopState stops;
    private final CurrentBlock position;
    private final FaultDelivery faults;
    private final ExceptionSequencer sequencer;
    private final SlowPathLimits limits;

    Traps(CpuEngine engine, AddressSpace memory, Nvic nvic, ExceptionUnit exceptions, boolean fpuPresent,
          Semihosting semihosting, StopState stops, CurrentBlock position, FaultDelivery faults,
          ExceptionSequencer sequencer, SlowPathLimits limits) {
        this.engine = engine;
        this.memory = memory;
        this.nvic = nvic;
        this.exceptions = exceptions;
        this.fpuPresent = fpuPresent;
        this.semihosting = semihosting;
        this.stops = stops;
        this.position = position;
        this.faults = faults;
        this.sequencer = sequencer;
        this.limits = limits;
    }

    /** The engine's interrupt hook. */
    void onTrap(CpuTrap trap) {
        switch (trap) {
            case BREAKPOINT -> breakpoint();
            case SUPERVISOR_CALL -> {
                long pc = engine.read(Reg.PC);
                int prio = nvic.groupPriority(ExceptionNumbers.SVCALL);
                if (prio >= exceptions.executionPriority()) {
                    faults.raise(FaultKind.HARD_FAULT, pc - 2, -1, null, position.describeAt(pc - 2));
                } else {
                    sequencer.enterException(ExceptionNumbers.SVCALL, pc);
                }
            }
            case EXCEPTION_RETURN -> sequencer.exceptionReturn(engine.read(Reg.PC) | 1);
            case PREFETCH_ABORT -> {
                long pc = engine.read(Reg.PC);
                faults.raise(FaultKind.FETCH_UNMAPPED, pc, pc, Access.FETCH, "");
            }
            case NO_COPROCESSOR -> {
                long pc = engine.read(Reg.PC);
                faults.raise(fpuPresent ? FaultKind.FPU_DISABLED : FaultKind.NO_FPU, pc, -1, null, position.describeAt(pc));
            }
            case INVALID_STATE -> {
                long pc = engine.read(Reg.PC);
                faults.raise(FaultKind.INVALID_STATE, pc, pc, Access.FETCH, "");
            }
            case UNDEFINED_INSTRUCTION -> {
                long pc = engine.read(Reg.PC);
                faults.raise(FaultKind.INVALID_INSTRUCTION, pc, -1, null, position.describeAt(pc));
            }
            default -> {
                long pc = engine.read(Reg.PC);
                faults.raise(FaultKind.HARD_FAULT, pc, -1, null, position.describeAt(pc) + " (CPU exception " + trap + ")");
            }
        }
        if (stops.outcome != null || semihosting.exit() != null) {
            stops.requestStop();
        }
        limits.refresh();
    }

    private void breakpoint() {
        long pc = engine.read(Reg.PC);
        int insn = memory.read16(pc);
        int imm = insn & 0xFF;
        if ((insn & 0xFF00) == 0xBE00 && imm == BKPT_SEMIHOSTING) {
            long op = engine.read(Reg.R0);
            long r1 = engine.read(Reg.R1);
            long result = semihosting.handle(op, r1);
            engine.write(Reg.R0, result & 0xFFFFFFFFL);
            if (semihosting.exit() != null) {
                stops.outcome = new RunOutcome.Exited(semihosting.exit());
                stops.requestStop();
                return;
            }
            engine.write(Reg.PC, (pc + 2) | 1);
            return;
        }
        stops.outcome = new RunOutcome.Breakpoint(pc, imm);
        stops.requestStop();
    }
}
