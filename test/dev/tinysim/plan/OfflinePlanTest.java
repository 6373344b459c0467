package dev.tinysim.plan;

import dev.tinysim.tflite.Metadata;
import dev.tinysim.tflite.ModelBuffer;
import dev.tinysim.tflite.TfliteModel;
import dev.tinysim.tflite.TfliteReader;
import dev.tinysim.tflite.TfliteWriter;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TFLite Micro's OfflineMemoryAllocation metadata: written into a model byte-preservingly, read back, honoured. */
class OfflinePlanTest {

    private static TfliteModel read(byte[] b) throws Exception {
        return TfliteReader.read(b, "m.tflite");
    }

    @Test
    void theBestPlanWrittenIsReadBackAndPlannedAsTfliteMicroWould() throws Exception {
        byte[] original = Graphs.addThenFullyConnected();
        TfliteModel m = read(original);
        ArenaAnalysis a = ArenaAnalysis.of(m, List.of(), 0);
        long[] offsets = a.bestTensorOffsets(m.mainSubgraph().tensors().size());
        byte[] planned = OfflinePlan.write(original, m, offsets);

        // the original flatbuffer follows the new head, 16-byte aligned, byte for byte
        int head = planned.length - original.length;
        assertEquals(0, head % 16);
        assertArrayEquals(original, Arrays.copyOfRange(planned, head, planned.length));

        TfliteModel p = read(planned);
        assertEquals(m.mainSubgraph(), p.mainSubgraph());
        assertEquals(m.operatorCodes(), p.operatorCodes());
        assertEquals(m.buffers().size() + 1, p.buffers().size());
        assertEquals(List.of(new Metadata(OfflinePlan.METADATA_NAME, m.buffers().size())), p.metadata());
        // [version 1, subgraphs 1, 5 tensors, offsets…]; the constant weights (tensor 3) are -1
        ByteBuffer data = p.buffers().get(m.buffers().size()).data();
        assertEquals(12 + 4 * 5, data.remaining());
        assertEquals(List.of(1, 1, 5), List.of(data.getInt(0), data.getInt(4), data.getInt(8)));
        assertEquals(-1, data.getInt(12 + 4 * 3));
        assertArrayEquals(offsets, OfflinePlan.read(p).orElseThrow());

        // TFLite Micro's planner on the planned model: every tensor at its offline offset, 96 bytes
        Plan honoured = GreedyPlanner.plan(Lifetimes.of(p, List.of()));
        assertEquals(96, honoured.size());
        for (int i = 0; i < honoured.buffers().size(); i++) {
            assertEquals(offsets[honoured.buffers().get(i).id()], honoured.offset(i));
        }
    }

    @Test
    void scratchBuffersArePlannedAroundTheFixedTensors() throws Exception {
        // With a 20-byte (32) scratch buffer for the FULLY_CONNECTED, written plans fix the tensors only; the scratch goes
        // into the first gap TFLite Micro's planner finds among the tensors alive at operator 1 (s, out).
        TfliteModel m = read(Graphs.addThenFullyConnected());
        ArenaAnalysis a = ArenaAnalysis.of(m, List.of(new Scratch(1, 20)), 0);
        assertTrue(a.best().size() <= a.tflite().size());
        assertTrue(a.best().size() >= a.lowerBound());
        assertEquals(null, a.best().conflict());
        for (int i = 0; i < a.best().buffers().size(); i++) {
            assertEquals(a.best().buffers().get(i).kind() == Buffer.Kind.tensor, a.best().buffers().get(i).offline());
        }
        // the best plan is what TFLite Micro plans from the written metadata
        byte[] planned = OfflinePlan.write(Graphs.addThenFullyConnected(), m, a.bestTensorOffsets(5));
        assertEquals(a.best().size(), GreedyPlanner.plan(Lifetimes.of(read(planned), List.of(new Scratch(1, 20)))).size());
    }

    @Test
    void anExistingPlanIsReplacedAndOtherMetadataKept() throws Exception {
        TfliteModel base = read(Graphs.addThenFullyConnected());
        List<ModelBuffer> buffers = new ArrayList<>(base.buffers());
        buffers.add(ModelBuffer.of("2.3.0".getBytes()));
        buffers.add(ModelBuffer.of(OfflinePlan.encode(new long[]{0, 0, 0, -1, 0})));
        TfliteModel withMeta = new TfliteModel(base.version(), base.description(), base.operatorCodes(), base.subgraphs(), buffers,
                List.of(new Metadata("min_runtime_version", buffers.size() - 2), new Metadata(OfflinePlan.METADATA_NAME, buffers.size() - 1)));
        byte[] original = TfliteWriter.write(withMeta);
        TfliteModel m = read(original);
        long[] offsets = {80, 0, 48, -1, 0};
        TfliteModel p = read(OfflinePlan.write(original, m, offsets));
        assertEquals(List.of(new Metadata("min_runtime_version", buffers.size() - 2), new Metadata(OfflinePlan.METADATA_NAME, buffers.size())),
                p.metadata());
        assertArrayEquals(offsets, OfflinePlan.read(p).orElseThrow());
    }

    @Test
    void malformedPlansAreRefusedWithTheReason() throws Exception {
        TfliteModel base = read(Graphs.addThenFullyConnected());
        assertEquals("OfflineMemoryAllocation metadata: holds 4 offsets in 28 bytes, but subgraph 0 has 5 tensors",
                assertThrows(IllegalArgumentException.class, () -> OfflinePlan.read(withPlan(base, OfflinePlan.encode(new long[]{0, 0, 0, 0}))))
                        .getMessage());
        assertEquals("OfflineMemoryAllocation metadata: tensor 2 at offset 40 (an offset is -1 or a non-negative multiple of 16)",
                assertThrows(IllegalArgumentException.class, () -> OfflinePlan.read(withPlan(base, OfflinePlan.encode(new long[]{0, 0, 40, -1, 0}))))
                        .getMessage());
        assertEquals("OfflineMemoryAllocation metadata: 8 bytes, too short for its header",
                assertThrows(IllegalArgumentException.class, () -> OfflinePlan.read(withPlan(base, new byte[8]))).getMessage());
    }

    static TfliteModel withPlan(TfliteModel base, byte[] data) throws Exception {
        List<ModelBuffer> buffers = new ArrayList<>(base.buffers());
        buffers.add(ModelBuffer.of(data));
        return read(TfliteWriter.write(new TfliteModel(base.version(), base.description(), base.operatorCodes(), base.subgraphs(),
                buffers, List.of(new Metadata(OfflinePlan.METADATA_NAME, buffers.size() - 1)))));
    }

    static int le(byte[] b, int at) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt(at);
    }
}
