package dev.tinysim.emulator.peripherals.flash;

import dev.tinysim.emulator.board.PeripheralSpec;

/** Numeric and text options of a peripheral's board entry ("acrReset": "0x600"). */
final class Options {
    private Options() {
    }

    static long number(PeripheralSpec spec, String key, long fallback) {
        Object v = spec.options().get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number n) {
            return n.longValue();
        }
        String s = v.toString().strip().replace("_", "");
        try {
            return s.startsWith("0x") || s.startsWith("0X") ? Long.parseLong(s.substring(2), 16) : Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("peripheral " + spec.name() + ": option \"" + key + "\" is not a number (\"" + v + "\")");
        }
    }

    static String text(PeripheralSpec spec, String key, String fallback) {
        Object v = spec.options().get(key);
        return v == null ? fallback : v.toString();
    }
}
