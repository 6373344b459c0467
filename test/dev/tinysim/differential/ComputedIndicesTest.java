package dev.tinysim.differential;

import dev.tinysim.inference.FirmwareOracle;
import dev.tinysim.inference.Kernels;
import dev.tinysim.reference.ReferenceInterpreter;
import dev.tinysim.reference.UnsupportedModelException;
import dev.tinysim.tflite.BuiltinOperator;
import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.ModelBuilder;
import dev.tinysim.tflite.Quantization;
import dev.tinysim.tflite.TensorType;
import dev.tinysim.tflite.TfliteModel;
import dev.tinysim.tflite.TfliteReader;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GATHER with positions computed at run time (here: the graph input, an embedding lookup): the firmware copies
 * the rows the reference copies, and a position outside the table stops the run in both (the firmware with
 * kernel-failure, as TFLite Micro's Eval returns an error), input by input.
 */
class ComputedIndicesTest {

    private static byte[] model() {
        ModelBuilder b = new ModelBuilder();
        byte[] table = new byte[5 * 3];
        for (int i = 0; i < table.length; i++) {
            table[i] = (byte) (10 * (i / 3) + i % 3 - 20);
        }
        int t = b.addInt8Constant("table", new int[] {5, 3}, Quantization.perTensor(0.1f, 2), table);
        int pos = b.addTensor("ids", TensorType.INT32, new int[] {4});
        int out = b.addTensor("rows", TensorType.INT8, new int[] {4, 3}, Quantization.perTensor(0.1f, 2));
        b.addOperator(BuiltinOperator.GATHER, new BuiltinOptions.Gather(0, 0), new int[] {t, pos}, new int[] {out});
        return b.inputs(pos).outputs(out).toBytes();
    }

    private static byte[] ids(int... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(v);
        return b.array();
    }

    @Test
    void inRangePositionsGiveTheReferenceRowsOutOfRangeOnesStopTheRun() throws Exception {
        byte[] bytes = model();
        TfliteModel m = TfliteReader.read(bytes, "gather.tflite");
        byte[] good = ids(4, 0, 2, 2);
        byte[] expected = ReferenceInterpreter.run(m, List.of(good)).get(0);
        // rows 4, 0, 2, 2 of table[r][c] = 10r + c - 20
        assertArrayEquals(new byte[] {20, 21, 22, -20, -19, -18, 0, 1, 2, 0, 1, 2}, expected);
        for (Kernels k : Kernels.values()) {
            FirmwareOracle.Result r = FirmwareOracle.run(bytes, "gather.tflite", List.of(good), true, k);
            assertEquals(0, r.exitCode(), r.message());
            assertArrayEquals(expected, r.outputs().get(0));
        }
        byte[] bad = ids(1, 5, 0, 0);
        var e = assertThrows(UnsupportedModelException.class, () -> ReferenceInterpreter.run(m, List.of(bad)));
        assertEquals("GATHER (operator 0): position 5 (element 1 of the positions) is outside [0, 5)", e.getMessage());
        FirmwareOracle.Result r = FirmwareOracle.run(bytes, "gather.tflite", List.of(bad), true, Kernels.reference);
        assertEquals(93, r.exitCode(), r.message()); // tinysim's exit code for a runtime error
        assertTrue(r.message().contains("kernel-failure") && r.message().contains("gather-position:1"), r.message());
    }
}
