package dev.tinysim.plan;

import dev.tinysim.tflite.TfliteModel;
import dev.tinysim.tflite.TfliteReader;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The Java mirror of TFLite Micro's planner on graphs whose plan is derived by hand in the comments, from TFLite
 * Micro's published rules (micro_allocation_info.cc: lifetimes; micro_allocator.cc: what is planned, sizes rounded up
 * to 16; greedy_memory_planner.cc: offline buffers first, then largest first, equal sizes in decreasing order of
 * addition, each at the first gap between the placed buffers alive at the same time that holds it).
 */
class PlannerTest {

    private static TfliteModel read(byte[] bytes) throws Exception {
        return TfliteReader.read(bytes, "test.tflite");
    }

    private static Buffer tensor(int id, int first, int last, long bytes) {
        return new Buffer(Buffer.Kind.tensor, id, -1, first, last, bytes, -1);
    }

    private static List<Long> offsets(long... o) {
        List<Long> out = new ArrayList<>();
        for (long v : o) {
            out.add(v);
        }
        return out;
    }

    @Test
    void lifetimesFollowTfliteMicrosRules() throws Exception {
        // Operator i runs at time i + 1; 4 operators, so outputs live to 4.
        //  x: input, last read by operator 1 → [0, 2]     u: input nothing reads → [0, 0]
        //  r: written by 0, last read by 3 → [1, 4]       c: constant, v: variable → not planned
        //  d: touched by nothing → [-1, -1], 8 bytes       s: written by 1, read by 2 → [2, 3]
        //  o: written by 2, output → [3, 4]               r2: written by 3, output → [4, 4]
        //  scratch 0 of operator 1 (0 bytes) → [2, 2];     scratch 1 of operator 3 (100 bytes) → [4, 4]
        List<Buffer> got = Lifetimes.of(read(Graphs.everyKind()), List.of(new Scratch(1, 0), new Scratch(3, 100)));
        List<Buffer> want = List.of(tensor(0, 0, 2, 16), tensor(1, 0, 0, 16), tensor(2, 1, 4, 16), tensor(5, -1, -1, 8),
                tensor(6, 2, 3, 16), tensor(7, 3, 4, 16), tensor(8, 4, 4, 16),
                new Buffer(Buffer.Kind.scratch, 0, 1, 2, 2, 0, -1), new Buffer(Buffer.Kind.scratch, 1, 3, 4, 4, 100, -1));
        assertEquals(want, got);
    }

    @Test
    void everyKindIsPlannedAsTfliteMicroPlansIt() throws Exception {
        // Sizes: scratch 1 → 112, every tensor 16 (d: 8 → 16), scratch 0 → 0. Order: scratch 1; the 16-byte buffers in
        // decreasing order of addition r2, o, s, d, r, u, x; then scratch 0.
        //  scratch 1 [4,4] → 0.   r2 [4,4]: above scratch 1 → 112.   o [3,4]: scratch 1, r2 → 128.
        //  s [2,3]: only o (at 128) alive with it → 0.   d [-1,-1]: nothing → 0.
        //  r [1,4]: scratch 1 (0..112), s (0..16), r2 (112..128), o (128..144) → 144.
        //  u [0,0]: nothing placed is alive at 0 → 0.   x [0,2]: s (0..16), u (0..16), then a gap up to r at 144 → 16.
        //  scratch 0 [2,2], 0 bytes: the first gap, before s → 0.   Highest end: r, 160.
        Plan p = GreedyPlanner.plan(Lifetimes.of(read(Graphs.everyKind()), List.of(new Scratch(1, 0), new Scratch(3, 100))));
        assertEquals(offsets(16, 0, 144, 0, 0, 128, 112, 0, 0), p.offsets());
        assertEquals(160, p.size());
        // the most alive at one time, at time 4: r + o + r2 + scratch 1 = 16 + 16 + 16 + 112
        assertEquals(160, BestPlanner.lowerBound(p.buffers()));
        assertEquals(null, p.conflict());
    }

    @Test
    void everyKindWithoutScratchAsTheRuntimesFloatKernelsRequestNone() throws Exception {
        // All seven buffers 16 bytes; order r2, o, s, d, r, u, x. r2 [4,4] → 0; o [3,4] → 16; s [2,3], alive with o only → 0;
        // d → 0; r [1,4]: r2 (0), s (0), o (16) → 32; u → 0; x [0,2]: s (0), u (0), then the gap below r (32) → 16.
        // Size 48 = the most alive at once (x, r, s at time 2; r, o, r2 at time 4).
        Plan p = GreedyPlanner.plan(Lifetimes.of(read(Graphs.everyKind()), List.of()));
        assertEquals(offsets(16, 0, 32, 0, 0, 16, 0), p.offsets());
        assertEquals(48, p.size());
    }

    @Test
    void largestFirstThenFirstFit() {
        // in 100 → 112 bytes [0,1], b 200 → 208 [1,2], c 50 → 64 [2,2].
        // b first → 0; in is alive with b → after it, 208; c is alive with b, not with in → 208. Size 320.
        List<Buffer> buffers = List.of(tensor(0, 0, 1, 100), tensor(1, 1, 2, 200), tensor(2, 2, 2, 50));
        Plan p = GreedyPlanner.plan(buffers);
        assertEquals(offsets(208, 0, 208), p.offsets());
        assertEquals(320, p.size());
    }

    @Test
    void equalSizesArePlacedInDecreasingOrderOfAddition() throws Exception {
        // p [0,0], q [1,1], r [0,1], 16 bytes each. TFLite Micro takes r, q, p: r → 0; q alive with r → 16; p alive with
        // r → 16. (In increasing order it would be p → 0, q → 0, r → 16: the same size, other offsets.)
        List<Buffer> buffers = Lifetimes.of(read(Graphs.ties()), List.of());
        assertEquals(List.of(tensor(0, 0, 0, 16), tensor(1, 1, 1, 16), tensor(2, 0, 1, 16)), buffers);
        Plan p = GreedyPlanner.plan(buffers);
        assertEquals(offsets(16, 16, 0), p.offsets());
        assertEquals(32, p.size());
    }

    @Test
    void scratchBuffersAreAddedAfterTheTensorsSoTheyWinTies() {
        // x [0,1], y [1,1] and operator 0's scratch [1,1], 64 bytes each. Order: scratch, y, x.
        // scratch → 0; y alive with it → 64; x alive with both → 128. Size 192.
        List<Buffer> buffers = List.of(tensor(0, 0, 1, 64), tensor(1, 1, 1, 64), new Buffer(Buffer.Kind.scratch, 0, 0, 1, 1, 64, -1));
        Plan p = GreedyPlanner.plan(buffers);
        assertEquals(offsets(128, 64, 0), p.offsets());
        assertEquals(192, p.size());
    }

    @Test
    void offlineOffsetsArePlacedFirstAndTheRestAroundThem() {
        // The chain of largestFirstThenFirstFit with b fixed at 112: b → 112 first; in (112 bytes, alive with b) fits the
        // 112-byte gap below it → 0; c (alive with b) → 0. Size 320.
        List<Buffer> buffers = List.of(tensor(0, 0, 1, 100), tensor(1, 1, 2, 200).at(112), tensor(2, 2, 2, 50));
        Plan p = GreedyPlanner.plan(buffers);
        assertEquals(offsets(0, 112, 0), p.offsets());
        assertEquals(320, p.size());
    }

    @Test
    void addThenFullyConnectedTfliteMicroNeeds112ButNinetySixSuffice() throws Exception {
        // x [0,1], y [0,1], s [1,2]: 32 bytes; out [2,2]: 48. TFLite Micro: out → 0; s (alive with out) → 48; y (alive with
        // s only) fits below s → 0; x: after y at 32 the gap to s is 16 < 32, so after s → 80. Size 112.
        // At time 1, x, y and s are alive: 96 bytes, a lower bound, and reachable: x 0, y 32, s 64, out 0.
        TfliteModel m = read(Graphs.addThenFullyConnected());
        List<Buffer> buffers = Lifetimes.of(m, List.of());
        assertEquals(List.of(tensor(0, 0, 1, 32), tensor(1, 0, 1, 32), tensor(2, 1, 2, 32), tensor(4, 2, 2, 48)), buffers);
        Plan tflite = GreedyPlanner.plan(buffers);
        assertEquals(offsets(80, 0, 48, 0), tflite.offsets());
        assertEquals(112, tflite.size());
        BestPlanner.Best best = BestPlanner.find(buffers, BestPlanner.DEFAULT_NODE_BUDGET);
        assertEquals(96, best.plan().size());
        assertEquals(96, best.lowerBound());
        assertEquals(null, best.plan().conflict());
        ArenaAnalysis a = ArenaAnalysis.of(m, List.of(), BestPlanner.DEFAULT_NODE_BUDGET);
        assertEquals(112, a.tflite().size());
        assertEquals(96, a.best().size());
        assertEquals(96, a.lowerBound());
    }

    @Test
    void layerMemoryNamesThePeakAndWhatIsAliveThere() throws Exception {
        // ADD (time 1): x, y, s alive = 96; no weights. FULLY_CONNECTED (time 2): s + out = 80; weights 12 × 8 floats = 384.
        TfliteModel m = read(Graphs.addThenFullyConnected());
        LayerMemory mem = LayerMemory.of(m, Lifetimes.of(m, List.of()));
        assertEquals(List.of(new LayerMemory.Layer(0, "ADD", 0, 96, 0, 96), new LayerMemory.Layer(1, "FULLY_CONNECTED", 384, 80, 0, 80)),
                mem.operators());
        assertEquals(0, mem.peak().operator());
        assertEquals(96, mem.peak().bytes());
        assertEquals(List.of("x", "y", "s"), mem.peak().buffers().stream().map(LayerMemory.LiveBuffer::name).toList());
        // with a scratch buffer of 20 bytes (→ 32) for the FC, it becomes the peak: 80 + 32 = 112
        LayerMemory withScratch = LayerMemory.of(m, Lifetimes.of(m, List.of(new Scratch(1, 20))));
        assertEquals(new LayerMemory.Layer(1, "FULLY_CONNECTED", 384, 80, 32, 112), withScratch.operators().get(1));
        assertEquals(1, withScratch.peak().operator());
        // largest first (equal sizes in plan order): out 48, s 32, the scratch 32
        assertEquals(List.of("out", "s", "scratch of FULLY_CONNECTED 1"),
                withScratch.peak().buffers().stream().map(LayerMemory.LiveBuffer::name).toList());
    }
}
