package dev.tinysim.inference;

import dev.tinysim.bench.SharedModels;
import dev.tinysim.reference.InputGenerator;
import dev.tinysim.reference.ReferenceInterpreter;
import dev.tinysim.reference.ReferenceSession;
import dev.tinysim.tflite.ActivationFunction;
import dev.tinysim.tflite.BuiltinOperator;
import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.ModelBuilder;
import dev.tinysim.tflite.ModelCut;
import dev.tinysim.tflite.Quantization;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;
import dev.tinysim.tflite.TfliteModel;
import dev.tinysim.tflite.TfliteReader;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Operator state across runs (issue 9, item 3): models with variable tensors (SVDF: keyword_scrambled's SVDF
 * layers and a small float pair; LSTM: TFLM's trained_lstm.tflite, float, and dtln_noise_suppression.tflite, int8)
 * run with {@code --runs 3} on the emulated firmware (both builds, both kernel sets); every run's output must equal the reference
 * interpreter's with the state carried by one {@link ReferenceSession}, and the later runs must differ from
 * what fresh state gives on the same input (so a runtime that reset or lost its state would fail).
 */
class StatefulModelsTest {

    private static final int RUNS = 3;

    private static Path tflmExample(String name) {
        return SharedModels.directory().getParent().resolve("tflm-examples").resolve(name);
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static TfliteModel model(byte[] bytes, String name) {
        try {
            return TfliteReader.read(bytes, name);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The seven SVDF layers (with the FULLY_CONNECTEDs between them) of TFLM's keyword_scrambled.tflite, int8 in,
     * the last SVDF's int8 output out (its weights are scrambled: the final FULLY_CONNECTED saturates to a constant,
     * which would hide the state).
     */
    static byte[] keywordSvdfCore() {
        TfliteModel m = model(read(tflmExample("keyword_scrambled.tflite")), "keyword_scrambled.tflite");
        return ModelCut.of(m, 1, 11, 0, 47);
    }

    /** A small float SVDF (rank 2, memory 4) followed by a TANH-activated second SVDF. */
    static byte[] smallFloatSvdf() {
        ModelBuilder b = new ModelBuilder();
        java.util.Random r = new java.util.Random(7);
        int in = b.addTensor("in", TensorType.FLOAT32, new int[] {1, 5});
        float[] wf = new float[6 * 5];
        float[] wt = new float[6 * 4];
        for (int i = 0; i < wf.length; i++) {
            wf[i] = (float) r.nextGaussian() * 0.5f;
        }
        for (int i = 0; i < wt.length; i++) {
            wt[i] = (float) r.nextGaussian() * 0.5f;
        }
        int w1 = b.addFloatConstant("wf1", new int[] {6, 5}, wf);
        int t1 = b.addFloatConstant("wt1", new int[] {6, 4}, wt);
        int b1 = b.addFloatConstant("b1", new int[] {3}, 0.1f, -0.2f, 0.3f);
        int s1 = b.addVariable("state1", TensorType.FLOAT32, new int[] {1, 24}, Quantization.NONE);
        int mid = b.addTensor("mid", TensorType.FLOAT32, new int[] {1, 3});
        b.addOperator(BuiltinOperator.SVDF, new BuiltinOptions.Svdf(2, ActivationFunction.RELU, false),
                new int[] {in, w1, t1, b1, s1}, new int[] {mid});
        int w2 = b.addFloatConstant("wf2", new int[] {2, 3}, 0.7f, -0.4f, 0.2f, 0.9f, 0.1f, -0.3f);
        int t2 = b.addFloatConstant("wt2", new int[] {2, 3}, 0.5f, 0.25f, -0.5f, 0.3f, 0.6f, 0.9f);
        int s2 = b.addVariable("state2", TensorType.FLOAT32, new int[] {1, 6}, Quantization.NONE);
        int out = b.addTensor("out", TensorType.FLOAT32, new int[] {1, 2});
        b.addOperator(BuiltinOperator.SVDF, new BuiltinOptions.Svdf(1, ActivationFunction.TANH, false),
                new int[] {mid, w2, t2, -1, s2}, new int[] {out});
        return b.inputs(in).outputs(out).toBytes();
    }

    private record Case(String name, byte[] bytes, boolean fpu, Kernels kernels) {
        Future<InferenceRunner.Outcome> start() {
            return FirmwareRuns.submit("stateful|" + name + "|" + fpu + "|" + kernels, () -> InferenceRunner.run(bytes, name,
                    InferenceOptions.of(FirmwareRuns.board(fpu), kernels, RUNS, new InputSource.Seeded(11))));
        }

        @Override
        public String toString() {
            return name + " on " + (fpu ? "runtime-m4f" : "runtime-m4") + ", " + kernels + " kernels, " + RUNS + " runs";
        }
    }

    static List<Case> cases() {
        List<Case> out = new ArrayList<>();
        for (String[] c : new String[][] {{"keyword_scrambled SVDF layers", "svdf-core"}, {"small float SVDF", "svdf-float"},
            {"keyword_scrambled.tflite", "file"}, {"trained_lstm.tflite", "file"}, {"dtln_noise_suppression.tflite", "file"}}) {
            byte[] bytes = switch (c[1]) {
                case "svdf-core" -> keywordSvdfCore();
                case "svdf-float" -> smallFloatSvdf();
                default -> read(tflmExample(c[0]));
            };
            for (boolean fpu : new boolean[] {true, false}) {
                for (Kernels k : Kernels.values()) {
                    out.add(new Case(c[0], bytes, fpu, k));
                }
            }
        }
        return out;
    }

    @TestFactory
    List<DynamicTest> everyRunEqualsTheReferenceWithStateCarried() {
        List<Case> cases = cases();
        List<Future<InferenceRunner.Outcome>> futures = cases.stream().map(Case::start).toList();
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            Future<InferenceRunner.Outcome> f = futures.get(i);
            tests.add(DynamicTest.dynamicTest(c.toString(), () -> check(c, FirmwareRuns.await(f))));
        }
        return tests;
    }

    static void check(Case c, InferenceRunner.Outcome o) {
        assertEquals(0, o.exitCode(), c + ": " + o.report().result().message());
        TfliteModel m = model(c.bytes(), c.name());
        Tensor in = m.mainSubgraph().inputTensor(0);
        ReferenceInterpreter ref = ReferenceInterpreter.prepare(m);
        assertTrue(ref.isStateful());
        ReferenceSession session = ref.newSession();
        assertEquals(RUNS, o.outputs().size());
        boolean differsFromFresh = false;
        for (int run = 0; run < RUNS; run++) {
            byte[] input = InputGenerator.random(in, 11 + run);
            assertArrayEquals(input, o.inputs().get(run), c + ": input of run " + run);
            byte[] want = session.invoke(List.of(input)).get(0);
            byte[] got = o.outputs().get(run);
            int r = run;
            assertArrayEquals(want, got, () -> c + ": run " + r + " firmware " + HexFormat.of().formatHex(got)
                    + " != reference session " + HexFormat.of().formatHex(want));
            if (run > 0) {
                differsFromFresh |= !java.util.Arrays.equals(want, ref.invoke(List.of(input)).get(0));
            } else {
                assertArrayEquals(ref.invoke(List.of(input)).get(0), got, c + ": the first run starts from fresh state");
            }
        }
        // keyword_scrambled's scrambled weights saturate its final FULLY_CONNECTED to a constant: its SVDF layers
        // ("keyword_scrambled SVDF layers") are the case that shows the state
        if (!c.name().equals("keyword_scrambled.tflite")) {
            assertTrue(differsFromFresh, c + ": the later runs equal fresh-state runs, so this case cannot see the state");
        }
        assertFalse(o.report().notes().stream().anyMatch(n -> n.contains("MACs")), c + ": " + o.report().notes());
    }
}
