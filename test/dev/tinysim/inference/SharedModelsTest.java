package dev.tinysim.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tinysim.cli.ReportWriter;
import dev.tinysim.plan.LayerMemory;
import dev.tinysim.support.Outputs;
import dev.tinysim.tflite.Models;
import dev.tinysim.tflite.Operator;
import dev.tinysim.tflite.Subgraph;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TfliteModel;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 9, "done when": EVERY model of the shared {@code mlperf-tiny} and {@code tflm-examples} directories (listed from
 * the directories, so a model added there joins by itself) runs on the emulated firmware (runtime-m4f, SIMD kernels),
 * every graph output of every run bit-exact with the Java reference interpreter (one reference session over the runs, so
 * variable tensors carry as in the firmware), with per-layer memory in the report (record, text and JSON).
 * <p>
 * CI time: the MLPerf Tiny models reuse {@link BitExactnessTest}'s runs (the same {@link ModelCases} case, cached by
 * {@link FirmwareRuns} in one JVM); the TFLite Micro examples are small (seconds each), two runs each.
 */
class SharedModelsTest {

    private static final int EXAMPLE_RUNS = 2;

    private record Case(Path path, ModelCases.Case mlperf) {
        String name() {
            return path.getFileName().toString();
        }

        Future<InferenceRunner.Outcome> start() {
            if (mlperf != null) {
                return mlperf.start();
            }
            return FirmwareRuns.submit("shared|" + path + "|m4f|simd|" + EXAMPLE_RUNS, () -> InferenceRunner.run(
                    Files.readAllBytes(path), name(), InferenceOptions.of(FirmwareRuns.board(true), Kernels.simd, EXAMPLE_RUNS,
                            new InputSource.Seeded(21))));
        }
    }

    @TestFactory
    List<DynamicTest> everySharedModelRunsBitExactWithPerLayerMemory() throws IOException {
        List<Path> models = ArenaPlanTest.sharedModels();
        // six MLPerf Tiny models and seven TFLite Micro examples today
        assertTrue(models.size() >= 13, "the shared models were not all found: " + models);
        List<Case> cases = new ArrayList<>();
        for (Path p : models) {
            String name = p.getFileName().toString();
            boolean mlperf = p.getParent().getFileName().toString().equals("mlperf-tiny") && Models.ALL.contains(name);
            cases.add(new Case(p, mlperf ? new ModelCases.Case(name, true, Kernels.simd, ModelCases.Inputs.THREE) : null));
        }
        List<Future<InferenceRunner.Outcome>> futures = cases.stream().map(Case::start).toList();
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            Future<InferenceRunner.Outcome> f = futures.get(i);
            tests.add(DynamicTest.dynamicTest(c.name(), () -> check(c, FirmwareRuns.await(f))));
        }
        return tests;
    }

    private static void check(Case c, InferenceRunner.Outcome o) throws IOException {
        InferenceReport r = o.report();
        // ad01_fp32 (1.1 MB of float weights) does not fit the nRF52840's flash: measured on enlarged memory, outputs kept
        assertTrue(r.result().exitCode() == 0 || r.result().kind().equals("does-not-fit"), c.name() + ": " + r.result().message());
        TfliteModel m = o.model();
        Subgraph g = m.mainSubgraph();

        // bit-exact: every output of every run against one reference session over the same inputs
        int runs = c.mlperf() != null ? c.mlperf().inputBytes().size() : EXAMPLE_RUNS;
        assertEquals(runs, o.outputs().size(), c.name() + ": runs");
        assertEquals(runs, o.inputs().size(), c.name() + ": inputs");
        List<List<byte[]>> expected = c.mlperf() != null
                ? java.util.stream.IntStream.range(0, runs).mapToObj(i -> ModelCases.reference(c.mlperf(), i)).toList()
                : ReferenceRuns.all(m, o.inputs());
        for (int run = 0; run < runs; run++) {
            assertEquals(g.inputs().size(), o.inputs().get(run).size(), c.name() + ": every graph input exchanged");
            assertEquals(g.outputs().size(), o.outputs().get(run).size(), c.name() + ": every graph output exchanged");
            Outputs.assertSame(expected.get(run), o.outputs().get(run), c.name() + ", run " + run);
        }

        // per-layer memory: one row per operator, weights = the operator's constant inputs (each tensor once),
        // live = activations + scratch, the peak is the (first) largest row
        LayerMemory mem = r.memory();
        assertNotNull(mem, c.name() + ": no per-layer memory");
        assertEquals(g.operators().size(), mem.operators().size(), c.name());
        LayerMemory.Layer top = null;
        for (int i = 0; i < g.operators().size(); i++) {
            LayerMemory.Layer l = mem.operators().get(i);
            assertEquals(i, l.index());
            assertEquals(m.operatorCode(g.operators().get(i)).displayName(), l.operator());
            assertEquals(constantBytes(m, g.operators().get(i)), l.weights(), c.name() + ": weights of operator " + i);
            assertEquals(l.activations() + l.scratch(), l.live(), c.name() + ": operator " + i);
            assertTrue(l.activations() > 0, c.name() + ": operator " + i + " has no activations alive");
            if (top == null || l.live() > top.live()) {
                top = l;
            }
        }
        assertNotNull(mem.peak(), c.name());
        assertEquals(top.index(), mem.peak().operator(), c.name());
        assertEquals(top.live(), mem.peak().bytes(), c.name());
        assertEquals(top.live(), mem.peak().buffers().stream().mapToLong(LayerMemory.LiveBuffer::size).sum(), c.name());
        // no plan needs less than the peak
        assertTrue(r.arena().planned() >= top.live() && r.arena().lowerBound() >= top.live(), c.name() + ": " + r.arena());

        String text = InferenceTextReport.render(r, false);
        assertTrue(text.contains("memory per operator"), c.name());
        assertTrue(text.contains("<- peak"), c.name());
        JsonNode json = new ObjectMapper().readTree(ReportWriter.json(r));
        assertEquals(g.operators().size(), json.at("/memory/operators").size(), c.name());
        assertEquals(top.live(), json.at("/memory/peak/bytes").asLong(), c.name());
    }

    private static long constantBytes(TfliteModel m, Operator op) {
        long sum = 0;
        Set<Integer> seen = new HashSet<>();
        for (int t : op.inputs()) {
            if (t >= 0 && seen.add(t)) {
                Tensor tensor = m.mainSubgraph().tensor(t);
                if (m.isConstant(tensor)) {
                    sum += tensor.byteSize();
                }
            }
        }
        return sum;
    }
}
