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
 */
public record RunSettings(Board board, String timing, long maxInstructions, boolean strict, InputStream stdin,
                          String commandLine, java.io.PrintStream diagnostics) {
    public static final long DEFAULT_MAX_INSTRUCTIONS = 5_000_000_000L;
}
