package dev.tinysim.reference;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The result of one inference: the bytes of every subgraph output (in subgraph output order) and,
 * when requested, the bytes of every tensor that had a value after the run, keyed by tensor index
 * (inputs, constants used by operators, and every operator output), for per-layer comparison.
 */
public record InferenceResult(List<byte[]> outputs, Map<Integer, byte[]> tensors) {

    public InferenceResult {
        outputs = List.copyOf(outputs);
        tensors = tensors == null ? Map.of() : Collections.unmodifiableMap(tensors);
    }

    /** Bytes of tensor {@code index}, or null if the run did not keep it. */
    public byte[] tensor(int index) {
        return tensors.get(index);
    }
}
