package dev.tinysim.emulator.scs;

import dev.tinysim.emulator.bus.RegisterBlock;
import dev.tinysim.emulator.bus.UnmodelledAccessLog;
import dev.tinysim.emulator.sim.ConsoleSink;

/**
 * Instrumentation Trace Macrocell: bytes written to an enabled stimulus port (ITM_SendChar and
 * SWO printf) go to the console, as a debug probe would show them.
 */
public final class Itm extends RegisterBlock {
    public static final long BASE = 0xE0000000L;
    private int ter;
    private int tcr;

    public Itm(ConsoleSink console, UnmodelledAccessLog unmodelled) {
        super("ITM", BASE, unmodelled);
        for (int port = 0; port < 32; port++) {
            final int p = port;
            register(4 * port, "STIM" + port, () -> 1, v -> {   // reads: FIFO ready
                if ((tcr & 1) != 0 && (ter & (1 << p)) != 0) {
                    console.write(ConsoleSink.Stream.STDOUT, new byte[]{(byte) v});
                }
            });
        }
        register(0xE00, "TER", () -> ter, v -> ter = v);
        storage(0xE40, "TPR", 0);
        register(0xE80, "TCR", () -> tcr, v -> tcr = v);
        storage(0xFB0, "LAR", 0);
        readOnly(0xFB4, "LSR", () -> 0);
    }
}
