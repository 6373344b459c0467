package dev.tinysim.inference;

import java.util.Optional;

/**
 * The inference runtime's error codes, mirroring {@code firmware-images/runtime/ts_errors.h} (numbers
 * and names are part of the protocol, docs/inference-protocol.md; a test parses the header and checks
 * that the two lists agree). The runtime reports an error as
 * {@code @ts error code=<n> name=<name> [operator=<i> opcode=<NAME>] [detail=<text>]} and exits with
 * status {@code n}.
 */
public enum RuntimeError {
    OK(0, "ok", "no error"),
    NO_MODEL(1, "no-model", "no model was given to the runtime"),
    MODEL_TOO_LARGE(2, "model-too-large", "the model is larger than the flash region reserved for it"),
    BAD_FLATBUFFER(3, "bad-flatbuffer", "the flatbuffer is corrupt: an offset, vtable, vector or field is out of bounds"),
    BAD_IDENTIFIER(4, "bad-identifier", "the file identifier is not TFL3 (not a TFLite model)"),
    BAD_SCHEMA_VERSION(5, "bad-schema-version", "the model's schema version is not 3"),
    NO_SUBGRAPH(6, "no-subgraph", "the model has no subgraph, or no inputs or outputs"),
    BAD_TENSOR_INDEX(7, "bad-tensor-index", "a tensor index is out of range"),
    BAD_SHAPE(8, "bad-shape", "a tensor shape is invalid (rank > 6, a dimension < 1 or > 2^24, or more than 2^28 elements)"),
    BAD_BUFFER(9, "bad-buffer", "a buffer index is out of range or a buffer is smaller than its tensor"),
    MISALIGNED_BUFFER(10, "misaligned-buffer", "constant float/int32 data is not 4-byte aligned"),
    UNSUPPORTED_TYPE(11, "unsupported-type", "an operator uses a tensor type combination the runtime does not implement"),
    BAD_QUANTIZATION(12, "bad-quantization", "missing or invalid quantization parameters"),
    TOO_MANY_TENSORS(13, "too-many-tensors", "more than 8192 tensors"),
    TOO_MANY_OPERATORS(14, "too-many-operators", "more than 4096 operators"),
    BAD_GRAPH(15, "bad-graph", "the graph is inconsistent (a tensor read before it is written, written twice, or a constant output)"),
    BAD_CONFIG(16, "bad-config", "the host configuration block is inconsistent"),
    UNSUPPORTED_OPERATOR(20, "unsupported-operator", "the model uses an operator the runtime does not implement"),
    UNSUPPORTED_OPTIONS(21, "unsupported-options", "an operator uses options the runtime does not implement"),
    BAD_OPERATOR(22, "bad-operator", "an operator has the wrong inputs, outputs, shapes or options"),
    ARENA_TOO_SMALL(30, "arena-too-small", "the tensor arena is too small for the model"),
    KERNEL_FAILURE(31, "kernel-failure", "a kernel could not compute its output");

    private final int code;
    private final String label;
    private final String description;

    RuntimeError(int code, String label, String description) {
        this.code = code;
        this.label = label;
        this.description = description;
    }

    /** The number in {@code @ts error code=} and the firmware's exit status. */
    public int code() {
        return code;
    }

    /** The name in {@code @ts error name=} ("bad-flatbuffer"). */
    public String label() {
        return label;
    }

    /** One sentence on what it means. */
    public String description() {
        return description;
    }

    public static Optional<RuntimeError> fromCode(long code) {
        for (RuntimeError e : values()) {
            if (e.code == code) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }
}
