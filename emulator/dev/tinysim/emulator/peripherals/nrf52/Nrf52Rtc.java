package dev.tinysim.emulator.peripherals.nrf52;

import dev.tinysim.emulator.board.PeripheralSpec;
import dev.tinysim.emulator.bus.PeripheralContext;
import dev.tinysim.emulator.bus.RegisterBlock;
import dev.tinysim.emulator.sim.EventScheduler;

/**
 * nRF52 RTC: a 24-bit counter on the 32.768 kHz low-frequency clock divided by PRESCALER + 1,
 * with TICK, OVRFLW and COMPARE events (INTENSET routes them to the NVIC; EVTEN is stored).
 * The counter advances with simulated time and is exact at the reading instruction.
 */
public final class Nrf52Rtc extends RegisterBlock {
    static final int TASKS_START = 0x000, TASKS_STOP = 0x004, TASKS_CLEAR = 0x008, TASKS_TRIGOVRFLW = 0x00C,
            EVENTS_TICK = 0x100, EVENTS_OVRFLW = 0x104, EVENTS_COMPARE = 0x140, INTENSET = 0x304, INTENCLR = 0x308,
            EVTEN = 0x340, EVTENSET = 0x344, EVTENCLR = 0x348, COUNTER = 0x504, PRESCALER = 0x508, CC = 0x540;
    private static final long LFCLK_HZ = 32_768L;
    private static final long MASK = 0xFFFFFFL;

    private final PeripheralContext ctx;
    private final int irq;
    private final int channels;
    private final TickCounter counter;
    private final int[] cc;
    private final int[] compareEvent;
    private final EventScheduler.Event[] scheduled;
    private EventScheduler.Event overflowEvent;
    private EventScheduler.Event tickEvent;
    private int tick, ovrflw;
    private int inten, evten;
    private int prescaler;

    public Nrf52Rtc(PeripheralSpec spec, PeripheralContext ctx) {
        super(spec.name(), spec.base(), ctx.unmodelled());
        this.ctx = ctx;
        this.irq = spec.irq();
        this.channels = (int) Nrf52Ficr.option(spec, "channels", 4);
        this.counter = new TickCounter(ctx.clock().hz());
        this.cc = new int[channels];
        this.compareEvent = new int[channels];
        this.scheduled = new EventScheduler.Event[channels];
        counter.setRate(LFCLK_HZ, 1);

        task(TASKS_START, "TASKS_START", () -> {
            counter.start(now());
            reschedule();
        });
        task(TASKS_STOP, "TASKS_STOP", () -> {
            counter.stop(now());
            reschedule();
        });
        task(TASKS_CLEAR, "TASKS_CLEAR", () -> {
            counter.set(now(), 0);
            reschedule();
        });
        task(TASKS_TRIGOVRFLW, "TASKS_TRIGOVRFLW", () -> {
            counter.set(now(), 0xFFFFF0);
            reschedule();
        });
        register(EVENTS_TICK, "EVENTS_TICK", () -> tick, v -> {
            tick = v & 1;
            updateIrq();
        });
        register(EVENTS_OVRFLW, "EVENTS_OVRFLW", () -> ovrflw, v -> {
            ovrflw = v & 1;
            updateIrq();
        });
        for (int i = 0; i < channels; i++) {
            final int n = i;
            register(EVENTS_COMPARE + 4 * n, "EVENTS_COMPARE[" + n + "]", () -> compareEvent[n], v -> {
                compareEvent[n] = v & 1;
                updateIrq();
            });
            register(CC + 4 * n, "CC[" + n + "]", () -> cc[n], v -> {
                cc[n] = (int) (v & MASK);
                reschedule();
            });
        }
        register(INTENSET, "INTENSET", () -> inten, v -> {
            inten |= v;
            reschedule();
            updateIrq();
        });
        register(INTENCLR, "INTENCLR", () -> inten, v -> {
            inten &= ~v;
            reschedule();
            updateIrq();
        });
        register(EVTEN, "EVTEN", () -> evten, v -> evten = v);
        register(EVTENSET, "EVTENSET", () -> evten, v -> evten |= v);
        register(EVTENCLR, "EVTENCLR", () -> evten, v -> evten &= ~v);
        readOnly(COUNTER, "COUNTER", () -> (int) (counter.valueAt(now()) & MASK));
        register(PRESCALER, "PRESCALER", () -> prescaler, v -> {
            if (counter.running()) {
                ctx.log().log(name() + ": PRESCALER written while running (ignored, as on the chip)");
                return;
            }
            prescaler = v & 0xFFF;
            counter.setRate(LFCLK_HZ, prescaler + 1L);
        });
    }

    private long now() {
        return ctx.clock().now();
    }

    private void reschedule() {
        for (int n = 0; n < channels; n++) {
            if (scheduled[n] != null) {
                scheduled[n].cancel();
                scheduled[n] = null;
            }
        }
        if (overflowEvent != null) {
            overflowEvent.cancel();
            overflowEvent = null;
        }
        if (tickEvent != null) {
            tickEvent.cancel();
            tickEvent = null;
        }
        if (!counter.running()) {
            return;
        }
        long t = now();
        for (int n = 0; n < channels; n++) {
            scheduleCompare(n, t);
        }
        scheduleOverflow(t);
        if ((inten & 1) != 0 || (evten & 1) != 0) {
            scheduleTick(t);
        }
    }

    /** Cycle at which the counter next reaches {@code target} (mod 2^24), after time t. */
    private long nextReach(long t, long target) {
        long raw = counter.valueAt(t) - counter.startValue();
        long value = counter.valueAt(t) & MASK;
        long delta = (target - value) & MASK;
        if (delta == 0) {
            delta = MASK + 1;
        }
        return counter.cycleOfTick(raw + delta);
    }

    private void scheduleCompare(int n, long t) {
        long cycle = nextReach(t, cc[n]);
        scheduled[n] = ctx.scheduler().schedule(cycle, () -> {
            compareEvent[n] = 1;
            updateIrq();
            scheduleCompare(n, cycle);
        });
    }

    private void scheduleOverflow(long t) {
        long cycle = nextReach(t, 0);
        overflowEvent = ctx.scheduler().schedule(cycle, () -> {
            ovrflw = 1;
            updateIrq();
            scheduleOverflow(cycle);
        });
    }

    private void scheduleTick(long t) {
        long raw = counter.valueAt(t) - counter.startValue();
        long cycle = counter.cycleOfTick(raw + 1);
        tickEvent = ctx.scheduler().schedule(cycle, () -> {
            tick = 1;
            updateIrq();
            scheduleTick(cycle);
        });
    }

    private void updateIrq() {
        if (irq < 0) {
            return;
        }
        boolean asserted = (tick != 0 && (inten & 1) != 0) || (ovrflw != 0 && (inten & 2) != 0);
        for (int n = 0; n < channels; n++) {
            if (compareEvent[n] != 0 && (inten & (1 << (16 + n))) != 0) {
                asserted = true;
            }
        }
        ctx.interrupts().setLevel(irq, asserted);
    }
}
