package dev.tinysim.tflite;

import java.util.List;

/**
 * A tensor of a subgraph. {@code buffer} indexes {@link TfliteModel#buffers()}; buffer 0 (or any empty
 * buffer) means the tensor has no constant data. {@code shapeSignature} is empty unless the file stores
 * one (it marks dynamic dimensions with -1).
 */
public record Tensor(String name, TensorType type, List<Integer> shape, int buffer, Quantization quantization,
                     boolean isVariable, List<Integer> shapeSignature, boolean hasRank) {

    public Tensor {
        shape = List.copyOf(shape);
        shapeSignature = List.copyOf(shapeSignature);
        name = name == null ? "" : name;
        quantization = quantization == null ? Quantization.NONE : quantization;
    }

    /** A plain tensor: no variable flag, no shape signature. */
    public Tensor(String name, TensorType type, List<Integer> shape, int buffer, Quantization quantization) {
        this(name, type, shape, buffer, quantization, false, List.of(), false);
    }

    /** Number of elements (product of the shape; 1 for a scalar). The reader guarantees it fits an int. */
    public int elementCount() {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return Math.toIntExact(n);
    }

    public int rank() {
        return shape.size();
    }

    public int dim(int i) {
        return shape.get(i);
    }

    public int[] shapeArray() {
        return shape.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Bytes the tensor occupies (fixed-size types only). */
    public int byteSize() {
        return Math.toIntExact(type.bytesFor(elementCount()));
    }
}
