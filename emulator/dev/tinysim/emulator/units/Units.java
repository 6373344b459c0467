package dev.tinysim.emulator.units;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one size grammar and the number and size formats of tinysim, for board files and the command line alike
 * (it sits in the lowest layer so the emulator can use it too).
 *
 * <p>Sizes: bytes ({@code 159744}), hexadecimal ({@code 0x27000}), or either with a binary unit:
 * {@code K}/{@code KB}/{@code KiB} = 1024 bytes, {@code M}/{@code MB}/{@code MiB} = 1024 K; a trailing {@code B}
 * alone means bytes; a decimal may have a fraction if it gives a whole number of bytes ({@code 1.5M}); space
 * between number and unit and case do not matter. So {@code "0x10K"}, {@code "256K"}, {@code "1.5M"} and
 * {@code "12B"} are sizes in both places; {@code "1.3K"}, {@code "1G"}, {@code "K"} are not.
 */
public final class Units {
    private static final Pattern SIZE = Pattern.compile("(0x[0-9a-f]+|-?\\d+(?:\\.\\d+)?)\\s*(k|kb|kib|m|mb|mib|b)?");
    private static final long MIB = 1024L * 1024;

    private Units() {
    }

    /** Why a text is not a size. */
    public static final class NotASize extends IllegalArgumentException {
        private final boolean fraction;

        NotASize(String text, boolean fraction) {
            super("'" + text + "' is not a size");
            this.fraction = fraction;
        }

        /** The text is a number with a unit, but not a whole number of bytes ("1.3K"). */
        public boolean fraction() {
            return fraction;
        }
    }

    /** The bytes {@code text} says (a negative decimal stays negative, for the caller to refuse in its words). */
    public static long parseBytes(String text) {
        String v = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        Matcher m = SIZE.matcher(v);
        if (!m.matches()) {
            throw new NotASize(text, false);
        }
        String number = m.group(1);
        String unit = m.group(2) == null ? "" : m.group(2);
        long mult = switch (unit) {
            case "k", "kb", "kib" -> 1024L;
            case "m", "mb", "mib" -> MIB;
            default -> 1L;
        };
        try {
            if (number.startsWith("0x")) {
                return Math.multiplyExact(Long.parseLong(number.substring(2), 16), mult);
            }
            if (number.contains(".")) {
                double bytes = Double.parseDouble(number) * mult;
                if (bytes != Math.rint(bytes) || Math.abs(bytes) > Long.MAX_VALUE / 2) {
                    throw new NotASize(text, true);
                }
                return (long) bytes;
            }
            return Math.multiplyExact(Long.parseLong(number), mult);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new NotASize(text, false);
        }
    }

    /** 1,234,567 (grouped, Locale.ROOT): the number format of every text report. */
    public static String grouped(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    /** Exact: "156 KB", "1 MB" when a whole number of KB or MB, else "1,234 bytes" (messages about a size one sets). */
    public static String bytesExact(long bytes) {
        if (bytes != 0 && bytes % MIB == 0) {
            return bytes / MIB + " MB";
        }
        if (bytes != 0 && bytes % 1024 == 0) {
            return bytes / 1024 + " KB";
        }
        return grouped(bytes) + " bytes";
    }

    /** Rounded to one decimal: "1 MB", "256 KB", "1.2 MB", "812 bytes", "1 byte" (messages about a size one has). */
    public static String bytesRounded(long bytes) {
        if (bytes >= MIB) {
            return oneDecimal(bytes / (double) MIB) + " MB";
        }
        if (bytes >= 1024) {
            return oneDecimal(bytes / 1024.0) + " KB";
        }
        return bytes + (bytes == 1 ? " byte" : " bytes");
    }

    private static String oneDecimal(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
