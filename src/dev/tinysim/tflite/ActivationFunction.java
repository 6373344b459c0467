package dev.tinysim.tflite;

import java.util.Optional;

/** The schema's ActivationFunctionType enum: the activation fused into an operator. */
public enum ActivationFunction {
    NONE,
    RELU,
    RELU_N1_TO_1,
    RELU6,
    TANH,
    SIGN_BIT;

    public int code() {
        return ordinal();
    }

    public static Optional<ActivationFunction> fromCode(int code) {
        return code >= 0 && code < values().length ? Optional.of(values()[code]) : Optional.empty();
    }
}
