package dev.tinysim.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tinysim.support.Cli;
import dev.tinysim.tflite.BuiltinOperator;
import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.ModelBuilder;
import dev.tinysim.tflite.Models;
import dev.tinysim.tflite.Quantization;
import dev.tinysim.tflite.TensorType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Model paths, cached command runs and checks shared by the fit/compare/demo tests. */
final class Fixtures {
    static final Path KWS_INT8 = Models.DIR.resolve("kws_ref_model.tflite");
    static final Path KWS_FLOAT = Models.DIR.resolve("kws_ref_model_float32.tflite");
    static final Path AD01_FLOAT = Models.DIR.resolve("ad01_fp32.tflite");
    static final Path DEMO_FLOAT = Path.of("firmware-images", "models", "demo_f32.tflite");
    static final Path DEMO_INT8 = Path.of("firmware-images", "models", "demo_int8.tflite");
    static final Path SELFTEST_ELF = Path.of("firmware-images", "prebuilt", "selftest-m4f.elf");

    private static final Map<String, Cli.Result> RUNS = new ConcurrentHashMap<>();

    private Fixtures() {
    }

    /** A command run once per JVM (the same arguments give the same result: everything is deterministic but wall times). */
    static Cli.Result cached(String... args) {
        return RUNS.computeIfAbsent(String.join("\u0000", args), k -> Cli.run(args));
    }

    static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(Path file) {
        try {
            return json(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An error is one line on stderr, starting "tinysim: ", with no stack trace, and nothing on stdout. */
    static void assertOneLineError(Cli.Result r, int exit, String... fragments) {
        assertEquals(exit, r.exitCode(), r.err() + r.out());
        String err = r.err();
        assertTrue(err.startsWith("tinysim: "), err);
        assertEquals(1, err.strip().split("\n").length, "one line expected:\n" + err);
        assertFalse(err.contains("\tat ") || err.contains("Exception"), err);
        for (String f : fragments) {
            assertTrue(err.contains(f), "'" + f + "' not in: " + err);
        }
        assertEquals("", r.out());
    }

    /** INT8 [2,2] -> RELU -> INT8 [2,2]: the int8 twin of {@link Models#unsupportedOperatorModel()}'s shapes. */
    static byte[] int8ReluModel() {
        ModelBuilder b = new ModelBuilder();
        Quantization q = Quantization.perTensor(0.05f, -10);
        int in = b.addTensor("in", TensorType.INT8, new int[]{2, 2}, q);
        int out = b.addTensor("out", TensorType.INT8, new int[]{2, 2}, q);
        b.addOperator(BuiltinOperator.RELU, BuiltinOptions.NONE, new int[]{in}, new int[]{out});
        return b.inputs(in).outputs(out).toBytes();
    }
}
