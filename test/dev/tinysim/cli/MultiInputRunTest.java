package dev.tinysim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tinysim.bench.SharedModels;
import dev.tinysim.reference.InputGenerator;
import dev.tinysim.reference.ReferenceInterpreter;
import dev.tinysim.support.Cli;
import dev.tinysim.tflite.TfliteModel;
import dev.tinysim.tflite.TfliteReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every graph input and output is exchanged: TFLite Micro's simple_add_model (two INT8 [1,128,128,1] inputs, one ADD)
 * with one {@code --input} per input, in graph order or by name; the output bit-exact with the reference interpreter.
 */
class MultiInputRunTest {
    private static final Path MODEL = SharedModels.directory().resolveSibling("tflm-examples").resolve("simple_add_model.tflite");
    private static final String IN1 = "serving_default_input_1:0";
    private static final String IN2 = "serving_default_input_2:0";

    private static JsonNode json(String s) throws Exception {
        return new ObjectMapper().readTree(s);
    }

    @Test
    void oneFilePerInputInGraphOrderOrByName(@TempDir Path dir) throws Exception {
        assertTrue(Files.exists(MODEL), "missing " + MODEL);
        TfliteModel m = TfliteReader.read(MODEL);
        byte[] a = InputGenerator.random(m.mainSubgraph().inputTensor(0), 5);
        byte[] b = InputGenerator.random(m.mainSubgraph().inputTensor(1), 6);
        Path fa = dir.resolve("a.bin");
        Path fb = dir.resolve("b.bin");
        Files.write(fa, a);
        Files.write(fb, b);
        String expected = HexFormat.of().formatHex(ReferenceInterpreter.run(m, List.of(a, b)).get(0));

        Cli.Result ordered = Cli.run("run", "--model", MODEL.toString(), "--input", fa.toString(), "--input", fb.toString(),
                "--runs", "2", "--kernels", "reference", "--format", "json");
        assertEquals(0, ordered.exitCode(), ordered.err());
        JsonNode j = json(ordered.out());
        assertEquals("files a.bin, b.bin", j.at("/input/source").asText());
        assertEquals(2, j.at("/input/tensors").size());
        assertEquals(IN2, j.at("/input/tensors/1/name").asText());
        assertEquals(2, j.at("/model/inputs").size());
        assertEquals(1, j.get("outputs").size());
        assertEquals(expected, j.at("/outputs/0/hex").asText());
        assertEquals(expected, j.at("/output/hex").asText());
        // TFLite Micro's plan (reference kernels: the ADD requests no scratch): in1, in2 and the output are all alive at
        // the ADD, 3 × 16,384
        assertEquals(49_152, j.at("/arena/planned").asLong());

        Cli.Result named = Cli.run("run", "--model", MODEL.toString(), "--input", IN2 + "=" + fb, "--input", fa.toString(),
                "--format", "json");
        assertEquals(0, named.exitCode(), named.err());
        assertEquals(expected, json(named.out()).at("/outputs/0/hex").asText());

        Cli.Result text = Cli.run("run", "--model", MODEL.toString(), "--input", fa.toString(), "--input", fb.toString());
        assertEquals(0, text.exitCode());
        assertTrue(text.out().contains("  input      files a.bin, b.bin: '" + IN1 + "' INT8 [1,128,128,1] (16,384 bytes)\n"
                + "             '" + IN2 + "' INT8 [1,128,128,1] (16,384 bytes)\n"), text.out());
    }

    @Test
    void theWrongNumberOfFilesOrAnUnknownNameIsAUsageError(@TempDir Path dir) throws Exception {
        Path fa = dir.resolve("a.bin");
        Files.write(fa, new byte[16_384]);
        Cli.Result one = Cli.run("run", "--model", MODEL.toString(), "--input", fa.toString());
        assertEquals(64, one.exitCode());
        assertEquals("tinysim: no --input file for input 1 input tensor '" + IN2 + "' (INT8 [1, 128, 128, 1]): the model has 2 inputs ('"
                + IN1 + "', '" + IN2 + "'); give one --input FILE per input in graph order, or --input NAME=FILE\n", one.err());
        Cli.Result three = Cli.run("run", "--model", MODEL.toString(), "--input", fa.toString(), "--input", fa.toString(),
                "--input", fa.toString());
        assertEquals(64, three.exitCode());
        assertTrue(three.err().startsWith("tinysim: 3 --input files for 2 model inputs"), three.err());
        Cli.Result unknown = Cli.run("run", "--model", MODEL.toString(), "--input", "nope=" + fa, "--input", fa.toString());
        assertEquals(64, unknown.exitCode());
        assertTrue(unknown.err().startsWith("tinysim: --input nope=" + fa + ": the model has no input named 'nope'"), unknown.err());
        Path small = dir.resolve("small.bin");
        Files.write(small, new byte[10]);
        Cli.Result size = Cli.run("run", "--model", MODEL.toString(), "--input", fa.toString(), "--input", small.toString());
        assertEquals(65, size.exitCode());
        assertTrue(size.err().startsWith("tinysim: " + small + ": 10 bytes, but input tensor '" + IN2 + "'"), size.err());
    }
}
