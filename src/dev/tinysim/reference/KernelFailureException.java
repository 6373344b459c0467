package dev.tinysim.reference;

/**
 * A kernel cannot compute its output for this input, at run time (TFLite Micro returns an error from the
 * operator's Eval; the firmware stops with kernel-failure, code 31). Example: int8 RSQRT of a value below
 * the zero point. The message names the operator and its index.
 */
public final class KernelFailureException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public KernelFailureException(String message) {
        super(message);
    }
}
