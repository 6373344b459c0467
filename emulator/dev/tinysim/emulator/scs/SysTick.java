package dev.tinysim.emulator.scs;

import dev.tinysim.emulator.sim.EventScheduler;
import dev.tinysim.emulator.sim.SimClock;

/**
 * The SysTick timer, counting down in core cycles of simulated time: VAL is computed from the
 * clock when read (exact at the reading instruction), the wrap to zero sets COUNTFLAG and, with
 * TICKINT, pends the SysTick exception through a scheduled event.
 */
public final class SysTick {
    public static final int CSR_ENABLE = 1, CSR_TICKINT = 2, CSR_CLKSOURCE = 4, CSR_COUNTFLAG = 1 << 16;

    private final SimClock clock;
    private final EventScheduler scheduler;
    private final Nvic nvic;
    private int csr = CSR_CLKSOURCE;   // the nRF52840 has no external reference clock: processor clock only
    private int reload;
    /** While enabled: the time at which the counter last held {@code valueAtStart}. */
    private long startTime;
    private int valueAtStart;
    /** Time of the most recent wrap to zero whose COUNTFLAG has not been read yet, or -1. */
    private boolean countFlag;
    private long lastZeroSeen = -1;
    private EventScheduler.Event nextZero;

    public SysTick(SimClock clock, EventScheduler scheduler, Nvic nvic) {
        this.clock = clock;
        this.scheduler = scheduler;
        this.nvic = nvic;
    }

    private boolean enabled() {
        return (csr & CSR_ENABLE) != 0;
    }

    /** Current counter value at time t. */
    private int valueAt(long t) {
        if (!enabled()) {
            return valueAtStart;
        }
        long elapsed = t - startTime;
        if (elapsed <= valueAtStart) {
            return (int) (valueAtStart - elapsed);
        }
        if (reload == 0) {
            return 0;   // a zero reload value stops the counter at zero
        }
        long period = (long) reload + 1;
        long k = elapsed - valueAtStart - 1;   // cycles since the first reload
        return (int) (reload - (k % period));
    }

    /** Time of the first zero at or after t, or -1 if the counter will not reach zero. */
    private long nextZeroAt(long t) {
        if (!enabled()) {
            return -1;
        }
        long firstZero = startTime + valueAtStart;
        if (t <= firstZero) {
            return firstZero;
        }
        if (reload == 0) {
            return -1;
        }
        long period = (long) reload + 1;
        long k = (t - firstZero + period - 1) / period;
        return firstZero + k * period;
    }

    private void scheduleNextZero() {
        if (nextZero != null) {
            nextZero.cancel();
            nextZero = null;
        }
        long now = clock.now();
        long z = nextZeroAt(now == startTime && valueAtStart == 0 ? now + 1 : now);
        if (z >= 0) {
            nextZero = scheduler.schedule(z, this::reachedZero);
        }
    }

    private void reachedZero() {
        long t = nextZero == null ? clock.now() : nextZero.cycle();
        countFlag = true;
        lastZeroSeen = t;
        if ((csr & CSR_TICKINT) != 0) {
            nvic.setPending(ExceptionNumbers.SYSTICK, true);
        }
        nextZero = null;
        long z = nextZeroAt(t + 1);
        if (z >= 0) {
            nextZero = scheduler.schedule(z, this::reachedZero);
        }
    }

    public int readCsr() {
        // COUNTFLAG may have been reached since the last scheduler pass (events run at block boundaries).
        long now = clock.now();
        if (enabled() && nextZero != null && nextZero.cycle() <= now) {
            countFlag = true;
        }
        int v = csr | (countFlag ? CSR_COUNTFLAG : 0);
        countFlag = false;
        return v;
    }

    public void writeCsr(int value) {
        long now = clock.now();
        int current = valueAt(now);
        boolean wasEnabled = enabled();
        csr = (value & (CSR_ENABLE | CSR_TICKINT)) | CSR_CLKSOURCE;
        if (enabled() && !wasEnabled) {
            // On enable the counter loads RELOAD if it was zero (as when VAL was cleared by a write).
            valueAtStart = current == 0 ? reload : current;
            startTime = now;
        } else {
            valueAtStart = current;
            startTime = now;
        }
        scheduleNextZero();
    }

    public int readReload() {
        return reload;
    }

    public void writeReload(int value) {
        long now = clock.now();
        valueAtStart = valueAt(now);
        startTime = now;
        reload = value & 0x00FFFFFF;
        scheduleNextZero();
    }

    public int readValue() {
        return valueAt(clock.now());
    }

    /** Any write clears the counter to zero and COUNTFLAG; it reloads on the next cycle. */
    public void writeValue() {
        startTime = clock.now();
        valueAtStart = 0;
        countFlag = false;
        // The counter holds 0 now; it reloads one cycle later without setting COUNTFLAG.
        startTime += 1;
        valueAtStart = reload;
        scheduleNextZero();
    }

    /** SysTick CALIB: no reference clock, TENMS for 10 ms at the core clock (clamped to 24 bits). */
    public int readCalib() {
        long tenms = clock.hz() / 100 - 1;
        return (1 << 31) | (int) Math.min(tenms, 0x00FFFFFF);
    }
}
