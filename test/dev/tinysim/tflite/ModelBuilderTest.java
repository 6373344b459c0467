package dev.tinysim.tflite;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelBuilderTest {

    @Test
    void builtModelSurvivesWriteAndRead() throws Exception {
        ModelBuilder b = new ModelBuilder().description("unit test");
        int in = b.addTensor("in", TensorType.FLOAT32, new int[] {1, 4});
        int w = b.addFloatConstant("w", new int[] {2, 4}, 1, 2, 3, 4, 5, 6, 7, 8);
        int out = b.addTensor("out", TensorType.FLOAT32, new int[] {1, 2});
        int out2 = b.addTensor("out2", TensorType.FLOAT32, new int[] {1, 2});
        b.addOperator(BuiltinOperator.FULLY_CONNECTED, new BuiltinOptions.FullyConnected(ActivationFunction.RELU),
                new int[] {in, w, -1}, new int[] {out});
        b.addOperator(BuiltinOperator.FULLY_CONNECTED, new BuiltinOptions.FullyConnected(ActivationFunction.NONE),
                new int[] {out, w, -1}, new int[] {out2});
        b.addOperator(BuiltinOperator.BATCH_MATMUL, new BuiltinOptions.NoFields(BuiltinOptions.QUANTIZE),
                new int[] {out}, new int[] {out2});
        TfliteModel built = b.inputs(in).outputs(out2).build();
        TfliteModel read = TfliteReader.read(b.toBytes(), "built.tflite");
        assertEquals(built, read);
        assertEquals(2, read.operatorCodes().size(), "operator codes are deduplicated");
        assertEquals(BuiltinOperator.BATCH_MATMUL, read.operatorCodes().get(1).builtin().orElseThrow());
        assertEquals(-1, read.mainSubgraph().operators().get(0).input(2));
        assertTrue(read.buffers().get(0).isEmpty(), "buffer 0 is the empty sentinel");
    }

    @Test
    void operatorCodesAbove127UseBothFields() throws Exception {
        ModelBuilder b = new ModelBuilder();
        int t = b.addTensor("t", TensorType.FLOAT32, new int[] {1});
        b.addOperator(BuiltinOperator.CUMSUM, BuiltinOptions.NONE, new int[] {t}, new int[] {t});
        TfliteModel read = TfliteReader.read(b.inputs(t).outputs(t).toBytes(), "m");
        assertEquals(128, read.operatorCodes().get(0).builtinCode());
        assertEquals("CUMSUM", read.operatorCodes().get(0).displayName());
    }

    @Test
    void constantSizeMismatchIsRefusedAtBuildTime() {
        ModelBuilder b = new ModelBuilder();
        assertThrows(IllegalArgumentException.class,
                () -> b.addConstant("c", TensorType.FLOAT32, new int[] {2, 2}, Quantization.NONE, new byte[15]));
    }

    @Test
    void unparsedOptionsCannotBeWritten() {
        ModelBuilder b = new ModelBuilder();
        int t = b.addTensor("t", TensorType.FLOAT32, new int[] {1});
        b.addOperator(BuiltinOperator.LSTM, new BuiltinOptions.Unparsed(14), new int[] {t}, new int[] {t});
        assertThrows(IllegalArgumentException.class, b::toBytes);
    }

    @Test
    void everyBuiltinOperatorHasItsSchemaCode() {
        assertEquals(207, BuiltinOperator.values().length);
        assertEquals(BuiltinOperator.BATCH_MATMUL, BuiltinOperator.fromCode(126).orElseThrow());
        assertEquals(BuiltinOperator.STABLEHLO_RNG_BIT_GENERATOR, BuiltinOperator.fromCode(204).orElseThrow());
        assertTrue(BuiltinOperator.fromCode(206).isEmpty());
        assertEquals(List.of("Conv2DOptions", "DepthwiseConv2DOptions"), BuiltinOptions.UNION_NAMES.subList(0, 2));
        assertEquals("QuantizeOptions", BuiltinOptions.typeName(BuiltinOptions.QUANTIZE));
        assertEquals("ReducerOptions", BuiltinOptions.typeName(BuiltinOptions.REDUCER));
    }
}
