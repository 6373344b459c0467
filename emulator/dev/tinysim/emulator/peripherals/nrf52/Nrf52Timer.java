package dev.tinysim.emulator.peripherals.nrf52;

import dev.tinysim.emulator.board.PeripheralSpec;
import dev.tinysim.emulator.bus.PeripheralContext;
import dev.tinysim.emulator.bus.RegisterBlock;
import dev.tinysim.emulator.sim.EventScheduler;

/**
 * nRF52 TIMER: a 16 MHz / 2^PRESCALER counter (Timer mode) or a task-driven counter (Counter
 * mode), 8/16/24/32-bit, with CC channels: CAPTURE copies the counter, a match raises
 * EVENTS_COMPARE, the COMPARE_CLEAR/COMPARE_STOP shortcuts apply, and INTENSET routes compares
 * to the NVIC. The counter advances with simulated time and is exact at the reading instruction.
 */
public final class Nrf52Timer extends RegisterBlock {
    static final int TASKS_START = 0x000, TASKS_STOP = 0x004, TASKS_COUNT = 0x008, TASKS_CLEAR = 0x00C,
            TASKS_SHUTDOWN = 0x010, TASKS_CAPTURE = 0x040, EVENTS_COMPARE = 0x140, SHORTS = 0x200,
            INTENSET = 0x304, INTENCLR = 0x308, MODE = 0x504, BITMODE = 0x508, PRESCALER = 0x510, CC = 0x540;
    private static final long BASE_CLOCK_HZ = 16_000_000L;
    /*
     * Writable bits, from the register tables of the nRF52840 Product Specification, chapter "TIMER -
     * Timer/counter", section "Registers" (SHORTS 0x200, INTENSET 0x304, INTENCLR 0x308): SHORTS bits 0-5
     * COMPARE[n]_CLEAR and 8-13 COMPARE[n]_STOP; INTENSET/INTENCLR bits 16-21 COMPARE[n]. The other bits are
     * reserved: a write does not store them and they read 0.
     */
    static final int SHORTS_BITS = 0x3F3F, INTEN_BITS = 0x3F0000;

    private final PeripheralContext ctx;
    private final int irq;
    private final int channels;
    private final TickCounter counter;
    private final int[] cc;
    private final int[] compareEvent;
    private final EventScheduler.Event[] scheduled;
    private int mode;
    private int bitmode;
    private int prescaler = 4;
    private int shorts;
    private int inten;
    /** Between START and STOP: Counter mode counts COUNT tasks only then (Timer mode: {@code counter.running()}). */
    private boolean started;

    public Nrf52Timer(PeripheralSpec spec, PeripheralContext ctx) {
        super(spec.name(), spec.base(), ctx.unmodelled());
        this.ctx = ctx;
        this.irq = spec.irq();
        this.channels = (int) Nrf52Ficr.option(spec, "channels", 4);
        this.counter = new TickCounter(ctx.clock().hz());
        this.cc = new int[channels];
        this.compareEvent = new int[channels];
        this.scheduled = new EventScheduler.Event[channels];
        updateRate();

        task(TASKS_START, "TASKS_START", () -> {
            started = true;
            if (mode == 0) {
                counter.start(now());
            }
            reschedule();
        });
        task(TASKS_STOP, "TASKS_STOP", this::stop);
        task(TASKS_SHUTDOWN, "TASKS_SHUTDOWN", this::stop);
        // PS, TIMER: "In both modes, the TIMER is started by triggering the START task, and stopped by triggering
        // the STOP task"; COUNT is "Increment Timer (Counter mode only)": a COUNT while stopped is not counted
        task(TASKS_COUNT, "TASKS_COUNT", () -> {
            if (mode != 0 && started) {
                long v = (counter.valueAt(now()) + 1) & mask();
                counter.set(now(), v);
                for (int n = 0; n < channels; n++) {
                    if (v == (cc[n] & mask())) {
                        compare(n);
                    }
                }
            }
        });
        task(TASKS_CLEAR, "TASKS_CLEAR", () -> {
            counter.set(now(), 0);
            reschedule();
        });
        for (int i = 0; i < channels; i++) {
            final int n = i;
            task(TASKS_CAPTURE + 4 * n, "TASKS_CAPTURE[" + n + "]", () -> cc[n] = (int) (counter.valueAt(now()) & mask()));
            register(EVENTS_COMPARE + 4 * n, "EVENTS_COMPARE[" + n + "]", () -> compareEvent[n], v -> {
                compareEvent[n] = v & 1;
                updateIrq();
            });
            register(CC + 4 * n, "CC[" + n + "]", () -> cc[n], v -> {
                cc[n] = v;
                reschedule();
            });
        }
        register(SHORTS, "SHORTS", () -> shorts, v -> shorts = v & SHORTS_BITS);
        register(INTENSET, "INTENSET", () -> inten, v -> {
            inten |= v & INTEN_BITS;
            updateIrq();
        });
        register(INTENCLR, "INTENCLR", () -> inten, v -> {
            inten &= ~(v & INTEN_BITS);
            updateIrq();
        });
        register(MODE, "MODE", () -> mode, v -> mode = v & 3);
        register(BITMODE, "BITMODE", () -> bitmode, v -> {
            bitmode = v & 3;
            reschedule();
        });
        register(PRESCALER, "PRESCALER", () -> prescaler, v -> {
            long t = now();
            counter.set(t, counter.valueAt(t));
            prescaler = Math.min(v & 0xF, 9);
            updateRate();
            reschedule();
        });
    }

    private long now() {
        return ctx.clock().now();
    }

    private void stop() {
        started = false;
        counter.stop(now());
        for (int n = 0; n < channels; n++) {
            cancel(n);
        }
    }

    private long mask() {
        return switch (bitmode) {
            case 0 -> 0xFFFFL;
            case 1 -> 0xFFL;
            case 2 -> 0xFFFFFFL;
            default -> 0xFFFFFFFFL;
        };
    }

    private void updateRate() {
        counter.setRate(BASE_CLOCK_HZ, 1L << prescaler);
    }

    private void cancel(int n) {
        if (scheduled[n] != null) {
            scheduled[n].cancel();
            scheduled[n] = null;
        }
    }

    private void reschedule() {
        for (int n = 0; n < channels; n++) {
            cancel(n);
            if (counter.running() && mode == 0) {
                scheduleChannel(n, now());
            }
        }
    }

    /** Schedules the next time the (wrapping) counter equals CC[n], strictly after {@code after}'s value. */
    private void scheduleChannel(int n, long after) {
        long raw = counter.valueAt(after) - counter.startValue();   // ticks since the counter's start point
        long value = counter.valueAt(after) & mask();
        long target = cc[n] & mask();
        long delta = (target - value) & mask();
        if (delta == 0) {
            delta = mask() + 1;
        }
        long tick = raw + delta;
        long cycle = counter.cycleOfTick(tick);
        final int ch = n;
        scheduled[n] = ctx.scheduler().schedule(cycle, () -> {
            scheduled[ch] = null;
            compare(ch);
            if (counter.running() && scheduled[ch] == null) {
                scheduleChannel(ch, cycle);
            }
        });
    }

    private void compare(int n) {
        compareEvent[n] = 1;
        if ((shorts & (1 << n)) != 0) {
            counter.set(now(), 0);
            reschedule();
        }
        if ((shorts & (1 << (8 + n))) != 0) {
            stop();
        }
        updateIrq();
    }

    private void updateIrq() {
        if (irq < 0) {
            return;
        }
        boolean asserted = false;
        for (int n = 0; n < channels; n++) {
            if (compareEvent[n] != 0 && (inten & (1 << (16 + n))) != 0) {
                asserted = true;
            }
        }
        ctx.interrupts().setLevel(irq, asserted);
    }
}
