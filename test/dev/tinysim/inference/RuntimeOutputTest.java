package dev.tinysim.inference;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parsing the runtime's {@code @ts} report lines (docs/inference-protocol.md). */
class RuntimeOutputTest {

    @Test
    void aTwoRunReportIsParsedIntoRecords() {
        String console = """
                @ts runtime version=1 abi=hard kernels=simd
                @ts model bytes=53936 tensors=31 operators=2 inputs=1 outputs=1
                @ts plan arena=12345 capacity=250000 persistent=1024 offline=0
                @ts buffer kind=tensor id=0 first=0 last=1 bytes=490 offset=0
                @ts buffer kind=tensor id=3 first=-1 last=-1 bytes=4 offset=496
                @ts buffer kind=scratch id=0 first=2 last=2 bytes=0 offset=0
                @ts op index=0 code=CONV_2D cycles=100 macs=640
                @ts op index=1 code=SOFTMAX cycles=20 macs=0
                @ts run index=0 cycles=130
                @ts output index=0 output=0 hex=0aff
                @ts output index=0 output=1 hex=01
                hello from the firmware
                @ts op index=0 code=CONV_2D cycles=101 macs=640
                @ts op index=1 code=SOFTMAX cycles=21 macs=0
                @ts run index=1 cycles=132
                @ts done runs=2
                """;
        RuntimeOutput o = RuntimeOutput.parse(console);
        assertEquals(new RuntimeOutput.RuntimeLine(1, "hard", "simd"), o.runtime());
        assertEquals(new RuntimeOutput.ModelLine(53936, 31, 2, 1, 1), o.model());
        assertEquals(new RuntimeOutput.PlanLine(12345, 250000, 1024, 0), o.plan());
        assertEquals(List.of(new RuntimeOutput.BufferLine("tensor", 0, 0, 1, 490, 0),
                new RuntimeOutput.BufferLine("tensor", 3, -1, -1, 4, 496),
                new RuntimeOutput.BufferLine("scratch", 0, 2, 2, 0, 0)), o.buffers());
        assertEquals(List.of(new dev.tinysim.plan.Scratch(1, 0)), o.scratch());
        assertEquals(List.of(new RuntimeOutput.RunLine(0, 130), new RuntimeOutput.RunLine(1, 132)), o.runs());
        assertEquals(List.of(new RuntimeOutput.OpLine(1, 0, "CONV_2D", 101, 640), new RuntimeOutput.OpLine(1, 1, "SOFTMAX", 21, 0)),
                o.opsOfRun(1));
        assertEquals(4, o.ops().size());
        assertEquals(List.of(new RuntimeOutput.OutputLine(0, 0, "0aff"), new RuntimeOutput.OutputLine(0, 1, "01")), o.outputs());
        assertEquals(new RuntimeOutput.DoneLine(2), o.done());
        assertEquals(List.of("hello from the firmware"), o.otherConsole());
        assertNull(o.error());
        assertTrue(o.malformed().isEmpty());
    }

    @Test
    void errorLinesWithAndWithoutOperator() {
        RuntimeOutput a = RuntimeOutput.parse("@ts runtime version=1 abi=soft kernels=reference\n"
                + "@ts error code=20 name=unsupported-operator operator=7 opcode=BATCH_MATMUL\n");
        assertEquals(new RuntimeOutput.ErrorLine(20, "unsupported-operator", 7, "BATCH_MATMUL", null), a.error());
        assertEquals(RuntimeError.UNSUPPORTED_OPERATOR, a.error().error().orElseThrow());
        RuntimeOutput b = RuntimeOutput.parse("@ts error code=3 name=bad-flatbuffer detail=tensors:12\n");
        assertEquals(new RuntimeOutput.ErrorLine(3, "bad-flatbuffer", null, null, "tensors:12"), b.error());
    }

    @Test
    void malformedLinesAreKeptNotFatal() {
        RuntimeOutput o = RuntimeOutput.parse("@ts run index=x cycles=1\n@ts bogus a=1\n@ts plan arena=1\n"
                + "@ts op index=0 code=ADD cycles=5 macs=0\n@ts buffer kind=heap id=0 first=0 last=0 bytes=1 offset=0\n");
        assertEquals(5, o.malformed().size(), o.malformed().toString());
        assertTrue(o.buffers().isEmpty());
        assertTrue(o.runs().isEmpty());
        assertNull(o.plan());
    }
}
