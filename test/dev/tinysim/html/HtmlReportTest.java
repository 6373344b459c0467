package dev.tinysim.html;

import dev.tinysim.boards.Boards;
import dev.tinysim.compare.Budgets;
import dev.tinysim.compare.CompareReport;
import dev.tinysim.compare.Comparison;
import dev.tinysim.compare.FitReport;
import dev.tinysim.compare.FitRunner;
import dev.tinysim.compare.Measurement;
import dev.tinysim.emulator.board.Board;
import dev.tinysim.emulator.timing.TimingModels;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HTML report as text: self-contained, complete, escaped, deterministic (the browser test checks the layout). */
class HtmlReportTest {
    private static final List<String> ROWS = List.of("int8-simd", "int8-reference", "float32-fpu", "float32-soft");

    static void assertSelfContained(String html) {
        assertTrue(html.startsWith("<!DOCTYPE html>"), html.substring(0, 40));
        assertTrue(html.strip().endsWith("</html>"));
        String lower = html.toLowerCase(java.util.Locale.ROOT);
        for (String forbidden : List.of("http://", "https://", "<link", "<img", "<iframe", "@import", "src=", "@font-face", "//cdn")) {
            assertFalse(lower.contains(forbidden), "the report must load nothing, but contains " + forbidden);
        }
        Matcher url = Pattern.compile("url\\(([^)]*)\\)").matcher(html);
        while (url.find()) {
            assertTrue(url.group(1).startsWith("#"), "only references to patterns in the page: " + url.group());
        }
        // a Content-Security-Policy forbids every fetch, and allows exactly the one inline script
        assertTrue(html.contains("content=\"default-src 'none'; style-src 'unsafe-inline'; script-src '" + HtmlReport.scriptHash() + "'"));
        assertEquals(1, count(html, "<script>"));
        assertTrue(html.contains("<script>" + HtmlReport.MEASURE_SCRIPT + "</script>"));
    }

    static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void aComparisonHasEveryChartTableAndFact() {
        CompareReport r = Reports.demo();
        String html = new HtmlReport(List.of("compare", "--float", "demo_f32.tflite", "--int8", "demo_int8.tflite", "--html", "x.html"))
                .render(r);
        assertSelfContained(html);
        for (String chart : List.of("latency", "flash", "ram", "layers", "layer-share")) {
            assertTrue(html.contains("data-chart=\"" + chart + "\" data-rows=\"4\""), chart);
        }
        for (String id : ROWS) {
            assertTrue(html.contains("data-bar=\"" + id + "\""), "latency bar " + id);
            assertTrue(html.contains("<tr data-configuration=\"" + id + "\">"), "table row " + id);
            Measurement m = r.configuration(id);
            assertTrue(html.contains(dev.tinysim.emulator.units.Units.grouped(m.cycles())), id + " cycles");
            assertTrue(html.contains(dev.tinysim.emulator.units.Units.grouped(m.flash().used())), id + " flash");
            assertTrue(html.contains(dev.tinysim.emulator.units.Units.grouped(m.ram().used())), id + " RAM");
        }
        // the flash limit line, one layer segment per layer (11 < 10 + 1: the two smallest are "other"), the legend
        assertEquals(1, count(html, "data-limit=\"flash-limit\""));
        assertTrue(html.contains("data-bar=\"int8-simd:L2\""));
        assertTrue(html.contains("data-bar=\"int8-simd:other\""));
        assertTrue(html.contains("other (2 smaller layers)"));
        assertTrue(html.contains("#6 CONV_2D"));
        // accuracy, board, timing model and its parameters, version, the command line
        assertTrue(html.contains("top-1 agreement"));
        assertTrue(html.contains("SNR"));
        assertTrue(html.contains("max abs error"));
        assertTrue(html.contains("int8-simd ✓ bit-exact"));
        assertTrue(html.contains("Cortex-M4F at 64 MHz (64,000,000 Hz)"));
        assertTrue(html.contains("reserved flash</th><td>none"));
        assertTrue(html.contains("<code>memorySystem.flash.waitStates</code>"), "timing parameters");
        assertTrue(html.contains(r.timing().description()));
        assertTrue(html.contains("tinysim " + r.tool().version()));
        assertTrue(html.contains("<pre class=\"cmd\" id=\"command-line\">tinysim compare --float demo_f32.tflite --int8 demo_int8.tflite --html x.html</pre>"));
        // deterministic: the same report gives the same page
        assertEquals(html, new HtmlReport(List.of("compare", "--float", "demo_f32.tflite", "--int8", "demo_int8.tflite", "--html", "x.html"))
                .render(r));
    }

    @Test
    void whatDoesNotFitIsMarked() {
        CompareReport r = Reports.ad01();
        String html = new HtmlReport(List.of()).render(r);
        assertSelfContained(html);
        assertTrue(html.contains("data-over=\"float32-fpu\""));
        assertTrue(html.contains("data-over=\"float32-soft\""));
        assertFalse(html.contains("data-over=\"int8-simd\""));
        Measurement f = r.configuration("float32-fpu");
        assertTrue(f.flash().free() < -40_000, "float32 needs ~1.07 MB of 1 MB: " + f.flash());
        assertTrue(html.contains(dev.tinysim.emulator.units.Units.grouped(-f.flash().free()) + " bytes over"));
        assertTrue(html.contains("does not fit"));
        assertTrue(html.contains("banner warn"));
        assertTrue(html.contains("<pre class=\"cmd\" id=\"command-line\">tinysim</pre>"));
    }

    @Test
    void reservedMemoryBudgetsAndABoardWithoutFpu() throws Exception {
        Board board = Boards.load("nrf52840-s140", false);
        CompareReport s140 = Reports.compare(Reports.DEMO_FLOAT, Reports.DEMO_INT8, "nrf52840-s140",
                Budgets.parse("20", "10K", null));
        String html = new HtmlReport(null).render(s140);
        assertSelfContained(html);
        assertTrue(html.contains("available 868 KB (" + Html.bytes(board.reservedFlash()) + " reserved)"), "the SoftDevice's flash is shown");
        assertTrue(html.contains("class=\"reserved\""));
        assertTrue(html.contains("data-limit=\"budget-latency\""));
        assertTrue(html.contains("data-limit=\"ram-budget\""));
        assertTrue(html.contains("<code>--max-latency-ms 20</code>"));
        assertTrue(html.contains("banner bad"), "a budget is exceeded");
        assertTrue(html.contains("not recorded"));

        CompareReport mk20 = Reports.compare(Reports.DEMO_FLOAT, Reports.DEMO_INT8, "mk20dx256", Budgets.NONE);
        html = new HtmlReport(List.of()).render(mk20);
        assertSelfContained(html);
        assertTrue(html.contains("data-chart=\"latency\" data-rows=\"3\""));
        assertTrue(html.contains("<b>float32-fpu</b> is absent"));
        assertTrue(html.contains("72 MHz"));
    }

    @Test
    void textIsEscaped() throws Exception {
        CompareReport r = Reports.demo();
        CompareReport evil = new CompareReport(r.tool(), r.board(), r.timing(), new CompareReport.Models(
                new CompareReport.ModelInfo("<script>alert(1)</script>.tflite", 1, "float32", 1, 1, null, null), r.models().int8()),
                r.input(), r.configurations(), r.absent(), r.baseline(), r.accuracy(), r.layers(), r.budgets(), r.result(),
                List.of("a & b <i>not italic</i>"));
        String html = new HtmlReport(List.of("compare", "--float", "it's <bad>.tflite")).render(evil);
        assertSelfContained(html);
        assertFalse(html.contains("<script>alert"));
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;.tflite"));
        assertTrue(html.contains("a &amp; b &lt;i&gt;not italic&lt;/i&gt;"));
        assertTrue(html.contains("tinysim compare --float &#39;it&#39;\\&#39;&#39;s &lt;bad&gt;.tflite&#39;"), "shell-quoted, then escaped");
    }

    @Test
    void aFitReportUsesTheSameBuildingBlocks() throws Exception {
        Board board = Boards.load("nrf52840", false);
        Board noFpu = Boards.load("nrf52840", true);
        FitReport r = FitRunner.model(new Comparison.ModelFile("demo_f32.tflite", Files.readAllBytes(Reports.DEMO_FLOAT)), board, noFpu,
                TimingModels.defaultName(), Budgets.NONE, null);
        String html = new HtmlReport(List.of("fit", "demo_f32.tflite", "--format", "html")).render(r);
        assertSelfContained(html);
        assertTrue(html.contains("Does demo_f32.tflite fit nrf52840?"));
        for (String chart : List.of("latency", "flash", "ram", "layers", "layer-share")) {
            assertTrue(html.contains("data-chart=\"" + chart + "\" data-rows=\"2\""), chart);
        }
        assertTrue(html.contains("data-bar=\"fpu\"") && html.contains("data-bar=\"no-fpu\""));
        assertTrue(html.contains("banner ok"));
        assertTrue(html.contains(dev.tinysim.emulator.units.Units.grouped(r.configuration("fpu").cycles())));
        assertTrue(html.contains("tinysim fit demo_f32.tflite --format html"));
        // memory per operator: one bar per operator, TFLite Micro's plan as a marker, the peak's buffers
        int ops = r.memory().operators().size();
        assertTrue(html.contains("data-chart=\"layer-memory\" data-rows=\"" + ops + "\""), "layer-memory");
        for (int i = 0; i < ops; i++) {
            assertTrue(html.contains("data-bar=\"op-" + i + ":activations\""), "operator " + i);
        }
        assertTrue(html.contains("data-limit=\"plan-tflite\""));
        assertTrue(html.contains("data-table=\"peak\""));
        assertTrue(html.contains("TFLite Micro&#39;s planner: " + dev.tinysim.emulator.units.Units.grouped(r.arena().planned()) + " bytes"), "plan line");
    }

    @Test
    void formats() {
        assertEquals("1,023 KB", Html.bytes((1 << 20) - 1024));
        assertEquals("1 MB", Html.bytes(1 << 20));
        assertEquals("1.07 MB", Html.bytes(1_117_456));
        assertEquals("78.7 KB", Html.bytes(80_544));
        assertEquals("812 B", Html.bytes(812));
        assertEquals("20M", Html.si(20e6));
        assertEquals("2.5M", Html.si(2.5e6));
        assertEquals("500k", Html.si(5e5));
        assertEquals(2.5, BarChart.niceStep(2.1));
        assertEquals(100, BarChart.niceStep(64.6));
        assertEquals("tinysim run --model 'my model.tflite' -- 'a'\\''b'",
                "tinysim " + Html.shellQuote(List.of("run", "--model", "my model.tflite", "--", "a'b")));
        assertEquals("''", Html.shellQuote(List.of("")));
    }
}
