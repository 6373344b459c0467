package dev.tinysim.tflite;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reads the six reference models and checks them against the facts in shared/models/mlperf-tiny/README.md. */
class TfliteReaderRealModelsTest {

    static List<String> models() {
        return Models.ALL;
    }

    private static Map<String, Integer> operatorCounts(TfliteModel m) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Operator op : m.mainSubgraph().operators()) {
            counts.merge(m.operatorCode(op).displayName(), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void kwsModelsHaveTheDocumentedOperatorsAndShapes() {
        Map<String, Integer> expected = new TreeMap<>(Map.of("CONV_2D", 5, "DEPTHWISE_CONV_2D", 4,
                "AVERAGE_POOL_2D", 1, "RESHAPE", 1, "FULLY_CONNECTED", 1, "SOFTMAX", 1));
        for (String name : List.of("kws_ref_model.tflite", "kws_ref_model_float32.tflite")) {
            TfliteModel m = Models.model(name);
            assertEquals(expected, operatorCounts(m), name);
            assertEquals(List.of(1, 49, 10, 1), m.mainSubgraph().inputTensor(0).shape(), name);
            assertEquals(List.of(1, 12), m.mainSubgraph().outputTensor(0).shape(), name);
        }
        assertEquals(TensorType.INT8, Models.model("kws_ref_model.tflite").mainSubgraph().inputTensor(0).type());
        // The hybrid model: float activations, the five CONV_2D filters stored as int8.
        TfliteModel hybrid = Models.model("kws_ref_model_float32.tflite");
        assertEquals(TensorType.FLOAT32, hybrid.mainSubgraph().inputTensor(0).type());
        long int8Filters = hybrid.mainSubgraph().operators().stream()
                .filter(op -> hybrid.operatorCode(op).builtin().orElseThrow() == BuiltinOperator.CONV_2D)
                .filter(op -> hybrid.mainSubgraph().tensor(op.input(1)).type() == TensorType.INT8).count();
        assertEquals(5, int8Filters);
    }

    @Test
    void resnetAndAutoencoderHaveTheDocumentedOperators() {
        Map<String, Integer> resnet = new TreeMap<>(Map.of("CONV_2D", 9, "ADD", 3, "AVERAGE_POOL_2D", 1,
                "RESHAPE", 1, "FULLY_CONNECTED", 1, "SOFTMAX", 1));
        assertEquals(resnet, operatorCounts(Models.model("pretrainedResnet_quant.tflite")));
        assertEquals(resnet, operatorCounts(Models.model("pretrainedResnet.tflite")));
        assertEquals(Map.of("FULLY_CONNECTED", 10), operatorCounts(Models.model("ad01_int8.tflite")));
        assertEquals(Map.of("FULLY_CONNECTED", 10), operatorCounts(Models.model("ad01_fp32.tflite")));
        assertEquals(List.of(1, 32, 32, 3), Models.model("pretrainedResnet.tflite").mainSubgraph().inputTensor(0).shape());
        assertEquals(List.of(1, 640), Models.model("ad01_int8.tflite").mainSubgraph().outputTensor(0).shape());
    }

    @Test
    void perChannelQuantizationIsRead() {
        TfliteModel m = Models.model("kws_ref_model.tflite");
        Tensor firstFilter = m.mainSubgraph().tensor(m.mainSubgraph().operators().get(0).input(1));
        assertEquals(List.of(64, 10, 4, 1), firstFilter.shape());
        assertEquals(64, firstFilter.quantization().scale().size());
        assertEquals(0, firstFilter.quantization().quantizedDimension());
        assertTrue(firstFilter.quantization().scale().stream().allMatch(s -> s > 0 && s < 1));
        Tensor output = m.mainSubgraph().outputTensor(0);
        assertEquals(1.0f / 256, output.quantization().scaleValue());
        assertEquals(-128, output.quantization().zeroPointValue());
    }

    @ParameterizedTest
    @MethodSource("models")
    void constantDataIsAViewOfTheFileWithTheRightSize(String name) {
        TfliteModel m = Models.model(name);
        int constants = 0;
        for (Tensor t : m.mainSubgraph().tensors()) {
            if (m.isConstant(t)) {
                constants++;
                assertEquals(t.byteSize(), m.tensorData(t).remaining(), t.name());
            }
        }
        assertTrue(constants > 5, name);
        assertEquals(TfliteModel.SCHEMA_VERSION, m.version());
    }

    @ParameterizedTest
    @MethodSource("models")
    void roundTripThroughTheWriterGivesAnEqualModel(String name) throws Exception {
        TfliteModel original = Models.model(name);
        byte[] written = TfliteWriter.write(original);
        TfliteModel reread = TfliteReader.read(written, name + " (rewritten)");
        assertEquals(original, reread);
        // Writing is deterministic and a fixed point after one round.
        assertArrayEquals(written, TfliteWriter.write(reread));
    }

    @Test
    void writtenFilesAlignBufferDataTo16AndTablesTo4() throws Exception {
        byte[] written = TfliteWriter.write(Models.model("kws_ref_model.tflite"));
        assertEquals("TFL3", new String(written, 4, 4, java.nio.charset.StandardCharsets.US_ASCII));
        FlatBufferReader fb = new FlatBufferReader(java.nio.ByteBuffer.wrap(written), "x");
        FlatBufferReader.Table model = fb.root("model");
        long[] buffers = model.tableVector(4, "buffers", Integer.MAX_VALUE);
        int checked = 0;
        for (long position : buffers) {
            assertEquals(0, position % 4);
            FlatBufferReader.Vector data = fb.table(position, "buffer").vector(0, 1, "data");
            if (data != null) {
                assertEquals(0, data.start() % 16, "buffer data at " + data.start());
                checked++;
            }
        }
        assertTrue(checked > 20);
    }
}
