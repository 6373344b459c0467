package dev.tinysim.inference;

import dev.tinysim.failure.Failure;
import dev.tinysim.failure.FailureException;
import dev.tinysim.tflite.Subgraph;

/** Checks of a model's graph that every command makes before running it, in one place. */
public final class GraphChecks {
    private GraphChecks() {
    }

    /** Subgraph 0 has at least one input and one output; else a bad-input failure naming the model ({@code name}). */
    public static void requireInputsAndOutputs(String name, Subgraph g) {
        if (g.inputs().isEmpty() || g.outputs().isEmpty()) {
            throw new FailureException(Failure.BAD_INPUT, name + ": subgraph 0 has no " + (g.inputs().isEmpty() ? "inputs" : "outputs"));
        }
    }
}
