package dev.tinysim.inference;

import dev.tinysim.failure.Failure;
import dev.tinysim.failure.FailureException;
import dev.tinysim.tflite.Operator;
import dev.tinysim.tflite.Subgraph;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TfliteModel;

/**
 * The inference runtime's limits ({@code firmware-images/runtime/ts_runtime.h}: {@code TS_MAX_RANK},
 * {@code TS_MAX_TENSORS}, {@code TS_MAX_OPERATORS}, {@code TS_MAX_OP_INPUTS}; a test reads the header and checks
 * that the numbers agree), enforced by the Java pre-check so that a model the runtime would refuse at load is
 * refused before the run, naming the tensor or operator (exit 72). The TFLite reader itself accepts more (rank up to
 * {@code TfliteReader.MAX_RANK}) because the reference interpreter and the quantizer read such files too.
 */
public final class RuntimeLimits {
    /** {@code TS_MAX_RANK}: the dimensions of one tensor. */
    public static final int MAX_RANK = 6;
    /** {@code TS_MAX_TENSORS}: tensors of subgraph 0. */
    public static final int MAX_TENSORS = 8192;
    /** {@code TS_MAX_OPERATORS}: operators of subgraph 0. */
    public static final int MAX_OPERATORS = 4096;
    /** {@code TS_MAX_OP_INPUTS}: the inputs, and separately the outputs, of one operator. */
    public static final int MAX_OP_INPUTS = 64;

    private RuntimeLimits() {
    }

    /** Refuses (exit 72) a model over one of the runtime's limits; the runtime runs subgraph 0 only. */
    public static void require(TfliteModel model, String name) {
        Subgraph g = model.mainSubgraph();
        if (g.tensors().size() > MAX_TENSORS) {
            throw over(name, "has " + g.tensors().size() + " tensors; the inference runtime takes at most " + MAX_TENSORS);
        }
        if (g.operators().size() > MAX_OPERATORS) {
            throw over(name, "has " + g.operators().size() + " operators; the inference runtime takes at most " + MAX_OPERATORS);
        }
        for (int i = 0; i < g.tensors().size(); i++) {
            Tensor t = g.tensors().get(i);
            if (t.shape().size() > MAX_RANK) {
                throw over(name, "tensor " + i + (t.name() == null ? "" : " (" + dev.tinysim.text.Printable.name(t.name()) + ")") + " has rank " + t.shape().size()
                        + "; the inference runtime supports at most " + MAX_RANK);
            }
        }
        for (int i = 0; i < g.operators().size(); i++) {
            Operator op = g.operators().get(i);
            int most = Math.max(op.inputs().size(), op.outputs().size());
            if (most > MAX_OP_INPUTS) {
                throw over(name, "operator " + i + " has " + op.inputs().size() + " inputs and " + op.outputs().size()
                        + " outputs; the inference runtime takes at most " + MAX_OP_INPUTS + " of each");
            }
        }
    }

    private static FailureException over(String name, String what) {
        return new FailureException(Failure.UNSUPPORTED_MODEL, name + ": subgraph 0 " + what);
    }
}
