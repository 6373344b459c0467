package dev.tinysim.inference;

import dev.tinysim.failure.FailureException;
import dev.tinysim.cli.ExitCode;
import dev.tinysim.reference.InputGenerator;
import dev.tinysim.reference.ReferenceInterpreter;
import dev.tinysim.support.Outputs;
import dev.tinysim.tflite.BuiltinOperator;
import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.ModelBuilder;
import dev.tinysim.tflite.Models;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;
import dev.tinysim.tflite.TfliteModel;
import dev.tinysim.tflite.TfliteReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The runner's behaviour beyond bit-exactness: runs, inputs, unsupported operators, models that do not fit. */
class InferenceRunnerTest {
    private static final String AD01 = "ad01_int8.tflite";

    private static InferenceOptions options(int runs, InputSource input) {
        return InferenceOptions.of(FirmwareRuns.board(true), Kernels.simd, runs, input);
    }

    /** Every output of the reference interpreter for a single-input model. */
    private static List<byte[]> reference(TfliteModel m, byte[] input) {
        return ReferenceInterpreter.prepare(m).invoke(List.of(input));
    }

    private static InputSource file(Path p) {
        return InputSource.FromFiles.of(InputSource.InputFile.read(null, p));
    }

    @Test
    void runsNReportsNRunsAndSeededRunIUsesSeedPlusI() {
        TfliteModel m = Models.model(AD01);
        Tensor in = m.mainSubgraph().inputTensor(0);
        InferenceRunner.Outcome o = InferenceRunner.run(Models.bytes(AD01), AD01, options(4, new InputSource.Seeded(10)));
        InferenceReport r = o.report();
        assertEquals(0, o.exitCode(), r.result().message());
        assertEquals(4, r.runs().size());
        assertEquals(4, o.lines().done().runs());
        List<List<byte[]>> expected = ReferenceRuns.all(m, o.inputs());
        for (int i = 0; i < 4; i++) {
            assertEquals(i, r.runs().get(i).index());
            assertTrue(r.runs().get(i).cycles() > 0);
            assertEquals(r.runs().get(i).cycles() * 1000.0 / 64e6, r.runs().get(i).milliseconds(), 1e-9);
            byte[] input = InputGenerator.random(in, 10 + i);
            assertArrayEquals(input, o.inputs().get(i).get(0));
            Outputs.assertSame(expected.get(i), o.outputs().get(i), "run " + i);
        }
        assertNotEquals(HexFormat.of().formatHex(o.outputs().get(0).get(0)), HexFormat.of().formatHex(o.outputs().get(1).get(0)));
        // the report's output is the last run's
        assertEquals(HexFormat.of().formatHex(o.outputs().get(3).get(0)), r.output().hex());
        assertEquals(List.of(r.output()), r.outputs());
        for (InferenceReport.Op op : r.operators()) {
            assertEquals(4, op.cyclesPerRun().size());
            assertEquals(op.cycles(), op.cyclesPerRun().get(3));
        }
        assertEquals(r.runs().stream().mapToLong(InferenceReport.Run::cycles).min().orElseThrow(), r.latency().minCycles());
    }

    @Test
    void theRuntimesHexOutputLinesAgreeWithTheOutputCall() {
        InferenceRunner.Outcome o = InferenceRunner.run(Models.bytes(AD01), AD01,
                options(2, new InputSource.Seeded(3)).withHexOutput(true));
        assertEquals(2, o.lines().outputs().size());
        for (int i = 0; i < 2; i++) {
            assertEquals(i, o.lines().outputs().get(i).index());
            assertEquals(0, o.lines().outputs().get(i).output());
            assertEquals(HexFormat.of().formatHex(o.outputs().get(i).get(0)), o.lines().outputs().get(i).hex());
        }
    }

    @Test
    void inputFileWithOneTensorPerRun(@TempDir Path dir) throws Exception {
        TfliteModel m = Models.model(AD01);
        Tensor in = m.mainSubgraph().inputTensor(0);
        byte[] a = InputGenerator.extremes(in);
        byte[] b = InputGenerator.random(in, 99);
        Path one = dir.resolve("one.bin");
        Files.write(one, a);
        InferenceRunner.Outcome single = InferenceRunner.run(Models.bytes(AD01), AD01, options(2, file(one)));
        assertArrayEquals(a, single.inputs().get(0).get(0));
        assertArrayEquals(a, single.inputs().get(1).get(0));
        Outputs.assertSame(ReferenceRuns.outputs(m, List.of(a, a)).get(1), single.outputs().get(1), "run 1");
        assertEquals("file one.bin", single.report().input().source());

        Path two = dir.resolve("two.bin");
        byte[] both = new byte[a.length * 2];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        Files.write(two, both);
        InferenceRunner.Outcome perRun = InferenceRunner.run(Models.bytes(AD01), AD01, options(2, file(two)));
        List<List<byte[]>> expected = ReferenceRuns.outputs(m, List.of(a, b));
        Outputs.assertSame(expected.get(0), perRun.outputs().get(0), "run 0");
        Outputs.assertSame(expected.get(1), perRun.outputs().get(1), "run 1");
    }

    @Test
    void wrongInputSizeIsAClearErrorBeforeAnythingRuns(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.bin");
        Files.write(bad, new byte[100]);
        FailureException e = assertThrows(FailureException.class,
                () -> InferenceRunner.run(Models.bytes(AD01), AD01, options(1, file(bad))));
        assertEquals(ExitCode.BAD_INPUT, ExitCode.of(e.kind()));
        assertEquals(bad + ": 100 bytes, but input tensor 'input_1' (INT8 [1, 640]) needs exactly 640 bytes; "
                + "the file holds the raw tensor bytes, no header (see docs/inference-report.md)", e.getMessage());
        FailureException e3 = assertThrows(FailureException.class,
                () -> InferenceRunner.run(Models.bytes(AD01), AD01, options(3, file(bad))));
        assertTrue(e3.getMessage().contains("(or 1920 for one input per run with --runs 3)"), e3.getMessage());
        FailureException missing = assertThrows(FailureException.class, () -> InputSource.InputFile.read(null, dir.resolve("nope.bin")));
        assertEquals(ExitCode.NO_INPUT, ExitCode.of(missing.kind()));
    }

    @Test
    void unsupportedOperatorsAreNamedByJavaBeforeAnythingRunsAndByTheRuntimeToo() {
        byte[] bytes = Models.unsupportedOperatorModel();
        FailureException e = assertThrows(FailureException.class, () -> InferenceRunner.run(bytes, "bm.tflite", options(1, null)));
        assertEquals(ExitCode.UNSUPPORTED_MODEL, ExitCode.of(e.kind()));
        assertEquals(72, ExitCode.of(e.kind()).code());
        assertEquals("bm.tflite: model uses LSH_PROJECTION (operator 1), which the runtime does not support", e.getMessage());
        // The runtime agrees when the Java check is bypassed: it checks every opcode before anything else.
        InferenceRunner.Outcome o = InferenceRunner.runUnchecked(bytes, "bm.tflite", options(1, null));
        assertEquals(new RuntimeOutput.ErrorLine(20, "unsupported-operator", 1, "LSH_PROJECTION", null), o.lines().error());
        assertEquals(ExitCode.RUNTIME_ERROR.code(), o.exitCode());
        assertTrue(o.report().result().message().contains("error 20 (unsupported-operator) at operator 1 (LSH_PROJECTION)"),
                o.report().result().message());
    }

    @Test
    void aModelLargerThanFlashIsMeasuredOnEnlargedFlashAndReportedAsNotFitting() {
        String name = "ad01_fp32.tflite";
        byte[] bytes = Models.bytes(name);
        InferenceRunner.Outcome o = InferenceRunner.run(bytes, name, options(1, new InputSource.Seeded(1)));
        InferenceReport r = o.report();
        assertEquals("does-not-fit", r.result().kind());
        assertEquals(ExitCode.DOES_NOT_FIT.code(), o.exitCode());
        InferenceReport.Flash f = r.fit().flash();
        // used = the runtime as a build with only the model's operators links it + the model (16-byte aligned after it)
        long gap = f.used() - f.runtime() - bytes.length;
        assertTrue(gap >= 0 && gap < 16, f.toString());
        long image = InferenceRunner.runtimeImage(FirmwareRuns.board(true)).symbolAddress("__model_start").orElseThrow();
        assertTrue(f.runtime() < image / 2, "AD01 (FULLY_CONNECTED only) needs less than half the bundled runtime: " + f);
        assertEquals(1 << 20, f.capacity());
        assertEquals(f.capacity() - f.used(), f.free());
        assertTrue(f.free() < 0 && !f.fits());
        assertTrue(r.fit().ram().fits());
        assertTrue(r.result().message().contains(String.format("%,d bytes over", -f.free())), r.result().message());
        assertTrue(r.fit().measuredOn().contains("flash enlarged"), r.fit().measuredOn());
        // measured all the same, and right
        assertEquals(1, r.runs().size());
        Outputs.assertSame(reference(Models.model(name), o.inputs().get(0).get(0)), o.outputs().get(0), name);
    }

    /**
     * FLOAT32 [1, n] → RELU → RELU6: two live tensors of 4n bytes at each operator (TFLite Micro frees the input after
     * its last reader, so the output reuses its bytes).
     */
    static byte[] bigActivationModel(int n) {
        ModelBuilder b = new ModelBuilder();
        int in = b.addTensor("in", TensorType.FLOAT32, new int[]{1, n});
        int mid = b.addTensor("mid", TensorType.FLOAT32, new int[]{1, n});
        int out = b.addTensor("out", TensorType.FLOAT32, new int[]{1, n});
        b.addOperator(BuiltinOperator.RELU, BuiltinOptions.NONE, new int[]{in}, new int[]{mid});
        b.addOperator(BuiltinOperator.RELU6, BuiltinOptions.NONE, new int[]{mid}, new int[]{out});
        return b.inputs(in).outputs(out).toBytes();
    }

    @Test
    void anArenaLargerThanRamIsMeasuredOnEnlargedRamAndReportedAsNotFitting() throws Exception {
        byte[] bytes = bigActivationModel(40_000);   // 2 x 160 KB live at once
        InferenceRunner.Outcome o = InferenceRunner.run(bytes, "big.tflite", options(2, new InputSource.Seeded(5)));
        InferenceReport r = o.report();
        assertEquals("does-not-fit", r.result().kind(), r.result().message());
        assertEquals(ExitCode.DOES_NOT_FIT.code(), o.exitCode());
        assertTrue(r.arena().enlarged());
        assertEquals(2 * 160_000, r.arena().planned(), r.arena().toString());
        InferenceReport.Ram ram = r.fit().ram();
        assertEquals(ram.staticBytes() + ram.arena() + ram.stackPeak(), ram.used());
        assertEquals(256 * 1024 - ram.used(), ram.free());
        assertFalse(ram.fits());
        assertTrue(r.fit().flash().fits());
        assertTrue(r.result().message().contains("RAM: " + String.format("%,d", ram.used()) + " bytes needed"), r.result().message());
        assertTrue(r.fit().measuredOn().contains("RAM enlarged"), r.fit().measuredOn());
        TfliteModel m = TfliteReader.read(bytes, "big.tflite");
        List<List<byte[]>> expected = ReferenceRuns.all(m, o.inputs());
        for (int i = 0; i < 2; i++) {
            Outputs.assertSame(expected.get(i), o.outputs().get(i), "run " + i);
        }
    }

    @Test
    void theTextReportShowsOutputOperatorsArenaFitAndTiming() {
        InferenceRunner.Outcome o = InferenceRunner.run(Models.bytes(AD01), AD01, options(1, new InputSource.Seeded(1)));
        InferenceReport r = o.report();
        String text = InferenceTextReport.render(r, false);
        assertTrue(text.startsWith("tinysim: ad01_int8.tflite on nrf52840 (Cortex-M4F, 64 MHz), runtime-m4f.elf (hard float), simd kernels\n"), text);
        assertTrue(text.contains("(timing model: " + r.timing().model() + ")"), text);
        assertTrue(text.contains("argmax  " + r.output().argmax()), text);
        for (InferenceReport.Op op : r.operators()) {
            assertTrue(text.contains(String.format("%,d", op.cycles())), "operator " + op.index() + " missing:\n" + text);
        }
        assertTrue(text.contains("arena      " + String.format("%,d", r.arena().total()) + " bytes high-water mark"), text);
        assertTrue(text.contains("fit        fits nrf52840"), text);
        assertTrue(text.contains("… (640 values; --format json lists all)"), text);
    }
}
