package dev.tinysim.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tinysim.bench.SharedModels;
import dev.tinysim.cli.Io;
import dev.tinysim.cli.Main;
import dev.tinysim.reference.InputGenerator;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TfliteModel;
import dev.tinysim.tflite.TfliteReader;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TFLite Micro's example models with state, as a user runs them: {@code tinysim run --model X --runs 2} exits 0
 * and its output (the second run's) equals the reference interpreter's with the state carried from the first
 * run; {@code tinysim fit X} exits 0 with a fit.
 */
class SequenceModelsCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path example(String name) {
        return SharedModels.directory().getParent().resolve("tflm-examples").resolve(name);
    }

    private record Result(int exit, String stdout, String stderr) {
    }

    private static Result cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.execute(new Io(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), InputStream.nullInputStream()), args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"keyword_scrambled.tflite", "trained_lstm.tflite", "dtln_noise_suppression.tflite"})
    void runTwiceIsBitExactWithStateCarriedAndFitFits(String name, @TempDir Path dir) throws Exception {
        Path model = example(name);
        Path report = dir.resolve("r.json");
        Result run = cli("run", "--model", model.toString(), "--runs", "2", "--format", "json", "-o", report.toString());
        assertEquals(0, run.exit(), run.stderr());
        JsonNode j = JSON.readTree(Files.readString(report));
        assertEquals("ok", j.at("/result/kind").asText());
        assertEquals(2, j.get("runs").size());
        TfliteModel m = TfliteReader.read(Files.readAllBytes(model), name);
        Tensor in = m.mainSubgraph().inputTensor(0);
        // run i uses seed 1 + i; the reference carries the state from run 0 into run 1
        byte[] expected = ReferenceRuns.outputs(m, List.of(InputGenerator.random(in, 1), InputGenerator.random(in, 2))).get(1);
        assertEquals(HexFormat.of().formatHex(expected), j.at("/output/hex").asText());

        Result fit = cli("fit", model.toString());
        assertEquals(0, fit.exit(), fit.stderr());
        assertTrue(fit.stdout().contains("verdict  fits"), fit.stdout());
    }
}
