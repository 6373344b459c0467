package dev.tinysim.emulator.peripherals.nrf52;

import dev.tinysim.emulator.board.PeripheralSpec;
import dev.tinysim.emulator.bus.PeripheralContext;
import dev.tinysim.emulator.bus.RegisterBlock;

/**
 * User information configuration registers: erased (0xFFFFFFFF) as on a fresh chip, except
 * those the board file sets. Writes store the value ANDed in, as NVMC programming does.
 */
public final class Nrf52Uicr extends RegisterBlock {
    public Nrf52Uicr(PeripheralSpec spec, PeripheralContext ctx) {
        super(spec.name(), spec.base(), ctx.unmodelled());
        String[] names = new String[0x400];
        for (int i = 0; i < 15; i++) {
            names[0x014 / 4 + i] = "NRFFW[" + i + "]";
        }
        for (int i = 0; i < 12; i++) {
            names[0x050 / 4 + i] = "NRFHW[" + i + "]";
        }
        for (int i = 0; i < 32; i++) {
            names[0x080 / 4 + i] = "CUSTOMER[" + i + "]";
        }
        names[0x200 / 4] = "PSELRESET[0]";
        names[0x204 / 4] = "PSELRESET[1]";
        names[0x208 / 4] = "APPROTECT";
        names[0x20C / 4] = "NFCPINS";
        names[0x210 / 4] = "DEBUGCTRL";
        names[0x304 / 4] = "REGOUT0";
        for (int w = 0; w < names.length; w++) {
            if (names[w] != null) {
                int[] cell = storage(4 * w, names[w], 0xFFFFFFFF);
                final int[] c = cell;
                register(4 * w, names[w], () -> c[0], v -> c[0] &= v);
            }
        }
    }
}
