package dev.tinysim.inference;

import dev.tinysim.reference.MacCounter;
import dev.tinysim.tflite.Models;
import dev.tinysim.tflite.TfliteModel;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The six MLPerf Tiny models on the emulated board: the outputs of both firmware builds (hard and soft
 * float) and both kernel variants equal the Java reference interpreter's bit for bit, for int8 and
 * float32 models, on seeded random, all-zero and alternating-extreme inputs. Also checks the
 * runtime's report against the Java model (operators, MACs, runs).
 */
class BitExactnessTest {

    @TestFactory
    List<DynamicTest> firmwareOutputsEqualTheReferenceInterpreter() {
        List<ModelCases.Case> cases = ModelCases.all();
        List<Future<InferenceRunner.Outcome>> futures = new ArrayList<>();
        for (ModelCases.Case c : cases) {
            futures.add(c.start());
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            ModelCases.Case c = cases.get(i);
            Future<InferenceRunner.Outcome> f = futures.get(i);
            tests.add(DynamicTest.dynamicTest(c.toString(), () -> check(c, FirmwareRuns.await(f))));
        }
        return tests;
    }

    private static void check(ModelCases.Case c, InferenceRunner.Outcome o) {
        InferenceReport r = o.report();
        boolean fitsFlash = !c.model().equals("ad01_fp32.tflite");
        assertEquals(fitsFlash ? "ok" : "does-not-fit", r.result().kind(), c + ": " + r.result().message());
        assertEquals(fitsFlash ? 0 : 67, r.result().exitCode());
        assertEquals(c.fpu() ? "hard" : "soft", r.runtime().abi());
        assertEquals(c.fpu() ? "runtime-m4f.elf" : "runtime-m4.elf", r.runtime().image());
        assertEquals(c.kernels().name(), r.runtime().kernels());
        assertTrue(r.notes().stream().noneMatch(n -> n.contains("MACs") || n.contains("malformed") || n.contains("calls it")),
                c + ": " + r.notes());

        List<byte[]> inputs = c.inputBytes();
        List<String> names = c.inputNames();
        assertEquals(inputs.size(), o.outputs().size(), c + ": outputs");
        assertEquals(inputs.size(), r.runs().size(), c + ": runs");
        for (int i = 0; i < inputs.size(); i++) {
            assertArrayEquals(inputs.get(i), o.inputs().get(i), c + ": input of run " + i);
            String inputName = names.get(i);
            byte[] expected = ModelCases.reference(c, i);
            byte[] actual = o.outputs().get(i);
            assertArrayEquals(expected, actual, () -> c + ", input " + inputName + ": firmware output "
                    + HexFormat.of().formatHex(actual) + " differs from the reference interpreter's "
                    + HexFormat.of().formatHex(expected));
        }

        // The report agrees with the Java model: one op line per operator, MACs from the shapes.
        TfliteModel m = Models.model(c.model());
        int ops = m.mainSubgraph().operators().size();
        assertEquals(ops, r.operators().size());
        assertEquals(ops * inputs.size(), o.lines().ops().size());
        for (InferenceReport.Op op : r.operators()) {
            assertEquals(MacCounter.macs(m, op.index()), op.macs(), c + ": MACs of operator " + op.index());
            assertEquals(m.operatorCode(m.mainSubgraph().operators().get(op.index())).displayName(), op.operator());
            assertTrue(op.cycles() > 0, c + ": operator " + op.index() + " took no cycles");
            assertEquals(ops == 0 ? 0 : (inputs.size() > 1 ? inputs.size() : 0),
                    op.cyclesPerRun() == null ? 0 : op.cyclesPerRun().size());
        }
        assertNotNull(r.latency());
        long sum = r.operators().stream().mapToLong(InferenceReport.Op::cycles).sum();
        assertEquals(r.latency().cycles(), sum + r.latency().interpreterCycles());
        assertTrue(r.latency().interpreterCycles() >= 0 && r.latency().interpreterCycles() < r.latency().cycles() / 10,
                c + ": interpreter overhead " + r.latency().interpreterCycles());
        assertEquals(MacCounter.totalMacs(m), r.latency().macs());
        assertNotNull(r.arena());
        assertTrue(r.arena().planned() > 0 && r.arena().persistent() > 0);
        assertEquals(r.arena().total(), r.fit().ram().arena());
        assertTrue(r.fit().ram().stackPeak() > 0 && !r.fit().ram().stackOverflow(), c + ": stack " + r.fit().ram());
        assertEquals(m.mainSubgraph().outputTensor(0).elementCount(), r.output().values().size());
    }
}
