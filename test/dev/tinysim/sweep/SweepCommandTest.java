package dev.tinysim.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tinysim.support.Cli;
import dev.tinysim.tflite.Models;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tinysim sweep}: a parallel sweep gives exactly what each configuration gives when run alone with
 * {@code tinysim run --model}; rows come in a fixed order; CSV and JSON agree; bad input is reported, not hidden.
 */
class SweepCommandTest {
    private static final Path MODELS = Path.of("firmware-images", "models");
    private static final Path AD01_INT8 = Models.DIR.resolve("ad01_int8.tflite");
    private static final Path KWS_INT8 = Models.DIR.resolve("kws_ref_model.tflite");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static JsonNode json(Path file) throws IOException {
        return JSON.readTree(Files.readString(file));
    }

    /** Runs a configuration alone, as a user would: {@code tinysim run --model … --format json}. */
    private static JsonNode alone(JsonNode row) throws IOException {
        List<String> args = new ArrayList<>(List.of("run", "--model", row.get("path").asText(), "--board", row.get("runsOn").asText(),
                "--seed", "1", "--format", "json"));
        if (row.get("configuration").asText().equals("int8-reference")) {
            args.addAll(List.of("--kernels", "reference"));
        }
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        assertEquals(row.at("/result/exitCode").asInt(), r.exitCode(), r.err());
        return JSON.readTree(r.out());
    }

    @Test
    void aParallelSweepEqualsEveryConfigurationRunAlone() throws Exception {
        Path out = tmp.resolve("sweep.json");
        Cli.Result r = Cli.run("sweep", MODELS.toString(), AD01_INT8.toString(), KWS_INT8.toString(), "--board", "nrf52840",
                "--boards", "mk20dx256", "--jobs", "4", "--format", "json", "-o", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("", r.out());
        assertEquals("", r.err(), "no progress bar when stderr is not a terminal");
        JsonNode j = json(out);
        assertEquals("ok", j.at("/result/kind").asText());
        assertEquals(4, j.get("jobs").asInt());

        // model × board × configuration, in order; float32 runs only soft-float on the FPU-less MK20DX256
        List<String> order = new ArrayList<>();
        for (JsonNode row : j.get("rows")) {
            order.add(row.get("model").asText() + " " + row.get("board").asText() + " " + row.get("configuration").asText()
                    + " " + row.get("runsOn").asText());
        }
        assertEquals(List.of(
                "demo_f32.tflite nrf52840 float32-fpu nrf52840",
                "demo_f32.tflite nrf52840 float32-soft nrf52840-nofpu",
                "demo_f32.tflite mk20dx256 float32-soft mk20dx256",
                "demo_int8.tflite nrf52840 int8-simd nrf52840",
                "demo_int8.tflite nrf52840 int8-reference nrf52840",
                "demo_int8.tflite mk20dx256 int8-simd mk20dx256",
                "demo_int8.tflite mk20dx256 int8-reference mk20dx256",
                "ad01_int8.tflite nrf52840 int8-simd nrf52840",
                "ad01_int8.tflite nrf52840 int8-reference nrf52840",
                "ad01_int8.tflite mk20dx256 int8-simd mk20dx256",
                "ad01_int8.tflite mk20dx256 int8-reference mk20dx256",
                "kws_ref_model.tflite nrf52840 int8-simd nrf52840",
                "kws_ref_model.tflite nrf52840 int8-reference nrf52840",
                "kws_ref_model.tflite mk20dx256 int8-simd mk20dx256",
                "kws_ref_model.tflite mk20dx256 int8-reference mk20dx256"), order);

        // every row is what the configuration gives alone: cycles, every operator, flash, RAM, fit, the output itself
        for (JsonNode row : j.get("rows")) {
            JsonNode a = alone(row);
            String what = row.get("model").asText() + " " + row.get("configuration").asText() + " on " + row.get("runsOn").asText();
            assertEquals(a.at("/latency/cycles").asLong(), row.get("cycles").asLong(), what);
            assertEquals(a.at("/latency/milliseconds").asDouble(), row.get("milliseconds").asDouble(), 1e-9, what);
            assertEquals(a.at("/execution/instructions").asLong(), row.get("instructions").asLong(), what);
            assertEquals(a.get("operators").size(), row.get("operators").size(), what);
            for (int i = 0; i < row.get("operators").size(); i++) {
                assertEquals(a.at("/operators/" + i + "/cycles").asLong(), row.at("/operators/" + i + "/cycles").asLong(), what + " op " + i);
            }
            for (String k : List.of("runtime", "model", "used", "capacity", "reserved", "free")) {
                assertEquals(a.at("/fit/flash/" + k).asLong(), row.at("/flash/" + k).asLong(), what + " flash " + k);
            }
            for (String k : List.of("staticBytes", "arena", "stackPeak", "used", "capacity", "reserved", "free")) {
                assertEquals(a.at("/fit/ram/" + k).asLong(), row.at("/ram/" + k).asLong(), what + " RAM " + k);
            }
            assertEquals(a.at("/fit/fits").asBoolean(), row.get("fits").asBoolean(), what);
            assertEquals(a.at("/output/argmax").asInt(), row.get("argmax").asInt(), what);
            byte[] output = HexFormat.of().parseHex(a.at("/output/hex").asText());
            assertEquals(Sweep.sha256(output), row.get("outputSha256").asText(), what + ": the output tensor");
            assertEquals(a.at("/runtime/image").asText(), row.get("runtime").asText(), what);
            assertEquals(a.at("/runtime/kernels").asText(), row.get("kernels").asText(), what);
            assertEquals(a.at("/result/kind").asText(), row.at("/result/kind").asText(), what);
        }
        // ad01 (319 KB) does not fit the MK20DX256's 256 KB of flash: a result, not a failure
        JsonNode ad01mk = j.at("/rows/9");
        assertFalse(ad01mk.get("fits").asBoolean());
        assertEquals(67, ad01mk.at("/result/exitCode").asInt());
        assertTrue(j.at("/result/message").asText().contains("15 configurations measured"), j.at("/result/message").asText());
        assertTrue(j.at("/result/message").asText().contains("2 do not fit"), j.at("/result/message").asText());

        // the same sweep on one thread, as CSV: the same figures
        Cli.Result csv = Cli.run("sweep", MODELS.toString(), AD01_INT8.toString(), KWS_INT8.toString(), "--boards",
                "nrf52840,mk20dx256", "--jobs", "1", "--format", "csv");
        assertEquals(0, csv.exitCode(), csv.err());
        String[] lines = csv.out().split("\n");
        assertEquals(String.join(",", SweepCsv.COLUMNS), lines[0]);
        assertEquals(16, lines.length);
        int cycles = SweepCsv.COLUMNS.indexOf("cycles");
        int sha = SweepCsv.COLUMNS.indexOf("output_sha256");
        int ram = SweepCsv.COLUMNS.indexOf("ram_used");
        for (int i = 1; i < lines.length; i++) {
            String[] cells = cells(lines[i]);
            JsonNode row = j.at("/rows/" + (i - 1));
            assertEquals(SweepCsv.COLUMNS.size(), cells.length, lines[i]);
            assertEquals(row.get("cycles").asText(), cells[cycles], lines[i]);
            assertEquals(row.get("outputSha256").asText(), cells[sha], lines[i]);
            assertEquals(row.at("/ram/used").asText(), cells[ram], lines[i]);
        }
    }

    @Test
    void configurationsCanBeChosenAndTheFileIsWrittenAtomically() throws IOException {
        Path out = tmp.resolve("only-simd.csv");
        Cli.Result r = Cli.run("sweep", MODELS.resolve("demo_int8.tflite").toString(), MODELS.resolve("demo_f32.tflite").toString(),
                "--configs", "int8-simd,float32-fpu", "-o", out.toString(), "-q");
        assertEquals(0, r.exitCode(), r.err());
        List<String> lines = Files.readAllLines(out);
        assertEquals(3, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(1).startsWith("demo_int8.tflite,") && lines.get(1).contains(",int8-simd,"), lines.get(1));
        assertTrue(lines.get(2).startsWith("demo_f32.tflite,") && lines.get(2).contains(",float32-fpu,"), lines.get(2));
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(out), s.toList(), "no temporary file left behind");
        }
    }

    @Test
    void aBadModelIsAFailedRowAndTheOthersStillRun() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("models"));
        Files.copy(MODELS.resolve("demo_int8.tflite"), dir.resolve("a_good.tflite"));
        Files.write(dir.resolve("b_corrupt.tflite"), new byte[]{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        Path out = tmp.resolve("sweep.json");
        Cli.Result r = Cli.run("sweep", dir.toString(), "--format", "json", "-o", out.toString());
        assertEquals(65, r.exitCode(), r.err());
        assertTrue(r.err().startsWith("tinysim: 1 of 3 configurations failed; first: b_corrupt.tflite on nrf52840: "), r.err());
        JsonNode j = json(out);
        assertEquals("failed", j.at("/result/kind").asText());
        assertEquals(3, j.get("rows").size());
        assertEquals("ok", j.at("/rows/0/result/kind").asText());
        assertEquals("ok", j.at("/rows/1/result/kind").asText());
        JsonNode bad = j.at("/rows/2");
        assertEquals("b_corrupt.tflite", bad.get("model").asText());
        assertEquals("invalid-model", bad.at("/result/kind").asText());
        assertEquals(65, bad.at("/result/exitCode").asInt());
        assertTrue(bad.get("configuration").isNull());
        assertTrue(bad.get("cycles").isNull());
        assertNull(j.at("/models/1/precision").textValue());
        assertTrue(j.at("/models/1/error").asText().contains("b_corrupt.tflite"), j.at("/models/1").toString());
    }

    @Test
    void badCommandLinesAreOneLineErrors() throws IOException {
        String model = MODELS.resolve("demo_int8.tflite").toString();
        assertError(Cli.run("sweep", model, "--jobs", "0"), 64, "--jobs must be between 1 and");
        assertError(Cli.run("sweep", model, "--configs", "int8-fast"), 64, "unknown configuration 'int8-fast'");
        assertError(Cli.run("sweep", model, "--board", "nrf99999"), 64, "nrf99999");
        assertError(Cli.run("sweep", model, "--format", "xml"), 64, "xml");
        assertError(Cli.run("sweep", tmp.resolve("missing.tflite").toString()), 66, "missing.tflite: no such file");
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        assertError(Cli.run("sweep", empty.toString()), 66, "no .tflite files");
        assertError(Cli.run("sweep", model, "-o", tmp.resolve("no/such/dir/out.csv").toString()), 73, "does not exist");
        assertError(Cli.run("sweep"), 64, "MODEL|DIR");
    }

    @Test
    void theCsvColumnsAreDocumented() throws IOException {
        String doc = Files.readString(Path.of("docs", "json-reports.md"));
        int at = doc.indexOf("CSV (`--format csv`, the default)");
        assertTrue(at > 0, "docs/json-reports.md describes the sweep's CSV");
        int start = doc.indexOf("```\n", at) + 4;
        String block = doc.substring(start, doc.indexOf("```", start)).replace("\n", "");
        assertEquals(String.join(",", SweepCsv.COLUMNS), block);
    }

    /** One RFC 4180 record (no embedded line ends in the sweep's cells). */
    static String[] cells(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        out.add(cell.toString());
        return out.toArray(String[]::new);
    }

    private static void assertError(Cli.Result r, int code, String fragment) {
        assertEquals(code, r.exitCode(), r.err() + r.out());
        assertTrue(r.err().startsWith("tinysim: "), r.err());
        assertTrue(r.err().contains(fragment), "'" + fragment + "' not in: " + r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        assertEquals("", r.out());
    }
}
