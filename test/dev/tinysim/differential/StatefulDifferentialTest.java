package dev.tinysim.differential;

import dev.tinysim.boards.Boards;
import dev.tinysim.emulator.board.BoardException;
import dev.tinysim.inference.InferenceOptions;
import dev.tinysim.inference.InferenceRunner;
import dev.tinysim.inference.InputSource;
import dev.tinysim.inference.Kernels;
import dev.tinysim.reference.InputGenerator;
import dev.tinysim.reference.ReferenceInterpreter;
import dev.tinysim.reference.ReferenceSession;
import dev.tinysim.reference.UnsupportedModelException;
import dev.tinysim.tflite.ModelBuilder;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TfliteModel;
import dev.tinysim.tflite.TfliteReader;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The stateful operators' random models ({@link SequenceOperatorCases}) over several runs: the single-run
 * {@link DifferentialTest} sees their state only fresh, so here each model runs {@value #RUNS} times in one
 * firmware execution (hard float with both kernel sets, float variants also soft float) and every run must
 * equal the reference interpreter's with the state carried in one {@link ReferenceSession}.
 * {@code tinysim.differential.models} models per variant (default 3), like the differential test.
 */
class StatefulDifferentialTest {

    private static final int RUNS = 3;
    private static final int MODELS = Integer.getInteger("tinysim.differential.models", 3);
    private static final long SEED = Long.getLong("tinysim.differential.seed", 20261204L) ^ 0x5EC;
    private static final ExecutorService POOL = Executors.newFixedThreadPool(
            Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), 4)), r -> {
                Thread t = new Thread(r, "stateful-differential");
                t.setDaemon(true);
                return t;
            });

    private record Case(Variant variant, int index, byte[] bytes, List<byte[]> inputs, List<byte[]> expected) {
        String name() {
            return variant.op() + "-" + variant.type() + "-" + index + ".tflite";
        }
    }

    @TestFactory
    List<DynamicTest> everyRunEqualsTheReferenceSession() {
        SequenceOperatorCases family = new SequenceOperatorCases();
        List<DynamicTest> tests = new ArrayList<>();
        for (Variant v : family.variants()) {
            if (v.op() == dev.tinysim.tflite.BuiltinOperator.QUANTIZE) {
                continue;   // no state: DifferentialTest covers it
            }
            for (int i = 0; i < MODELS; i++) {
                Case c = generate(family, v, i, new Gen(SEED ^ (v.hashCode() * 31L + i)));
                if (c == null) {
                    continue;   // rejected by the reference: DifferentialTest checks the firmware rejects it too
                }
                List<Object[]> configs = new ArrayList<>(List.of(new Object[] {true, Kernels.simd},
                        new Object[] {true, Kernels.reference}));
                if (v.type().equals("float32")) {
                    configs.add(new Object[] {false, Kernels.simd});
                }
                for (Object[] config : configs) {
                    boolean fpu = (Boolean) config[0];
                    Kernels k = (Kernels) config[1];
                    Future<InferenceRunner.Outcome> f = POOL.submit(() -> InferenceRunner.run(c.bytes(), c.name(),
                            InferenceOptions.of(board(fpu), k, RUNS, new InputSource.Given(c.inputs(), "random"))));
                    tests.add(DynamicTest.dynamicTest(v + " #" + i + " (" + (fpu ? "m4f " : "m4 ") + k + ", " + RUNS + " runs)",
                            () -> check(c, f.get())));
                }
            }
        }
        return tests;
    }

    private static dev.tinysim.emulator.board.Board board(boolean fpu) {
        try {
            return Boards.load("nrf52840", !fpu);
        } catch (BoardException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Case generate(OperatorCases family, Variant v, int index, Gen g) {
        ModelBuilder b = new ModelBuilder();
        family.build(v, g, b);
        byte[] bytes = b.toBytes();
        TfliteModel model;
        try {
            model = TfliteReader.read(bytes, v.op() + ".tflite");
        } catch (Exception e) {
            throw new AssertionError(v + ": the generator wrote an unreadable model", e);
        }
        Tensor in = model.mainSubgraph().inputTensor(0);
        List<byte[]> inputs = new ArrayList<>();
        for (int r = 0; r < RUNS; r++) {
            inputs.add(InputGenerator.random(in, g.nextLong()));
        }
        try {
            ReferenceSession session = ReferenceInterpreter.prepare(model).newSession();
            List<byte[]> expected = new ArrayList<>();
            for (byte[] x : inputs) {
                expected.add(session.invoke(List.of(x)).get(0));
            }
            return new Case(v, index, bytes, inputs, expected);
        } catch (UnsupportedModelException e) {
            return null;
        }
    }

    private static void check(Case c, InferenceRunner.Outcome o) {
        assertEquals(0, o.exitCode(), () -> c.name() + ": " + o.report().result().message());
        assertEquals(RUNS, o.outputs().size(), c.name() + ": runs");
        for (int r = 0; r < RUNS; r++) {
            byte[] want = c.expected().get(r);
            byte[] got = o.outputs().get(r);
            int run = r;
            assertArrayEquals(want, got, () -> c.name() + ": run " + run + " of the firmware " + HexFormat.of().formatHex(got)
                    + " differs from the reference session's " + HexFormat.of().formatHex(want));
        }
    }
}
