package dev.tinysim.emulator.scs;

import dev.tinysim.emulator.sim.InterruptLines;

/**
 * The nested vectored interrupt controller's state for all exceptions: enable, pending, active,
 * priority, and the choice of which pending exception may preempt. Register access (ISER, IPR…)
 * is in {@link SystemControlSpace}; this class is the logic.
 */
public final class Nvic implements InterruptLines {
    private final int exceptionCount;
    private final int priorityMask;
    private final boolean[] enabled;
    private final boolean[] pending;
    private final boolean[] active;
    private final boolean[] lineLevel;
    private final int[] priority;
    private int prigroup;
    private int activeCount;
    /** Set whenever something became pending (or a pending interrupt enabled); lets the core skip checks cheaply. */
    private boolean anyPending;

    public Nvic(int interrupts, int priorityBits) {
        this.exceptionCount = ExceptionNumbers.FIRST_IRQ + interrupts;
        this.priorityMask = (0xFF << (8 - priorityBits)) & 0xFF;
        enabled = new boolean[exceptionCount];
        pending = new boolean[exceptionCount];
        active = new boolean[exceptionCount];
        lineLevel = new boolean[exceptionCount];
        priority = new int[exceptionCount];
        for (int e = 1; e < ExceptionNumbers.FIRST_IRQ; e++) {
            enabled[e] = true;   // system exceptions are always "enabled"; faults are gated by SHCSR (see isEnabled)
        }
        priority[ExceptionNumbers.RESET] = -3;
        priority[ExceptionNumbers.NMI] = -2;
        priority[ExceptionNumbers.HARD_FAULT] = -1;
    }

    public int exceptionCount() {
        return exceptionCount;
    }

    public int interrupts() {
        return exceptionCount - ExceptionNumbers.FIRST_IRQ;
    }

    public int priorityMask() {
        return priorityMask;
    }

    @Override
    public void setLevel(int irq, boolean asserted) {
        int e = ExceptionNumbers.FIRST_IRQ + irq;
        if (e >= exceptionCount) {
            return;
        }
        lineLevel[e] = asserted;
        if (asserted && !active[e]) {
            setPending(e, true);
        }
    }

    public void setPending(int exception, boolean value) {
        if (exception <= 0 || exception >= exceptionCount) {
            return;
        }
        pending[exception] = value;
        if (value) {
            anyPending = true;
        }
    }

    public boolean pending(int exception) {
        return exception > 0 && exception < exceptionCount && pending[exception];
    }

    public boolean active(int exception) {
        return exception > 0 && exception < exceptionCount && active[exception];
    }

    public boolean enabled(int exception) {
        return exception > 0 && exception < exceptionCount && enabled[exception];
    }

    public void setEnabled(int exception, boolean value) {
        if (exception >= ExceptionNumbers.FIRST_IRQ && exception < exceptionCount) {
            enabled[exception] = value;
            if (value && pending[exception]) {
                anyPending = true;
            }
        }
    }

    /** Configurable priority (0..255, unimplemented low bits read as zero); fixed negative ones for Reset/NMI/HardFault. */
    public int priority(int exception) {
        return priority[exception];
    }

    public void setPriority(int exception, int value) {
        if (exception > ExceptionNumbers.HARD_FAULT && exception < exceptionCount) {
            priority[exception] = value & priorityMask;
        }
    }

    public int prigroup() {
        return prigroup;
    }

    public void setPrigroup(int value) {
        prigroup = value & 7;
    }

    /** Group priority: the part of the priority that decides preemption. */
    public int groupPriority(int exception) {
        int p = priority[exception];
        if (p < 0) {
            return p;
        }
        int subBits = prigroup + 1;
        return (p >> subBits) << subBits;
    }

    public void activate(int exception) {
        if (!active[exception]) {
            active[exception] = true;
            activeCount++;
        }
        pending[exception] = false;
    }

    public void deactivate(int exception) {
        if (exception > 0 && exception < exceptionCount && active[exception]) {
            active[exception] = false;
            activeCount--;
            if (lineLevel[exception]) {
                setPending(exception, true);     // level still high: pend again
            }
        }
    }

    public int activeCount() {
        return activeCount;
    }

    /** Lowest group priority among active exceptions, or 256 if none (thread mode). */
    public int activeGroupPriority() {
        if (activeCount == 0) {
            return 256;
        }
        int best = 256;
        for (int e = 1; e < exceptionCount; e++) {
            if (active[e]) {
                best = Math.min(best, groupPriority(e));
            }
        }
        return best;
    }

    /** True when something may be pending: a cheap check before the full search. */
    public boolean maybePending() {
        return anyPending;
    }

    /**
     * The pending, enabled exception with the highest priority (lowest number, then lowest
     * exception number), or 0. {@code faultEnabled} gates MemManage/BusFault/UsageFault (SHCSR).
     */
    public int highestPending(java.util.function.IntPredicate faultEnabled) {
        int best = 0;
        int bestPriority = Integer.MAX_VALUE;
        boolean found = false;
        for (int e = 1; e < exceptionCount; e++) {
            if (!pending[e]) {
                continue;
            }
            boolean en = e >= ExceptionNumbers.FIRST_IRQ ? enabled[e]
                    : (e < ExceptionNumbers.MEM_MANAGE || e > ExceptionNumbers.USAGE_FAULT || faultEnabled.test(e));
            // a pending but disabled interrupt cannot fire until setEnabled sets anyPending again, so it does not keep
            // the core on its slow path (firmware polling a peripheral with its IRQ masked); a pending system
            // exception counts either way (SHCSR may enable it without telling the NVIC)
            found |= en || e < ExceptionNumbers.FIRST_IRQ;
            if (!en) {
                continue;
            }
            int p = priority[e];
            if (p < bestPriority) {
                bestPriority = p;
                best = e;
            }
        }
        if (!found) {
            anyPending = false;
        }
        return best;
    }

    public void reset() {
        java.util.Arrays.fill(pending, false);
        java.util.Arrays.fill(active, false);
        for (int e = ExceptionNumbers.FIRST_IRQ; e < exceptionCount; e++) {
            enabled[e] = false;
            priority[e] = 0;
        }
        activeCount = 0;
        anyPending = false;
        prigroup = 0;
    }
}
