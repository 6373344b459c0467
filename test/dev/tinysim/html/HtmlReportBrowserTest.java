package dev.tinysim.html;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tinysim.boards.Boards;
import dev.tinysim.compare.Budgets;
import dev.tinysim.compare.CompareReport;
import dev.tinysim.compare.Comparison;
import dev.tinysim.compare.FitReport;
import dev.tinysim.compare.FitRunner;
import dev.tinysim.emulator.timing.TimingModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The HTML report in a real browser: Chromium lays the page out, a script in the page records every chart's size and
 * every bar's position, and the dumped DOM is checked — the charts are there, sized, with the expected bars, the int8
 * bars much shorter than the float ones, and a configuration that does not fit crossing the flash limit line.
 * Screenshots are left in {@code <build dir>/html-report/} for people to look at.
 *
 * <p>Skipped (with a message) when no Chromium is installed: {@code apt-get install -y chromium}; CI installs it.
 */
class HtmlReportBrowserTest {
    private static final int WIDTH = 1280;
    private static final int HEIGHT = 2400;
    private static final List<String> ROWS = List.of("int8-simd", "int8-reference", "float32-fpu", "float32-soft");
    private static Path browser;

    @BeforeAll
    static void findBrowser() {
        browser = Browser.find().orElse(null);
        assumeTrue(browser != null, "no Chromium found (install it: apt-get install -y chromium; CI does): "
                + "the HTML report is not checked in a browser");
    }

    private static Path write(String name, String html) throws IOException {
        Path file = Reports.outputDir().resolve(name);
        Files.writeString(file, html, StandardCharsets.UTF_8);
        return file;
    }

    /** data-chart → the measurements the page's script recorded after layout. */
    private static Map<String, JsonNode> measured(String dom) throws IOException {
        assertTrue(dom.contains("data-measured=\"yes\""), "the page's measuring script did not run:\n" + head(dom));
        Map<String, JsonNode> out = new HashMap<>();
        Matcher svg = Pattern.compile("<svg\\b[^>]*>").matcher(dom);
        while (svg.find()) {
            String tag = svg.group();
            Matcher id = Pattern.compile("data-chart=\"([^\"]+)\"").matcher(tag);
            Matcher m = Pattern.compile("data-measured=\"([^\"]*)\"").matcher(tag);
            if (id.find()) {
                assertTrue(m.find(), "chart " + id.group(1) + " was not measured: " + tag);
                String json = m.group(1).replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
                out.put(id.group(1), new ObjectMapper().readTree(json));
            }
        }
        return out;
    }

    private static String head(String s) {
        return s.length() > 3000 ? s.substring(0, 3000) : s;
    }

    /** The bars of one row: {@code id} or {@code id:segment}. */
    private static List<JsonNode> bars(JsonNode chart, String row) {
        List<JsonNode> out = new java.util.ArrayList<>();
        for (JsonNode b : chart.get("bars")) {
            String id = b.get("id").asText();
            if (id.equals(row) || id.startsWith(row + ":")) {
                out.add(b);
            }
        }
        return out;
    }

    private static double right(JsonNode chart, String row) {
        return bars(chart, row).stream().mapToDouble(b -> b.get("x").asDouble() + b.get("w").asDouble()).max().orElse(0);
    }

    private static double width(JsonNode chart, String row) {
        return bars(chart, row).stream().mapToDouble(b -> b.get("w").asDouble()).sum();
    }

    private static void assertChartsLaidOut(Map<String, JsonNode> charts) {
        for (String id : List.of("latency", "flash", "ram", "layers", "layer-share")) {
            JsonNode c = charts.get(id);
            assertTrue(c != null, "chart " + id + " missing; have " + charts.keySet());
            assertTrue(c.get("w").asDouble() > 800, id + " too narrow: " + c);
            assertTrue(c.get("h").asDouble() > 150, id + " too short: " + c);
            for (String row : ROWS) {
                assertTrue(!bars(c, row).isEmpty(), id + ": no bar for " + row);
                for (JsonNode b : bars(c, row)) {
                    assertTrue(b.get("w").asDouble() > 0 && b.get("h").asDouble() >= 15, id + ": bar not drawn: " + b);
                }
            }
        }
    }

    @Test
    void theDemoComparisonLaysOutItsChartsAndInt8BarsAreMuchShorter() throws IOException {
        CompareReport r = Reports.demo();
        Path page = write("demo.html", new HtmlReport(List.of("compare", "--float", Reports.DEMO_FLOAT.toString(), "--int8",
                Reports.DEMO_INT8.toString(), "--html", "demo.html")).render(r));
        Map<String, JsonNode> charts = measured(Browser.dumpDom(browser, page, WIDTH, HEIGHT));
        assertChartsLaidOut(charts);

        JsonNode latency = charts.get("latency");
        assertEquals(4, latency.get("bars").size(), latency.toString());
        double simd = width(latency, "int8-simd");
        double ref = width(latency, "int8-reference");
        double fpu = width(latency, "float32-fpu");
        double soft = width(latency, "float32-soft");
        // int8-SIMD shortest, soft-float longest; int8-reference and float32 with FPU are close on
        // a Cortex-M4F (one VFMA per MAC against a load, an offset and a MUL/ADD per MAC)
        assertTrue(simd < ref && simd < fpu && ref < soft && fpu < soft, latency.toString());
        assertTrue(simd * 1.5 < fpu && fpu * 5 < soft, "int8 bars much shorter than float32: " + latency);
        // linear scale: widths in the ratio of the cycles
        double expected = (double) r.configuration("float32-soft").cycles() / r.configuration("int8-simd").cycles();
        assertEquals(expected, soft / simd, expected * 0.05, latency.toString());

        // everything fits: every flash bar ends left of the limit line, nothing hatched
        JsonNode flash = charts.get("flash");
        assertEquals(1, flash.get("limits").size(), flash.toString());
        double limit = flash.at("/limits/0/x").asDouble();
        for (String row : ROWS) {
            assertTrue(right(flash, row) < limit, row + " crosses the flash limit: " + flash);
            assertEquals(2, bars(flash, row).size(), "runtime + model segments: " + flash);
        }
        assertEquals(0, flash.get("over").size(), flash.toString());

        // per-layer: several segments per configuration; absolute widths follow the cycles, the share bars are all full
        JsonNode layers = charts.get("layers");
        JsonNode share = charts.get("layer-share");
        for (String row : ROWS) {
            assertTrue(bars(layers, row).size() >= 8, row + ": " + layers);
            assertEquals(bars(layers, row).size(), bars(share, row).size());
        }
        // BarChart draws every segment at least 0.75 px wide (so a tiny layer stays visible): a short bar of many
        // layers is wider than its cycles alone make it, by at most 0.75 px a segment (plus a pixel of rounding)
        double simdFromSoft = width(layers, "float32-soft") / expected;
        assertEquals(simdFromSoft, width(layers, "int8-simd"), 0.75 * bars(layers, "int8-simd").size() + 1, layers.toString());
        double full = width(share, "int8-simd");
        for (String row : ROWS) {
            assertEquals(full, width(share, row), 3, share.toString());
        }

        Path png = Reports.outputDir().resolve("demo.png");
        Browser.screenshot(browser, page, png, WIDTH, HEIGHT);
        assertEquals(List.of(WIDTH, HEIGHT), List.of(Browser.pngSize(png)[0], Browser.pngSize(png)[1]));
        assertTrue(Files.size(png) > 50_000, "a nearly empty screenshot: " + Files.size(png) + " bytes");
    }

    @Test
    void aConfigurationThatDoesNotFitCrossesTheFlashLimitLine() throws IOException {
        CompareReport r = Reports.ad01();
        assertTrue(!r.configuration("float32-fpu").flash().fits());
        Path page = write("ad01.html", new HtmlReport(List.of("compare", "--float", Reports.AD01_FLOAT.toString(), "--int8",
                Reports.AD01_INT8.toString(), "--html", "ad01.html")).render(r));
        Map<String, JsonNode> charts = measured(Browser.dumpDom(browser, page, WIDTH, HEIGHT));
        assertChartsLaidOut(charts);

        JsonNode flash = charts.get("flash");
        double limit = flash.at("/limits/0/x").asDouble();
        for (String row : List.of("int8-simd", "int8-reference")) {
            assertTrue(right(flash, row) < limit - 20, row + " should end well left of the limit: " + flash);
        }
        for (String row : List.of("float32-fpu", "float32-soft")) {
            assertTrue(right(flash, row) > limit + 10, row + " must visibly cross the limit line: " + flash);
        }
        List<String> over = new java.util.ArrayList<>();
        for (JsonNode o : flash.get("over")) {
            over.add(o.get("id").asText());
            assertEquals(limit, o.get("x").asDouble(), 2.0, "the hatched overflow starts at the limit: " + o);
            assertTrue(o.get("w").asDouble() > 10, o.toString());
        }
        assertEquals(List.of("float32-fpu", "float32-soft"), over);
        assertEquals(0, charts.get("ram").get("over").size());

        Path png = Reports.outputDir().resolve("ad01.png");
        Browser.screenshot(browser, page, png, WIDTH, HEIGHT);
        assertEquals(WIDTH, Browser.pngSize(png)[0]);
    }

    @Test
    void reservedFlashBudgetMarkersAndAFitReport() throws Exception {
        CompareReport s140 = Reports.compare(Reports.DEMO_FLOAT, Reports.DEMO_INT8, "nrf52840-s140", Budgets.parse("20", "10K", null));
        Path page = write("s140-budgets.html", new HtmlReport(List.of("compare", "--float", Reports.DEMO_FLOAT.toString(), "--int8",
                Reports.DEMO_INT8.toString(), "--board", "nrf52840-s140", "--max-latency-ms", "20", "--max-ram", "10K")).render(s140));
        Map<String, JsonNode> charts = measured(Browser.dumpDom(browser, page, WIDTH, HEIGHT));
        assertChartsLaidOut(charts);
        // the 20 ms budget line lies between int8-simd (11.6 ms) and int8-reference (30.3 ms)
        JsonNode latency = charts.get("latency");
        double budget = latency.at("/limits/0/x").asDouble();
        assertEquals("budget-latency", latency.at("/limits/0/id").asText());
        assertTrue(right(latency, "int8-simd") < budget && budget < right(latency, "int8-reference"), latency.toString());
        JsonNode ram = charts.get("ram");
        assertEquals(List.of("ram-limit", "ram-budget"), List.of(ram.at("/limits/0/id").asText(), ram.at("/limits/1/id").asText()));
        Browser.screenshot(browser, page, Reports.outputDir().resolve("s140-budgets.png"), WIDTH, HEIGHT);

        FitReport fit = FitRunner.model(new Comparison.ModelFile("demo_f32.tflite", Files.readAllBytes(Reports.DEMO_FLOAT)),
                Boards.load("nrf52840", false), Boards.load("nrf52840", true), TimingModels.defaultName(), Budgets.NONE, null);
        Path fitPage = write("fit.html", new HtmlReport(List.of("fit", Reports.DEMO_FLOAT.toString(), "--format", "html")).render(fit));
        Map<String, JsonNode> fitCharts = measured(Browser.dumpDom(browser, fitPage, WIDTH, HEIGHT));
        for (String id : List.of("latency", "flash", "ram", "layers", "layer-share")) {
            JsonNode c = fitCharts.get(id);
            assertTrue(c != null && c.get("w").asDouble() > 800 && c.get("h").asDouble() > 100, id + ": " + c);
        }
        assertTrue(width(fitCharts.get("latency"), "fpu") * 3 < width(fitCharts.get("latency"), "no-fpu"));
        Browser.screenshot(browser, fitPage, Reports.outputDir().resolve("fit.png"), WIDTH, HEIGHT);
    }
}
