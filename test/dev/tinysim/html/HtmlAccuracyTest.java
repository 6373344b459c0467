package dev.tinysim.html;

import dev.tinysim.boards.Boards;
import dev.tinysim.compare.CompareReport;
import dev.tinysim.compare.Comparison;
import dev.tinysim.compare.Samples;
import dev.tinysim.demo.ActivityData;
import dev.tinysim.demo.DemoModels;
import dev.tinysim.emulator.board.Board;
import dev.tinysim.emulator.timing.TimingModels;
import dev.tinysim.reference.ReferenceInterpreter;
import dev.tinysim.reference.TensorValues;
import dev.tinysim.tflite.Models;
import dev.tinysim.tflite.TfliteModel;
import dev.tinysim.tflite.TfliteReader;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the HTML report shows accuracy: synthetic inputs said so near the top, low agreement and drops in warning colour. */
class HtmlAccuracyTest {
    private static final Path KWS_FLOAT = Models.DIR.resolve("kws_ref_model_float32.tflite");
    private static final Path KWS_INT8 = Models.DIR.resolve("kws_ref_model.tflite");
    private static final String WARN = "border-top-color:#b45309";

    private static String html(CompareReport r) {
        String html = new HtmlReport(List.of("compare")).render(r);
        HtmlReportTest.assertSelfContained(html);
        return html;
    }

    private static CompareReport compare(Path f, Path q, Samples samples) throws Exception {
        Board board = Boards.load("nrf52840", false);
        return Comparison.run(new Comparison.Request(new Comparison.ModelFile(f.getFileName().toString(), Files.readAllBytes(f)),
                new Comparison.ModelFile(q.getFileName().toString(), Files.readAllBytes(q)), board, Boards.load("nrf52840", true),
                samples, 10, 1, TimingModels.defaultName(), null, null, 1, null));
    }

    /** The card whose key starts with {@code key}: its opening tag and text up to the next card. */
    private static String card(String html, String key) {
        int k = html.indexOf("<div class=\"k\">" + key);
        assertTrue(k > 0, key + " card missing");
        int start = html.lastIndexOf("<div class=\"card\"", k);
        return html.substring(start, html.indexOf("</div></div>", k));
    }

    @Test
    void syntheticInputsAreSaidSoAboveTheCards() {
        String html = html(Reports.demo());
        int banner = html.indexOf("<div class=\"banner warn\" data-accuracy=\"synthetic\">");
        assertTrue(banner > 0, "no synthetic-inputs banner");
        assertTrue(banner < html.indexOf("<div class=\"cards\">"), "the banner comes before the cards");
        assertTrue(html.contains("<b>Synthetic inputs: agreement only, not accuracy.</b>"));
        assertTrue(card(html, "int8 top-1 agreement").contains("synthetic inputs: agreement only, not accuracy"));
        assertTrue(html.contains("Agreement: int8 against float32 (synthetic inputs)"));
    }

    @Test
    void aLowAgreementIsInWarningColour() {
        // the KWS pair on random inputs: int8 picks float32's class on few of them
        CompareReport r = Reports.compare(KWS_FLOAT, KWS_INT8, "nrf52840", dev.tinysim.compare.Budgets.NONE);
        assertTrue(r.accuracy().top1Agreement() < 0.9, r.accuracy().toString());
        String html = html(r);
        String banner = html.substring(html.indexOf("data-accuracy=\"synthetic\""));
        assertTrue(banner.startsWith("data-accuracy=\"synthetic\"><span class=\"icon\">!</span><div><b>Synthetic inputs: agreement only, "
                + "not accuracy.</b><div class=\"small\">int8 picks float32&#39;s class on only "), banner.substring(0, 300));
        assertTrue(card(html, "int8 top-1 agreement").contains(WARN), card(html, "int8 top-1 agreement"));
    }

    @Test
    void labelledDataGetAccuracyPerClassAndAConfusionMatrix() throws Exception {
        TfliteModel f = TfliteReader.read(Reports.DEMO_FLOAT);
        TfliteModel q = TfliteReader.read(Reports.DEMO_INT8);
        List<Samples.Sample> list = new ArrayList<>();
        for (ActivityData.Window w : ActivityData.generate(DemoModels.EXAMPLE_SEED, 0, 40)) {
            list.add(new Samples.Sample(DemoModels.inputBytes(f, w), DemoModels.inputBytes(q, w), w.label()));
        }
        CompareReport r = compare(Reports.DEMO_FLOAT, Reports.DEMO_INT8, new Samples("40 windows", list, ActivityData.LABELS));
        String html = html(r);
        assertFalse(html.contains("data-accuracy="), "no concern, real data: no banner");
        String c = card(html, "int8 top-1 accuracy");
        assertTrue(c.contains("border-top-color:#15803d"), c);
        assertTrue(html.contains("<table class=\"data\" id=\"per-class\">"));
        assertTrue(html.contains("<table class=\"data\" id=\"confusion\">"));
        for (String label : ActivityData.LABELS) {
            assertTrue(html.contains("<tr><td>" + label + "</td>"), label);
        }
    }

    @Test
    void aLargeAccuracyDropIsInWarningColourNearTheTop() throws Exception {
        // random KWS inputs labelled with float32's own choices: float32 is 100 % right, int8 as right as it agrees
        TfliteModel f = TfliteReader.read(KWS_FLOAT);
        TfliteModel q = TfliteReader.read(KWS_INT8);
        Samples generated = Samples.generated(f.mainSubgraph().inputTensor(0), q.mainSubgraph().inputTensor(0), 8, 1);
        ReferenceInterpreter ref = ReferenceInterpreter.prepare(f);
        List<Samples.Sample> labelled = new ArrayList<>();
        for (Samples.Sample s : generated.samples()) {
            int label = TensorValues.argmax(TensorValues.toFloats(f.mainSubgraph().outputTensor(0), ref.invoke(List.of(s.floatInput())).get(0)));
            labelled.add(new Samples.Sample(s.floatInput(), s.int8Input(), label));
        }
        CompareReport r = compare(KWS_FLOAT, KWS_INT8, new Samples("8 labelled inputs", labelled, null));
        assertEquals(1.0, r.accuracy().float32());
        assertTrue(r.accuracy().drop() > 0.01, r.accuracy().toString());
        String html = html(r);
        int banner = html.indexOf("<div class=\"banner warn\" data-accuracy=\"concern\">");
        assertTrue(banner > 0 && banner < html.indexOf("<div class=\"cards\">"));
        assertTrue(html.substring(banner).contains("<b>Accuracy: int8 loses "), html.substring(banner, banner + 300));
        assertTrue(card(html, "int8 top-1 accuracy").contains(WARN));
    }
}
