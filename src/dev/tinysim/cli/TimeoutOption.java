package dev.tinysim.cli;

import picocli.CommandLine.Option;

/**
 * {@code --timeout SECONDS}: the wall-clock limit of run, compare and sweep (exit 94, result kind {@code timeout}). The
 * limit itself is the emulator's ({@code Machine.setWallTimeout}); for models, one deadline per firmware run of a
 * configuration ({@code InferenceOptions.timeoutMillis}).
 */
public final class TimeoutOption {
    /** Largest --timeout in seconds. */
    static final double MAX_SECONDS = 1e6;

    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = {"Stop after SECONDS of wall-clock (host) time, exit 94. Default: no limit.",
                    "run: the whole run (with --model: from the start of the emulation, for all --runs and the rerun on enlarged memory).",
                    "compare, sweep: each configuration's firmware run on its own; one that passes it is a row with result timeout, the others go on."})
    Double seconds;

    /** Refuses a --timeout that is not above 0 and at most {@link #MAX_SECONDS} (exit 64). */
    void check() {
        if (seconds != null && !(seconds > 0 && seconds <= MAX_SECONDS)) {
            throw new CliException(ExitCode.USAGE, "--timeout must be a number of seconds above 0 and at most 1000000 (got "
                    + seconds + ")");
        }
    }

    /** --timeout in milliseconds (at least 1), checked; 0 without --timeout. */
    long millis() {
        check();
        return seconds == null ? 0 : Math.max(1, Math.round(seconds * 1000));
    }
}
