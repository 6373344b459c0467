package dev.tinysim.tflite;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * A parsed .tflite model (schema version 3). Signature defs and the deprecated metadata_buffer field
 * are not kept. Instances from {@link TfliteReader} are fully validated: every index is in range and
 * every constant buffer has exactly the size its tensor's shape and type need.
 */
public record TfliteModel(int version, String description, List<OperatorCode> operatorCodes,
                          List<Subgraph> subgraphs, List<ModelBuffer> buffers, List<Metadata> metadata) {

    public static final int SCHEMA_VERSION = 3;

    public TfliteModel {
        description = description == null ? "" : description;
        operatorCodes = List.copyOf(operatorCodes);
        subgraphs = List.copyOf(subgraphs);
        buffers = List.copyOf(buffers);
        metadata = List.copyOf(metadata);
    }

    /** Subgraph 0, the one that is run. */
    public Subgraph mainSubgraph() {
        return subgraphs.get(0);
    }

    public OperatorCode operatorCode(Operator op) {
        return operatorCodes.get(op.opcodeIndex());
    }

    /** Whether the tensor has constant data (a non-empty buffer). */
    public boolean isConstant(Tensor tensor) {
        return tensor.buffer() > 0 && tensor.buffer() < buffers.size() && !buffers.get(tensor.buffer()).isEmpty();
    }

    /** The tensor's constant data as a little-endian read-only view (empty if it has none). */
    public ByteBuffer tensorData(Tensor tensor) {
        return buffers.get(tensor.buffer()).data();
    }
}
