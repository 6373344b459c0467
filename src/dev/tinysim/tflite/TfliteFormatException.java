package dev.tinysim.tflite;

import java.io.IOException;

/**
 * A .tflite file is malformed, truncated, hostile or inconsistent. The message always names the file
 * and the field, e.g. {@code model.tflite: subgraph 0 tensor 12 (conv1/weights): shape [64,10,4,1]
 * needs 2560 bytes but buffer 7 holds 100}.
 *
 * <p>It is an {@link IOException} because it describes bad input data, like a read error does; the
 * reader never throws anything else for bad bytes.
 */
public final class TfliteFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public TfliteFormatException(String message) {
        super(message);
    }
}
