package dev.tinysim.cli;

import dev.tinysim.failure.FailureException;

/** A command-line failure named by its exit code (domain code throws {@link FailureException} with a kind). */
public class CliException extends FailureException {
    public CliException(ExitCode exitCode, String message) {
        super(exitCode.failure(), message);
    }

    public CliException(ExitCode exitCode, String message, Throwable cause) {
        super(exitCode.failure(), message, cause);
    }

    public ExitCode exitCode() {
        return ExitCode.of(kind());
    }
}
