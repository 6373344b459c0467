package dev.tinysim.run;

import dev.tinysim.emulator.board.Board;

import java.io.InputStream;

/**
 * How to run firmware.
 *
 * @param board           the board profile
 * @param timing          timing model name
 * @param maxInstructions runaway limit
 * @param strict          unmodelled registers end the run
 * @param stdin           what the firmware reads through semihosting (null: nothing)
 * @param commandLine     what SYS_GET_CMDLINE returns
 * @param diagnostics     where to print diagnostics (unmodelled registers), or null
 * @param timeoutMillis   wall-clock limit of the run in milliseconds (--timeout; 0: none)
 */
public record RunSettings(Board board, String timing, long maxInstructions, boolean strict, InputStream stdin,
                          String commandLine, java.io.PrintStream diagnostics, long timeoutMillis) {
    public static final long DEFAULT_MAX_INSTRUCTIONS = 5_000_000_000L;

    /** No wall-clock limit. */
    public RunSettings(Board board, String timing, long maxInstructions, boolean strict, InputStream stdin,
                       String commandLine, java.io.PrintStream diagnostics) {
        this(board, timing, maxInstructions, strict, stdin, commandLine, diagnostics, 0);
    }

    /** The same settings with a wall-clock limit of {@code millis} (0: none). */
    public RunSettings withTimeoutMillis(long millis) {
        return new RunSettings(board, timing, maxInstructions, strict, stdin, commandLine, diagnostics, millis);
    }
}
