package dev.tinysim.quantize;

import dev.tinysim.tflite.BuiltinOperator;
import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.Metadata;
import dev.tinysim.tflite.ModelBuffer;
import dev.tinysim.tflite.Operator;
import dev.tinysim.tflite.OperatorCode;
import dev.tinysim.tflite.Quantization;
import dev.tinysim.tflite.Subgraph;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;
import dev.tinysim.tflite.TfliteModel;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Post-training full-integer quantization of a float32 .tflite model, following TensorFlow Lite's 8-bit
 * quantization specification and the arithmetic of its post-training quantizer (docs/quantization.md):
 *
 * <ul>
 *   <li>activations: int8, per-tensor, asymmetric, from the calibrated min/max ({@link Calibration});</li>
 *   <li>CONV_2D / DEPTHWISE_CONV_2D filters: int8 in [-127, 127], per output channel (dimension 0 / 3),
 *       symmetric; FULLY_CONNECTED weights per-tensor as the spec lists them (per-channel on request);</li>
 *   <li>biases: int32, scale {@code input_scale * weight_scale[c]}, zero point 0;</li>
 *   <li>SOFTMAX and LOGISTIC outputs: scale 1/256, zero point -128;</li>
 *   <li>AVERAGE_POOL_2D, MAX_POOL_2D, RESHAPE, PAD, RELU6 outputs: the input's scale and zero point;
 *       CONCATENATION inputs are requantized (QUANTIZE int8 -> int8) to the output's parameters;</li>
 *   <li>model inputs and outputs: int8 (TFLite's "full integer" convention, the default), or float32 with
 *       a QUANTIZE operator after each input and a DEQUANTIZE before each output.</li>
 * </ul>
 *
 * The pass is here (calibration, then each operator in order, then the model written); each kind of operator's
 * rule is a rewriter of its own: {@link WeightedRewriter}, {@link PassThroughRewriter}, {@link FixedOutputRewriter},
 * {@link CalibratedOutputRewriter}, {@link ConcatenationRewriter}.
 *
 * <p>Tensor indices of the float model are kept (tensor {@code i} of the result is the quantized tensor
 * {@code i}); tensors the conversion adds are appended. The result is deterministic: the same float
 * model and representative inputs always give the same bytes.
 */
public final class PostTrainingQuantizer {

    /** Type of the quantized model's inputs and outputs. */
    public enum IoType { INT8, FLOAT32 }

    /**
     * @param io                       int8 inputs/outputs (default) or float32 with QUANTIZE/DEQUANTIZE
     * @param perChannelFullyConnected per-channel FULLY_CONNECTED weights (the spec: per-tensor)
     * @param description              the model description, or null to keep the float model's
     */
    public record Options(IoType io, boolean perChannelFullyConnected, String description) {
        public static final Options DEFAULT = new Options(IoType.INT8, false, null);

        public Options {
            Objects.requireNonNull(io, "io");
        }

        public Options withIo(IoType type) {
            return new Options(type, perChannelFullyConnected, description);
        }

        public Options withDescription(String text) {
            return new Options(io, perChannelFullyConnected, text);
        }

        public Options withPerChannelFullyConnected(boolean perChannel) {
            return new Options(io, perChannel, description);
        }
    }

    /** Operators the quantizer converts (all of the runtime's except QUANTIZE/DEQUANTIZE, which mark a quantized model). */
    public static final Set<BuiltinOperator> SUPPORTED = EnumSet.of(
            BuiltinOperator.CONV_2D, BuiltinOperator.DEPTHWISE_CONV_2D, BuiltinOperator.FULLY_CONNECTED,
            BuiltinOperator.ADD, BuiltinOperator.MUL, BuiltinOperator.AVERAGE_POOL_2D, BuiltinOperator.MAX_POOL_2D,
            BuiltinOperator.RESHAPE, BuiltinOperator.SOFTMAX, BuiltinOperator.LOGISTIC, BuiltinOperator.RELU,
            BuiltinOperator.RELU6, BuiltinOperator.PAD, BuiltinOperator.MEAN, BuiltinOperator.CONCATENATION);

    /** Output scale of SOFTMAX and LOGISTIC (the spec's restriction). */
    public static final float PROBABILITY_SCALE = 1.0f / 256.0f;
    public static final int PROBABILITY_ZERO_POINT = -128;

    private PostTrainingQuantizer() {
    }

    /** Calibrates on the representative inputs and quantizes with {@link Options#DEFAULT} (int8 in and out). */
    public static TfliteModel quantize(TfliteModel floatModel, Iterable<List<byte[]>> representativeInputs) {
        return quantize(floatModel, representativeInputs, Options.DEFAULT);
    }

    /**
     * Calibrates on the representative inputs (one little-endian FLOAT32 byte array per subgraph input
     * each; TFLite recommends a few hundred typical samples) and quantizes.
     */
    public static TfliteModel quantize(TfliteModel floatModel, Iterable<List<byte[]>> representativeInputs,
                                       Options options) {
        checkSupported(floatModel);
        return quantize(floatModel, Calibration.run(floatModel, representativeInputs), options);
    }

    /** Quantizes with an existing calibration of this model. */
    public static TfliteModel quantize(TfliteModel floatModel, Calibration calibration, Options options) {
        checkSupported(floatModel);
        return new Conversion(floatModel, calibration, options).run();
    }

    /** Throws {@link QuantizationException} naming the first operator or tensor the quantizer cannot handle. */
    public static void checkSupported(TfliteModel model) {
        SupportCheck.check(model);
    }

    /** What a constant became. */
    record ConstantData(TensorType type, Quantization quantization, byte[] data) {
        boolean sameAs(ConstantData o) {
            return type == o.type && quantization.equals(o.quantization) && Arrays.equals(data, o.data);
        }
    }

    record NewOperator(BuiltinOperator op, int version, BuiltinOptions options, List<Integer> inputs,
                               List<Integer> outputs) {
    }

    /** One conversion; single use. The rewriters read and update its per-tensor parameters and its operator list. */
    static final class Conversion {
        final TfliteModel model;
        final Subgraph graph;
        final Calibration calibration;
        final Options options;
        /** Activation parameters per tensor (original indices), null until assigned. */
        final Quantization[] activation;
        final ConstantData[] constants;
        private final List<Tensor> added = new ArrayList<>();
        final List<NewOperator> operators = new ArrayList<>();

        Conversion(TfliteModel model, Calibration calibration, Options options) {
            this.model = model;
            this.graph = model.mainSubgraph();
            this.calibration = calibration;
            this.options = options;
            this.activation = new Quantization[graph.tensors().size()];
            this.constants = new ConstantData[graph.tensors().size()];
        }

        TfliteModel run() {
            for (int in : graph.inputs()) {
                assignCalibrated(in);
            }
            for (int i = 0; i < graph.operators().size(); i++) {
                convert(i, graph.operators().get(i));
            }
            for (int out : graph.outputs()) {
                if (activation[out] == null) {
                    throw new QuantizationException("subgraph output " + out + " ('" + dev.tinysim.text.Printable.name(graph.tensor(out).name())
                            + "') is never computed");
                }
            }
            List<Integer> inputs = new ArrayList<>(graph.inputs());
            List<Integer> outputs = new ArrayList<>(graph.outputs());
            if (options.io() == IoType.FLOAT32) {
                floatInterface(inputs, outputs);
            }
            return assemble(inputs, outputs);
        }

        private void convert(int index, Operator op) {
            BuiltinOperator b = model.operatorCode(op).builtin().orElseThrow();
            List<Integer> in = new ArrayList<>(op.inputs());
            List<Integer> out = new ArrayList<>(op.outputs());
            switch (b) {
                case CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED -> WeightedRewriter.rewrite(this, index, b, op);
                case AVERAGE_POOL_2D, MAX_POOL_2D, RESHAPE, PAD, RELU6 -> PassThroughRewriter.rewrite(this, index, b, op);
                case SOFTMAX, LOGISTIC -> FixedOutputRewriter.rewrite(this, index, b, op);
                case ADD, MUL, RELU, MEAN -> CalibratedOutputRewriter.rewrite(this, index, b, op);
                case CONCATENATION -> ConcatenationRewriter.rewrite(this, index, b, op, in);
                default -> throw new QuantizationException("operator " + index + " is " + b + ", which the quantizer does not support");
            }
            if (b != BuiltinOperator.CONV_2D && b != BuiltinOperator.DEPTHWISE_CONV_2D
                    && b != BuiltinOperator.FULLY_CONNECTED) {
                operators.add(new NewOperator(b, int8Version(b, op), op.options(), in, out));
            }
        }

        /** Input {@code k} as an int8 activation: already quantized, or a float constant quantized now. */
        int requireActivationInput(int index, BuiltinOperator b, Operator op, int k) {
            int t = op.input(k);
            if (t < 0) {
                throw new QuantizationException("operator " + index + " (" + b + ") has no input " + k);
            }
            Tensor tensor = graph.tensor(t);
            if (model.isConstant(tensor)) {
                if (tensor.type() != TensorType.FLOAT32) {
                    throw new QuantizationException("operator " + index + " (" + b + "): constant input " + k + " ('"
                            + dev.tinysim.text.Printable.name(tensor.name()) + "') is " + tensor.type() + ", expected FLOAT32");
                }
                if (activation[t] == null) {
                    float[] v = floats(t);
                    float min = Float.POSITIVE_INFINITY;
                    float max = Float.NEGATIVE_INFINITY;
                    for (float f : v) {
                        min = Math.min(min, f);
                        max = Math.max(max, f);
                    }
                    QuantizationMath.Affine a = QuantizationMath.asymmetric(min, max);
                    Quantization q = affine(a);
                    activation[t] = q;
                    setConstant(t, new ConstantData(TensorType.INT8, q,
                            QuantizationMath.quantizeAffine(v, a.scale(), a.zeroPoint())));
                }
                return t;
            }
            if (activation[t] == null) {
                throw new QuantizationException("operator " + index + " (" + b + ") reads tensor " + t + " ('"
                        + dev.tinysim.text.Printable.name(tensor.name()) + "') before any operator computed it");
            }
            return t;
        }

        void requireInt32Constant(int index, BuiltinOperator b, Operator op, int k) {
            int t = op.input(k);
            if (t < 0) {
                return;
            }
            Tensor tensor = graph.tensor(t);
            if (!model.isConstant(tensor) || tensor.type() != TensorType.INT32) {
                throw new QuantizationException("operator " + index + " (" + b + "): input " + k + " ('" + dev.tinysim.text.Printable.name(tensor.name())
                        + "') must be an INT32 constant");
            }
        }

        void assignCalibrated(int t) {
            Calibration.Range r = calibration.range(t);
            if (r == null) {
                throw new QuantizationException("tensor " + t + " ('" + dev.tinysim.text.Printable.name(graph.tensor(t).name())
                        + "') has no calibrated range: the float model never computed it");
            }
            setActivation(t, affine(QuantizationMath.asymmetric(r.min(), r.max())));
        }

        void setActivation(int t, Quantization q) {
            if (activation[t] != null && !activation[t].equals(q)) {
                throw new QuantizationException("tensor " + t + " ('" + dev.tinysim.text.Printable.name(graph.tensor(t).name())
                        + "') would need two different quantizations");
            }
            activation[t] = q;
        }

        void setConstant(int t, ConstantData d) {
            if (constants[t] != null && !constants[t].sameAs(d)) {
                throw new QuantizationException("constant " + t + " ('" + dev.tinysim.text.Printable.name(graph.tensor(t).name())
                        + "') is shared by operators that need different quantizations");
            }
            constants[t] = d;
        }

        private static Quantization affine(QuantizationMath.Affine a) {
            return new Quantization(List.of(a.scale()), List.of((long) a.zeroPoint()), 0, List.of(a.min()), List.of(a.max()));
        }

        float[] floats(int t) {
            ByteBuffer data = model.tensorData(graph.tensor(t));
            float[] out = new float[graph.tensor(t).elementCount()];
            data.asFloatBuffer().get(out);
            return out;
        }

        /** Appends an int8 activation tensor shaped like {@code like}; returns its index. */
        int addTensor(String name, Tensor like, Quantization q) {
            added.add(new Tensor(name, TensorType.INT8, like.shape(), 0, q, false, like.shapeSignature(), like.hasRank()));
            return graph.tensors().size() + added.size() - 1;
        }

        /** FLOAT32 model inputs/outputs: QUANTIZE after each input, DEQUANTIZE before each output. */
        private void floatInterface(List<Integer> inputs, List<Integer> outputs) {
            List<NewOperator> pre = new ArrayList<>();
            Map<Integer, Integer> rename = new LinkedHashMap<>();
            for (int in : inputs) {
                int q = addTensor(graph.tensor(in).name() + "/int8", graph.tensor(in), activation[in]);
                pre.add(new NewOperator(BuiltinOperator.QUANTIZE, 2, new BuiltinOptions.NoFields(BuiltinOptions.QUANTIZE),
                        List.of(in), List.of(q)));
                rename.put(in, q);
            }
            for (int out : outputs) {
                if (rename.containsKey(out)) {
                    continue;
                }
                int q = addTensor(graph.tensor(out).name() + "/int8", graph.tensor(out), activation[out]);
                rename.put(out, q);
            }
            List<NewOperator> renamed = new ArrayList<>(pre);
            for (NewOperator op : operators) {
                renamed.add(new NewOperator(op.op(), op.version(), op.options(), renameAll(op.inputs(), rename),
                        renameAll(op.outputs(), rename)));
            }
            for (int out : outputs) {
                if (inputs.contains(out)) {
                    continue;
                }
                renamed.add(new NewOperator(BuiltinOperator.DEQUANTIZE, 2, new BuiltinOptions.NoFields(BuiltinOptions.DEQUANTIZE),
                        List.of(rename.get(out)), List.of(out)));
            }
            operators.clear();
            operators.addAll(renamed);
            for (int t : inputs) {
                activation[t] = null; // stays FLOAT32
            }
            for (int t : outputs) {
                activation[t] = null;
            }
        }

        private static List<Integer> renameAll(List<Integer> ids, Map<Integer, Integer> rename) {
            List<Integer> out = new ArrayList<>(ids.size());
            for (int t : ids) {
                out.add(rename.getOrDefault(t, t));
            }
            return out;
        }

        private TfliteModel assemble(List<Integer> inputs, List<Integer> outputs) {
            List<ModelBuffer> buffers = new ArrayList<>();
            buffers.add(ModelBuffer.EMPTY);
            List<Tensor> tensors = new ArrayList<>();
            for (int i = 0; i < graph.tensors().size(); i++) {
                Tensor t = graph.tensor(i);
                TensorType type = t.type();
                Quantization q = t.quantization();
                int buffer = 0;
                if (constants[i] != null) {
                    type = constants[i].type();
                    q = constants[i].quantization();
                    buffers.add(ModelBuffer.of(constants[i].data()));
                    buffer = buffers.size() - 1;
                } else if (model.isConstant(t)) {
                    buffers.add(model.buffers().get(t.buffer()));
                    buffer = buffers.size() - 1;
                } else if (activation[i] != null) {
                    type = TensorType.INT8;
                    q = activation[i];
                }
                tensors.add(new Tensor(t.name(), type, t.shape(), buffer, q, t.isVariable(), t.shapeSignature(), t.hasRank()));
            }
            tensors.addAll(added);
            List<Metadata> metadata = new ArrayList<>();
            for (Metadata m : model.metadata()) {
                buffers.add(model.buffers().get(m.buffer()));
                metadata.add(new Metadata(m.name(), buffers.size() - 1));
            }
            Map<OperatorCode, Integer> codes = new LinkedHashMap<>();
            List<Operator> ops = new ArrayList<>();
            for (NewOperator op : operators) {
                OperatorCode code = new OperatorCode(op.op().code(), null, op.version());
                int codeIndex = codes.computeIfAbsent(code, c -> codes.size());
                ops.add(new Operator(codeIndex, op.inputs(), op.outputs(), op.options()));
            }
            Subgraph g = new Subgraph(graph.name(), tensors, inputs, outputs, ops);
            String description = options.description() != null ? options.description() : model.description();
            return new TfliteModel(model.version(), description, new ArrayList<>(codes.keySet()), List.of(g), buffers,
                    metadata);
        }

        /** The operator version TFLite's op_version.cc gives the int8 kernel (informational; runtimes here ignore it). */
        static int int8Version(BuiltinOperator b, Operator op) {
            return switch (b) {
                case CONV_2D, DEPTHWISE_CONV_2D -> 3;
                case FULLY_CONNECTED -> op.options() instanceof BuiltinOptions.FullyConnected f && f.keepNumDims() ? 5 : 4;
                case RESHAPE -> 1;
                default -> 2;
            };
        }
    }
}
