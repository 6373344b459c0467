package dev.tinysim.tflite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Serializes a {@link TfliteModel} into a standard .tflite flatbuffer ("TFL3" identifier, 4-byte aligned
 * tables, 16-byte aligned buffer data) readable by TFLite, TFLite Micro and {@link TfliteReader}.
 * Operators with {@link BuiltinOptions.Unparsed} options cannot be written (their content is unknown).
 */
public final class TfliteWriter {

    private TfliteWriter() {
    }

    public static byte[] write(TfliteModel model) {
        FlatBufferWriter.Table root = new FlatBufferWriter.Table()
                .i32(0, model.version(), 0)
                .child(1, FlatBufferWriter.tables(map(model.operatorCodes(), TfliteWriter::operatorCode)))
                .child(2, FlatBufferWriter.tables(map(model.subgraphs(), TfliteWriter::subgraph)))
                .child(3, FlatBufferWriter.string(model.description()))
                .child(4, FlatBufferWriter.tables(map(model.buffers(), TfliteWriter::buffer)))
                .child(6, FlatBufferWriter.tables(map(model.metadata(), TfliteWriter::metadata)));
        return FlatBufferWriter.finish(root, "TFL3");
    }

    public static void write(TfliteModel model, Path path) throws IOException {
        Files.write(path, write(model));
    }

    private interface Mapper<T> {
        FlatBufferWriter.Table map(T value);
    }

    private static <T> List<FlatBufferWriter.Table> map(List<T> values, Mapper<T> mapper) {
        List<FlatBufferWriter.Table> out = new ArrayList<>(values.size());
        for (T v : values) {
            out.add(mapper.map(v));
        }
        return out;
    }

    private static FlatBufferWriter.Table operatorCode(OperatorCode c) {
        // Both fields, as current converters write them: the byte saturates at 127
        // (PLACEHOLDER_FOR_GREATER_OP_CODES) and readers take the larger of the two.
        return new FlatBufferWriter.Table()
                .i8(0, Math.min(c.builtinCode(), 127), 0)
                .child(1, FlatBufferWriter.string(c.customCode()))
                .i32(2, c.version(), 1)
                .i32(3, c.builtinCode(), 0);
    }

    private static FlatBufferWriter.Table subgraph(Subgraph s) {
        return new FlatBufferWriter.Table()
                .child(0, FlatBufferWriter.tables(map(s.tensors(), TfliteWriter::tensor)))
                .child(1, FlatBufferWriter.ints(s.inputs(), true))
                .child(2, FlatBufferWriter.ints(s.outputs(), true))
                .child(3, FlatBufferWriter.tables(map(s.operators(), TfliteWriter::operator)))
                .child(4, FlatBufferWriter.string(s.name()));
    }

    private static FlatBufferWriter.Table tensor(Tensor t) {
        return new FlatBufferWriter.Table()
                .child(0, FlatBufferWriter.ints(t.shape(), true))
                .i8(1, t.type().code(), 0)
                .i32(2, t.buffer(), 0)
                .child(3, FlatBufferWriter.string(t.name()))
                .child(4, quantization(t.quantization()))
                .bool(5, t.isVariable(), false)
                .child(7, FlatBufferWriter.ints(t.shapeSignature(), false))
                .bool(8, t.hasRank(), false);
    }

    private static FlatBufferWriter.Child quantization(Quantization q) {
        if (q.equals(Quantization.NONE)) {
            return null;
        }
        return new FlatBufferWriter.Table()
                .child(0, FlatBufferWriter.floats(q.min()))
                .child(1, FlatBufferWriter.floats(q.max()))
                .child(2, FlatBufferWriter.floats(q.scale()))
                .child(3, FlatBufferWriter.longs(q.zeroPoint()))
                .i32(6, q.quantizedDimension(), 0)::write;
    }

    private static FlatBufferWriter.Table operator(Operator op) {
        FlatBufferWriter.Table options = OptionsWriter.table(op.options());
        return new FlatBufferWriter.Table()
                .i32(0, op.opcodeIndex(), 0)
                .child(1, FlatBufferWriter.ints(op.inputs(), true))
                .child(2, FlatBufferWriter.ints(op.outputs(), true))
                .i8(3, op.options().unionType(), 0)
                .child(4, options == null ? null : options::write)
                .child(5, op.customOptions() == null ? null : FlatBufferWriter.bytes(bytesOf(op), 4))
                .child(8, FlatBufferWriter.ints(op.intermediates(), false));
    }

    private static byte[] bytesOf(Operator op) {
        var b = op.customOptions();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    private static FlatBufferWriter.Table buffer(ModelBuffer b) {
        return new FlatBufferWriter.Table().child(0, b.isEmpty() ? null : FlatBufferWriter.bytes(b.toByteArray(), 16));
    }

    private static FlatBufferWriter.Table metadata(Metadata m) {
        return new FlatBufferWriter.Table()
                .child(0, FlatBufferWriter.string(m.name()))
                .i32(1, m.buffer(), 0);
    }
}
