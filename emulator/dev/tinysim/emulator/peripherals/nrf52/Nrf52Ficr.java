package dev.tinysim.emulator.peripherals.nrf52;

import dev.tinysim.emulator.board.PeripheralSpec;
import dev.tinysim.emulator.bus.PeripheralContext;
import dev.tinysim.emulator.bus.RegisterBlock;

/**
 * Factory information configuration registers (read-only): flash geometry, a device ID and
 * address, part information — plausible values for an nRF52840-QIAA rev. 2 unless the board
 * file overrides them (options "deviceId", "codeSize", "ramKb").
 */
public final class Nrf52Ficr extends RegisterBlock {
    public Nrf52Ficr(PeripheralSpec spec, PeripheralContext ctx) {
        super(spec.name(), spec.base(), ctx.unmodelled());
        long deviceId = option(spec, "deviceId", 0x1A2B3C4D5E6F7081L);
        int codePages = (int) option(spec, "codePages", 256);
        int ramKb = (int) option(spec, "ramKb", 256);
        int flashKb = codePages * 4;
        readOnly(0x010, "CODEPAGESIZE", () -> 4096);
        readOnly(0x014, "CODESIZE", () -> codePages);
        readOnly(0x060, "DEVICEID[0]", () -> (int) deviceId);
        readOnly(0x064, "DEVICEID[1]", () -> (int) (deviceId >>> 32));
        for (int i = 0; i < 4; i++) {
            final int k = i;
            readOnly(0x080 + 4 * i, "ER[" + i + "]", () -> 0x9E3779B9 * (k + 1));
            readOnly(0x090 + 4 * i, "IR[" + i + "]", () -> 0x7F4A7C15 * (k + 1));
        }
        readOnly(0x0A0, "DEVICEADDRTYPE", () -> 1);
        readOnly(0x0A4, "DEVICEADDR[0]", () -> (int) (deviceId * 31));
        readOnly(0x0A8, "DEVICEADDR[1]", () -> (int) ((deviceId * 31) >>> 32) | 0xFFFF0000);
        readOnly(0x100, "INFO.PART", () -> 0x52840);
        readOnly(0x104, "INFO.VARIANT", () -> 0x41414430);   // "AAD0"
        readOnly(0x108, "INFO.PACKAGE", () -> 0x2004);        // QI (aQFN73)
        readOnly(0x10C, "INFO.RAM", () -> ramKb);
        readOnly(0x110, "INFO.FLASH", () -> flashKb);
        for (int i = 0; i < 5; i++) {
            readOnly(0x404 + 4 * i, "TEMP.A" + i, () -> 0x320);
        }
    }

    static long option(PeripheralSpec spec, String key, long fallback) {
        Object v = spec.options().get(key);
        if (v instanceof Number n) {
            return n.longValue();
        }
        if (v instanceof String s) {
            return s.startsWith("0x") ? Long.parseUnsignedLong(s.substring(2), 16) : Long.parseLong(s);
        }
        return fallback;
    }
}
