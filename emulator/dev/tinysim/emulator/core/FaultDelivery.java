package dev.tinysim.emulator.core;

import dev.tinysim.emulator.engine.Access;
import dev.tinysim.emulator.engine.CpuEngine;
import dev.tinysim.emulator.scs.ExceptionNumbers;
import dev.tinysim.emulator.scs.Nvic;
import dev.tinysim.emulator.scs.SystemControlSpace;
import dev.tinysim.emulator.sim.AddressSpace;

import java.util.Map;

/**
 * Delivers a fault to the firmware as the core does on silicon: the fault status (CFSR, HFSR, BFAR) set,
 * escalation to HardFault when the fault's own exception is disabled or may not preempt, the frame stacked
 * and the handler entered with its cycles; or, when the fault cannot be delivered (no handler, a fault
 * inside HardFault or NMI: lockup, a frame that leaves RAM), the end of the run with the fault report.
 */
final class FaultDelivery {
    private final StopState stops;
    private final CpuEngine engine;
    private final AddressSpace memory;
    private final ExceptionUnit exceptions;
    private final Nvic nvic;
    private final SystemControlSpace scs;
    private final String boardName;
    /**
     * Enters the handler and charges its cycles. The two use each other (a bad exception return is a fault
     * raised here), so the core connects it once both exist.
     */
    private ExceptionSequencer sequencer;
    private Map<String, Long> registersAtFault;

    FaultDelivery(StopState stops, CpuEngine engine, AddressSpace memory, ExceptionUnit exceptions, Nvic nvic,
                  SystemControlSpace scs, String boardName) {
        this.stops = stops;
        this.engine = engine;
        this.memory = memory;
        this.exceptions = exceptions;
        this.nvic = nvic;
        this.scs = scs;
        this.boardName = boardName;
    }

    /** Called once by the core after building both. */
    void connect(ExceptionSequencer sequencer) {
        this.sequencer = sequencer;
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
            sequencer.enter(exc, pc);
            stops.deliveredFault = new FaultReport(kind, pc, address, access, instruction, excName, handler & ~1L, false, detailFor(kind));
        } catch (ExceptionUnit.StackingFault e) {
            finishWithFault(new FaultReport(FaultKind.STACK_OVERFLOW, pc, e.address, Access.WRITE, instruction, "lockup", -1, false,
                    "stacking the " + ExceptionNumbers.name(exc) + " frame after a " + kind.description() + " left RAM"));
        }
    }

    private String detailFor(FaultKind kind) {
        return kind == FaultKind.NO_FPU ? "board " + boardName + " has no FPU" : "";
    }

    private void finishWithFault(FaultReport report) {
        stops.outcome = new RunOutcome.Faulted(report);
        stops.requestStop();
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
    Map<String, Long> registersAtFault() {
        return registersAtFault;
    }
}
