package dev.tinysim.emulator.peripherals.nrf52;

import dev.tinysim.emulator.board.PeripheralSpec;
import dev.tinysim.emulator.bus.PeripheralContext;
import dev.tinysim.emulator.bus.RegisterBlock;

/**
 * The GPIO ports P0 and P1, whose register blocks interleave in one page (P0 at 0x50000000,
 * P1 at 0x50000300, registers from +0x504): OUT with OUTSET/OUTCLR, DIR with DIRSET/DIRCLR,
 * PIN_CNF. IN reads the output value for pins configured as outputs and 0 for inputs (nothing
 * drives them). Option "ports" (default 2) sets how many ports exist.
 */
public final class Nrf52Gpio extends RegisterBlock {
    static final int PORT_STRIDE = 0x300;
    static final int OUT = 0x504, OUTSET = 0x508, OUTCLR = 0x50C, IN = 0x510, DIR = 0x514, DIRSET = 0x518,
            DIRCLR = 0x51C, LATCH = 0x520, DETECTMODE = 0x524, PIN_CNF = 0x700;

    private final int[] out;
    private final int[] dir;
    private final int[][] pinCnf;

    public Nrf52Gpio(PeripheralSpec spec, PeripheralContext ctx) {
        super(spec.name(), spec.base(), ctx.unmodelled());
        int ports = (int) Nrf52Ficr.option(spec, "ports", 2);
        out = new int[ports];
        dir = new int[ports];
        pinCnf = new int[ports][32];
        for (int p = 0; p < ports; p++) {
            final int port = p;
            int base = PORT_STRIDE * p;
            String n = "P" + p + ".";
            register(base + OUT, n + "OUT", () -> out[port], v -> out[port] = v);
            register(base + OUTSET, n + "OUTSET", () -> out[port], v -> out[port] |= v);
            register(base + OUTCLR, n + "OUTCLR", () -> out[port], v -> out[port] &= ~v);
            readOnly(base + IN, n + "IN", () -> out[port] & dir[port]);
            register(base + DIR, n + "DIR", () -> dir[port], v -> dir[port] = v);
            register(base + DIRSET, n + "DIRSET", () -> dir[port], v -> dir[port] |= v);
            register(base + DIRCLR, n + "DIRCLR", () -> dir[port], v -> dir[port] &= ~v);
            storage(base + LATCH, n + "LATCH", 0);
            storage(base + DETECTMODE, n + "DETECTMODE", 0);
            for (int i = 0; i < 32; i++) {
                final int pin = i;
                register(base + PIN_CNF + 4 * i, n + "PIN_CNF[" + i + "]", () -> pinCnf[port][pin], v -> {
                    pinCnf[port][pin] = v & 0x3070F;
                    if ((v & 1) != 0) {
                        dir[port] |= 1 << pin;
                    } else {
                        dir[port] &= ~(1 << pin);
                    }
                });
            }
        }
    }

    public int out(int port) {
        return out[port];
    }

    public int dir(int port) {
        return dir[port];
    }
}
