package dev.tinysim.html;

import dev.tinysim.compare.Accuracy;
import dev.tinysim.compare.Budgets;
import dev.tinysim.compare.CompareReport;
import dev.tinysim.compare.FitReport;
import dev.tinysim.compare.LayerBreakdown;
import dev.tinysim.compare.Layers;
import dev.tinysim.compare.Measurement;
import dev.tinysim.compare.ReportRenderer;
import dev.tinysim.inference.InferenceReport;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import static dev.tinysim.html.Html.bytes;
import static dev.tinysim.html.Html.esc;
import static dev.tinysim.emulator.units.Units.grouped;
import static dev.tinysim.html.Blocks.*;
import static dev.tinysim.html.Colors.*;
import static dev.tinysim.html.LatencySection.*;
import static dev.tinysim.html.MemorySection.*;
import static dev.tinysim.html.LayerSection.*;
import static dev.tinysim.html.AccuracySection.*;
import static dev.tinysim.html.SetupSection.*;

/**
 * The HTML report of {@code tinysim compare} / {@code tinysim demo} (and of {@code tinysim fit}): one self-contained
 * page — inline CSS, inline SVG charts, no fonts, images or scripts from anywhere (a Content-Security-Policy forbids
 * every fetch) — with the latency of every configuration, flash and RAM against the board's limits, per-layer
 * cycles, the tables, the board profile, the timing model with its parameters, tinysim's version and the command
 * line that produced it.
 *
 * <p>One tiny inline script records the laid-out size of every chart in a {@code data-measured} attribute (for the
 * headless-browser test); nothing needs it to display. The output is deterministic: no clock, no host name.
 */
public final class HtmlReport implements ReportRenderer {
    /** Records each chart's laid-out size; allowed by its hash in the page's Content-Security-Policy (measure.js). */
    static final String MEASURE_SCRIPT = PageAssets.MEASURE_SCRIPT;

    private final List<String> commandLine;

    /**
     * @param commandLine the arguments tinysim was started with (after the program name), or null when unknown
     */
    public HtmlReport(List<String> commandLine) {
        this.commandLine = commandLine == null ? null : List.copyOf(commandLine);
    }

    @Override
    public String extension() {
        return "html";
    }

    // ---------------------------------------------------------------------------------------------------------------
    // compare / demo

    @Override
    public String render(CompareReport r) {
        CompareReport.ModelInfo f = r.models().float32();
        CompareReport.ModelInfo q = r.models().int8();
        CompareReport.BoardInfo b = r.board();
        List<Measurement> rows = r.configurations();
        StringBuilder s = new StringBuilder();

        String title = f.file() + " vs " + q.file() + " on " + b.name();
        header(s, "int8 vs float32 comparison", title, b, r.timing(), r.tool());
        banner(s, r.result().kind(), r.result().exitCode(), r.result().message(), rows.stream().allMatch(Measurement::fits));
        accuracyBanner(s, r.accuracy());
        compareCards(s, r);

        // latency
        section(s, "latency", "Latency of one inference", (
                "Cycles counted by the DWT cycle counter around one inference on " + r.input() + ", at the board clock ("
                        + Html.mhz(b.clockHz()) + "). Speed-up = " + (r.baseline() == null ? "none (no baseline)" : r.baseline()
                        + " cycles ÷ cycles") + ". Linear scale."));
        s.append(latencyChart(rows, r.baseline(), b.clockHz(), r.budgets()).render());
        for (CompareReport.Absent a : r.absent()) {
            s.append("<p class=\"absent\"><b>").append(esc(a.id())).append("</b> is absent: ").append(esc(a.reason())).append("</p>\n");
        }
        configurationsTable(s, rows, r.baseline(), b.clockHz(), true);
        s.append("</section>\n");

        memorySection(s, rows, b, r.budgets());

        // per-layer cycles
        LayerBreakdown layers = LayerBreakdown.of(r, MAX_LAYER_SEGMENTS);
        if (!layers.labels().isEmpty()) {
            section(s, "layers", "Where the cycles go: per-layer cycles",
                    ("One stacked bar per configuration, one segment per layer (" + r.layers().matching() + ")"
                            + (layers.grouped() ? "; the smallest layers are grouped as “other”" : "") + ". Hover a segment for its figures."));
            layerCharts(s, layers, rows);
            layerTable(s, layers, rows);
            s.append("</section>\n");
        }

        accuracySection(s, r.accuracy());
        budgetsSection(s, r.budgets());

        // set-up
        section(s, "setup", "Board, models and timing model", null);
        s.append("<div class=\"grid2\">\n");
        boardTable(s, b);
        timingTable(s, r.timing(), rows);
        s.append("</div>\n");
        modelsTable(s, List.of(Map.entry("float32", f), Map.entry("int8", q)));
        s.append("</section>\n");

        notesSection(s, r.notes());
        provenance(s, r.tool());
        return page(title, s.toString());
    }

    private void compareCards(StringBuilder s, CompareReport r) {
        List<Measurement> measured = r.configurations().stream().filter(Measurement::measured).toList();
        s.append("<div class=\"cards\">\n");
        Measurement fastest = measured.stream().min(Comparator.comparingLong(Measurement::cycles)).orElse(null);
        Measurement slowest = measured.stream().max(Comparator.comparingLong(Measurement::cycles)).orElse(null);
        if (fastest != null) {
            card(s, "Fastest", fastest.id(), Html.ms(fastest.milliseconds()) + " ms",
                    grouped(fastest.cycles()) + " cycles" + (fastest.speedup() != null && !fastest.id().equals(r.baseline())
                            ? " · " + Html.speedup(fastest.speedup()) + " " + r.baseline() : ""), colorOf(fastest));
        }
        if (slowest != null && slowest != fastest) {
            card(s, "Slowest", slowest.id(), Html.ms(slowest.milliseconds()) + " ms",
                    String.format(Locale.ROOT, "%.1f× the cycles of %s", (double) slowest.cycles() / fastest.cycles(), fastest.id()),
                    colorOf(slowest));
        }
        long fits = r.configurations().stream().filter(Measurement::fits).count();
        List<String> over = r.configurations().stream().filter(m -> !m.fits()).map(m -> m.id() + " (" + overText(m) + ")").toList();
        card(s, "Fits", r.board().name(), fits + " of " + r.configurations().size(),
                over.isEmpty() ? "every configuration fits flash and RAM" : "does not fit: " + String.join(", ", over),
                fits == r.configurations().size() ? "#15803d" : "#b91c1c");
        Accuracy a = r.accuracy();
        if (a != null) {
            String color = accuracyConcern(a) != null ? "#b45309" : a.synthetic() ? "#334155" : "#15803d";
            if (a.int8() != null) {
                card(s, "int8 top-1 accuracy", null, Html.fixed(100 * a.int8(), 1) + "%", "float32 " + Html.fixed(100 * a.float32(), 1)
                        + "% · drop " + Html.fixed(100 * a.drop(), 1) + " points over " + grouped(a.count()) + " labelled input"
                        + (a.count() == 1 ? "" : "s"), color);
            } else {
                String big = a.classifier() && a.top1Agreement() != null ? Html.fixed(100 * a.top1Agreement(), 1) + "%"
                        : a.snrDb() == null ? "identical" : Html.fixed(a.snrDb(), 1) + " dB";
                String k = a.classifier() ? "int8 top-1 agreement" : "int8 SNR";
                String detail = (a.synthetic() ? "synthetic inputs: agreement only, not accuracy · " : "")
                        + (a.classifier() ? (a.snrDb() == null ? "identical outputs" : "SNR " + Html.fixed(a.snrDb(), 2) + " dB") + " · " : "")
                        + "max |error| " + num(a.maxAbsError()) + " over " + grouped(a.count()) + " input" + (a.count() == 1 ? "" : "s");
                card(s, k, a.synthetic() ? "synthetic inputs" : null, big, detail, color);
            }
        }
        s.append("</div>\n");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // fit

    /** The HTML report of {@code tinysim fit}: the same building blocks for one model (or firmware) on one board. */
    @Override
    public String render(FitReport r) {
        CompareReport.BoardInfo b = r.board();
        FitReport.Target t = r.target();
        List<Measurement> rows = r.configurations();
        StringBuilder s = new StringBuilder();
        String title = "Does " + t.file() + " fit " + b.name() + "?";
        header(s, "fit report", title, b, r.timing(), r.tool());
        Measurement primary = r.configuration(r.verdictFrom());
        banner(s, r.result().kind(), r.result().exitCode(), r.result().message(), r.result().kind().equals("fits"));

        s.append("<div class=\"cards\">\n");
        if (primary != null) {
            card(s, "Verdict (" + primary.id() + ")", null, primary.fits() ? "fits" : "does not fit",
                    primary.fits() ? "flash and RAM within " + b.name() + "'s limits" : overText(primary),
                    primary.fits() ? "#15803d" : "#b91c1c");
            card(s, "Flash", null, Html.pct(primary.flash().used(), primary.flash().available()),
                    grouped(primary.flash().used()) + " of " + grouped(primary.flash().available()) + " bytes", primary.flash().fits() ? "#334155" : "#b91c1c");
            card(s, "RAM", null, Html.pct(primary.ram().used(), primary.ram().available()),
                    grouped(primary.ram().used()) + " of " + grouped(primary.ram().available()) + " bytes", primary.ram().fits() ? "#334155" : "#b91c1c");
            if (primary.measured()) {
                card(s, "Latency (" + primary.id() + ")", null, Html.ms(primary.milliseconds()) + " ms",
                        grouped(primary.cycles()) + " cycles at " + Html.mhz(b.clockHz()), colorOf(primary));
            }
        }
        s.append("</div>\n");

        section(s, "latency", "Latency", (t.kind().equals("model")
                ? "Cycles of one inference (DWT cycle counter) on its input (" + (r.input() == null ? "seeded" : r.input()) + "), at the board clock. Linear scale."
                : "Cycles of the whole firmware run, at the board clock."));
        s.append(latencyChart(rows, null, b.clockHz(), r.budgets()).render());
        configurationsTable(s, rows, null, b.clockHz(), false);
        s.append("</section>\n");

        memorySection(s, rows, b, r.budgets());
        layerMemorySection(s, r);

        LayerBreakdown layers = LayerBreakdown.of(rows, MAX_LAYER_SEGMENTS);
        if (!layers.labels().isEmpty()) {
            section(s, "layers", "Where the cycles go: per-operator cycles",
                    ("One stacked bar per configuration, one segment per operator" + (layers.grouped()
                            ? "; the smallest operators are grouped as “other”" : "") + ". Hover a segment for its figures."));
            layerCharts(s, layers, rows);
            layerTable(s, layers, rows);
            s.append("</section>\n");
        }
        budgetsSection(s, r.budgets());

        section(s, "setup", "Board, " + t.kind() + " and timing model", null);
        s.append("<div class=\"grid2\">\n");
        boardTable(s, b);
        timingTable(s, r.timing(), rows);
        s.append("</div>\n");
        s.append("<h3>").append(t.kind().equals("model") ? "Model" : "Firmware").append("</h3>\n<table class=\"kv\">\n");
        kv(s, "file", t.file());
        kv(s, "size", grouped(t.bytes()) + " bytes");
        if (t.precision() != null) {
            kv(s, "precision", t.precision());
        }
        if (t.operators() != null) {
            kv(s, "operators", grouped(t.operators()));
        }
        if (t.macs() != null) {
            kv(s, "MACs per inference", grouped(t.macs()));
        }
        s.append("</table>\n</section>\n");

        notesSection(s, r.notes());
        provenance(s, r.tool());
        return page(title, s.toString());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // building blocks

    private void provenance(StringBuilder s, CompareReport.Tool tool) {
        s.append("<footer id=\"provenance\">\n<h2>How this report was made</h2>\n<table class=\"kv\">\n");
        kv(s, "tool", Objects.toString(tool.name(), "") + " " + Objects.toString(tool.version(), ""));
        kv(s, "engine", tool.engine());
        String cmd = commandLine == null ? null : "tinysim" + (commandLine.isEmpty() ? "" : " " + Html.shellQuote(commandLine));
        kv(s, "command line", raw(cmd == null ? "<span class=\"muted\">not recorded (rendered outside the tinysim command line)</span>"
                : "<pre class=\"cmd\" id=\"command-line\">" + esc(cmd) + "</pre>"));
        s.append("</table>\n<p class=\"small muted\">Everything in this page is computed by tinysim on an emulated Cortex-M4 "
                + "(cycles from its timing model, not from silicon). The page is self-contained: it loads nothing.</p>\n</footer>\n");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // the page

    private static String page(String title, String body) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src '"
                + scriptHash() + "'; img-src data:\">\n"
                + "<meta name=\"generator\" content=\"tinysim\">\n"
                + "<title>" + esc(title) + " — tinysim</title>\n<style>\n" + PageAssets.CSS + "</style>\n</head>\n<body>\n<main>\n"
                + body + "</main>\n<script>" + MEASURE_SCRIPT + "</script>\n</body>\n</html>\n";
    }

    /** {@code sha256-…} of the measuring script, for the Content-Security-Policy. */
    static String scriptHash() {
        return PageAssets.SCRIPT_HASH;
    }
}
