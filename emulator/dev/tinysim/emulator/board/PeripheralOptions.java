package dev.tinysim.emulator.board;

import java.util.List;
import java.util.Map;

/**
 * The {@code options} a board file may give a peripheral model, with their types and bounds, checked when the
 * board is loaded: a negative, non-numeric or out-of-range value is a bad board file (named with its field),
 * never an exception inside a peripheral's constructor or an array sized by a user's number.
 *
 * <p>Bounds are the hardware's where a part defines them (cited), otherwise the register's width. An option a
 * model does not declare is left to the model (it reads it with its own default).
 */
final class PeripheralOptions {

    /** A numeric option: decimal or 0x-hex, inclusive bounds. */
    record Numeric(long min, long max, String why) {
    }

    /** A text option: one of the listed values. */
    record Choice(List<String> values) {
    }

    private static final long U32 = 0xFFFF_FFFFL;
    private static final Numeric REGISTER = new Numeric(0, U32, "a 32-bit register value");

    private static final Map<String, Map<String, Object>> OPTIONS = Map.of(
            // nRF52840 Product Specification v1.7: FICR.INFO.CODEPAGESIZE is 4 KB; 1 MB = 256 pages (4,096 allows 16 MB)
            "nrf52.ficr", Map.of(
                    "codePages", new Numeric(1, 4096, "pages of 4 KB"),
                    "ramKb", new Numeric(1, 4096, "KB of RAM"),
                    "deviceId", new Numeric(Long.MIN_VALUE, Long.MAX_VALUE, "a 64-bit device id")),
            // nRF52840 PS v1.7 section 6.30: TIMER0-2 have 4 CC registers, TIMER3-4 have 6
            "nrf52.timer", Map.of("channels", new Numeric(1, 6, "CC registers (the nRF52 TIMER has 4 or 6)")),
            // nRF52840 PS v1.7 section 6.22: RTC0 has 3 CC registers, RTC1-2 have 4
            "nrf52.rtc", Map.of("channels", new Numeric(1, 4, "CC registers (the nRF52 RTC has 3 or 4)")),
            // nRF52840 PS v1.7 section 6.9: ports P0 and P1
            "nrf52.gpio", Map.of("ports", new Numeric(1, 2, "GPIO ports (the nRF52 has P0 and P1)")),
            "stm32.flash", Map.of("layout", new Choice(List.of("f4", "l4")), "acrReset", REGISTER),
            "kinetis.fmc", Map.of("layout", new Choice(List.of("k20", "k66")), "reset", REGISTER,
                    "rwsc", new Numeric(0, 15, "FMC PFB0CR.RWSC, a 4-bit field"), "pfaprReset", REGISTER),
            "sam.cmcc", Map.of("type", REGISTER, "cfgReset", REGISTER),
            "sam.nvmctrl", Map.of("param", REGISTER, "ctrlaReset", REGISTER));

    private PeripheralOptions() {
    }

    /**
     * Checks a peripheral's options.
     *
     * @param at the field path of the peripheral ("peripherals[3].")
     */
    static void check(String model, String peripheral, Map<String, Object> options, String where, String at)
            throws BoardException {
        Map<String, Object> declared = OPTIONS.getOrDefault(model, Map.of());
        for (Map.Entry<String, Object> e : options.entrySet()) {
            Object rule = declared.get(e.getKey());
            String field = where + ": " + at + "options." + e.getKey() + " (peripheral " + peripheral + ")";
            Object v = e.getValue();
            if (rule instanceof Numeric n) {
                Long value = parse(v);
                if (value == null) {
                    throw new BoardException(field + " must be a whole number (decimal or 0x-hex), got " + shown(v));
                }
                boolean inRange = n.min() == Long.MIN_VALUE ? true : value >= n.min() && value <= n.max();
                if (!inRange) {
                    throw new BoardException(field + " must be " + n.min() + ".." + (n.max() == U32 ? "0xFFFFFFFF" : n.max())
                            + " (" + n.why() + "), got " + shown(v));
                }
            } else if (rule instanceof Choice c) {
                if (!(v instanceof String s) || !c.values().contains(s)) {
                    throw new BoardException(field + " must be one of " + String.join(", ", c.values()) + ", got " + shown(v));
                }
            }
        }
    }

    /** A whole number from a JSON integer or a string ("0x1F", "31", "1_000"); null when it is not one. */
    static Long parse(Object v) {
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof Integer i) {
            return (long) i;
        }
        if (!(v instanceof String text)) {
            return null;
        }
        String s = text.strip().replace("_", "");
        try {
            if (s.startsWith("0x") || s.startsWith("0X")) {
                return Long.parseUnsignedLong(s.substring(2), 16);
            }
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A value from the file for a message: quoted if text, control characters as \xNN, cut to 60 characters. */
    static String shown(Object v) {
        String s = v instanceof String t ? "\"" + t + "\"" : String.valueOf(v);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length() && out.length() < 60; i++) {
            char c = s.charAt(i);
            out.append(c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return s.length() > 60 ? out + "…" : out.toString();
    }
}
