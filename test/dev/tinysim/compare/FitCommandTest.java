package dev.tinysim.compare;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tinysim.support.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code tinysim fit}: verdicts, exit codes, budgets, formats. */
class FitCommandTest {
    private static final String KWS = Fixtures.KWS_INT8.toString();

    private static JsonNode kwsJson() {
        Cli.Result r = Fixtures.cached("fit", KWS, "--board", "nrf52832", "--format", "json");
        assertEquals(0, r.exitCode(), r.err());
        return Fixtures.json(r.out());
    }

    @Test
    void anInt8ModelFitsTheNrf52832WithAndWithoutFpu() {
        JsonNode j = kwsJson();
        assertEquals("fits", j.at("/result/kind").asText());
        assertEquals(0, j.at("/result/exitCode").asInt());
        assertEquals("model", j.at("/target/kind").asText());
        assertEquals("int8", j.at("/target/precision").asText());
        assertEquals(2, j.get("configurations").size());
        assertEquals("fpu", j.at("/verdictFrom").asText());
        JsonNode fpu = j.at("/configurations/0");
        JsonNode soft = j.at("/configurations/1");
        assertEquals("fpu", fpu.get("id").asText());
        assertEquals("runtime-m4f.elf", fpu.get("runtime").asText());
        assertEquals("nrf52832", fpu.get("board").asText());
        assertEquals("no-fpu", soft.get("id").asText());
        assertEquals("runtime-m4.elf", soft.get("runtime").asText());
        assertEquals("nrf52832-nofpu", soft.get("board").asText());
        for (JsonNode c : List.of(fpu, soft)) {
            assertTrue(c.get("fits").asBoolean());
            assertEquals(53_936, c.at("/flash/model").asLong());
            long padding = c.at("/flash/used").asLong() - c.at("/flash/runtime").asLong() - 53_936;
            assertTrue(padding >= 0 && padding < 16, "the model starts 16-aligned after the runtime: " + padding);
            assertEquals(524_288, c.at("/flash/available").asLong());
            assertEquals(524_288 - c.at("/flash/used").asLong(), c.at("/flash/free").asLong());
            assertEquals(c.at("/ram/staticBytes").asLong() + c.at("/ram/arena").asLong() + c.at("/ram/stackPeak").asLong(),
                    c.at("/ram/used").asLong());
            assertEquals(65_536 - c.at("/ram/used").asLong(), c.at("/ram/free").asLong());
            assertTrue(c.get("cycles").asLong() > 1_000_000);
            assertEquals(c.get("cycles").asLong() * 1000.0 / 64e6, c.get("milliseconds").asDouble(), 1e-6);
            assertEquals(13, c.get("operators").size());
        }
        assertTrue(j.at("/result/message").asText().startsWith("kws_ref_model.tflite fits nrf52832 (fpu): flash "),
                j.at("/result/message").asText());
    }

    @Test
    void theTextReportShowsFlashRamMarginsAndAVerdictPerConfiguration() {
        Cli.Result r = Fixtures.cached("fit", KWS, "--board", "nrf52832");
        assertEquals(0, r.exitCode(), r.err());
        String t = r.out();
        assertTrue(t.startsWith("tinysim fit: kws_ref_model.tflite (int8 model, 53,936 bytes) on nrf52832 (Cortex-M4F, 64 MHz)"), t);
        assertTrue(t.contains("  fpu: with FPU, int8-simd (runtime-m4f.elf, hard float, simd kernels)\n"), t);
        assertTrue(t.contains("  no-fpu: without FPU, int8-simd (runtime-m4.elf, soft float, simd kernels) on nrf52832-nofpu (for comparison)\n"), t);
        assertEquals(2, t.split("    verdict  fits\n", -1).length - 1, t);
        assertTrue(t.matches("(?s).*= static \\d+ \\+ arena [\\d,]+ \\+ stack peak .*"), t);
        assertTrue(t.contains("; margin "), t);
        assertTrue(t.contains("  result  kws_ref_model.tflite fits nrf52832 (fpu)"), t);
        assertEquals("", r.err(), "no progress bar without a terminal");
    }

    @Test
    void aModelLargerThanFlashExits67NamingWhatOverflowsAndByHowMuch() {
        Cli.Result r = Fixtures.cached("fit", Fixtures.AD01_FLOAT.toString(), "--board", "nrf52840");
        assertEquals(67, r.exitCode(), r.err());
        String t = r.out();
        assertTrue(t.contains("verdict  DOES NOT FIT (flash +"), t);
        String result = t.lines().filter(l -> l.startsWith("  result  ")).findFirst().orElseThrow();
        // runtime-m4f (45,876) + model (1,067,648, 16-aligned after the runtime) against 1 MB
        assertTrue(result.matches("  result  ad01_fp32\\.tflite does not fit nrf52840 \\(fpu\\): flash: [\\d,]+ bytes needed "
                + "\\(runtime [\\d,]+ \\+ model 1,067,648\\), 1,048,576 available, [\\d,]+ bytes over"), result);
        assertTrue(t.contains("measured on nrf52840 with flash enlarged to"), t);
    }

    @Test
    void anFpuLessBoardHasOneConfiguration() {
        Cli.Result r = Cli.run("fit", KWS, "--board", "mk20dx256", "--format", "json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode j = Fixtures.json(r.out());
        assertEquals(1, j.get("configurations").size());
        assertEquals("no-fpu", j.at("/configurations/0/id").asText());
        assertEquals("runtime-m4.elf", j.at("/configurations/0/runtime").asText());
        assertEquals(262_144, j.at("/board/flashBytes").asLong());
    }

    @Test
    void noFpuJudgesTheFpuLessConfiguration() {
        Cli.Result r = Cli.run("fit", KWS, "--board", "nrf52840", "--no-fpu", "--format", "csv");
        assertEquals(0, r.exitCode(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(2, lines.size(), r.out());
        assertTrue(lines.get(1).startsWith("no-fpu,kws_ref_model.tflite,nrf52840-nofpu,false,runtime-m4.elf,soft,simd,"), lines.get(1));
    }

    @Test
    void aFirmwareElfFitsAsRunReportsIt() {
        Cli.Result r = Cli.run("fit", Fixtures.SELFTEST_ELF.toString(), "--format", "json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode j = Fixtures.json(r.out());
        assertEquals("firmware", j.at("/target/kind").asText());
        assertEquals(1, j.get("configurations").size());
        JsonNode c = j.at("/configurations/0");
        assertEquals("firmware", c.get("id").asText());
        // the same figures as `tinysim run` reports
        JsonNode run = Fixtures.json(Cli.run("run", Fixtures.SELFTEST_ELF.toString(), "--format", "json").out());
        assertEquals(run.at("/fit/flash/used").asLong(), c.at("/flash/used").asLong());
        assertEquals(run.at("/fit/ram/staticBytes").asLong(), c.at("/ram/staticBytes").asLong());
        assertEquals(run.at("/fit/ram/stackPeak").asLong(), c.at("/ram/stackPeak").asLong());
        assertEquals(run.at("/execution/cycles").asLong(), c.get("cycles").asLong());
        assertEquals("fits", j.at("/result/kind").asText());
    }

    @Test
    void budgetsExit68NamingTheBudgetTheFigureAndTheLimit() {
        Cli.Result r = Cli.run("fit", KWS, "--board", "nrf52832", "--max-latency-ms", "100", "--max-ram", "20K", "--max-flash", "1M");
        assertEquals(68, r.exitCode(), r.err());
        String result = r.out().lines().filter(l -> l.startsWith("  result  ")).findFirst().orElseThrow();
        assertTrue(result.matches("  result  budget --max-latency-ms 100 exceeded: fpu takes [\\d,]+\\.\\d\\d ms \\(limit 100 ms\\); "
                + "budget --max-ram 20K exceeded: fpu uses [\\d,]+ bytes of RAM \\(limit 20K = 20,480 bytes\\)"), result);
        assertTrue(r.out().contains("  budget  --max-flash 1M: met\n"), r.out());
        Cli.Result ok = Cli.run("fit", KWS, "--board", "nrf52832", "--max-latency-ms", "1000", "--max-ram", "0x8000", "--max-flash", "200K",
                "--format", "json");
        assertEquals(0, ok.exitCode(), ok.err());
        JsonNode j = Fixtures.json(ok.out());
        assertEquals(3, j.get("budgets").size());
        assertEquals("--max-ram", j.at("/budgets/1/option").asText());
        assertEquals(32_768, j.at("/budgets/1/limit").asLong());
        assertEquals(0, j.at("/budgets/1/exceeded").size());
    }

    @Test
    void aModelThatDoesNotFitExits67EvenWithBudgets() {
        Cli.Result r = Cli.run("fit", KWS, "--board", "nrf52840", "--reserve-flash", "1020K", "--max-latency-ms", "1", "--no-fpu", "-q");
        assertEquals(67, r.exitCode(), r.err());
    }

    @Test
    void badBudgetValuesAreOneLineUsageErrors() {
        Fixtures.assertOneLineError(Cli.run("fit", KWS, "--max-ram", "200X"), 64, "--max-ram", "'200X' is not a size");
        Fixtures.assertOneLineError(Cli.run("fit", KWS, "--max-flash", "1.5Q"), 64, "--max-flash");
        Fixtures.assertOneLineError(Cli.run("fit", KWS, "--max-latency-ms", "fast"), 64, "--max-latency-ms", "'fast'");
        Fixtures.assertOneLineError(Cli.run("fit", KWS, "--max-latency-ms", "-3"), 64, "--max-latency-ms");
        Fixtures.assertOneLineError(Cli.run("fit", KWS, "--max-ram", "0"), 64, "--max-ram", "more than zero");
        Fixtures.assertOneLineError(Cli.run("fit", KWS, "--layers"), 64, "--layers goes with --format csv");
    }

    @Test
    void csvHasOneRowPerConfigurationOrPerLayerAndConfiguration() {
        Cli.Result r = Cli.run("fit", KWS, "--board", "nrf52832", "--format", "csv");
        assertEquals(0, r.exitCode(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(String.join(",", Csv.CONFIGURATION_COLUMNS), lines.get(0));
        assertEquals(3, lines.size());
        for (String l : lines.subList(1, 3)) {
            String[] cells = l.split(",", -1);
            assertEquals(Csv.CONFIGURATION_COLUMNS.size(), cells.length, l);
            assertEquals("true", cells[Csv.CONFIGURATION_COLUMNS.indexOf("fits")], l);
            assertEquals("ok", cells[Csv.CONFIGURATION_COLUMNS.indexOf("result")], l);
            assertEquals("", cells[Csv.CONFIGURATION_COLUMNS.indexOf("speedup")], l);
        }
        Cli.Result layers = Cli.run("fit", KWS, "--board", "nrf52832", "--format", "csv", "--layers");
        List<String> ll = layers.out().lines().toList();
        assertEquals(String.join(",", Csv.LAYER_COLUMNS), ll.get(0));
        assertEquals(1 + 2 * 13, ll.size());
        assertTrue(ll.get(1).startsWith("0,fpu,kws_ref_model.tflite,0,,,CONV_2D,"), ll.get(1));
    }

    @Test
    void reportFilesAreWrittenWholeOrNotAtAll(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("fit.json");
        Cli.Result r = Cli.run("fit", KWS, "--board", "nrf52832", "--format", "json", "-o", out.toString(), "--no-fpu");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("", r.out());
        assertEquals("fits", Fixtures.json(out).at("/result/kind").asText());
        // a corrupt model: no file at all
        Path bad = dir.resolve("bad.tflite");
        Files.write(bad, new byte[]{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        Path out2 = dir.resolve("never.json");
        Fixtures.assertOneLineError(Cli.run("fit", bad.toString(), "--format", "json", "-o", out2.toString()), 65, "bad.tflite");
        assertFalse(Files.exists(out2));
        try (var s = Files.list(dir)) {
            assertEquals(List.of("bad.tflite", "fit.json"), s.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no temporary files left");
        }
    }
}
