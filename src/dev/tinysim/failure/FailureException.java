package dev.tinysim.failure;

/** A failure to report as one line (no stack trace unless --verbose) and, on the command line, an exit code. */
public class FailureException extends RuntimeException {
    private final Failure kind;

    public FailureException(Failure kind, String message) {
        super(message);
        this.kind = kind;
    }

    public FailureException(Failure kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Failure kind() {
        return kind;
    }
}
