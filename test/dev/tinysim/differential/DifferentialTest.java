package dev.tinysim.differential;

import dev.tinysim.inference.FirmwareOracle;
import dev.tinysim.inference.Kernels;
import dev.tinysim.reference.InputGenerator;
import dev.tinysim.reference.KernelFailureException;
import dev.tinysim.reference.ReferenceInterpreter;
import dev.tinysim.reference.UnsupportedModelException;
import dev.tinysim.tflite.ModelBuilder;
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
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The firmware against the Java reference interpreter on random models of every operator and type the
 * runtime supports ({@link Families#ALL}): for each variant, {@code tinysim.differential.models} models
 * (default 3) with seeded random inputs, run on the hard-float build with the SIMD and the reference
 * kernels, and float variants also on the soft-float build. Outputs must be equal bit for bit; a model
 * the reference rejects must be rejected by the firmware too (never a silent different answer).
 */
class DifferentialTest {

    private static final int MODELS = Integer.getInteger("tinysim.differential.models", 3);
    private static final long SEED = Long.getLong("tinysim.differential.seed", 20261204L);
    /** Only these operators (comma-separated names), for a quick local run; all when unset. */
    private static final String ONLY = System.getProperty("tinysim.differential.ops", "");
    private static final ExecutorService POOL = Executors.newFixedThreadPool(
            Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), 4)), r -> {
                Thread t = new Thread(r, "differential");
                t.setDaemon(true);
                return t;
            });

    /** One generated model and its reference verdict. */
    private record Case(Variant variant, int index, byte[] model, List<byte[]> inputs, List<byte[]> expected,
                        String rejection) {
        String name() {
            return variant.op() + "-" + variant.type() + "-" + index + ".tflite";
        }
    }

    private record Config(boolean fpu, Kernels kernels) {
        @Override
        public String toString() {
            return (fpu ? "m4f" : "m4") + " " + kernels.name();
        }
    }

    @TestFactory
    List<DynamicTest> firmwareEqualsTheReferenceOnRandomModels() {
        List<DynamicTest> tests = new ArrayList<>();
        long familySeed = SEED;
        for (OperatorCases family : Families.ALL) {
            for (Variant v : family.variants()) {
                if (!ONLY.isBlank() && !java.util.Arrays.asList(ONLY.split(",")).contains(v.op().name())) {
                    continue;
                }
                for (int i = 0; i < MODELS; i++) {
                    // seeded by the variant's name (String.hashCode is stable across JVMs; an enum's hashCode is not)
                    Case c = generate(family, v, i, new Gen(familySeed ^ ((v.op().name() + " " + v.type()).hashCode() * 31L + i)));
                    for (Config config : configs(v)) {
                        Future<FirmwareOracle.Result> f = POOL.submit(() -> FirmwareOracle.run(c.model(), c.name(),
                                c.inputs(), config.fpu(), config.kernels()));
                        tests.add(DynamicTest.dynamicTest(v + " #" + i + " (" + config + ")", () -> check(c, f.get())));
                    }
                }
            }
        }
        return tests;
    }

    /** Hard float with both kernel sets; float variants once more on the soft-float build. */
    private static List<Config> configs(Variant v) {
        List<Config> configs = new ArrayList<>(List.of(new Config(true, Kernels.simd), new Config(true, Kernels.reference)));
        if (v.type().equals("float32") || v.type().equals("hybrid")) {
            configs.add(new Config(false, Kernels.simd));
        }
        return configs;
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
        List<byte[]> inputs = InputGenerator.random(model.mainSubgraph().inputs().stream()
                .map(model.mainSubgraph()::tensor).toList(), g.nextLong());
        try {
            List<byte[]> out = ReferenceInterpreter.run(model, inputs);
            return new Case(v, index, bytes, inputs, out, null);
        } catch (UnsupportedModelException | KernelFailureException e) {
            return new Case(v, index, bytes, inputs, List.of(), e.getMessage());
        }
    }

    private static void check(Case c, FirmwareOracle.Result r) {
        if (c.rejection() != null) {
            assertNotEquals(0, r.exitCode(), c.name() + ": the reference rejects it (" + c.rejection()
                    + ") but the firmware ran it");
            return;
        }
        assertEquals(0, r.exitCode(), () -> c.name() + ": the reference runs it, the firmware stopped: " + r.message());
        assertEquals(c.expected().size(), r.outputs().size(), c.name() + ": outputs");
        for (int k = 0; k < c.expected().size(); k++) {
            byte[] want = c.expected().get(k);
            byte[] got = r.outputs().get(k);
            int output = k;
            assertArrayEquals(want, got, () -> c.name() + ": output " + output + " of the firmware "
                    + HexFormat.of().formatHex(got) + " differs from the reference's " + HexFormat.of().formatHex(want));
        }
    }
}
