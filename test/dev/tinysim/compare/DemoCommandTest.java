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

/** {@code tinysim demo}: the README's first command. */
class DemoCommandTest {
    @Test
    void theDemoComparesTheBundledModelsAndWritesItsReport(@TempDir Path dir) {
        Path report = dir.resolve("demo.json");
        long start = System.nanoTime();
        Cli.Result r = Cli.run("demo", "--report", report.toString());
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("", r.err());
        String t = r.out();
        assertTrue(t.startsWith("tinysim demo: an activity classifier (idle, walking, running, shaking) trained by tinysim itself, "
                + "float32 and int8, on nrf52840\n"), t);
        List<String> lines = t.lines().toList();
        for (String row : List.of("int8-simd       runtime-m4f.elf", "int8-reference  runtime-m4f.elf", "float32-fpu     runtime-m4f.elf",
                "float32-soft    runtime-m4.elf ")) {
            assertTrue(lines.stream().anyMatch(l -> l.startsWith(row) && l.endsWith("  yes")), row + " missing:\n" + t);
        }
        assertTrue(t.contains("cycles: one inference per configuration, on input 0 of the 200 (true class idle)"), t);
        assertTrue(t.contains("accuracy of int8 against float32 over 200 held-out activity windows (seed 4, never used in training;"), t);
        assertTrue(t.contains("  top-1 accuracy   float32 "), t);
        assertTrue(t.contains("checked on the input the cycles were measured on: 4 of 4 configurations identical; inputs 1..2 on int8-simd identical"), t);
        assertTrue(t.contains("  per class\n    class    inputs"), t);
        assertTrue(t.contains("  confusion matrix of the int8 model (rows: true class, columns: predicted)\n"), t);
        assertFalse(t.contains("synthetic"), t);
        assertTrue(t.contains("report: " + report + " (JSON, described in docs/json-reports.md"), t);
        // generous: CI shares two cores with everything else (the README's "< 10 s" is for the command line, JVM included)
        assertTrue(seconds < 60, "demo took " + seconds + " s");

        JsonNode j = Fixtures.json(report);
        assertEquals(4, j.get("configurations").size());
        assertEquals("demo_f32.tflite", j.at("/models/float32/file").asText());
        assertEquals("demo_int8.tflite", j.at("/models/int8/file").asText());
        JsonNode a = j.get("accuracy");
        assertEquals(200, a.get("count").asInt());
        assertEquals(List.of("idle", "walking", "running", "shaking"),
                List.of(a.at("/labelled/labels/0").asText(), a.at("/labelled/labels/1").asText(), a.at("/labelled/labels/2").asText(),
                        a.at("/labelled/labels/3").asText()));
        // the demo models reach ~98 % on held-out windows (DemoModelsTest); int8 agrees with float on almost all
        assertTrue(a.at("/labelled/floatAccuracy").asDouble() > 0.9, a.toString());
        assertTrue(a.at("/labelled/int8Accuracy").asDouble() > 0.9, a.toString());
        assertTrue(a.get("top1Agreement").asDouble() > 0.95, a.toString());
        assertEquals(a.at("/labelled/floatAccuracy").asDouble(), a.get("float32").asDouble());
        assertEquals(a.at("/labelled/int8Accuracy").asDouble(), a.get("int8").asDouble());
        assertEquals(a.get("float32").asDouble() - a.get("int8").asDouble(), a.get("drop").asDouble(), 1e-6);
        assertFalse(a.get("synthetic").asBoolean());
        assertTrue(a.get("deviceBitExact").asBoolean());
        // per class: 50 windows of each of the four classes (window i has label i % 4); the confusion rows add up to them
        for (int c = 0; c < 4; c++) {
            assertEquals(50, a.at("/labelled/perClass/" + c + "/samples").asInt(), a.toString());
            int row = 0;
            for (JsonNode v : a.at("/labelled/confusion/int8/" + c)) {
                row += v.asInt();
            }
            assertEquals(50, row);
            assertEquals(a.at("/labelled/confusion/int8/" + c + "/" + c).asInt(), a.at("/labelled/perClass/" + c + "/int8Correct").asInt());
        }
        assertTrue(a.get("snrDb").asDouble() > 20, a.toString());
        for (JsonNode c : j.get("configurations")) {
            assertEquals(0, c.get("argmax").asInt(), "window 0 is 'idle' and every configuration says so: " + c.get("id"));
        }
    }

    @Test
    void noReportWritesNothing(@TempDir Path dir) throws Exception {
        Cli.Result r = Cli.run("demo", "--no-report", "--inputs", "4");
        assertEquals(0, r.exitCode(), r.err());
        assertFalse(r.out().contains("report: "), r.out());
        Fixtures.assertOneLineError(Cli.run("demo", "--no-report", "--report", dir.resolve("x.json").toString()), 64, "--no-report");
        Fixtures.assertOneLineError(Cli.run("demo", "--inputs", "0"), 64, "--inputs");
        try (var s = Files.list(dir)) {
            assertEquals(0, s.count());
        }
    }

    @Test
    void theHtmlHookIsTheHtmlRenderer() {
        // `demo` writes tinysim-demo.html with it (test/dev/tinysim/html/HtmlCommandsTest checks the pages)
        assertTrue(dev.tinysim.cli.Renderers.html().isPresent());
        assertEquals("html", dev.tinysim.cli.Renderers.html().orElseThrow().extension());
    }
}
