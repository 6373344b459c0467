package dev.tinysim.tflite;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Reads .tflite files (TFLite schema version 3) into {@link TfliteModel} records, checking every offset,
 * length, index and size. Malformed input only ever raises {@link TfliteFormatException}.
 *
 * <p>Constant tensor data is not copied: {@link ModelBuffer}s are views into the bytes given to
 * {@link #read(byte[], String)}, which must therefore not be modified afterwards.
 */
public final class TfliteReader {

    /** Highest tensor rank accepted; TFLite kernels use at most 6. */
    public static final int MAX_RANK = 16;
    /** TFLite has a hard limit of 2^31 - 1 bytes for a flatbuffer; so do we. */
    private static final int MAX_VECTOR = Integer.MAX_VALUE;

    private final FlatBufferReader fb;
    private final String fileName;

    private TfliteReader(ByteBuffer bytes, String fileName) {
        this.fb = new FlatBufferReader(bytes, fileName);
        this.fileName = fileName;
    }

    /** Reads and validates a model file; the file name (not the path) is used in error messages. */
    public static TfliteModel read(Path path) throws IOException {
        return read(Files.readAllBytes(path), String.valueOf(path.getFileName()));
    }

    /** Reads and validates a model from bytes; {@code name} is used in error messages. */
    public static TfliteModel read(byte[] bytes, String name) throws TfliteFormatException {
        return new TfliteReader(ByteBuffer.wrap(bytes), name).readModel();
    }

    private TfliteModel readModel() throws TfliteFormatException {
        if (fb.size() < 8) {
            throw fb.error("file header", "only " + fb.size() + " bytes; a .tflite file has at least 8");
        }
        String identifier = new String(new byte[] {(byte) fb.u8(4), (byte) fb.u8(5), (byte) fb.u8(6),
                (byte) fb.u8(7)}, java.nio.charset.StandardCharsets.ISO_8859_1);
        if (!identifier.equals("TFL3")) {
            throw fb.error("file header", "file identifier is '"
                    + dev.tinysim.text.Printable.decode(identifier.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), 0, 4)
                    + "', expected 'TFL3' (not a TFLite flatbuffer)");
        }
        FlatBufferReader.Table model = fb.root("model");
        long version = model.u32(0, 0, "version");
        if (version != TfliteModel.SCHEMA_VERSION) {
            throw fb.error("model", "schema version " + version + ", expected " + TfliteModel.SCHEMA_VERSION);
        }
        List<OperatorCode> codes = readTables(model, 1, "operator_codes", i -> "operator code " + i,
                this::readOperatorCode);
        String description = model.string(3, "description");
        List<ModelBuffer> buffers = readTables(model, 4, "buffers", i -> "buffer " + i, this::readBuffer);
        List<Metadata> metadata = readTables(model, 6, "metadata", i -> "metadata " + i, this::readMetadata);

        long[] subgraphPositions = model.tableVector(2, "subgraphs", MAX_VECTOR);
        if (subgraphPositions == null || subgraphPositions.length == 0) {
            throw fb.error("model", "has no subgraphs");
        }
        List<Subgraph> subgraphs = new ArrayList<>(subgraphPositions.length);
        for (int s = 0; s < subgraphPositions.length; s++) {
            String where = "subgraph " + s;
            subgraphs.add(readSubgraph(fb.table(subgraphPositions[s], where), s, codes.size(), buffers));
        }
        for (Metadata m : metadata) {
            if (m.buffer() < 0 || m.buffer() >= buffers.size()) {
                throw fb.error("metadata " + dev.tinysim.text.Printable.name(m.name()), "buffer index " + Integer.toUnsignedString(m.buffer())
                        + " is out of range (the model has " + buffers.size() + " buffers)");
            }
        }
        return new TfliteModel((int) version, description, codes, subgraphs, buffers, metadata);
    }

    private interface TableParser<T> {
        T parse(FlatBufferReader.Table table, int index) throws TfliteFormatException;
    }

    private <T> List<T> readTables(FlatBufferReader.Table parent, int field, String name, IntFunction<String> where,
                                   TableParser<T> parser) throws TfliteFormatException {
        long[] positions = parent.tableVector(field, name, MAX_VECTOR);
        if (positions == null) {
            return List.of();
        }
        List<T> out = new ArrayList<>(positions.length);
        for (int i = 0; i < positions.length; i++) {
            out.add(parser.parse(fb.table(positions[i], where.apply(i)), i));
        }
        return out;
    }

    private OperatorCode readOperatorCode(FlatBufferReader.Table t, int index) throws TfliteFormatException {
        int deprecated = t.i8(0, 0, "deprecated_builtin_code");
        String custom = t.string(1, "custom_code");
        int version = t.i32(2, 1, "version");
        int builtin = t.i32(3, 0, "builtin_code");
        // TFLite's rule (schema_utils GetBuiltinCode): the larger of the two fields wins. Old files only have
        // the deprecated byte; new files write both, with the byte saturated at 127 for codes > 127.
        int code = Math.max(builtin, deprecated);
        if (code < 0) {
            throw fb.error(t.where, "builtin code " + code + " is negative");
        }
        return new OperatorCode(code, custom, version);
    }

    private ModelBuffer readBuffer(FlatBufferReader.Table t, int index) throws TfliteFormatException {
        long offset = t.i64(1, 0, "offset");
        long size = t.i64(2, 0, "size");
        if (offset > 1 || (offset == 1 && size != 0)) {
            throw fb.error(t.where, "stores its data outside the flatbuffer (offset " + Long.toUnsignedString(offset)
                    + ", size " + Long.toUnsignedString(size) + ", the form used for models over 2 GB), "
                    + "which tinysim does not support");
        }
        FlatBufferReader.Vector data = t.vector(0, 1, "data");
        if (data == null || data.length() == 0) {
            return ModelBuffer.EMPTY;
        }
        return new ModelBuffer(fb.slice(data.start(), data.length()));
    }

    private Metadata readMetadata(FlatBufferReader.Table t, int index) throws TfliteFormatException {
        String name = t.string(0, "name");
        long buffer = t.u32(1, 0, "buffer");
        return new Metadata(name == null ? "" : name, (int) Math.min(buffer, Integer.MAX_VALUE));
    }

    private Subgraph readSubgraph(FlatBufferReader.Table t, int s, int codeCount, List<ModelBuffer> buffers)
            throws TfliteFormatException {
        String where = "subgraph " + s;
        long[] tensorPositions = t.tableVector(0, "tensors", MAX_VECTOR);
        List<Tensor> tensors = new ArrayList<>(tensorPositions == null ? 0 : tensorPositions.length);
        if (tensorPositions != null) {
            for (int i = 0; i < tensorPositions.length; i++) {
                tensors.add(readTensor(tensorPositions[i], s, i, buffers));
            }
        }
        int tensorCount = tensors.size();
        List<Integer> inputs = tensorIndices(t.intVector(1, "inputs", MAX_VECTOR), tensorCount, where, "inputs", false);
        List<Integer> outputs = tensorIndices(t.intVector(2, "outputs", MAX_VECTOR), tensorCount, where, "outputs",
                false);
        long[] operatorPositions = t.tableVector(3, "operators", MAX_VECTOR);
        List<Operator> operators = new ArrayList<>(operatorPositions == null ? 0 : operatorPositions.length);
        if (operatorPositions != null) {
            for (int i = 0; i < operatorPositions.length; i++) {
                String opWhere = where + " operator " + i;
                operators.add(readOperator(fb.table(operatorPositions[i], opWhere), opWhere, codeCount, tensorCount));
            }
        }
        String name = t.string(4, "name");
        return new Subgraph(name, tensors, inputs, outputs, operators);
    }

    private List<Integer> tensorIndices(int[] raw, int tensorCount, String where, String field, boolean optionalAllowed)
            throws TfliteFormatException {
        if (raw == null) {
            return List.of();
        }
        List<Integer> out = new ArrayList<>(raw.length);
        for (int i = 0; i < raw.length; i++) {
            int index = raw[i];
            boolean omitted = optionalAllowed && index == -1;
            if (!omitted && (index < 0 || index >= tensorCount)) {
                throw fb.error(where, field + "[" + i + "] = " + index + " is not a tensor index (the subgraph has "
                        + tensorCount + " tensors)");
            }
            out.add(index);
        }
        return out;
    }

    private Tensor readTensor(long position, int s, int i, List<ModelBuffer> buffers) throws TfliteFormatException {
        String where = "subgraph " + s + " tensor " + i;
        FlatBufferReader.Table t = fb.table(position, where);
        String name = t.string(3, "name");
        if (name != null) {
            where = where + " (" + dev.tinysim.text.Printable.name(name) + ")";
        }
        int[] shape = t.intVector(0, "shape", MAX_RANK);
        if (shape == null) {
            shape = new int[0];
        }
        int typeCode = t.i8(1, 0, "type");
        TensorType type = TensorType.fromCode(typeCode)
                .orElseThrow(() -> fb.error(wherePlain(s, i, name), "type " + typeCode + " is not a TensorType"));
        long buffer = t.u32(2, 0, "buffer");
        long elements = 1;
        for (int d : shape) {
            if (d < 0) {
                throw fb.error(where, "shape " + shapeText(shape) + " has a negative dimension");
            }
            elements *= d;
            if (elements > Integer.MAX_VALUE) {
                throw fb.error(where, "shape " + shapeText(shape) + " has more than 2^31 - 1 elements");
            }
        }
        if (buffer >= buffers.size()) {
            throw fb.error(where, "buffer index " + buffer + " is out of range (the model has " + buffers.size()
                    + " buffers)");
        }
        Quantization quantization = readQuantization(t.table(4, "quantization", where + " quantization"), where, shape);
        boolean isVariable = t.bool(5, false, "is_variable");
        if (t.has(6)) {
            throw fb.error(where, "is a sparse tensor (sparsity parameters), which tinysim does not support");
        }
        int[] signature = t.intVector(7, "shape_signature", MAX_RANK);
        boolean hasRank = t.bool(8, false, "has_rank");

        ModelBuffer data = buffers.get((int) buffer);
        if (!data.isEmpty() && type.hasFixedSize()) {
            long needed = type.bytesFor(elements);
            if (needed != data.size()) {
                throw fb.error(where, "shape " + shapeText(shape) + " of " + type + " needs " + needed
                        + " bytes but buffer " + buffer + " holds " + data.size());
            }
        }
        return new Tensor(name, type, boxed(shape), (int) buffer, quantization, isVariable,
                signature == null ? List.of() : boxed(signature), hasRank);
    }

    private static String wherePlain(int s, int i, String name) {
        return "subgraph " + s + " tensor " + i + (name == null ? "" : " (" + name + ")");
    }

    private Quantization readQuantization(FlatBufferReader.Table q, String where, int[] shape)
            throws TfliteFormatException {
        if (q == null) {
            return Quantization.NONE;
        }
        float[] min = q.floatVector(0, "quantization.min", MAX_VECTOR);
        float[] max = q.floatVector(1, "quantization.max", MAX_VECTOR);
        float[] scale = q.floatVector(2, "quantization.scale", MAX_VECTOR);
        long[] zeroPoint = q.longVector(3, "quantization.zero_point", MAX_VECTOR);
        int dimension = q.i32(6, 0, "quantization.quantized_dimension");
        if (q.has(5)) {
            throw fb.error(where, "uses custom quantization details, which tinysim does not support");
        }
        // TFLite Micro's rules (micro_allocator.cc): the per-channel arrays are taken as they are; one zero
        // point may stand for all channels, and quantized_dimension is not checked here. The operators that
        // use per-channel parameters check the count against their own channel dimension (as TFLM's kernels
        // do), so a bias whose quantized_dimension was copied from its filter is accepted, as TFLM accepts it.
        return new Quantization(boxed(scale), boxed(zeroPoint), dimension, boxed(min), boxed(max));
    }

    private Operator readOperator(FlatBufferReader.Table t, String where, int codeCount, int tensorCount)
            throws TfliteFormatException {
        long opcodeIndex = t.u32(0, 0, "opcode_index");
        if (opcodeIndex >= codeCount) {
            throw fb.error(where, "opcode_index " + opcodeIndex + " is out of range (the model has " + codeCount
                    + " operator codes)");
        }
        List<Integer> inputs = tensorIndices(t.intVector(1, "inputs", MAX_VECTOR), tensorCount, where, "inputs", true);
        List<Integer> outputs = tensorIndices(t.intVector(2, "outputs", MAX_VECTOR), tensorCount, where, "outputs",
                false);
        int optionsType = t.u8(3, 0, "builtin_options_type");
        // The options table is checked even when its type is NONE: the firmware reads it for every operator and
        // refuses an out-of-bounds one at load, so the Java checks must refuse it first.
        FlatBufferReader.Table options = t.table(4, "builtin_options",
                where + " builtin_options (" + BuiltinOptions.typeName(optionsType) + ")");
        BuiltinOptions parsed = OptionsParser.parse(fb, optionsType, optionsType == 0 ? null : options);
        FlatBufferReader.Vector custom = t.vector(5, 1, "custom_options");
        ByteBuffer customOptions = custom == null ? null : fb.slice(custom.start(), custom.length());
        List<Integer> intermediates = tensorIndices(t.intVector(8, "intermediates", MAX_VECTOR), tensorCount, where,
                "intermediates", false);
        long largeOffset = t.i64(9, 0, "large_custom_options_offset");
        if (largeOffset > 1) {
            throw fb.error(where, "stores custom options outside the flatbuffer (the form used for models over 2 GB), "
                    + "which tinysim does not support");
        }
        return new Operator((int) opcodeIndex, inputs, outputs, parsed, customOptions, intermediates);
    }

    static String shapeText(int[] shape) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(shape[i]);
        }
        return sb.append(']').toString();
    }

    private static List<Integer> boxed(int[] values) {
        return values == null ? List.of() : Arrays.stream(values).boxed().toList();
    }

    private static List<Long> boxed(long[] values) {
        return values == null ? List.of() : Arrays.stream(values).boxed().toList();
    }

    private static List<Float> boxed(float[] values) {
        if (values == null) {
            return List.of();
        }
        List<Float> out = new ArrayList<>(values.length);
        for (float v : values) {
            out.add(v);
        }
        return out;
    }

    @Override
    public String toString() {
        return "TfliteReader[" + fileName + "]";
    }
}
