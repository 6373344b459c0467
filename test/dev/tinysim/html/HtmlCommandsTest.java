package dev.tinysim.html;

import dev.tinysim.support.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HTML report from the command line: {@code compare --html}, {@code --format html}, {@code demo}, {@code fit}. */
class HtmlCommandsTest {
    private static final String DF = Reports.DEMO_FLOAT.toString();
    private static final String DQ = Reports.DEMO_INT8.toString();

    @TempDir
    Path dir;

    @Test
    void compareWritesTheHtmlFileBesideItsReportAndRecordsTheCommandLine() throws IOException {
        Path html = dir.resolve("report.html");
        Cli.Result r = Cli.run("compare", "--float", DF, "--int8", DQ, "--inputs", "3", "--html", html.toString(), "--format", "json", "-q");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("{"), "the JSON report still goes to stdout");
        String page = Files.readString(html);
        HtmlReportTest.assertSelfContained(page);
        assertTrue(page.contains("data-chart=\"latency\" data-rows=\"4\""));
        assertTrue(page.contains(">tinysim compare --float " + DF + " --int8 " + DQ + " --inputs 3 --html " + html + " --format json -q</pre>"),
                "the exact command line");
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(html), s.toList(), "written through a temporary file, none left behind");
        }
    }

    @Test
    void formatHtmlPrintsOrWritesThePage() throws IOException {
        Cli.Result r = Cli.run("compare", "--float", DF, "--int8", DQ, "--inputs", "2", "--format", "html");
        assertEquals(0, r.exitCode(), r.err());
        HtmlReportTest.assertSelfContained(r.out());
        Path out = dir.resolve("c.html");
        r = Cli.run("compare", "--float", DF, "--int8", DQ, "--inputs", "2", "--format", "html", "-o", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("", r.out());
        HtmlReportTest.assertSelfContained(Files.readString(out));

        Cli.Result bad = Cli.run("compare", "--float", DF, "--int8", DQ, "--format", "html", "--layers");
        assertEquals(64, bad.exitCode());
        assertTrue(bad.err().contains("--layers goes with --format csv"), bad.err());
        bad = Cli.run("compare", "--float", DF, "--int8", DQ, "--html", dir.resolve("no/such/x.html").toString());
        assertEquals(73, bad.exitCode(), bad.err());
        assertTrue(bad.err().startsWith("tinysim: ") && bad.err().contains("does not exist"), bad.err());
    }

    @Test
    void demoWritesItsHtmlReport() throws IOException {
        Path out = dir.resolve("demo.html");
        Cli.Result r = Cli.run("demo", "--inputs", "20", "--report", out.toString(), "-q");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("report: " + out), r.out());
        assertFalse(r.out().contains("JSON"), r.out());
        String page = Files.readString(out);
        HtmlReportTest.assertSelfContained(page);
        assertTrue(page.contains("against the true classes"), "the demo's labelled windows");
        assertTrue(page.contains("idle, walking, running, shaking"));
        assertTrue(page.contains(">tinysim demo --inputs 20 --report " + out + " -q</pre>"));
        // a .json name still gets the JSON report
        Path json = dir.resolve("demo.json");
        assertEquals(0, Cli.run("demo", "--inputs", "2", "--report", json.toString(), "-q").exitCode());
        assertTrue(Files.readString(json).startsWith("{"));
    }

    @Test
    void fitHasAnHtmlFormatToo() throws IOException {
        Path out = dir.resolve("fit.html");
        Cli.Result r = Cli.run("fit", DQ, "--format", "html", "-o", out.toString(), "-q");
        assertEquals(0, r.exitCode(), r.err());
        String page = Files.readString(out);
        HtmlReportTest.assertSelfContained(page);
        assertTrue(page.contains("Does demo_int8.tflite fit nrf52840?"));
        assertTrue(page.contains("data-chart=\"layers\" data-rows=\"2\""));

        // a model that does not fit: exit 67, the page says so
        r = Cli.run("fit", Reports.AD01_INT8.toString(), "--board", "mk20dx256", "--max-flash", "100K", "--format", "html", "-q");
        assertEquals(67, r.exitCode(), r.err());
        assertTrue(r.err().startsWith("tinysim: ad01_int8.tflite does not fit mk20dx256"), r.err());
        HtmlReportTest.assertSelfContained(r.out());
        assertTrue(r.out().contains("banner bad"));
        assertTrue(r.out().contains("data-over=\"no-fpu\""));
        assertTrue(r.out().contains("data-limit=\"flash-budget\""));

        // a firmware ELF: no layers, the rest as for a model
        r = Cli.run("fit", "firmware-images/prebuilt/selftest-m4f.elf", "--format", "html");
        assertEquals(0, r.exitCode(), r.err());
        HtmlReportTest.assertSelfContained(r.out());
        assertTrue(r.out().contains("data-chart=\"flash\" data-rows=\"1\""));
        assertFalse(r.out().contains("data-chart=\"layers\""));
    }
}
