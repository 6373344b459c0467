package dev.tinysim.reference;

import java.util.List;
import java.util.Map;

/**
 * A sequence of inferences of one prepared model that carries the variable tensors (SVDF's and LSTM's
 * state) from each invoke to the next, as the firmware runtime keeps them in its persistent arena across
 * the runs of one execution and as TFLite Micro keeps them across {@code Invoke} calls. The first invoke
 * starts from fresh state and so equals {@link ReferenceInterpreter#invoke}. Not thread-safe: one
 * session per sequence of runs.
 */
public final class ReferenceSession {

    private final ReferenceInterpreter interpreter;
    private Map<Integer, Object> state;
    private int invokes;

    ReferenceSession(ReferenceInterpreter interpreter) {
        this.interpreter = interpreter;
        reset();
    }

    /** Back to fresh state (TFLite Micro's ResetVariableTensors). */
    public void reset() {
        state = interpreter.initialState();
        invokes = 0;
    }

    /** One inference: one byte array per subgraph input in, one per subgraph output out. */
    public List<byte[]> invoke(List<byte[]> inputs) {
        List<byte[]> out = interpreter.invoke(inputs, state);
        invokes++;
        return out;
    }

    /** One inference keeping every tensor's value (the variables' values are those after the run). */
    public InferenceResult invokeWithIntermediates(List<byte[]> inputs) {
        InferenceResult r = interpreter.invokeWithIntermediates(inputs, state);
        invokes++;
        return r;
    }

    /** How many invokes this session has run since it was created or reset. */
    public int invokes() {
        return invokes;
    }

    /** The outputs of a sequence of runs, one list of graph outputs per run, in order. */
    public List<List<byte[]>> invokeAll(List<List<byte[]>> runs) {
        return runs.stream().map(this::invoke).toList();
    }
}
