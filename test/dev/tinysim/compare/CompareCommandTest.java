package dev.tinysim.compare;

import dev.tinysim.tflite.Models;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tinysim.support.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code tinysim compare}: the table, accuracy, layers, formats, budgets and every bad input. */
class CompareCommandTest {
    private static final String DF = Fixtures.DEMO_FLOAT.toString();
    private static final String DQ = Fixtures.DEMO_INT8.toString();
    private static final List<String> ROWS = List.of("int8-simd", "int8-reference", "float32-fpu", "float32-soft");
    /** The KWS float model is a hybrid (int8 weights, float activations): its rows are named as table and sweep name them. */
    private static final List<String> KWS_ROWS = List.of("int8-simd", "int8-reference", "hybrid-fpu", "hybrid-soft");

    private static JsonNode kws() {
        Cli.Result r = Fixtures.cached("compare", "--float", Fixtures.KWS_FLOAT.toString(), "--int8", Fixtures.KWS_INT8.toString(),
                "--format", "json");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("", r.err());
        return Fixtures.json(r.out());
    }

    private static JsonNode demo(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("compare", "--float", DF, "--int8", DQ, "--format", "json"));
        args.addAll(List.of(extra));
        Cli.Result r = Fixtures.cached(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.err());
        return Fixtures.json(r.out());
    }

    @Test
    void theKwsPairInFourConfigurations() {
        JsonNode j = kws();
        assertEquals("ok", j.at("/result/kind").asText());
        assertEquals(4, j.get("configurations").size());
        for (int i = 0; i < 4; i++) {
            JsonNode c = j.at("/configurations/" + i);
            assertEquals(KWS_ROWS.get(i), c.get("id").asText());
            assertTrue(c.get("cycles").asLong() > 1_000_000, c.toString());
            assertEquals(c.get("cycles").asLong() * 1000.0 / 64e6, c.get("milliseconds").asDouble(), 1e-6);
            assertTrue(c.get("fits").asBoolean());
            assertEquals("ok", c.at("/result/kind").asText());
            assertEquals(13, c.get("operators").size());
        }
        assertEquals("int8", j.at("/configurations/0/model").asText());
        assertEquals("float32", j.at("/configurations/3/model").asText());
        assertEquals("simd", j.at("/configurations/0/kernels").asText());
        assertEquals("reference", j.at("/configurations/1/kernels").asText());
        assertEquals("runtime-m4f.elf", j.at("/configurations/2/runtime").asText());
        assertEquals("runtime-m4.elf", j.at("/configurations/3/runtime").asText());
        assertEquals("nrf52840-nofpu", j.at("/configurations/3/board").asText());
        assertEquals("hybrid-fpu", j.at("/baseline").asText());
        assertEquals(1.0, j.at("/configurations/2/speedup").asDouble());
        long base = j.at("/configurations/2/cycles").asLong();
        for (int i = 0; i < 4; i++) {
            JsonNode c = j.at("/configurations/" + i);
            assertEquals((double) base / c.get("cycles").asLong(), c.get("speedup").asDouble(), 0.0006);
        }
        // SIMD beats reference kernels, the FPU beats soft-float
        assertTrue(j.at("/configurations/0/cycles").asLong() < j.at("/configurations/1/cycles").asLong());
        assertTrue(j.at("/configurations/2/cycles").asLong() < j.at("/configurations/3/cycles").asLong());
        assertEquals("hybrid", j.at("/models/float32/precision").asText());
        assertEquals("int8", j.at("/models/int8/precision").asText());
        assertEquals(0, j.get("absent").size());
    }

    @Test
    void kwsAccuracyComesFromTheReferenceInterpreterAndTheFirmwareMatchesIt() {
        JsonNode a = kws().get("accuracy");
        assertEquals(10, a.get("count").asInt());
        assertTrue(a.get("classifier").asBoolean());
        int top1 = a.get("top1Matches").asInt();
        assertTrue(top1 >= 0 && top1 <= 10);
        assertEquals(top1 / 10.0, a.get("top1Agreement").asDouble(), 1e-9);
        assertTrue(a.get("maxAbsError").asDouble() >= a.get("meanAbsError").asDouble());
        assertTrue(a.get("maxAbsError").asDouble() <= 1.0, "softmax outputs differ by at most 1");
        assertTrue(a.get("snrDb").isNumber());
        assertTrue(a.get("method").asText().startsWith("Java reference interpreter"), a.get("method").asText());
        assertEquals(4, a.get("firmwareCheck").size());
        for (JsonNode c : a.get("firmwareCheck")) {
            assertTrue(c.get("bitExact").asBoolean(), c.toString());
            assertEquals(c.get("configuration").asText().equals("int8-simd") ? 3 : 1, c.get("samples").asInt(), c.toString());
        }
        assertEquals(3, a.get("deviceSamples").asInt());
        assertTrue(a.get("deviceBitExact").asBoolean());
        assertTrue(a.get("synthetic").asBoolean());
        assertEquals(a.get("top1Agreement").asDouble(), a.get("agreement").asDouble());
        assertTrue(a.get("float32").isNull() && a.get("int8").isNull() && a.get("drop").isNull(), a.toString());
        assertTrue(a.get("labelled").isNull());
    }

    @Test
    void kwsLayersAreMatchedByIndexAndSumToTheInference() {
        JsonNode j = kws();
        JsonNode layers = j.get("layers");
        assertEquals("operators matched by index: both models have the same 13 operators in the same order",
                layers.get("matching").asText());
        assertEquals(13, layers.get("rows").size());
        assertEquals("CONV_2D", layers.at("/rows/0/operator").asText());
        assertEquals("SOFTMAX", layers.at("/rows/12/operator").asText());
        for (String id : KWS_ROWS) {
            long sum = 0;
            for (JsonNode row : layers.get("rows")) {
                sum += row.at("/cycles/" + id).asLong();
            }
            long total = 0;
            for (JsonNode c : j.get("configurations")) {
                if (c.get("id").asText().equals(id)) {
                    total = c.get("cycles").asLong();
                }
            }
            assertTrue(sum < total && sum > total * 0.99, id + ": " + sum + " of " + total);
        }
    }

    @Test
    void theTextTableHasTheFourRowsAccuracyAndLayers() {
        Cli.Result r = Fixtures.cached("compare", "--float", DF, "--int8", DQ);
        assertEquals(0, r.exitCode(), r.err());
        String t = r.out();
        assertTrue(t.startsWith("tinysim compare: demo_f32.tflite (float32) vs demo_int8.tflite (int8) on nrf52840 (Cortex-M4F, 64 MHz)\n"), t);
        List<String> lines = t.lines().toList();
        int header = lines.indexOf(lines.stream().filter(l -> l.startsWith("configuration ")).findFirst().orElseThrow());
        assertTrue(lines.get(header).matches("configuration +runtime +flash used +RAM used +cycles +ms @ 64 MHz +speed-up +fits"),
                lines.get(header));
        for (int i = 0; i < 4; i++) {
            String row = lines.get(header + 2 + i);
            assertTrue(row.startsWith(ROWS.get(i) + " "), row);
            assertTrue(row.endsWith("  yes"), row);
        }
        assertTrue(lines.get(header + 4).contains("1.00x (base)"), lines.get(header + 4));
        assertTrue(t.contains("  float32-soft: runs on nrf52840-nofpu, the FPU-less configuration\n"), t);
        assertTrue(t.contains("agreement of int8 with float32 over 10 generated inputs (seed 1..10;"), t);
        assertTrue(t.contains("\n  synthetic inputs: agreement only, not accuracy (give real data with --dataset)\n"), t);
        assertTrue(t.contains("  computed with the Java reference interpreter; the firmware is bit-exact with it on the 3 inputs run on it "
                + "(checked on the input the cycles were measured on: 4 of 4 configurations identical; inputs 1..2 on int8-simd identical)"), t);
        assertTrue(t.contains("  top-1 agreement  "), t);
        assertTrue(t.contains("  SNR              "), t);
        assertTrue(t.contains("per-layer cycles (operators matched by index: both models have the same 11 operators in the same order)"), t);
        assertTrue(t.contains("      total  "), t);
        assertTrue(t.endsWith("result: 4 configurations measured on nrf52840; all fit\n"), t);
        assertEquals("", r.err());
    }

    @Test
    void csvHasTheDocumentedColumns() {
        Cli.Result r = Cli.run("compare", "--float", DF, "--int8", DQ, "--format", "csv", "--inputs", "2");
        assertEquals(0, r.exitCode(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(String.join(",", Csv.CONFIGURATION_COLUMNS), lines.get(0));
        assertEquals(5, lines.size());
        for (int i = 0; i < 4; i++) {
            String[] cells = lines.get(i + 1).split(",", -1);
            assertEquals(Csv.CONFIGURATION_COLUMNS.size(), cells.length);
            assertEquals(ROWS.get(i), cells[0]);
            assertTrue(Long.parseLong(cells[Csv.CONFIGURATION_COLUMNS.indexOf("cycles")]) > 100_000);
            assertFalse(cells[Csv.CONFIGURATION_COLUMNS.indexOf("speedup")].isEmpty());
        }
        assertEquals("1.000", lines.get(3).split(",", -1)[Csv.CONFIGURATION_COLUMNS.indexOf("speedup")]);
        Cli.Result layers = Cli.run("compare", "--float", DF, "--int8", DQ, "--format", "csv", "--layers", "--inputs", "1");
        List<String> ll = layers.out().lines().toList();
        assertEquals(String.join(",", Csv.LAYER_COLUMNS), ll.get(0));
        assertEquals(1 + 11 * 4, ll.size());
        assertTrue(ll.get(1).startsWith("0,int8-simd,int8,0,0,0,CONV_2D,"), ll.get(1));
        assertTrue(ll.get(4).startsWith("0,float32-soft,float32,0,0,0,CONV_2D,"), ll.get(4));
    }

    @Test
    void onABoardWithoutFpuTheFpuRowIsAbsentAndSoftFloatIsTheBaseline() {
        JsonNode j = demo("--board", "mk20dx256", "--inputs", "3");
        assertEquals(3, j.get("configurations").size());
        assertEquals(List.of("int8-simd", "int8-reference", "float32-soft"),
                List.of(j.at("/configurations/0/id").asText(), j.at("/configurations/1/id").asText(), j.at("/configurations/2/id").asText()));
        assertEquals("float32-fpu", j.at("/absent/0/id").asText());
        assertTrue(j.at("/absent/0/reason").asText().contains("mk20dx256 has no FPU"), j.at("/absent/0/reason").asText());
        assertEquals("float32-soft", j.at("/baseline").asText());
        assertEquals("runtime-m4.elf", j.at("/configurations/0/runtime").asText());
        assertEquals(72_000_000, j.at("/board/clockHz").asLong());
        Cli.Result text = Cli.run("compare", "--float", DF, "--int8", DQ, "--board", "mk20dx256", "--inputs", "1");
        assertTrue(text.out().contains("  float32-fpu: absent: board mk20dx256 has no FPU"), text.out());
    }

    @Test
    void aConfigurationThatDoesNotFitIsMeasuredAndMarked() {
        JsonNode j = demo("--reserve-flash", "960K", "--inputs", "1");
        assertEquals("ok", j.at("/result/kind").asText());
        assertEquals(0, j.at("/result/exitCode").asInt());
        // 64 KB left: not even the int8 model with the runtime fits; every configuration is measured all the same
        long over = 0;
        for (JsonNode c : j.get("configurations")) {
            if (c.get("id").asText().equals("int8-simd")) {
                over = c.at("/flash/used").asLong() - 64 * 1024;
                assertEquals(-over, c.at("/flash/free").asLong());
            }
            assertFalse(c.get("fits").asBoolean(), c.get("id").asText());
            assertTrue(c.get("cycles").asLong() > 0);
            assertEquals(67, c.at("/result/exitCode").asInt());
        }
        assertTrue(j.at("/result/message").asText().endsWith("none fits"), j.at("/result/message").asText());
        Cli.Result text = Cli.run("compare", "--float", DF, "--int8", DQ, "--reserve-flash", "960K", "--inputs", "1");
        String expected = String.format("NO (flash +%,d)", over);
        assertTrue(text.out().lines().anyMatch(l -> l.startsWith("int8-simd ") && l.endsWith(expected)), expected + "\n" + text.out());
    }

    @Test
    void budgetsNameTheConfigurationsOverThem() {
        Cli.Result r = Cli.run("compare", "--float", DF, "--int8", DQ, "--inputs", "1", "--max-latency-ms", "100", "--max-ram", "1M");
        assertEquals(68, r.exitCode(), r.err());
        String result = r.out().lines().filter(l -> l.startsWith("result: ")).findFirst().orElseThrow();
        assertTrue(result.matches("result: budget --max-latency-ms 100 exceeded: float32-soft takes [\\d,]+\\.\\d\\d ms \\(limit 100 ms\\)"),
                result);
        assertTrue(r.out().contains("  --max-ram 1M: met by every configuration\n"), r.out());
        // a flash budget between the int8 and the float configurations' use (same runtime; the float model is
        // about 50 KB larger), read from the report so the test follows the runtime's size
        JsonNode plain = Fixtures.json(Cli.run("compare", "--float", DF, "--int8", DQ, "--inputs", "1", "--format", "json").out());
        long int8Flash = 0, floatFlash = 0;
        for (JsonNode c : plain.get("configurations")) {
            if (c.get("id").asText().equals("int8-simd")) {
                int8Flash = c.at("/flash/used").asLong();
            } else if (c.get("id").asText().equals("float32-fpu")) {
                floatFlash = c.at("/flash/used").asLong();
            }
        }
        assertTrue(floatFlash > int8Flash + 40_000, "the float model is about 50 KB larger: " + floatFlash + " vs " + int8Flash);
        String limit = String.valueOf((int8Flash + floatFlash) / 2);
        Cli.Result json = Cli.run("compare", "--float", DF, "--int8", DQ, "--inputs", "1", "--max-latency-ms", "100", "--max-flash", limit,
                "--format", "json");
        assertEquals(68, json.exitCode());
        assertTrue(json.err().startsWith("tinysim: budget --max-latency-ms 100 exceeded: float32-soft takes "), json.err());
        assertTrue(json.err().contains("; budget --max-flash " + limit + " exceeded: float32-fpu uses "), json.err());
        JsonNode j = Fixtures.json(json.out());
        assertEquals("budget-exceeded", j.at("/result/kind").asText());
        assertEquals(List.of("float32-soft"), ids(j.at("/budgets/0/exceeded")));
        assertEquals(List.of("float32-fpu", "float32-soft"), ids(j.at("/budgets/1/exceeded")), "the float model is 50 KB, the int8 one 23 KB");
        assertEquals(Long.parseLong(limit), j.at("/budgets/1/limit").asLong());
        assertEquals(limit, j.at("/budgets/1/given").asText());
        Fixtures.assertOneLineError(Cli.run("compare", "--float", DF, "--int8", DQ, "--max-flash", "12 parsecs"), 64, "--max-flash");
    }

    private static List<String> ids(JsonNode exceeded) {
        List<String> out = new java.util.ArrayList<>();
        exceeded.forEach(e -> out.add(e.get("configuration").asText()));
        return out;
    }

    @Test
    void mismatchedShapesAreOneLineErrors() {
        Fixtures.assertOneLineError(Cli.run("compare", "--float", DF, "--int8", Fixtures.KWS_INT8.toString()), 65,
                "the models do not match: input 'input' of demo_f32.tflite is [1, 1, 64, 3], input 'input_1' of kws_ref_model.tflite is [1, 49, 10, 1]");
    }

    @Test
    void swappedOrWrongModelsAreUsageErrors() {
        Fixtures.assertOneLineError(Cli.run("compare", "--float", DQ, "--int8", DF), 64,
                "--float demo_int8.tflite is not a float32 model: its activations are int8 (were --float and --int8 swapped?)");
        Fixtures.assertOneLineError(Cli.run("compare", "--float", DF, "--int8", DF), 64, "--int8 demo_f32.tflite is not an int8 model");
        Fixtures.assertOneLineError(Cli.run("compare", "--float", DF), 64, "missing --int8");
        Fixtures.assertOneLineError(Cli.run("compare", "--int8", DQ), 64, "missing --float");
        Fixtures.assertOneLineError(Cli.run("compare", "--float", DF, "--int8", DQ, "--inputs", "0"), 64, "--inputs");
    }

    @Test
    void missingUnreadableCorruptAndUnsupportedFilesAreOneLineErrors(@TempDir Path dir) throws Exception {
        Fixtures.assertOneLineError(Cli.run("compare", "--float", dir.resolve("nope.tflite").toString(), "--int8", DQ), 66,
                "nope.tflite: no such file");
        Fixtures.assertOneLineError(Cli.run("compare", "--float", DF, "--int8", dir.toString()), 66, "cannot read (a directory)");
        Path corrupt = dir.resolve("corrupt.tflite");
        byte[] bytes = Files.readAllBytes(Fixtures.DEMO_INT8);
        Files.write(corrupt, java.util.Arrays.copyOf(bytes, 200));
        Fixtures.assertOneLineError(Cli.run("compare", "--float", DF, "--int8", corrupt.toString()), 65, "corrupt.tflite");
        Path f = dir.resolve("bm_f32.tflite");
        Path q = dir.resolve("relu_int8.tflite");
        Files.write(f, Models.unsupportedOperatorModel());
        Files.write(q, Fixtures.int8ReluModel());
        Fixtures.assertOneLineError(Cli.run("compare", "--float", f.toString(), "--int8", q.toString()), 72,
                "bm_f32.tflite: model uses LSH_PROJECTION (operator 1), which the runtime does not support");
        Fixtures.assertOneLineError(Cli.run("compare", "--float", DF, "--int8", DQ, "--board", "no-such-board"), 64, "no-such-board");
        Fixtures.assertOneLineError(Cli.run("compare", "--float", DF, "--int8", DQ, "--board", dir.resolve("b.json").toString()), 66,
                "b.json");
        Cli.Result verbose = Cli.run("compare", "--float", DF, "--int8", corrupt.toString(), "--verbose");
        assertEquals(65, verbose.exitCode());
        assertTrue(verbose.err().contains("\tat "), "--verbose shows the stack trace");
    }

    @Test
    void anUnwritableOutputIs73AndLeavesNoFile(@TempDir Path dir) throws Exception {
        Path missingDir = dir.resolve("no-such-dir").resolve("r.json");
        Fixtures.assertOneLineError(Cli.run("compare", "--float", DF, "--int8", DQ, "--inputs", "1", "--format", "json", "-o",
                missingDir.toString()), 73, "r.json: cannot write");
        assertFalse(Files.exists(missingDir));
        Path asDir = dir.resolve("taken");
        Files.createDirectory(asDir);
        Cli.Result r = Cli.run("compare", "--float", DF, "--int8", DQ, "--inputs", "1", "-o", asDir.toString());
        assertEquals(73, r.exitCode(), r.err());
        assertTrue(Files.isDirectory(asDir));
        try (var s = Files.list(dir)) {
            assertEquals(List.of("taken"), s.map(p -> p.getFileName().toString()).toList(), "no temporary file left behind");
        }
    }

    @Test
    void jsonIsWrittenToAFileAtomically(@TempDir Path dir) {
        Path out = dir.resolve("c.json");
        Cli.Result r = Cli.run("compare", "--float", DF, "--int8", DQ, "--inputs", "2", "--format", "json", "-o", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("", r.out());
        JsonNode j = Fixtures.json(out);
        for (String key : List.of("tool", "board", "timing", "models", "input", "configurations", "absent", "baseline", "accuracy",
                "layers", "budgets", "result", "notes")) {
            assertTrue(j.has(key), key);
        }
        assertNull(j.at("/configurations/0").get("details"), "the full run reports stay out of the JSON");
        assertNotNull(j.at("/configurations/0/flash/available"));
    }
}
