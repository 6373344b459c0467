package dev.tinysim.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tinysim.cli.Io;
import dev.tinysim.cli.Main;
import dev.tinysim.reference.InputGenerator;
import dev.tinysim.reference.ReferenceInterpreter;
import dev.tinysim.tflite.Models;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TfliteModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

/** {@code tinysim run --model} and {@code tinysim table} through the command line (exit codes, files, messages). */
class ModelRunCliTest {
    private static final Path KWS = Models.DIR.resolve("kws_ref_model.tflite");
    private static final Path AD01 = Models.DIR.resolve("ad01_int8.tflite");

    record Result(int exit, String stdout, String stderr) {
    }

    /** Runs the command line in-process with its own streams. */
    private static Result cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.execute(new Io(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), InputStream.nullInputStream()), args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static JsonNode json(Path file) throws Exception {
        return new ObjectMapper().readTree(Files.readString(file));
    }

    @Test
    void runsModelWithRunsAndJsonReport(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("r.json");
        Result r = cli("run", "--model", KWS.toString(), "--runs", "3", "--format", "json", "-o", out.toString());
        assertEquals(0, r.exit(), r.stderr());
        JsonNode j = json(out);
        assertEquals(3, j.get("runs").size());
        assertEquals("ok", j.at("/result/kind").asText());
        assertEquals("kws_ref_model.tflite", j.at("/model/file").asText());
        assertEquals(13, j.get("operators").size());
        assertEquals(3, j.at("/operators/0/cyclesPerRun").size());
        assertEquals("default (seed 1)", j.at("/input/source").asText());
        assertEquals(j.at("/runs/2/cycles").asLong(), j.at("/latency/cycles").asLong());
        assertTrue(j.at("/fit/fits").asBoolean());
        // the output is the reference interpreter's for run 2 (seed 1 + 2)
        TfliteModel m = Models.model("kws_ref_model.tflite");
        Tensor in0 = m.mainSubgraph().inputTensor(0);
        byte[] expected = ReferenceRuns.outputs(m, List.of(InputGenerator.random(in0, 1), InputGenerator.random(in0, 2),
                InputGenerator.random(in0, 3))).get(2).get(0);
        assertEquals(HexFormat.of().formatHex(expected), j.at("/output/hex").asText());
        assertEquals(12, j.at("/output/values").size());
    }

    @Test
    void inputFileAndTextReport(@TempDir Path dir) throws Exception {
        TfliteModel m = Models.model("ad01_int8.tflite");
        Tensor in = m.mainSubgraph().inputTensor(0);
        byte[] input = InputGenerator.extremes(in);
        Path bin = dir.resolve("x.bin");
        Files.write(bin, input);
        Path json = dir.resolve("r.json");
        assertEquals(0, cli("run", "--model", AD01.toString(), "--input", bin.toString(), "--kernels", "reference",
                "--format", "json", "-o", json.toString()).exit());
        byte[] expected = ReferenceInterpreter.prepare(m).invoke(List.of(input)).get(0);
        assertEquals(HexFormat.of().formatHex(expected), json(json).at("/output/hex").asText());
        assertEquals("reference", json(json).at("/runtime/kernels").asText());
        assertEquals("file x.bin", json(json).at("/input/source").asText());

        Result textRun = cli("run", "--model", AD01.toString(), "--input", bin.toString());
        assertEquals(0, textRun.exit(), textRun.stderr());
        String t = textRun.stdout();
        assertTrue(t.contains("  input      file x.bin: 'input_1' INT8 [1,640] (640 bytes)"), t);
        assertTrue(t.contains("  operators (DWT cycles)"), t);
        assertTrue(t.contains("FULLY_CONNECTED"), t);
        assertTrue(t.contains("  arena      "), t);
        assertTrue(t.contains("  flash      "), t);
        assertTrue(t.contains("  RAM        "), t);
    }

    @Test
    void errorsAndTheirExitCodes(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.bin");
        Files.write(bad, new byte[7]);
        Result wrongSize = cli("run", "--model", AD01.toString(), "--input", bad.toString());
        assertEquals(65, wrongSize.exit());
        assertTrue(wrongSize.stderr().contains("bad.bin: 7 bytes, but input tensor 'input_1' (INT8 [1, 640]) needs exactly 640 bytes"),
                wrongSize.stderr());
        assertEquals(66, cli("run", "--model", AD01.toString(), "--input", dir.resolve("none.bin").toString()).exit());
        assertEquals(66, cli("run", "--model", dir.resolve("none.tflite").toString()).exit());

        Path corrupt = dir.resolve("corrupt.tflite");
        Files.write(corrupt, java.util.Arrays.copyOf(Files.readAllBytes(AD01), 1000));
        Result c = cli("run", "--model", corrupt.toString());
        assertEquals(65, c.exit(), c.stderr());
        assertTrue(c.stderr().startsWith("tinysim: corrupt.tflite: "), c.stderr());
        assertEquals(1, c.stderr().lines().count(), c.stderr());

        Path bm = dir.resolve("bm.tflite");
        Files.write(bm, Models.unsupportedOperatorModel());
        Result u = cli("run", "--model", bm.toString());
        assertEquals(72, u.exit(), u.stderr());
        assertEquals("tinysim: bm.tflite: model uses LSH_PROJECTION (operator 1), which the runtime does not support\n", u.stderr());

        Path fp32 = Models.DIR.resolve("ad01_fp32.tflite");
        Path report = dir.resolve("fp32.txt");
        Result big = cli("run", "--model", fp32.toString(), "-o", report.toString());
        assertEquals(67, big.exit(), big.stderr());
        String t = Files.readString(report);
        assertTrue(t.contains("DOES NOT FIT nrf52840"), t);
        assertTrue(t.contains("bytes OVER"), t);
    }

    @Test
    void usageErrors() {
        assertEquals(64, cli("run").exit());
        assertEquals(64, cli("run", "selftest", "--model", AD01.toString()).exit());
        assertEquals(64, cli("run", "selftest", "--runs", "2").exit());
        assertEquals(64, cli("run", "--model", AD01.toString(), "--runs", "0").exit());
        assertEquals(64, cli("run", "--model", AD01.toString(), "--kernels", "fast").exit());
        assertEquals(64, cli("run", "--model", AD01.toString(), "--seed", "1", "--input", "x.bin").exit());
    }

    @Test
    void plainFirmwareRunsStillWork(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("selftest.json");
        Result r = cli("run", "selftest", "--format", "json", "-o", out.toString());
        assertEquals(0, r.exit(), r.stderr());
        assertEquals("exit", json(out).at("/result/kind").asText());
    }

    @Test
    void tableOfTwoModels(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("table.json");
        Result r = cli("table", AD01.toString(), Models.DIR.resolve("ad01_fp32.tflite").toString(), "--format", "json",
                "-o", out.toString());
        assertEquals(0, r.exit(), r.stderr());
        JsonNode j = json(out);
        assertEquals(4, j.get("rows").size());
        assertTrue(!j.get("timing").asText().isEmpty());
        List<String> configs = new java.util.ArrayList<>();
        j.get("rows").forEach(row -> configs.add(row.get("model").asText() + ":" + row.get("configuration").asText()
                + ":" + row.get("board").asText()));
        assertEquals(List.of("ad01_int8.tflite:int8-simd:nrf52840", "ad01_int8.tflite:int8-reference:nrf52840",
                "ad01_fp32.tflite:float32-fpu:nrf52840", "ad01_fp32.tflite:float32-soft:nrf52840-nofpu"), configs);
        j.get("rows").forEach(row -> assertTrue(row.get("cycles").asLong() > 0));
        assertEquals(67, j.at("/rows/2/exitCode").asInt());
        Path text = dir.resolve("table.txt");
        assertEquals(0, cli("table", AD01.toString(), "-o", text.toString()).exit());
        String t = Files.readString(text);
        assertTrue(t.contains("timing model: " + j.get("timing").asText()), t);
        assertTrue(t.contains("int8-reference"), t);
    }
}
