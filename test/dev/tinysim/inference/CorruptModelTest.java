package dev.tinysim.inference;

import dev.tinysim.failure.FailureException;
import dev.tinysim.cli.ExitCode;
import dev.tinysim.tflite.Models;
import dev.tinysim.tflite.Operator;
import dev.tinysim.tflite.Subgraph;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TfliteModel;
import dev.tinysim.tflite.TfliteWriter;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Corrupt models end in the Java reader's one-line error (exit 65, naming the file and the field) before
 * anything runs; and, written into flash past that check (the test-only unchecked path), in the
 * runtime's own {@code @ts error} report — never a machine fault, a runaway, or a JVM crash.
 */
class CorruptModelTest {
    private static final String NAME = "corrupt.tflite";

    // ---- flatbuffer navigation (little-endian offsets, as the schema stores them) ----
    private static int u32(byte[] b, int pos) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt(pos);
    }

    private static void put(byte[] b, int pos, int value) {
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(pos, value);
    }

    /** Absolute position of field {@code k} of the table at {@code table}, or -1 when absent. */
    private static int field(byte[] b, int table, int k) {
        int vtable = table - u32(b, table);
        int vlen = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getShort(vtable) & 0xFFFF;
        if (4 + 2 * k >= vlen) {
            return -1;
        }
        int off = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getShort(vtable + 4 + 2 * k) & 0xFFFF;
        return off == 0 ? -1 : table + off;
    }

    private static int deref(byte[] b, int pos) {
        return pos + u32(b, pos);
    }

    private static int root(byte[] b) {
        return u32(b, 0);
    }

    private static int vector(byte[] b, int table, int k) {
        return deref(b, field(b, table, k));
    }

    private static int subgraph0(byte[] b) {
        return deref(b, vector(b, root(b), 2) + 4);
    }

    /** The corruptions, by description: structural damage at many places of a real model. */
    static Map<String, byte[]> corruptions() {
        byte[] kws = Models.bytes("kws_ref_model.tflite");
        Map<String, byte[]> out = new LinkedHashMap<>();
        SplittableRandom rng = new SplittableRandom(4);
        for (int len : new int[]{0, 4, 8, 12, 24, 100, 1000, kws.length / 2, kws.length - 4}) {
            out.put("truncated to " + len + " bytes", Arrays.copyOf(kws, len));
        }
        for (int i = 0; i < 12; i++) {
            int len = rng.nextInt(kws.length);
            out.put("truncated to " + len + " bytes (random)", Arrays.copyOf(kws, len));
        }
        out.put("root offset past the end", patched(kws, b -> { put(b, 0, b.length + 100); return b; }));
        out.put("root offset 0xfffffff0", patched(kws, b -> { put(b, 0, 0xfffffff0); return b; }));
        out.put("file identifier XFL3", patched(kws, b -> { b[4] = 'X'; return b; }));
        out.put("schema version 2", patched(kws, b -> { put(b, field(b, root(b), 0), 2); return b; }));
        out.put("subgraphs vector offset out of range", patched(kws, b -> { put(b, field(b, root(b), 2), 0x7ffffff0); return b; }));
        out.put("subgraph vtable offset out of range", patched(kws, b -> { put(b, subgraph0(b), -0x7ffffff0); return b; }));
        out.put("2^31-1 tensors", patched(kws, b -> { put(b, vector(b, subgraph0(b), 0), 0x7fffffff); return b; }));
        out.put("2^31-1 operators", patched(kws, b -> { put(b, vector(b, subgraph0(b), 3), 0x7fffffff); return b; }));
        out.put("2^31-1 buffers", patched(kws, b -> { put(b, vector(b, root(b), 4), 0x7fffffff); return b; }));
        out.put("2^31-1 operator codes", patched(kws, b -> { put(b, vector(b, root(b), 1), 0x7fffffff); return b; }));
        out.put("tensor 0 shape of 2^31-1 dimensions", patched(kws, b -> {
            int t0 = deref(b, vector(b, subgraph0(b), 0) + 4);
            put(b, vector(b, t0, 0), 0x7fffffff);
            return b;
        }));
        out.put("tensor 0 table offset out of range", patched(kws, b -> {
            put(b, vector(b, subgraph0(b), 0) + 4, 0x40000000);
            return b;
        }));
        // Semantic damage written with the Java writer (well-formed flatbuffers with impossible contents).
        TfliteModel m = Models.model("kws_ref_model.tflite");
        out.put("input shape [1,65536,65536,1]", rewrite(m, 0, t -> reshape(t, List.of(1, 65536, 65536, 1))));
        out.put("input shape [1,-5,10,1]", rewrite(m, 0, t -> reshape(t, List.of(1, -5, 10, 1))));
        out.put("input shape of rank 17", rewrite(m, 0, t -> reshape(t, java.util.Collections.nCopies(17, 1))));
        out.put("filter buffer index 9999", rewrite(m, filterOf(m), t -> new Tensor(t.name(), t.type(), t.shape(), 9999,
                t.quantization(), t.isVariable(), t.shapeSignature(), t.hasRank())));
        out.put("filter shape larger than its buffer", rewrite(m, filterOf(m), t -> reshape(t, List.of(64, 10, 4, 9))));
        out.put("operator input tensor 5000", rewriteOp(m, op -> new Operator(op.opcodeIndex(),
                List.of(5000, op.input(1), op.input(2)), op.outputs(), op.options())));
        out.put("operator code index 77", rewriteOp(m, op -> new Operator(77, op.inputs(), op.outputs(), op.options())));
        return out;
    }

    private static byte[] patched(byte[] original, UnaryOperator<byte[]> patch) {
        return patch.apply(original.clone());
    }

    private static Tensor reshape(Tensor t, List<Integer> shape) {
        return new Tensor(t.name(), t.type(), shape, t.buffer(), t.quantization(), t.isVariable(), List.of(), t.hasRank());
    }

    private static int filterOf(TfliteModel m) {
        return m.mainSubgraph().operators().get(0).input(1);
    }

    private static byte[] rewrite(TfliteModel m, int tensor, UnaryOperator<Tensor> change) {
        Subgraph g = m.mainSubgraph();
        List<Tensor> tensors = new ArrayList<>(g.tensors());
        tensors.set(tensor, change.apply(tensors.get(tensor)));
        return write(m, new Subgraph(g.name(), tensors, g.inputs(), g.outputs(), g.operators()));
    }

    private static byte[] rewriteOp(TfliteModel m, UnaryOperator<Operator> change) {
        Subgraph g = m.mainSubgraph();
        List<Operator> ops = new ArrayList<>(g.operators());
        ops.set(0, change.apply(ops.get(0)));
        return write(m, new Subgraph(g.name(), g.tensors(), g.inputs(), g.outputs(), ops));
    }

    private static byte[] write(TfliteModel m, Subgraph g) {
        return TfliteWriter.write(new TfliteModel(m.version(), m.description(), m.operatorCodes(), List.of(g), m.buffers(),
                m.metadata()));
    }

    private static InferenceOptions options() {
        return InferenceOptions.of(FirmwareRuns.board(true), Kernels.simd, 1, new InputSource.Seeded(1));
    }

    @TestFactory
    List<DynamicTest> theJavaReaderRejectsEveryCorruptionBeforeAnythingRuns() {
        List<DynamicTest> tests = new ArrayList<>();
        corruptions().forEach((what, bytes) -> tests.add(DynamicTest.dynamicTest(what, () -> {
            try {
                InferenceRunner.run(bytes, NAME, options());
                fail(what + ": accepted");
            } catch (FailureException e) {
                assertEquals(ExitCode.BAD_INPUT, ExitCode.of(e.kind()), what + ": " + e.getMessage());
                assertTrue(e.getMessage().startsWith(NAME + ": "), e.getMessage());
                assertEquals(1, e.getMessage().lines().count(), e.getMessage());
            }
        })));
        return tests;
    }

    @TestFactory
    List<DynamicTest> theRuntimeReportsAnErrorForEveryCorruptionAndNeverFaults() {
        Map<String, byte[]> all = corruptions();
        Map<String, Future<InferenceRunner.Outcome>> runs = new LinkedHashMap<>();
        all.forEach((what, bytes) -> runs.put(what, FirmwareRuns.submit("corrupt|" + what,
                () -> InferenceRunner.runUnchecked(bytes, NAME, options()))));
        List<DynamicTest> tests = new ArrayList<>();
        runs.forEach((what, f) -> tests.add(DynamicTest.dynamicTest(what, () -> {
            InferenceRunner.Outcome o = FirmwareRuns.await(f);
            InferenceReport.Result r = o.report().result();
            assertEquals("runtime-error", r.kind(), what + ": " + r.message());
            assertEquals(ExitCode.RUNTIME_ERROR.code(), r.exitCode());
            assertNotNull(r.runtimeError(), what);
            RuntimeError err = RuntimeError.fromCode(r.runtimeError().code()).orElseThrow();
            assertTrue(err != RuntimeError.OK, what);
            assertEquals(err.label(), r.runtimeError().name());
            // The runtime exits with the error code as its status, after the @ts error line.
            assertEquals("exited with status " + err.code(), r.firmwareEnd(), what);
            assertTrue(o.lines().runs().isEmpty() && o.lines().done() == null, what);
            assertTrue(o.lines().malformed().isEmpty(), what + ": " + o.lines().malformed());
        })));
        return tests;
    }

    @Test
    void runtimeErrorsNameTheFieldOrOperator() {
        Map<String, byte[]> all = corruptions();
        InferenceRunner.Outcome trunc = InferenceRunner.runUnchecked(all.get("truncated to 4 bytes"), NAME, options());
        assertEquals(RuntimeError.BAD_FLATBUFFER.code(), trunc.report().result().runtimeError().code(),
                trunc.report().result().message());
        InferenceRunner.Outcome id = InferenceRunner.runUnchecked(all.get("file identifier XFL3"), NAME, options());
        assertEquals(RuntimeError.BAD_IDENTIFIER.code(), id.report().result().runtimeError().code());
        InferenceRunner.Outcome version = InferenceRunner.runUnchecked(all.get("schema version 2"), NAME, options());
        assertEquals(RuntimeError.BAD_SCHEMA_VERSION.code(), version.report().result().runtimeError().code());
        InferenceRunner.Outcome shape = InferenceRunner.runUnchecked(all.get("input shape [1,65536,65536,1]"), NAME, options());
        assertEquals(RuntimeError.BAD_SHAPE.code(), shape.report().result().runtimeError().code(),
                shape.report().result().message());
        assertTrue(shape.report().result().message().startsWith(NAME + ": the inference runtime reported error 8 (bad-shape)"),
                shape.report().result().message());
    }

    /** A small model that is mostly structure (as in TfliteCorruptionTest), so random flips hit offsets and lengths. */
    static byte[] smallStructuredModel() {
        dev.tinysim.tflite.ModelBuilder b = new dev.tinysim.tflite.ModelBuilder();
        int in = b.addTensor("input", dev.tinysim.tflite.TensorType.INT8, new int[]{1, 4, 4, 2},
                dev.tinysim.tflite.Quantization.perTensor(0.5f, -3));
        byte[] w = new byte[24];
        for (int i = 0; i < w.length; i++) {
            w[i] = (byte) (i * 7 - 80);
        }
        int weights = b.addInt8Constant("weights", new int[]{3, 2, 2, 2},
                dev.tinysim.tflite.Quantization.perChannel(List.of(0.1f, 0.2f, 0.3f), 0), w);
        int bias = b.addInt32Constant("bias", new int[]{3}, dev.tinysim.tflite.Quantization.NONE, 1, 2, 3);
        int conv = b.addTensor("conv", dev.tinysim.tflite.TensorType.INT8, new int[]{1, 2, 2, 3},
                dev.tinysim.tflite.Quantization.perTensor(0.25f, 1));
        int flat = b.addTensor("flat", dev.tinysim.tflite.TensorType.INT8, new int[]{1, 12},
                dev.tinysim.tflite.Quantization.perTensor(0.25f, 1));
        int out = b.addTensor("out", dev.tinysim.tflite.TensorType.INT8, new int[]{1, 12},
                dev.tinysim.tflite.Quantization.perTensor(1f / 256, -128));
        b.addOperator(dev.tinysim.tflite.BuiltinOperator.CONV_2D, new dev.tinysim.tflite.BuiltinOptions.Conv2D(
                dev.tinysim.tflite.Padding.VALID, 2, 2, dev.tinysim.tflite.ActivationFunction.RELU),
                new int[]{in, weights, bias}, new int[]{conv});
        b.addOperator(dev.tinysim.tflite.BuiltinOperator.RESHAPE, new dev.tinysim.tflite.BuiltinOptions.Reshape(List.of(1, 12)),
                new int[]{conv}, new int[]{flat});
        b.addOperator(dev.tinysim.tflite.BuiltinOperator.SOFTMAX, new dev.tinysim.tflite.BuiltinOptions.Softmax(1f),
                new int[]{flat}, new int[]{out});
        return b.inputs(in).outputs(out).toBytes();
    }

    /**
     * Random byte damage to a structure-heavy model: the runtime never faults, and it accepts exactly
     * the models the Java side accepts — and then computes the reference interpreter's output.
     */
    @TestFactory
    List<DynamicTest> randomDamageNeverFaultsAndTheRuntimeAgreesWithJava() {
        byte[] original = smallStructuredModel();
        SplittableRandom rng = new SplittableRandom(11);
        Map<String, byte[]> variants = new LinkedHashMap<>();
        for (int i = 0; variants.size() < 80; i++) {
            byte[] b = original.clone();
            int flips = 1 + rng.nextInt(3);
            StringBuilder what = new StringBuilder("case " + i + ":");
            for (int f = 0; f < flips; f++) {
                int pos = rng.nextInt(b.length);
                b[pos] = rng.nextBoolean() ? (byte) rng.nextInt(256) : (byte) (b[pos] ^ (1 << rng.nextInt(8)));
                what.append(" byte ").append(pos);
            }
            if (!Arrays.equals(b, original)) {
                variants.put(what.toString(), b);
            }
        }
        InferenceOptions opts = new InferenceOptions(FirmwareRuns.board(true), Kernels.simd, 1, new InputSource.Seeded(1),
                null, 50_000_000L, false);
        Map<String, Future<InferenceRunner.Outcome>> runs = new LinkedHashMap<>();
        variants.forEach((what, b) -> runs.put(what, FirmwareRuns.submit("flip|" + what,
                () -> InferenceRunner.runUnchecked(b, NAME, opts))));
        List<DynamicTest> tests = new ArrayList<>();
        runs.forEach((what, f) -> tests.add(DynamicTest.dynamicTest(what, () -> {
            byte[] b = variants.get(what);
            String javaError = null;
            try {
                InferenceRunner.check(b, NAME);
            } catch (FailureException e) {
                javaError = e.getMessage();
            }
            InferenceRunner.Outcome o = FirmwareRuns.await(f);
            InferenceReport.Result r = o.report().result();
            assertTrue(r.kind().equals("ok") || r.kind().equals("runtime-error"), what + ": " + r.message());
            if (javaError == null) {
                // Java accepts: so does the runtime, and it computes the reference output.
                assertEquals("ok", r.kind(), what + ": Java accepts, the runtime: " + r.message());
                TfliteModel m = o.model();
                List<byte[]> expected = dev.tinysim.reference.ReferenceInterpreter.prepare(m).invoke(o.inputs().get(0));
                dev.tinysim.support.Outputs.assertSame(expected, o.outputs().get(0), what);
            } else if (r.kind().equals("ok")) {
                // The runtime reads only what it needs; the Java reader validates the whole file. The only
                // damage the runtime may miss is in parts it never reads: names, unused buffers, metadata.
                assertTrue(javaError.matches(".*(: name|buffer 0:|description|metadata|signature).*"),
                        what + ": the runtime ran a model the Java reader rejects: " + javaError);
            }
        })));
        return tests;
    }
}
