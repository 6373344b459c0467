package dev.tinysim.emulator.machine;

/** A program cannot be placed on this board, or has no usable vector table. */
public class ImageException extends Exception {
    /** Why the image was refused: each has its own exit code. */
    public enum Reason { DOES_NOT_FIT, NO_VECTOR_TABLE }

    private final Reason reason;

    public ImageException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
