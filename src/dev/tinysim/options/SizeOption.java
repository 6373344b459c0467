package dev.tinysim.options;

import dev.tinysim.emulator.units.Units;
import dev.tinysim.failure.Failure;
import dev.tinysim.failure.FailureException;

/**
 * Memory sizes on the command line ({@code --reserve-flash}, {@code --max-ram}, …) in the grammar board files use
 * too ({@link Units#parseBytes}: {@code 159744}, {@code 0x27000}, {@code 0x10K}, {@code 156K}, {@code 1.5M},
 * {@code 12B}). Anything else is a one-line usage error naming the option.
 */
public final class SizeOption {
    private SizeOption() {
    }

    /** Parses {@code value} given to {@code option}; throws a usage failure (exit 64) naming the option. */
    public static long parse(String option, String value) {
        long bytes;
        try {
            bytes = Units.parseBytes(value);
        } catch (Units.NotASize e) {
            if (e.fraction()) {
                throw new FailureException(Failure.USAGE, option + ": " + value + " is not a whole number of bytes");
            }
            throw bad(option, value);
        }
        if (bytes < 0) {
            throw bad(option, value);
        }
        return bytes;
    }

    private static FailureException bad(String option, String value) {
        return new FailureException(Failure.USAGE, option + ": '" + value + "' is not a size; write bytes (159744), hex (0x27000) "
                + "or a number with K or M (156K, 1M; K = 1024 bytes)");
    }
}
