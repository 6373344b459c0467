package dev.tinysim.compare;

import dev.tinysim.reference.ReferenceInterpreter;

import java.util.List;
import java.util.stream.IntStream;

/** A model's first output for every input, computed by the Java reference interpreter on every core. */
public final class ReferenceRuns {
    private ReferenceRuns() {
    }

    /** Outputs in input order (a prepared interpreter is immutable and thread-safe). */
    public static List<byte[]> outputs(ReferenceInterpreter r, List<byte[]> inputs) {
        return IntStream.range(0, inputs.size()).parallel().mapToObj(i -> r.invoke(List.of(inputs.get(i))).get(0)).toList();
    }
}
