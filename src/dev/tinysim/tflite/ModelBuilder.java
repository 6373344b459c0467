package dev.tinysim.tflite;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a single-subgraph {@link TfliteModel} from tensors and operators, e.g. to create test models for
 * one operator or to save a model tinysim trained. Buffer 0 is the empty sentinel TFLite expects;
 * every constant gets its own buffer; operator codes are deduplicated.
 *
 * <pre>{@code
 * ModelBuilder b = new ModelBuilder();
 * int in = b.addTensor("in", TensorType.FLOAT32, new int[] {1, 4});
 * int w = b.addFloatConstant("w", new int[] {2, 4}, 1, 2, 3, 4, 5, 6, 7, 8);
 * int out = b.addTensor("out", TensorType.FLOAT32, new int[] {1, 2});
 * b.addOperator(BuiltinOperator.FULLY_CONNECTED, new BuiltinOptions.FullyConnected(ActivationFunction.NONE),
 *         new int[] {in, w, -1}, new int[] {out});
 * byte[] file = b.inputs(in).outputs(out).toBytes();
 * }</pre>
 */
public final class ModelBuilder {

    private final List<Tensor> tensors = new ArrayList<>();
    private final List<ModelBuffer> buffers = new ArrayList<>(List.of(ModelBuffer.EMPTY));
    private final List<Operator> operators = new ArrayList<>();
    private final Map<OperatorCode, Integer> codes = new LinkedHashMap<>();
    private List<Integer> inputs = List.of();
    private List<Integer> outputs = List.of();
    private String description = "tinysim";
    private String subgraphName = "main";

    /** A tensor without data (an input, output or intermediate activation); returns its index. */
    public int addTensor(String name, TensorType type, int[] shape) {
        return addTensor(name, type, shape, Quantization.NONE);
    }

    public int addTensor(String name, TensorType type, int[] shape, Quantization quantization) {
        tensors.add(new Tensor(name, type, boxed(shape), 0, quantization));
        return tensors.size() - 1;
    }

    /** A variable tensor (operator state such as SVDF's or LSTM's, kept from one inference to the next). */
    public int addVariable(String name, TensorType type, int[] shape, Quantization quantization) {
        tensors.add(new Tensor(name, type, boxed(shape), 0, quantization, true, List.of(), false));
        return tensors.size() - 1;
    }

    /** A constant tensor with raw little-endian data; the data size must match shape and type. */
    public int addConstant(String name, TensorType type, int[] shape, Quantization quantization, byte[] data) {
        long elements = 1;
        for (int d : shape) {
            elements *= d;
        }
        if (type.hasFixedSize() && type.bytesFor(elements) != data.length) {
            throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape) + " of " + type + " needs "
                    + type.bytesFor(elements) + " bytes, got " + data.length);
        }
        buffers.add(ModelBuffer.of(data));
        tensors.add(new Tensor(name, type, boxed(shape), buffers.size() - 1, quantization));
        return tensors.size() - 1;
    }

    public int addFloatConstant(String name, int[] shape, float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return addConstant(name, TensorType.FLOAT32, shape, Quantization.NONE, b.array());
    }

    public int addInt32Constant(String name, int[] shape, Quantization quantization, int... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(values);
        return addConstant(name, TensorType.INT32, shape, quantization, b.array());
    }

    public int addInt8Constant(String name, int[] shape, Quantization quantization, byte... values) {
        return addConstant(name, TensorType.INT8, shape, quantization, values.clone());
    }

    public int addInt16Constant(String name, int[] shape, Quantization quantization, short... values) {
        ByteBuffer b = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asShortBuffer().put(values);
        return addConstant(name, TensorType.INT16, shape, quantization, b.array());
    }

    public int addInt64Constant(String name, int[] shape, Quantization quantization, long... values) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        return addConstant(name, TensorType.INT64, shape, quantization, b.array());
    }

    /** Adds an operator; {@code -1} in inputs marks an omitted optional input. Returns the operator index. */
    public int addOperator(BuiltinOperator op, BuiltinOptions options, int[] opInputs, int[] opOutputs) {
        OperatorCode code = OperatorCode.of(op);
        int codeIndex = codes.computeIfAbsent(code, c -> codes.size());
        operators.add(new Operator(codeIndex, boxed(opInputs), boxed(opOutputs), options));
        return operators.size() - 1;
    }

    /** Adds an operator with intermediate tensors (e.g. the integer LSTM's gate scales). */
    public int addOperator(BuiltinOperator op, BuiltinOptions options, int[] opInputs, int[] opOutputs,
                           int[] intermediates) {
        OperatorCode code = OperatorCode.of(op);
        int codeIndex = codes.computeIfAbsent(code, c -> codes.size());
        operators.add(new Operator(codeIndex, boxed(opInputs), boxed(opOutputs), options, null, boxed(intermediates)));
        return operators.size() - 1;
    }

    public ModelBuilder inputs(int... tensorIndices) {
        this.inputs = boxed(tensorIndices);
        return this;
    }

    public ModelBuilder outputs(int... tensorIndices) {
        this.outputs = boxed(tensorIndices);
        return this;
    }

    public ModelBuilder description(String text) {
        this.description = text;
        return this;
    }

    public ModelBuilder subgraphName(String name) {
        this.subgraphName = name;
        return this;
    }

    public TfliteModel build() {
        Subgraph graph = new Subgraph(subgraphName, tensors, inputs, outputs, operators);
        return new TfliteModel(TfliteModel.SCHEMA_VERSION, description, new ArrayList<>(codes.keySet()),
                List.of(graph), buffers, List.of());
    }

    /** The .tflite file bytes of {@link #build()}. */
    public byte[] toBytes() {
        return TfliteWriter.write(build());
    }

    private static List<Integer> boxed(int[] values) {
        return Arrays.stream(values).boxed().toList();
    }
}
