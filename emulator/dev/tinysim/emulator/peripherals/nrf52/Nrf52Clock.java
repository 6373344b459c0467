package dev.tinysim.emulator.peripherals.nrf52;

import dev.tinysim.emulator.board.PeripheralSpec;
import dev.tinysim.emulator.bus.PeripheralContext;
import dev.tinysim.emulator.bus.RegisterBlock;

/**
 * nRF52 CLOCK and POWER, which share the block at 0x40000000. Starting a clock completes at
 * once (the emulated crystal is always stable), so firmware that spins on HFCLKSTARTED or
 * LFCLKSTARTED goes on. POWER's registers hold what is written.
 */
public final class Nrf52Clock extends RegisterBlock {
    // CLOCK
    static final int TASKS_HFCLKSTART = 0x000, TASKS_HFCLKSTOP = 0x004, TASKS_LFCLKSTART = 0x008, TASKS_LFCLKSTOP = 0x00C,
            TASKS_CAL = 0x010, TASKS_CTSTART = 0x014, TASKS_CTSTOP = 0x018;
    static final int EVENTS_HFCLKSTARTED = 0x100, EVENTS_LFCLKSTARTED = 0x104, EVENTS_DONE = 0x10C, EVENTS_CTTO = 0x110;
    static final int INTENSET = 0x304, INTENCLR = 0x308;
    static final int HFCLKRUN = 0x408, HFCLKSTAT = 0x40C, LFCLKRUN = 0x414, LFCLKSTAT = 0x418, LFCLKSRCCOPY = 0x41C;
    static final int LFCLKSRC = 0x518, HFXODEBOUNCE = 0x528, CTIV = 0x538, TRACECONFIG = 0x55C;
    // POWER
    static final int POWER_EVENTS_POFWARN = 0x108, POWER_EVENTS_SLEEPENTER = 0x114, POWER_EVENTS_SLEEPEXIT = 0x118,
            POWER_RESETREAS = 0x400, POWER_RAMSTATUS = 0x428, POWER_USBREGSTATUS = 0x438, POWER_SYSTEMOFF = 0x500,
            POWER_POFCON = 0x510, POWER_GPREGRET = 0x51C, POWER_GPREGRET2 = 0x520, POWER_DCDCEN = 0x578,
            POWER_DCDCEN0 = 0x580, POWER_MAINREGSTATUS = 0x640;

    private int hfStarted, lfStarted, intenset;
    private boolean hfRunning, lfRunning;
    private int lfclksrc;

    public Nrf52Clock(PeripheralSpec spec, PeripheralContext ctx) {
        super(spec.name(), spec.base(), ctx.unmodelled());
        task(TASKS_HFCLKSTART, "TASKS_HFCLKSTART", () -> {
            hfRunning = true;
            hfStarted = 1;
        });
        task(TASKS_HFCLKSTOP, "TASKS_HFCLKSTOP", () -> hfRunning = false);
        task(TASKS_LFCLKSTART, "TASKS_LFCLKSTART", () -> {
            lfRunning = true;
            lfStarted = 1;
        });
        task(TASKS_LFCLKSTOP, "TASKS_LFCLKSTOP", () -> lfRunning = false);
        task(TASKS_CAL, "TASKS_CAL", () -> { });
        task(TASKS_CTSTART, "TASKS_CTSTART", () -> { });
        task(TASKS_CTSTOP, "TASKS_CTSTOP", () -> { });
        register(EVENTS_HFCLKSTARTED, "EVENTS_HFCLKSTARTED", () -> hfStarted, v -> hfStarted = v & 1);
        register(EVENTS_LFCLKSTARTED, "EVENTS_LFCLKSTARTED", () -> lfStarted, v -> lfStarted = v & 1);
        storage(EVENTS_DONE, "EVENTS_DONE", 0);
        storage(EVENTS_CTTO, "EVENTS_CTTO", 0);
        register(INTENSET, "INTENSET", () -> intenset, v -> intenset |= v);
        register(INTENCLR, "INTENCLR", () -> intenset, v -> intenset &= ~v);
        readOnly(HFCLKRUN, "HFCLKRUN", () -> hfRunning ? 1 : 0);
        // SRC = 1 (crystal) and STATE = running once started; the RC oscillator otherwise.
        readOnly(HFCLKSTAT, "HFCLKSTAT", () -> hfRunning ? 0x00010001 : 0);
        readOnly(LFCLKRUN, "LFCLKRUN", () -> lfRunning ? 1 : 0);
        readOnly(LFCLKSTAT, "LFCLKSTAT", () -> lfRunning ? (0x00010000 | lfclksrc) : 0);
        readOnly(LFCLKSRCCOPY, "LFCLKSRCCOPY", () -> lfclksrc);
        register(LFCLKSRC, "LFCLKSRC", () -> lfclksrc, v -> lfclksrc = v & 0x30003);
        storage(HFXODEBOUNCE, "HFXODEBOUNCE", 0x10);
        storage(CTIV, "CTIV", 0);
        storage(TRACECONFIG, "TRACECONFIG", 0);

        storage(POWER_EVENTS_POFWARN, "POWER.EVENTS_POFWARN", 0);
        storage(POWER_EVENTS_SLEEPENTER, "POWER.EVENTS_SLEEPENTER", 0);
        storage(POWER_EVENTS_SLEEPEXIT, "POWER.EVENTS_SLEEPEXIT", 0);
        int[] resetreas = storage(POWER_RESETREAS, "POWER.RESETREAS", 0);
        register(POWER_RESETREAS, "POWER.RESETREAS", () -> resetreas[0], v -> resetreas[0] &= ~v);  // write 1 to clear
        readOnly(POWER_RAMSTATUS, "POWER.RAMSTATUS", () -> 0xF);
        readOnly(POWER_USBREGSTATUS, "POWER.USBREGSTATUS", () -> 0);
        register(POWER_SYSTEMOFF, "POWER.SYSTEMOFF", () -> 0, v -> {
            if ((v & 1) != 0) {
                ctx.log().log(spec.name() + ": firmware entered System OFF (ignored: the run continues)");
            }
        });
        storage(POWER_POFCON, "POWER.POFCON", 0);
        storage(POWER_GPREGRET, "POWER.GPREGRET", 0);
        storage(POWER_GPREGRET2, "POWER.GPREGRET2", 0);
        storage(POWER_DCDCEN, "POWER.DCDCEN", 0);
        storage(POWER_DCDCEN0, "POWER.DCDCEN0", 0);
        readOnly(POWER_MAINREGSTATUS, "POWER.MAINREGSTATUS", () -> 0);
        unmodelledRegister(0x034, "POWER.TASKS_CONSTLAT");
        unmodelledRegister(0x038, "POWER.TASKS_LOWPWR");
    }
}
