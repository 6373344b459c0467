package dev.tinysim.tflite;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * One operator of a subgraph. {@code inputs} may contain -1 for an omitted optional input (e.g. no bias).
 * {@code customOptions} is null when absent.
 */
public record Operator(int opcodeIndex, List<Integer> inputs, List<Integer> outputs, BuiltinOptions options,
                       ByteBuffer customOptions, List<Integer> intermediates) {

    public Operator {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        intermediates = List.copyOf(intermediates);
        options = options == null ? BuiltinOptions.NONE : options;
        customOptions = customOptions == null ? null : customOptions.asReadOnlyBuffer();
    }

    public Operator(int opcodeIndex, List<Integer> inputs, List<Integer> outputs, BuiltinOptions options) {
        this(opcodeIndex, inputs, outputs, options, null, List.of());
    }

    /** The custom options bytes (little-endian view), or null. */
    @Override
    public ByteBuffer customOptions() {
        return customOptions == null ? null : customOptions.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Input tensor index {@code i}, or -1 when the operator has fewer inputs or the input is omitted. */
    public int input(int i) {
        return i < inputs.size() ? inputs.get(i) : -1;
    }

    public int output(int i) {
        return outputs.get(i);
    }
}
