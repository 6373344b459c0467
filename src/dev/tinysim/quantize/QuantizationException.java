package dev.tinysim.quantize;

/** The model cannot be quantized: an unsupported operator, a non-constant weight, a missing range. */
public class QuantizationException extends RuntimeException {
    public QuantizationException(String message) {
        super(message);
    }
}
