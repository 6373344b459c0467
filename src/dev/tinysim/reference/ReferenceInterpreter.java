package dev.tinysim.reference;

import dev.tinysim.tflite.BuiltinOperator;
import dev.tinysim.tflite.Operator;
import dev.tinysim.tflite.Subgraph;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TfliteModel;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.tinysim.text.Printable;

/**
 * The Java reference interpreter: runs subgraph 0 of a model with the arithmetic fixed in
 * docs/inference-semantics.md, the contract the firmware runtime must match bit for bit.
 *
 * <p>{@link #prepare(TfliteModel)} checks every operator before anything runs and throws
 * {@link UnsupportedModelException} naming the first unsupported one; a prepared interpreter can be
 * invoked many times (it is immutable and thread-safe).
 *
 * <p>State: variable tensors (SVDF's and LSTM's state) start every {@link #invoke} fresh, as after
 * TFLite Micro's {@code AllocateTensors} (zero; an INT8 variable filled with its zero point). A
 * {@link #newSession() session} carries them from one invoke to the next, as the firmware does across
 * the runs of one execution ({@code --runs N}).
 */
public final class ReferenceInterpreter {

    private final TfliteModel model;
    private final Subgraph graph;
    private final List<Kernel> kernels;

    private ReferenceInterpreter(TfliteModel model, List<Kernel> kernels) {
        this.model = model;
        this.graph = model.mainSubgraph();
        this.kernels = kernels;
    }

    /** The builtin operators the reference interpreter (and so tinysim's runtime contract) supports. */
    public static java.util.Set<BuiltinOperator> supportedOperators() {
        return java.util.Collections.unmodifiableSet(KernelFactory.SUPPORTED);
    }

    /** Validates the model and prepares every operator (requantization multipliers, constants). */
    public static ReferenceInterpreter prepare(TfliteModel model) {
        Subgraph graph = model.mainSubgraph();
        List<BuiltinOperator> ops = new ArrayList<>();
        // Name every unsupported operator before looking at shapes or types of any of them.
        for (int i = 0; i < graph.operators().size(); i++) {
            ops.add(KernelFactory.supportedOperator(model.operatorCode(graph.operators().get(i)), i));
        }
        for (int t : graph.inputs()) {
            requireStorable(graph, t, "subgraph input");
        }
        for (int t = 0; t < graph.tensors().size(); t++) {
            if (graph.tensor(t).isVariable()) {
                requireStorable(graph, t, "variable tensor");
                requireElements(graph, t, "variable tensor");
            }
        }
        List<Kernel> kernels = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            Operator op = graph.operators().get(i);
            for (int t : op.inputs()) {
                if (t >= 0) {
                    requireStorable(graph, t, ops.get(i) + " (operator " + i + ") input");
                    requireElements(graph, t, ops.get(i) + " (operator " + i + ") input");
                }
            }
            for (int t : op.outputs()) {
                requireStorable(graph, t, ops.get(i) + " (operator " + i + ") output");
                requireElements(graph, t, ops.get(i) + " (operator " + i + ") output");
            }
            kernels.add(KernelFactory.create(ops.get(i), new OpContext(model, graph, op, i, ops.get(i).name())));
        }
        return new ReferenceInterpreter(model, kernels);
    }

    private static void requireStorable(Subgraph graph, int index, String role) {
        Tensor t = graph.tensor(index);
        if (!TensorArrays.isStorable(t.type())) {
            throw new UnsupportedModelException(role + " '" + Printable.name(t.name()) + "' has type " + t.type()
                    + "; only INT8, UINT8, BOOL, INT16, INT32, INT64 and FLOAT32 tensors are supported");
        }
    }

    /**
     * An empty tensor (a dimension of 0) is accepted in a model (the converted LSTMs' unused intermediates are
     * FLOAT32 [0]) but not where an operator reads or writes it, as the firmware refuses it there.
     */
    private static void requireElements(Subgraph graph, int index, String role) {
        Tensor t = graph.tensor(index);
        if (t.elementCount() == 0) {
            throw new UnsupportedModelException(role + " '" + Printable.name(t.name()) + "' has shape " + t.shape() + " with no elements");
        }
    }

    /** Runs the model once: one byte array per subgraph input in, one per subgraph output out. */
    public static List<byte[]> run(TfliteModel model, List<byte[]> inputs) {
        return prepare(model).invoke(inputs);
    }

    /** Runs the model once and keeps every tensor's value (see {@link InferenceResult#tensors()}). */
    public static InferenceResult runWithIntermediates(TfliteModel model, List<byte[]> inputs) {
        return prepare(model).invokeWithIntermediates(inputs);
    }

    public TfliteModel model() {
        return model;
    }

    /** One inference from fresh state (a new session's first invoke). */
    public List<byte[]> invoke(List<byte[]> inputs) {
        return outputs(execute(inputs, initialState()));
    }

    /** One inference from fresh state, keeping every tensor's value. */
    public InferenceResult invokeWithIntermediates(List<byte[]> inputs) {
        return withIntermediates(execute(inputs, initialState()));
    }

    /** A session: invokes that carry the variable tensors from one to the next (see the class comment). */
    public ReferenceSession newSession() {
        return new ReferenceSession(this);
    }

    /** Whether the model has variable tensors, i.e. whether an invoke's result can depend on the ones before it. */
    public boolean isStateful() {
        return graph.tensors().stream().anyMatch(Tensor::isVariable);
    }

    /**
     * The variable tensors' values before the first invoke, keyed by tensor index: TFLite Micro's
     * ResetVariableTensors (every variable zeroed, an INT8 one filled with its zero point's byte; constant
     * data a variable may carry in the file is ignored, as TFLite Micro ignores it).
     */
    Map<Integer, Object> initialState() {
        Map<Integer, Object> state = new LinkedHashMap<>();
        for (int i = 0; i < graph.tensors().size(); i++) {
            Tensor tensor = graph.tensor(i);
            if (tensor.isVariable()) {
                Object value = TensorArrays.allocate(tensor);
                if (tensor.type() == dev.tinysim.tflite.TensorType.INT8 && !tensor.quantization().zeroPoint().isEmpty()) {
                    java.util.Arrays.fill((byte[]) value, (byte) (long) tensor.quantization().zeroPoint().get(0));
                }
                state.put(i, value);
            }
        }
        return state;
    }

    List<byte[]> invoke(List<byte[]> inputs, Map<Integer, Object> state) {
        return outputs(execute(inputs, state));
    }

    InferenceResult invokeWithIntermediates(List<byte[]> inputs, Map<Integer, Object> state) {
        return withIntermediates(execute(inputs, state));
    }

    private InferenceResult withIntermediates(TensorArrays t) {
        Map<Integer, byte[]> all = new LinkedHashMap<>();
        for (int i = 0; i < graph.tensors().size(); i++) {
            if (t.has(i)) {
                all.put(i, TensorArrays.encode(t.raw(i)));
            }
        }
        return new InferenceResult(outputs(t), all);
    }

    private List<byte[]> outputs(TensorArrays t) {
        List<byte[]> out = new ArrayList<>();
        for (int index : graph.outputs()) {
            if (!t.has(index)) {
                throw new UnsupportedModelException("subgraph output " + index + " ('" + Printable.name(graph.tensor(index).name())
                        + "') is never computed");
            }
            out.add(TensorArrays.encode(t.raw(index)));
        }
        return out;
    }

    /** Runs once; the variable tensors start from {@code state} and their new values are put back into it. */
    private TensorArrays execute(List<byte[]> inputs, Map<Integer, Object> state) {
        if (inputs.size() != graph.inputs().size()) {
            throw new IllegalArgumentException("the model has " + graph.inputs().size() + " inputs, got "
                    + inputs.size());
        }
        TensorArrays t = new TensorArrays(graph.tensors().size());
        for (int i = 0; i < inputs.size(); i++) {
            Tensor tensor = graph.inputTensor(i);
            byte[] bytes = inputs.get(i);
            if (bytes.length != tensor.byteSize()) {
                throw new IllegalArgumentException("input " + i + " ('" + Printable.name(tensor.name()) + "', " + tensor.type() + " "
                        + tensor.shape() + ") needs " + tensor.byteSize() + " bytes, got " + bytes.length);
            }
            t.set(graph.inputs().get(i), TensorArrays.decode(tensor, ByteBuffer.wrap(bytes)));
        }
        for (Map.Entry<Integer, Object> v : state.entrySet()) {
            t.set(v.getKey(), v.getValue());
        }
        // Constants are decoded per run so a kernel can never change another run's data.
        for (int i = 0; i < graph.tensors().size(); i++) {
            Tensor tensor = graph.tensor(i);
            if (!t.has(i) && model.isConstant(tensor) && !tensor.isVariable() && TensorArrays.isStorable(tensor.type())) {
                t.set(i, TensorArrays.decode(tensor, model.tensorData(tensor)));
            }
        }
        for (int k = 0; k < kernels.size(); k++) {
            Operator op = graph.operators().get(k);
            for (int in : op.inputs()) {
                if (in >= 0 && !t.has(in)) {
                    throw new UnsupportedModelException("operator " + k + " reads tensor " + in + " ('"
                            + Printable.name(graph.tensor(in).name()) + "') before anything wrote it");
                }
            }
            kernels.get(k).run(t);
        }
        for (Map.Entry<Integer, Object> v : state.entrySet()) {
            v.setValue(t.raw(v.getKey()));
        }
        return t;
    }
}
