package dev.tinysim.inference;

import dev.tinysim.reference.ReferenceInterpreter;
import dev.tinysim.reference.TensorValues;
import dev.tinysim.reference.UnsupportedModelException;
import dev.tinysim.tflite.BuiltinOperator;
import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.ModelBuilder;
import dev.tinysim.tflite.TensorType;
import dev.tinysim.tflite.TfliteModel;
import dev.tinysim.tflite.TfliteReader;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Empty tensors (a dimension of 0, like the FLOAT32 [0] intermediates of converted LSTMs): accepted in a model,
 * refused where an operator reads or writes one, the same way by the reference and by the firmware.
 */
class EmptyTensorTest {

    private static byte[] model(boolean emptyOperand) {
        ModelBuilder b = new ModelBuilder();
        int in = b.addTensor("in", TensorType.FLOAT32, emptyOperand ? new int[] {2, 0} : new int[] {2});
        b.addTensor("unused_intermediate", TensorType.FLOAT32, new int[] {0});
        int out = b.addTensor("out", TensorType.FLOAT32, emptyOperand ? new int[] {2, 0} : new int[] {2});
        b.addOperator(BuiltinOperator.RELU, BuiltinOptions.NONE, new int[] {in}, new int[] {out});
        return b.inputs(in).outputs(out).toBytes();
    }

    private static TfliteModel read(byte[] bytes) throws Exception {
        return TfliteReader.read(bytes, "empty.tflite");
    }

    @Test
    void anUnusedEmptyTensorIsAccepted() throws Exception {
        byte[] bytes = model(false);
        byte[] input = TensorValues.fromFloats(new float[] {-1f, 2f});
        byte[] want = ReferenceInterpreter.run(read(bytes), List.of(input)).get(0);
        assertArrayEquals(TensorValues.fromFloats(new float[] {0f, 2f}), want);
        FirmwareOracle.Result r = FirmwareOracle.run(bytes, "empty.tflite", List.of(input), true, Kernels.simd);
        assertEquals(0, r.exitCode(), r.message());
        assertArrayEquals(want, r.outputs().get(0));
    }

    @Test
    void anOperatorOnAnEmptyTensorIsRefusedByBoth() throws Exception {
        byte[] bytes = model(true);
        UnsupportedModelException e = assertThrows(UnsupportedModelException.class, () -> ReferenceInterpreter.prepare(read(bytes)));
        assertTrue(e.getMessage().contains("RELU (operator 0) input 'in' has shape [2, 0] with no elements"), e.getMessage());
        FirmwareOracle.Result r = FirmwareOracle.run(bytes, "empty.tflite", List.of(new byte[0]), true, Kernels.simd);
        assertNotEquals(0, r.exitCode(), r.message());
    }
}
