package dev.tinysim.inference;

import dev.tinysim.bench.SharedModels;
import dev.tinysim.plan.ArenaAnalysis;
import dev.tinysim.plan.Graphs;
import dev.tinysim.plan.Scratch;
import dev.tinysim.reference.ReferenceInterpreter;
import dev.tinysim.support.Outputs;
import dev.tinysim.tflite.BuiltinOperator;
import dev.tinysim.tflite.Operator;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;
import dev.tinysim.tflite.TfliteModel;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The runtime's arena plan with the reference kernels is TFLite Micro's, exactly: for every model of the shared
 * mlperf-tiny and tflm-examples directories (every one must be accepted), and for the hand-derived graphs of
 * {@code dev.tinysim.plan.PlannerTest}.
 * <ul>
 *   <li>the runtime's {@code @ts buffer} lines (every buffer's lifetime, size and offset) and {@code @ts plan arena=}
 *       equal the Java mirror of TFLite Micro's AllocationInfoBuilder + GreedyMemoryPlanner
 *       ({@link dev.tinysim.plan.GreedyPlanner}), itself checked against plans derived by hand in PlannerTest;</li>
 *   <li>the scratch buffers the reference kernels request are those TFLite Micro's reference kernels request (their
 *       Prepare functions): none, but MEAN with int8 data: output elements × 4 bytes (reduce_common.cc); LSTM: four
 *       buffers of the cell state's size (unidirectional_sequence_lstm.cc); SVDF: batch × filters × 4, and for int8
 *       batch × units × 4 more (svdf_common.cc). Hybrid operators, which TFLite Micro refuses, keep tinysim's own.</li>
 * </ul>
 */
class ArenaPlanTest {

    /** Operators whose TFLite Micro reference kernel (the types tinysim supports) requests no scratch buffer. */
    private static final Set<BuiltinOperator> NO_SCRATCH = Set.of(BuiltinOperator.CONV_2D, BuiltinOperator.DEPTHWISE_CONV_2D,
            BuiltinOperator.FULLY_CONNECTED, BuiltinOperator.ADD, BuiltinOperator.MUL, BuiltinOperator.AVERAGE_POOL_2D,
            BuiltinOperator.MAX_POOL_2D, BuiltinOperator.RESHAPE, BuiltinOperator.SOFTMAX, BuiltinOperator.LOGISTIC,
            BuiltinOperator.QUANTIZE, BuiltinOperator.DEQUANTIZE, BuiltinOperator.RELU, BuiltinOperator.RELU6,
            BuiltinOperator.PAD, BuiltinOperator.CONCATENATION);

    private static InferenceRunner.Outcome planOnly(byte[] bytes, String name, Kernels kernels) {
        InferenceOptions o = InferenceOptions.of(FirmwareRuns.board(true), kernels, 1, null).withPlanOnly(true);
        return InferenceRunner.runChecked(bytes, name, InferenceRunner.check(bytes, name), o);
    }

    static List<Path> sharedModels() throws IOException {
        List<Path> out = new ArrayList<>();
        Path mlperf = SharedModels.directory();
        for (Path dir : List.of(mlperf, mlperf.resolveSibling("tflm-examples"))) {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> s = Files.list(dir)) {
                    s.filter(p -> p.toString().endsWith(".tflite")).sorted().forEach(out::add);
                }
            }
        }
        return out;
    }

    @TestFactory
    List<DynamicTest> theRuntimePlansEveryModelAsTfliteMicroDoes() throws IOException {
        List<Path> models = sharedModels();
        assertTrue(models.size() >= 6, "the shared models were not found (looked at " + SharedModels.candidates() + ")");
        List<DynamicTest> tests = new ArrayList<>();
        for (Path p : models) {
            tests.add(DynamicTest.dynamicTest(p.getFileName().toString(), () -> checkModel(Files.readAllBytes(p), p.getFileName().toString())));
        }
        tests.add(DynamicTest.dynamicTest("hand-built: every kind of tensor", () -> checkModel(Graphs.everyKind(), "every-kind.tflite")));
        tests.add(DynamicTest.dynamicTest("hand-built: ties", () -> checkModel(Graphs.ties(), "ties.tflite")));
        tests.add(DynamicTest.dynamicTest("hand-built: ADD then FULLY_CONNECTED", () -> checkModel(Graphs.addThenFullyConnected(), "add-fc.tflite")));
        return tests;
    }

    private static void checkModel(byte[] bytes, String name) {
        // every shared model is supported today (SharedModelsTest runs them all): a refusal fails here too
        TfliteModel model = InferenceRunner.check(bytes, name);
        InferenceRunner.Outcome o = planOnly(bytes, name, Kernels.reference);
        InferenceReport r = o.report();
        assertTrue(r.result().exitCode() == 0 || r.result().kind().equals("does-not-fit"), name + ": " + r.result().message());
        ArenaAnalysis mirror = o.arena();
        assertNull(PlanCheck.compare(mirror.tflite(), o.lines()), name);
        assertEquals(mirror.tflite().size(), r.arena().planned(), name);
        // and, independently of the mirror, the figure TFLite Micro's published rules give (see TfliteMicroGreedy)
        assertEquals(0, r.arena().offline(), name + ": an OfflineMemoryAllocation plan (TfliteMicroGreedy plans online only)");
        TfliteMicroGreedy expected = TfliteMicroGreedy.plan(model, tfliteMicroReferenceScratch(model, o.lines().scratch()));
        assertEquals(expected.arenaBytes(), r.arena().planned(), name + ": arena.planned against TFLite Micro's greedy plan");
        for (RuntimeOutput.BufferLine b : o.lines().buffers()) {
            if (b.kind().equals("tensor")) {
                assertEquals(expected.tensorOffsets().get(b.id()), b.offset(), name + ": offset of tensor " + b.id());
            }
        }
        assertTrue(r.notes().stream().noneMatch(n -> n.contains("plan")), name + ": " + r.notes());
        assertEquals(tfliteMicroReferenceScratch(model, o.lines().scratch()), o.lines().scratch(), name + ": scratch requests");
        assertTrue(r.arena().bestPlanned() <= r.arena().planned() && r.arena().lowerBound() <= r.arena().bestPlanned(), name);
    }

    /**
     * The scratch buffers TFLite Micro's reference kernels request for this model, in request order; for a hybrid operator
     * (float activations, int8 filter), which TFLite Micro refuses ("Hybrid models are not supported on TFLite Micro",
     * conv_common.cc), the runtime's own request, taken from {@code actual}.
     */
    static List<Scratch> tfliteMicroReferenceScratch(TfliteModel model, List<Scratch> actual) {
        List<Scratch> out = new ArrayList<>();
        List<Operator> ops = model.mainSubgraph().operators();
        for (int i = 0; i < ops.size(); i++) {
            BuiltinOperator op = model.operatorCode(ops.get(i)).builtin().orElseThrow();
            Tensor in = model.mainSubgraph().tensor(ops.get(i).inputs().get(0));
            int index = i;
            if (hybrid(model, ops.get(i), op)) {
                actual.stream().filter(s -> s.operator() == index).forEach(out::add);
            } else if (op == BuiltinOperator.MEAN) {
                if (in.type() == TensorType.INT8 || in.type() == TensorType.INT16 || in.type() == TensorType.UINT8) {
                    Tensor output = model.mainSubgraph().tensor(ops.get(i).outputs().get(0));
                    out.add(new Scratch(i, 4L * output.elementCount()));
                }
            } else if (op == BuiltinOperator.UNIDIRECTIONAL_SEQUENCE_LSTM) {
                // unidirectional_sequence_lstm.cc: four buffers of batch × state dimension cell-state elements (the cell
                // state, input 19, is [batch, state dimension])
                Tensor cell = model.mainSubgraph().tensor(ops.get(i).inputs().get(19));
                for (int k = 0; k < 4; k++) {
                    out.add(new Scratch(i, cell.byteSize()));
                }
            } else if (op == BuiltinOperator.SVDF) {
                // svdf_common.cc: int32 (float) sums of batch × filters; int8 also batch × units int32 outputs
                Tensor weightsFeature = model.mainSubgraph().tensor(ops.get(i).inputs().get(1));
                out.add(new Scratch(i, 4L * in.dim(0) * weightsFeature.dim(0)));
                if (in.type() == TensorType.INT8) {
                    out.add(new Scratch(i, 4L * model.mainSubgraph().tensor(ops.get(i).outputs().get(0)).elementCount()));
                }
            } else if (!NO_SCRATCH.contains(op)) {
                throw new AssertionError("operator " + i + " " + op + ": this test does not know what TFLite Micro's reference "
                        + "kernel requests; add its rule (its Prepare in tensorflow/lite/micro/kernels)");
            }
        }
        return out;
    }

    private static boolean hybrid(TfliteModel model, Operator op, BuiltinOperator code) {
        if (code != BuiltinOperator.CONV_2D && code != BuiltinOperator.DEPTHWISE_CONV_2D && code != BuiltinOperator.FULLY_CONNECTED) {
            return false;
        }
        return model.mainSubgraph().tensor(op.inputs().get(0)).type() == TensorType.FLOAT32
                && model.mainSubgraph().tensor(op.inputs().get(1)).type() == TensorType.INT8;
    }

    @Test
    void handDerivedFiguresComeOutOfTheFirmware() {
        // PlannerTest derives these by hand from TFLite Micro's rules (every kind: without scratch buffers, as the runtime's
        // float RELU, ADD and RELU6 request none)
        assertEquals(48, planOnly(Graphs.everyKind(), "k.tflite", Kernels.reference).report().arena().planned());
        assertEquals(32, planOnly(Graphs.ties(), "t.tflite", Kernels.reference).report().arena().planned());
        InferenceReport.Arena a = planOnly(Graphs.addThenFullyConnected(), "a.tflite", Kernels.reference).report().arena();
        assertEquals(112, a.planned());
        assertEquals(96, a.bestPlanned());
        assertEquals(96, a.lowerBound());
    }

    @Test
    void theBestPlanWrittenIntoTheModelIsHonouredAndTheOutputsStayBitExact() {
        byte[] original = Graphs.addThenFullyConnected();
        PlanWriter.Written w = PlanWriter.plan(original, "add-fc.tflite", "add-fc-planned.tflite", FirmwareRuns.board(true), Kernels.simd);
        assertEquals(112, w.report().arena().planned());
        assertEquals(96, w.report().arena().bestPlanned());
        assertEquals(96, w.report().output().planned());
        assertEquals(4, w.report().output().offlineTensors());
        InferenceOptions o = InferenceOptions.of(FirmwareRuns.board(true), Kernels.simd, 2, new InputSource.Seeded(4));
        InferenceRunner.Outcome run = InferenceRunner.run(w.bytes(), "add-fc-planned.tflite", o);
        assertEquals(0, run.exitCode(), run.report().result().message());
        assertEquals(96, run.report().arena().planned());
        assertEquals(4, run.report().arena().offline());
        TfliteModel m = InferenceRunner.check(original, "add-fc.tflite");
        for (int i = 0; i < 2; i++) {
            assertEquals(2, run.inputs().get(i).size());
            Outputs.assertSame(ReferenceInterpreter.run(m, run.inputs().get(i)), run.outputs().get(i), "run " + i);
        }
    }
}
