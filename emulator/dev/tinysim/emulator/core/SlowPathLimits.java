package dev.tinysim.emulator.core;

import dev.tinysim.emulator.scs.Nvic;
import dev.tinysim.emulator.sim.EventScheduler;

/**
 * The limits that make the native block hook hand a block to Java: the next timed event, at once when an
 * exception may be pending or a listener wants every block, and the instruction limit. Every part that
 * pends an interrupt, reschedules an event or installs a listener asks for them to be refreshed.
 */
final class SlowPathLimits {
    private final AccountingState st;
    private final Nvic nvic;
    private final EventScheduler scheduler;
    /** Every block goes through Java (profiling, tracing): the native hook only forwards. */
    private boolean forceSlowPath;
    private long maxInstructions = Long.MAX_VALUE;

    SlowPathLimits(AccountingState st, Nvic nvic, EventScheduler scheduler) {
        this.st = st;
        this.nvic = nvic;
        this.scheduler = scheduler;
    }

    long maxInstructions() {
        return maxInstructions;
    }

    void setMaxInstructions(long max) {
        this.maxInstructions = max;
        refresh();
    }

    void forceSlowPath(boolean force) {
        forceSlowPath = force;
        refresh();
    }

    /**
     * Tells the native hook when it must hand a block to Java: at the next timed event, at once
     * when an exception may be pending, always while a listener wants every block.
     */
    void refresh() {
        long limit = forceSlowPath || nvic.maybePending() ? 0 : scheduler.nextDue();
        st.set(AccountingState.CYCLE_LIMIT, limit);
        st.set(AccountingState.INSN_LIMIT, maxInstructions);
    }
}
