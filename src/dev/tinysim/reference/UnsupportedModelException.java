package dev.tinysim.reference;

/**
 * The model uses an operator, a type combination or a quantization the reference interpreter (and the
 * firmware runtime, which follows the same contract) does not support. Raised before anything runs; the
 * message names the operator and its index, e.g. {@code model uses LSH_PROJECTION (operator 7), which the
 * runtime does not support}.
 */
public final class UnsupportedModelException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnsupportedModelException(String message) {
        super(message);
    }
}
