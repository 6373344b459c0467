package dev.tinysim.files;

/** A file the user named cannot be read; the message is one line that names it and says why. */
public final class UnreadableFileException extends Exception {

    /** Why: the command line maps MISSING, DENIED, EMPTY_NAME, NOT_REGULAR and IO to "missing or unreadable". */
    public enum Reason { EMPTY_NAME, MISSING, NOT_REGULAR, DENIED, TOO_LARGE, IO }

    private final Reason reason;

    public UnreadableFileException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
