package dev.tinysim.emulator.core;

import dev.tinysim.emulator.engine.Access;
import dev.tinysim.emulator.engine.CpuEngine;
import dev.tinysim.emulator.scs.ExceptionNumbers;
import dev.tinysim.emulator.scs.Nvic;
import dev.tinysim.emulator.scs.SystemControlSpace;
import dev.tinysim.emulator.sim.AddressSpace;
import dev.tinysim.emulator.timing.TimingModel;

/**
 * Delivers a fault to the firmware as the core does on silicon: the fault status (CFSR, HFSR, BFAR) set,
 * escalation to HardFault when the fault's own exception is disabled or may not preempt, the frame stacked
 * and the handler entered with its cycles; or, when the fault cannot be delivered (no handler, a fault
 * inside HardFault or NMI: lockup, a frame that leaves RAM), the end of the run with the fault report.
 */
final class FaultDelivery {
    private final CortexM4 core;
    private final CpuEngine engine;
    private final AddressSpace memory;
    private final ExceptionUnit exceptions;
    private final Nvic nvic;
    private final SystemControlSpace scs;
    private final TimingModel timing;
    private final AccountingState st;
    private final String boardName;
    private java.util.Map<String, Long> registersAtFault;

    FaultDelivery(CortexM4 core, CpuEngine engine, AddressSpace memory, ExceptionUnit exceptions, Nvic nvic,
                  SystemControlSpace scs, TimingModel timing, AccountingState st, String boardName) {
        this.core = core;
        this.engine = engine;
        this.memory = memory;
        this.exceptions = exceptions;
        this.nvic = nvic;
        this.scs = scs;
        this.timing = timing;
        this.st = st;
        this.boardName = boardName;
    }

    /**
     * A fault at {@code pc}: delivered to the firmware's handler as on silicon (fault status set,
     * frame stacked), or, when it cannot be delivered, the end of the run.
     */
    void raise(FaultKind kind, long pc, long address, Access access, String instruction) {
        registersAtFault = RegisterSnapshot.read(engine, exceptions.current(), pc);   // as the faulting instruction saw them
        FaultStatus status = FaultStatus.of(kind, address);
        if (status == null) {
            finishWithFault(new FaultReport(kind, pc, address, access, instruction, "lockup", -1, false, detailFor(kind)));
            return;
        }
        int exc = status.exception();
        int cfsr = status.cfsr();
        Long bfar = status.bfar(), mmfar = null;
        String excName = ExceptionNumbers.name(exc);
        int hfsr = 0;
        int execPriority = exceptions.executionPriority();
        if (exc != ExceptionNumbers.HARD_FAULT && (!scs.faultEnabled(exc) || nvic.groupPriority(exc) >= execPriority)) {
            exc = ExceptionNumbers.HARD_FAULT;
            hfsr = SystemControlSpace.HFSR_FORCED;
            excName = "HardFault (escalated from " + excName + ")";
        }
        FaultReport report = new FaultReport(kind, pc, address, access, instruction, excName, -1, false, detailFor(kind));
        if (exceptions.inHardFaultOrNmi() || (exc == ExceptionNumbers.HARD_FAULT && execPriority <= -1)) {
            finishWithFault(new FaultReport(kind, pc, address, access, instruction, "lockup", -1, false,
                    "a fault inside the " + ExceptionNumbers.name(exceptions.current()) + " handler locks the core up"));
            return;
        }
        long handler = exceptions.vector(exc);
        if (!isHandler(handler)) {
            finishWithFault(report);
            return;
        }
        scs.recordFault(cfsr, hfsr, bfar, mmfar);
        try {
            exceptions.enter(exc, pc);
            if (core.blockListener != null) {
                core.blockListener.onExceptionEntry(exc, st.cycles());
            }
            core.exceptionsTaken++;
            st.cycles(st.cycles() + timing.exceptionEntryCycles(exceptions.lastEntryHadFpFrame()) + core.vectorFetchStall(exc));
            st.set(AccountingState.PREV_ENTRY, BlockEntry.BRANCH_END);   // the handler's first fetch is a branch target's
            core.deliveredFault = new FaultReport(kind, pc, address, access, instruction, excName, handler & ~1L, false, detailFor(kind));
        } catch (ExceptionUnit.StackingFault e) {
            finishWithFault(new FaultReport(FaultKind.STACK_OVERFLOW, pc, e.address, Access.WRITE, instruction, "lockup", -1, false,
                    "stacking the " + ExceptionNumbers.name(exc) + " frame after a " + kind.description() + " left RAM"));
        }
    }

    private String detailFor(FaultKind kind) {
        return kind == FaultKind.NO_FPU ? "board " + boardName + " has no FPU" : "";
    }

    private void finishWithFault(FaultReport report) {
        core.outcome = new RunOutcome.Faulted(report);
        core.requestStop();
    }

    /** A vector-table entry that points at Thumb code in executable memory. */
    private boolean isHandler(long vector) {
        if ((vector & 1) == 0 || vector == 0xFFFFFFFFL) {
            return false;
        }
        AddressSpace.Mapping m = memory.find(vector & ~1L, 2);
        return m != null;
    }

    /** Registers at the first fault of the run that ended it, or null. */
    java.util.Map<String, Long> registersAtFault() {
        return registersAtFault;
    }
}
