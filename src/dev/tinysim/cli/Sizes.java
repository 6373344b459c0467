package dev.tinysim.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Memory sizes on the command line ({@code --reserve-flash}, {@code --max-ram}, …): bytes ({@code 159744}),
 * hexadecimal ({@code 0x27000}), or a number with a binary unit: {@code K}/{@code KB}/{@code KiB} = 1024
 * bytes, {@code M}/{@code MB}/{@code MiB} = 1024 K ({@code 156K}, {@code 1M}, {@code 1.5M}); a trailing
 * {@code B} alone means bytes. Case does not matter. Anything else is a one-line usage error naming the option.
 */
public final class Sizes {
    private static final Pattern SIZE = Pattern.compile("(0x[0-9a-f]+|\\d+(?:\\.\\d+)?)\\s*(k|kb|kib|m|mb|mib|b)?");

    private Sizes() {
    }

    /** Parses {@code value} given to {@code option}; throws a usage error (exit 64) naming the option. */
    public static long parse(String option, String value) {
        String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        Matcher m = SIZE.matcher(v);
        if (!m.matches()) {
            throw bad(option, value);
        }
        String number = m.group(1);
        String unit = m.group(2) == null ? "" : m.group(2);
        long mult = switch (unit) {
            case "k", "kb", "kib" -> 1024L;
            case "m", "mb", "mib" -> 1024L * 1024;
            default -> 1L;
        };
        try {
            if (number.startsWith("0x")) {
                if (mult != 1) {
                    throw bad(option, value);
                }
                return Long.parseLong(number.substring(2), 16);
            }
            if (number.contains(".")) {
                double bytes = Double.parseDouble(number) * mult;
                if (bytes != Math.rint(bytes) || bytes > Long.MAX_VALUE / 2) {
                    throw new CliException(ExitCode.USAGE, option + ": " + value + " is not a whole number of bytes");
                }
                return (long) bytes;
            }
            return Math.multiplyExact(Long.parseLong(number), mult);
        } catch (NumberFormatException | ArithmeticException e) {
            throw bad(option, value);
        }
    }

    private static CliException bad(String option, String value) {
        return new CliException(ExitCode.USAGE, option + ": '" + value + "' is not a size; write bytes (159744), hex (0x27000) "
                + "or a number with K or M (156K, 1M; K = 1024 bytes)");
    }

    /** "156 KB" when a whole number of KB or MB, else "1,234 bytes". */
    public static String human(long bytes) {
        if (bytes != 0 && bytes % (1024 * 1024) == 0) {
            return bytes / (1024 * 1024) + " MB";
        }
        if (bytes != 0 && bytes % 1024 == 0) {
            return bytes / 1024 + " KB";
        }
        return String.format(Locale.ROOT, "%,d bytes", bytes);
    }
}
