package dev.tinysim.tflite;

import java.util.Optional;

/** The schema's Padding enum (SAME = 0, VALID = 1). */
public enum Padding {
    SAME,
    VALID;

    public int code() {
        return ordinal();
    }

    public static Optional<Padding> fromCode(int code) {
        return code >= 0 && code < values().length ? Optional.of(values()[code]) : Optional.empty();
    }
}
