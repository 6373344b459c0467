package dev.tinysim.tflite;

import java.util.Optional;

/** Element types of the TFLite schema, with their numeric codes and storage sizes. */
public enum TensorType {
    FLOAT32(0, 4),
    FLOAT16(1, 2),
    INT32(2, 4),
    UINT8(3, 1),
    INT64(4, 8),
    /** Variable-length; no fixed element size. */
    STRING(5, -1),
    BOOL(6, 1),
    INT16(7, 2),
    COMPLEX64(8, 8),
    INT8(9, 1),
    FLOAT64(10, 8),
    COMPLEX128(11, 16),
    UINT64(12, 8),
    RESOURCE(13, -1),
    VARIANT(14, -1),
    UINT32(15, 4),
    UINT16(16, 2),
    /** Two elements per byte. */
    INT4(17, -2);

    private static final TensorType[] BY_CODE = values();

    private final int code;
    private final int bytesPerElement;

    TensorType(int code, int bytesPerElement) {
        this.code = code;
        this.bytesPerElement = bytesPerElement;
    }

    public int code() {
        return code;
    }

    /** Whether a buffer of this type has a size fixed by its shape (STRING, RESOURCE and VARIANT do not). */
    public boolean hasFixedSize() {
        return bytesPerElement != -1;
    }

    /**
     * Bytes needed to store {@code elements} values of this type (INT4 packs two per byte).
     *
     * @throws IllegalStateException for a type without a fixed size
     */
    public long bytesFor(long elements) {
        if (bytesPerElement == -2) {
            return (elements + 1) / 2;
        }
        if (bytesPerElement < 0) {
            throw new IllegalStateException(this + " has no fixed element size");
        }
        return elements * bytesPerElement;
    }

    public static Optional<TensorType> fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? Optional.of(BY_CODE[code]) : Optional.empty();
    }
}
