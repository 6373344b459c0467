package dev.tinysim.tflite;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Corrupt input must only ever produce {@link TfliteFormatException} (or, for harmless damage such as a
 * changed weight value, a successful read) - never another exception type and never an OutOfMemoryError.
 */
class TfliteCorruptionTest {

    static List<String> models() {
        return Models.ALL;
    }

    /** Reads, and returns true if the read failed with TfliteFormatException; any other throwable fails the test. */
    private static boolean rejects(byte[] bytes, String what) {
        try {
            TfliteReader.read(bytes, "model.tflite");
            return false;
        } catch (TfliteFormatException e) {
            assertTrue(e.getMessage().startsWith("model.tflite: "), e.getMessage());
            return true;
        } catch (Throwable t) {
            fail(what + ": unexpected " + t, t);
            return false;
        }
    }

    @ParameterizedTest
    @MethodSource("models")
    void truncationAtManyPointsIsRejectedCleanly(String name) {
        byte[] full = Models.bytes(name);
        SplittableRandom rng = new SplittableRandom(name.hashCode());
        int rejected = 0;
        int cases = 0;
        // Every length up to 512, then 300 random lengths over the whole file.
        for (int len = 0; len < 512; len++) {
            cases++;
            rejected += rejects(Arrays.copyOf(full, len), name + " truncated to " + len) ? 1 : 0;
        }
        for (int i = 0; i < 300; i++) {
            int len = rng.nextInt(full.length);
            cases++;
            rejected += rejects(Arrays.copyOf(full, len), name + " truncated to " + len) ? 1 : 0;
        }
        // Truncating a flatbuffer cuts off data that tables point to: (nearly) every case must be rejected.
        assertTrue(rejected >= cases - 2, name + ": only " + rejected + " of " + cases + " truncations rejected");
    }

    @ParameterizedTest
    @MethodSource("models")
    void randomByteFlipsInRealModelsNeverEscapeAsOtherExceptions(String name) {
        byte[] original = Models.bytes(name);
        SplittableRandom rng = new SplittableRandom(42 + name.hashCode());
        int rejected = 0;
        for (int i = 0; i < 300; i++) {
            byte[] bytes = original.clone();
            int flips = 1 + rng.nextInt(4);
            for (int f = 0; f < flips; f++) {
                bytes[rng.nextInt(bytes.length)] ^= (byte) (1 + rng.nextInt(255));
            }
            rejected += rejects(bytes, name + " case " + i) ? 1 : 0;
        }
        // Most bytes of these files are weights, so many flips are harmless; some must hit structure.
        assertTrue(rejected > 0, name + ": no flip was detected");
    }

    /** A small model that is mostly structure, so random flips almost always hit offsets and lengths. */
    private static byte[] smallStructuredModel() {
        ModelBuilder b = new ModelBuilder();
        int in = b.addTensor("input", TensorType.INT8, new int[] {1, 4, 4, 2}, Quantization.perTensor(0.5f, -3));
        int w = b.addInt8Constant("weights", new int[] {3, 2, 2, 2},
                Quantization.perChannel(List.of(0.1f, 0.2f, 0.3f), 0), new byte[24]);
        int bias = b.addInt32Constant("bias", new int[] {3}, Quantization.NONE, 1, 2, 3);
        int conv = b.addTensor("conv", TensorType.INT8, new int[] {1, 2, 2, 3}, Quantization.perTensor(0.25f, 1));
        int flat = b.addTensor("flat", TensorType.INT8, new int[] {1, 12}, Quantization.perTensor(0.25f, 1));
        int out = b.addTensor("out", TensorType.INT8, new int[] {1, 12}, Quantization.perTensor(1f / 256, -128));
        b.addOperator(BuiltinOperator.CONV_2D, new BuiltinOptions.Conv2D(Padding.VALID, 2, 2,
                ActivationFunction.RELU), new int[] {in, w, bias}, new int[] {conv});
        b.addOperator(BuiltinOperator.RESHAPE, new BuiltinOptions.Reshape(List.of(1, 12)), new int[] {conv},
                new int[] {flat});
        b.addOperator(BuiltinOperator.SOFTMAX, new BuiltinOptions.Softmax(1f), new int[] {flat}, new int[] {out});
        return b.inputs(in).outputs(out).toBytes();
    }

    @Test
    void thousandsOfSeededFlipsInAStructureHeavyModel() {
        byte[] original = smallStructuredModel();
        SplittableRandom rng = new SplittableRandom(7);
        int rejected = 0;
        int cases = 5000;
        for (int i = 0; i < cases; i++) {
            byte[] bytes = original.clone();
            int flips = 1 + rng.nextInt(3);
            for (int f = 0; f < flips; f++) {
                int pos = rng.nextInt(bytes.length);
                bytes[pos] = rng.nextBoolean() ? (byte) rng.nextInt(256) : (byte) (bytes[pos] ^ (1 << rng.nextInt(8)));
            }
            rejected += rejects(bytes, "case " + i) ? 1 : 0;
        }
        assertTrue(rejected > cases / 10, "only " + rejected + " of " + cases + " corruptions detected");
    }

    private static String messageOf(byte[] bytes) {
        return assertThrows(TfliteFormatException.class, () -> TfliteReader.read(bytes, "model.tflite")).getMessage();
    }

    @Test
    void tooShortOrForeignFilesAreRejected() {
        assertTrue(messageOf(new byte[0]).contains("only 0 bytes"));
        assertTrue(messageOf(new byte[7]).contains("only 7 bytes"));
        byte[] foreign = smallStructuredModel();
        foreign[4] = 'X';
        assertTrue(messageOf(foreign).contains("file identifier is 'XFL3'"), messageOf(foreign));
    }

    private static void putInt(byte[] bytes, int pos, int value) {
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(pos, value);
    }

    @Test
    void rootOffsetsOutsideTheFileOrPointingAtThemselvesAreRejected() {
        byte[] bytes = smallStructuredModel();
        putInt(bytes, 0, bytes.length + 100);
        assertTrue(messageOf(bytes).contains("outside the file"), messageOf(bytes));
        putInt(bytes, 0, 0); // the root table would be the header itself: its vtable is garbage
        assertTrue(messageOf(bytes).startsWith("model.tflite: model:"), messageOf(bytes));
        putInt(bytes, 0, 6); // misaligned
        assertTrue(messageOf(bytes).contains("not 4-byte aligned"), messageOf(bytes));
    }

    /** A model whose subgraph lists one tensor table {@code count} times. */
    private static byte[] modelSharingOneTensorTable(int count, int channels) {
        List<Float> scales = new java.util.ArrayList<>();
        for (int i = 0; i < channels; i++) {
            scales.add(0.5f);
        }
        FlatBufferWriter.Table quant = new FlatBufferWriter.Table()
                .child(2, FlatBufferWriter.floats(scales))
                .child(3, FlatBufferWriter.longs(scales.stream().map(s -> 0L).toList()));
        FlatBufferWriter.Table tensor = new FlatBufferWriter.Table()
                .child(0, FlatBufferWriter.ints(List.of(channels), true))
                .i8(1, TensorType.INT8.code(), 0)
                .child(4, quant::write);
        FlatBufferWriter.Child sharedVector = w -> {
            w.align(4, 0);
            int pos = w.position();
            w.putInt(count);
            for (int i = 0; i < count; i++) {
                w.putInt(0);
            }
            int table = tensor.write(w);
            for (int i = 0; i < count; i++) {
                int slot = pos + 4 + 4 * i;
                w.patchInt(slot, table - slot);
            }
            return pos;
        };
        FlatBufferWriter.Table subgraph = new FlatBufferWriter.Table().child(0, sharedVector);
        FlatBufferWriter.Table model = new FlatBufferWriter.Table()
                .i32(0, 3, 0)
                .child(2, FlatBufferWriter.tables(List.of(subgraph)))
                .child(4, FlatBufferWriter.tables(List.of(new FlatBufferWriter.Table())));
        return FlatBufferWriter.finish(model, "TFL3");
    }

    @Test
    void sharedTablesCannotAmplifyWorkBeyondTheFileSize() {
        // Sanity: a few shared references are legal flatbuffer and parse.
        assertDoesNotThrowFormat(modelSharingOneTensorTable(3, 10));
        // 200k references to a 20k-channel tensor would decode 4e9 floats; the work budget stops it quickly.
        long start = System.nanoTime();
        String message = messageOf(modelSharingOneTensorTable(200_000, 20_000));
        assertTrue(message.contains("references far more data than it contains"), message);
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "took too long");
    }

    private static void assertDoesNotThrowFormat(byte[] bytes) {
        try {
            assertEquals(3, TfliteReader.read(bytes, "m").mainSubgraph().tensors().size());
        } catch (TfliteFormatException e) {
            fail(e);
        }
    }

    @Test
    void hugeVectorLengthsAreRejectedWithoutAllocating() {
        byte[] bytes = modelSharingOneTensorTable(1, 4);
        // Find a vector of length 1 (the tensor list or the shape [4]) and claim 2^31 - 1 entries instead.
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int patched = 0;
        for (int pos = 8; pos + 8 <= bytes.length; pos += 4) {
            if (b.getInt(pos) == 1 && b.getInt(pos + 4) == 4) {
                b.putInt(pos, 0x7fffffff);
                patched++;
                break;
            }
        }
        assertEquals(1, patched);
        assertTrue(messageOf(bytes).contains("(vector of 2147483647 entries) at offset"), messageOf(bytes));
    }

    private static TfliteModel singleTensorModel(Tensor tensor, ModelBuffer data) {
        Subgraph g = new Subgraph("g", List.of(tensor), List.of(0), List.of(0), List.of());
        return new TfliteModel(3, "", List.of(), List.of(g), List.of(ModelBuffer.EMPTY, data), List.of());
    }

    @Test
    void bufferTooSmallForShapeIsRejectedWithTheDocumentedMessage() {
        Tensor weights = new Tensor("conv1/weights", TensorType.INT8, List.of(64, 10, 4, 1), 1, Quantization.NONE);
        byte[] bytes = TfliteWriter.write(singleTensorModel(weights, ModelBuffer.of(new byte[100])));
        assertEquals("model.tflite: subgraph 0 tensor 0 (conv1/weights): shape [64,10,4,1] of INT8 needs 2560 bytes"
                + " but buffer 1 holds 100", messageOf(bytes));
    }

    @Test
    void absurdShapesAreRejected() {
        Tensor negative = new Tensor("neg", TensorType.FLOAT32, List.of(1, -5), 0, Quantization.NONE);
        assertTrue(messageOf(TfliteWriter.write(singleTensorModel(negative, ModelBuffer.EMPTY)))
                .contains("shape [1,-5] has a negative dimension"));
        Tensor overflow = new Tensor("big", TensorType.FLOAT32, List.of(65536, 65536, 65536), 0, Quantization.NONE);
        assertTrue(messageOf(TfliteWriter.write(singleTensorModel(overflow, ModelBuffer.EMPTY)))
                .contains("more than 2^31 - 1 elements"));
        Tensor deep = new Tensor("deep", TensorType.FLOAT32, java.util.Collections.nCopies(17, 1), 0, Quantization.NONE);
        assertTrue(messageOf(TfliteWriter.write(singleTensorModel(deep, ModelBuffer.EMPTY))).contains("exceed the limit of 16"));
    }

    @Test
    void indicesOutOfRangeAreRejected() {
        Tensor t = new Tensor("t", TensorType.FLOAT32, List.of(2), 0, Quantization.NONE);
        Subgraph badInput = new Subgraph("g", List.of(t), List.of(3), List.of(0), List.of());
        assertTrue(messageOf(TfliteWriter.write(new TfliteModel(3, "", List.of(), List.of(badInput),
                List.of(ModelBuffer.EMPTY), List.of()))).contains("inputs[0] = 3 is not a tensor index"));
        Operator op = new Operator(5, List.of(0), List.of(0), BuiltinOptions.NONE);
        Subgraph badOpcode = new Subgraph("g", List.of(t), List.of(0), List.of(0), List.of(op));
        assertTrue(messageOf(TfliteWriter.write(new TfliteModel(3, "", List.of(OperatorCode.of(BuiltinOperator.ADD)),
                List.of(badOpcode), List.of(ModelBuffer.EMPTY), List.of()))).contains("opcode_index 5 is out of range"));
        Tensor badBuffer = new Tensor("t", TensorType.FLOAT32, List.of(2), 9, Quantization.NONE);
        assertTrue(messageOf(TfliteWriter.write(singleTensorModel(badBuffer, ModelBuffer.EMPTY)))
                .contains("buffer index 9 is out of range"));
    }

    /**
     * TFLite Micro reads per-channel arrays without checking them against the tensor's shape (the kernels that
     * use them check the count against their own channel dimension): so does the reader, so models TFLM runs
     * are not refused as corrupt.
     */
    @Test
    void perChannelArraysAreNotCheckedAgainstTheShapeAtLoadTime() throws TfliteFormatException {
        Tensor oddCount = new Tensor("q", TensorType.INT8, List.of(4, 2), 0, Quantization.perChannel(List.of(1f, 2f, 3f), 0));
        assertEquals(List.of(1f, 2f, 3f), TfliteReader.read(TfliteWriter.write(singleTensorModel(oddCount,
                ModelBuffer.EMPTY)), "m.tflite").mainSubgraph().tensor(0).quantization().scale());
        Tensor biasWithFilterDim = new Tensor("bias", TensorType.INT32, List.of(2), 0,
                Quantization.perChannel(List.of(1f, 2f), 3));
        assertEquals(3, TfliteReader.read(TfliteWriter.write(singleTensorModel(biasWithFilterDim, ModelBuffer.EMPTY)),
                "m.tflite").mainSubgraph().tensor(0).quantization().quantizedDimension());
    }

    @Test
    void wrongSchemaVersionAndExternalBuffersAreRejected() {
        Tensor t = new Tensor("t", TensorType.FLOAT32, List.of(2), 0, Quantization.NONE);
        Subgraph g = new Subgraph("g", List.of(t), List.of(0), List.of(0), List.of());
        assertTrue(messageOf(TfliteWriter.write(new TfliteModel(2, "", List.of(), List.of(g), List.of(ModelBuffer.EMPTY),
                List.of()))).contains("schema version 2, expected 3"));
        FlatBufferWriter.Table external = new FlatBufferWriter.Table().i64(1, 4096, 0).i64(2, 64, 0);
        FlatBufferWriter.Table model = new FlatBufferWriter.Table().i32(0, 3, 0)
                .child(2, FlatBufferWriter.tables(List.of(new FlatBufferWriter.Table())))
                .child(4, FlatBufferWriter.tables(List.of(new FlatBufferWriter.Table(), external)));
        assertTrue(messageOf(FlatBufferWriter.finish(model, "TFL3")).contains("buffer 1: stores its data outside"));
    }

    @Test
    void unknownEnumValuesAreRejected() {
        FlatBufferWriter.Table tensor = new FlatBufferWriter.Table().child(0, FlatBufferWriter.ints(List.of(1), true))
                .i8(1, 99, 0);
        FlatBufferWriter.Table subgraph = new FlatBufferWriter.Table().child(0, FlatBufferWriter.tables(List.of(tensor)));
        FlatBufferWriter.Table model = new FlatBufferWriter.Table().i32(0, 3, 0)
                .child(2, FlatBufferWriter.tables(List.of(subgraph)))
                .child(4, FlatBufferWriter.tables(List.of(new FlatBufferWriter.Table())));
        assertTrue(messageOf(FlatBufferWriter.finish(model, "TFL3")).contains("type 99 is not a TensorType"));
    }
}
