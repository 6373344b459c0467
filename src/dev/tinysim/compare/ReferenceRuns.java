package dev.tinysim.compare;

import dev.tinysim.reference.ReferenceInterpreter;

import java.util.List;
import java.util.stream.IntStream;

/**
 * A model's first output for every input, computed by the Java reference interpreter: on every core for a stateless
 * model; in order through one session for a model with state (SVDF, LSTM: the inputs are one sequence, as the
 * firmware's runs would see them, input 0 from fresh state).
 */
public final class ReferenceRuns {
    private ReferenceRuns() {
    }

    /** Outputs in input order (a prepared interpreter is immutable and thread-safe). */
    public static List<byte[]> outputs(ReferenceInterpreter r, List<byte[]> inputs) {
        if (r.isStateful()) {
            dev.tinysim.reference.ReferenceSession session = r.newSession();
            return inputs.stream().map(in -> session.invoke(List.of(in)).get(0)).toList();
        }
        return IntStream.range(0, inputs.size()).parallel().mapToObj(i -> r.invoke(List.of(inputs.get(i))).get(0)).toList();
    }
}
