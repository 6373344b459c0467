package dev.tinysim.emulator.core;

import dev.tinysim.emulator.engine.Access;
import dev.tinysim.emulator.engine.CpuEngine;
import dev.tinysim.emulator.engine.Reg;
import dev.tinysim.emulator.memory.FlashPath;
import dev.tinysim.emulator.scs.ExceptionNumbers;
import dev.tinysim.emulator.scs.Nvic;
import dev.tinysim.emulator.scs.SystemControlSpace;
import dev.tinysim.emulator.timing.TimingModel;

/**
 * When exceptions are taken and what they cost: a pending exception that may preempt is taken at a block
 * boundary, entry and return are charged their cycles (with the vector fetch through the flash path), and
 * a return with another exception pending tail-chains into it. {@link ExceptionUnit} does the stacking
 * itself; this is the sequencing around it, shared by interrupts, SVC and fault delivery.
 */
final class ExceptionSequencer {
    private final CpuEngine engine;
    private final Nvic nvic;
    private final SystemControlSpace scs;
    private final ExceptionUnit exceptions;
    private final TimingModel timing;
    private final FlashPath flashPath;
    private final AccountingState st;
    private final StopState stops;
    private final CurrentBlock position;
    private final Observers observers;
    private final FaultDelivery faults;
    private long exceptionsTaken;

    ExceptionSequencer(CpuEngine engine, Nvic nvic, SystemControlSpace scs, ExceptionUnit exceptions, TimingModel timing,
                       FlashPath flashPath, AccountingState st, StopState stops, CurrentBlock position,
                       Observers observers, FaultDelivery faults) {
        this.engine = engine;
        this.nvic = nvic;
        this.scs = scs;
        this.exceptions = exceptions;
        this.timing = timing;
        this.flashPath = flashPath;
        this.st = st;
        this.stops = stops;
        this.position = position;
        this.observers = observers;
        this.faults = faults;
    }

    long exceptionsTaken() {
        return exceptionsTaken;
    }

    /** Takes the highest-priority pending exception if it may preempt; returns true if it did (PC redirected). */
    boolean takePendingException(long nextPc) {
        int exc = nvic.highestPending(scs::faultEnabled);
        if (exc == 0) {
            return false;
        }
        if (nvic.groupPriority(exc) >= exceptions.executionPriority()) {
            return false;
        }
        if ((engine.read(Reg.XPSR) & 0x0600FC00L) != 0) {
            return false;   // never interrupt inside an IT block: the engine cannot resume there
        }
        enterException(exc, nextPc);
        return stops.outcome == null;
    }

    /** Enters exception {@code exc}; a frame that cannot be stacked ends the run. */
    void enterException(int exc, long returnAddress) {
        try {
            enter(exc, returnAddress);
        } catch (ExceptionUnit.StackingFault e) {
            stops.outcome = new RunOutcome.Faulted(new FaultReport(FaultKind.STACK_OVERFLOW, returnAddress, e.address, Access.WRITE, "",
                    ExceptionNumbers.name(exc) + " entry", -1, false,
                    "stacking the exception frame for " + ExceptionNumbers.name(exc) + " left RAM"));
            stops.requestStop();
        }
    }

    /** Enters exception {@code exc} and charges its entry: stacking, the vector fetch, the handler's first fetch. */
    void enter(int exc, long returnAddress) throws ExceptionUnit.StackingFault {
        exceptions.enter(exc, returnAddress);
        if (observers.blockListener() != null) {
            observers.blockListener().onExceptionEntry(exc, st.cycles());
        }
        exceptionsTaken++;
        st.cycles(st.cycles() + timing.exceptionEntryCycles(exceptions.lastEntryHadFpFrame()) + vectorFetchStall(exc));
        st.set(AccountingState.PREV_ENTRY, BlockEntry.BRANCH_END);   // the handler's first fetch is a branch target's
    }

    /**
     * The vector read of exception entry, beyond the TRM's zero-wait 12 cycles ("when the memory being
     * accessed has no wait states", TRM §3.9.1): the core reads the vector over the ICode bus (M3 TRM §14.3,
     * "instruction fetches and vector fetches"), so it goes through the flash path's instruction side,
     * and the handler's address is known only once it has arrived (docs/timing-model.md, "Exceptions").
     */
    private long vectorFetchStall(int exc) {
        if (!timing.usesMemorySystem()) {
            return 0;
        }
        long a = (scs.vtor() + 4L * exc) & 0xFFFFFFFFL;
        if (!flashPath.isFlash(a)) {
            return 0;
        }
        return flashPath.dynamicFetch() ? flashPath.fetch(a, 4) : flashPath.staticFetchWaitStates();
    }

    /** A branch to an EXC_RETURN value: return from the current exception, or tail-chain into a pending one. */
    void exceptionReturn(long excReturn) {
        if (exceptions.current() == 0) {
            // Thread mode: not an exception return but a branch to 0xFFFFFFxx, an execute-never address.
            BlockInfo cur = position.current();
            long from = cur == null ? excReturn : cur.instructions[cur.count - 1].address();
            faults.raise(FaultKind.FETCH_UNMAPPED, excReturn & ~1L, excReturn & ~1L, Access.FETCH,
                    "branch to " + String.format("0x%08x", excReturn) + " from " + String.format("0x%08x", from));
            return;
        }
        try {
            int returning = exceptions.current();
            exceptions.exit(excReturn);
            if (observers.blockListener() != null) {
                observers.blockListener().onExceptionReturn(st.cycles());
            }
            boolean fp = (excReturn & 0x10) == 0;
            if (returning == ExceptionNumbers.HARD_FAULT || returning <= ExceptionNumbers.USAGE_FAULT) {
                stops.deliveredFault = null;   // the handler recovered
            }
            chargeReturnOrTailChain(fp);
            st.set(AccountingState.PREV_ENTRY, BlockEntry.BRANCH_END);   // the code resumed (or the next handler) is fetched as a branch target
        } catch (ExceptionUnit.BadReturn e) {
            BlockInfo cur = position.current();
            long pc = cur == null ? excReturn : cur.instructions[cur.count - 1].address();
            faults.raise(FaultKind.INVALID_EXCEPTION_RETURN, pc, excReturn, null, e.getMessage());
        } catch (ExceptionUnit.StackingFault e) {
            stops.outcome = new RunOutcome.Faulted(new FaultReport(FaultKind.STACK_OVERFLOW, excReturn, e.address, Access.READ, "",
                    "exception return", -1, false, "unstacking the exception frame read outside RAM"));
            stops.requestStop();
        }
    }

    /**
     * Tail-chain: a pending exception that may preempt the context we return to is taken at once.
     * The TRM's return (10) and tail-chain (6) cycles run from the returning branch to the next
     * instruction: the branch's own cost, already charged with its block, is part of them.
     */
    private void chargeReturnOrTailChain(boolean fp) throws ExceptionUnit.StackingFault {
        long branchCost = 0;
        BlockInfo cur = position.current();
        if (cur != null && cur.count > 0) {
            branchCost = cur.cyclesBefore[cur.count] - cur.cyclesBefore[cur.count - 1];
        }
        int next = nvic.maybePending() ? nvic.highestPending(scs::faultEnabled) : 0;
        if (next != 0 && nvic.groupPriority(next) < exceptions.executionPriority()) {
            long resume = engine.read(Reg.PC) & ~1L;
            st.cycles(st.cycles() + Math.max(0, timing.tailChainCycles() - branchCost) + vectorFetchStall(next));
            exceptions.enter(next, resume);
            if (observers.blockListener() != null) {
                observers.blockListener().onExceptionEntry(next, st.cycles());
            }
            exceptionsTaken++;
        } else {
            st.cycles(st.cycles() + Math.max(0, timing.exceptionReturnCycles(fp) - branchCost));
        }
    }
}
