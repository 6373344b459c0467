package dev.tinysim.emulator.core;

import dev.tinysim.emulator.engine.CpuEngine;
import dev.tinysim.emulator.engine.Reg;
import dev.tinysim.emulator.scs.ExceptionNumbers;
import dev.tinysim.emulator.scs.Nvic;
import dev.tinysim.emulator.scs.SystemControlSpace;
import dev.tinysim.emulator.sim.EventScheduler;

/**
 * Time the core spends waiting: after WFI/WFE, and in a branch to itself that an interrupt could end,
 * simulated time jumps to the next timed event instead of being emulated; with nothing that could wake
 * the core the run ends as a hang (and a fault handler that spins ends the run as that fault).
 */
final class SleepAndSpin {
    private final StopState stops;
    private final CpuEngine engine;
    private final AccountingState st;
    private final Nvic nvic;
    private final SystemControlSpace scs;
    private final EventScheduler scheduler;
    private final ExceptionUnit exceptions;
    private long sleepCycles;

    SleepAndSpin(StopState stops, CpuEngine engine, AccountingState st, Nvic nvic, SystemControlSpace scs,
                 EventScheduler scheduler, ExceptionUnit exceptions) {
        this.stops = stops;
        this.engine = engine;
        this.st = st;
        this.nvic = nvic;
        this.scs = scs;
        this.scheduler = scheduler;
        this.exceptions = exceptions;
    }

    /** Cycles skipped asleep or spinning. */
    long sleepCycles() {
        return sleepCycles;
    }

    /** WFI/WFE returned control: advance simulated time to the next event that can wake the core. */
    void afterWfi() {
        long pc = engine.read(Reg.PC);
        if (nvic.maybePending() && nvic.highestPending(scs::faultEnabled) != 0) {
            return;   // something is already pending: the core does not sleep
        }
        if (scheduler.hasPending()) {
            long wake = scheduler.nextDue();
            if (wake > st.cycles()) {
                sleepCycles += wake - st.cycles();
                st.cycles(wake);
            }
            scheduler.runDue(st.cycles());
            return;
        }
        stops.outcome = new RunOutcome.Hang(pc, "WFI/WFE with no interrupt source that could wake the core");
    }

    /** A block that branches to itself is about to run: skip the spin to the next event, or end the run as a hang. */
    void spin(BlockInfo b) {
        if (stops.deliveredFault != null && exceptions.current() != 0) {
            stops.outcome = new RunOutcome.Faulted(stops.deliveredFault.withHandlerSpinning(b.address));
            stops.requestStop();
            return;
        }
        // A spin that an interrupt can end: jump to the next timed event instead of spinning.
        if (scheduler.hasPending() && interruptsCouldFire()) {
            long wake = scheduler.nextDue();
            if (wake > st.cycles()) {
                sleepCycles += wake - st.cycles();
                st.cycles(wake);
            }
            return;
        }
        String where = exceptions.current() == 0 ? "in Thread mode"
                : "in the " + ExceptionNumbers.name(exceptions.current()) + " handler";
        stops.outcome = new RunOutcome.Hang(b.address, "the firmware spins forever " + where + " (a branch to itself)");
        stops.requestStop();
    }

    private boolean interruptsCouldFire() {
        if ((engine.read(Reg.PRIMASK) & 1) != 0) {
            return false;
        }
        for (int e = ExceptionNumbers.SYSTICK; e < nvic.exceptionCount(); e++) {
            if (nvic.enabled(e)) {
                return true;
            }
        }
        return false;
    }
}
