package dev.tinysim.html;

import dev.tinysim.compare.Accuracy;
import dev.tinysim.compare.Budgets;
import dev.tinysim.compare.CompareReport;
import dev.tinysim.compare.FitReport;
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

import static dev.tinysim.html.Html.bytes;
import static dev.tinysim.html.Html.esc;
import static dev.tinysim.html.Html.n;

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

    private static final String[] LAYER_COLORS = {"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1",
            "#ff9da7", "#9c755f", "#86bcb6"};
    private static final String OTHER_COLOR = "#bac2cc";
    private static final String INTERPRETER_COLOR = "#e2e8f0";
    private static final int MAX_LAYER_SEGMENTS = LAYER_COLORS.length;

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
        section(s, "latency", "Latency of one inference", esc(
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
        LayerData layers = LayerData.of(r);
        if (!layers.labels().isEmpty()) {
            section(s, "layers", "Where the cycles go: per-layer cycles",
                    esc("One stacked bar per configuration, one segment per layer (" + r.layers().matching() + ")"
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
                    n(fastest.cycles()) + " cycles" + (fastest.speedup() != null && !fastest.id().equals(r.baseline())
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
                        + "% · drop " + Html.fixed(100 * a.drop(), 1) + " points over " + n(a.count()) + " labelled input"
                        + (a.count() == 1 ? "" : "s"), color);
            } else {
                String big = a.classifier() && a.top1Agreement() != null ? Html.fixed(100 * a.top1Agreement(), 1) + "%"
                        : a.snrDb() == null ? "identical" : Html.fixed(a.snrDb(), 1) + " dB";
                String k = a.classifier() ? "int8 top-1 agreement" : "int8 SNR";
                String detail = (a.synthetic() ? "synthetic inputs: agreement only, not accuracy · " : "")
                        + (a.classifier() ? (a.snrDb() == null ? "identical outputs" : "SNR " + Html.fixed(a.snrDb(), 2) + " dB") + " · " : "")
                        + "max |error| " + num(a.maxAbsError()) + " over " + n(a.count()) + " input" + (a.count() == 1 ? "" : "s");
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
                    n(primary.flash().used()) + " of " + n(primary.flash().available()) + " bytes", primary.flash().fits() ? "#334155" : "#b91c1c");
            card(s, "RAM", null, Html.pct(primary.ram().used(), primary.ram().available()),
                    n(primary.ram().used()) + " of " + n(primary.ram().available()) + " bytes", primary.ram().fits() ? "#334155" : "#b91c1c");
            if (primary.measured()) {
                card(s, "Latency (" + primary.id() + ")", null, Html.ms(primary.milliseconds()) + " ms",
                        n(primary.cycles()) + " cycles at " + Html.mhz(b.clockHz()), colorOf(primary));
            }
        }
        s.append("</div>\n");

        section(s, "latency", "Latency", esc(t.kind().equals("model")
                ? "Cycles of one inference (DWT cycle counter) on its input (" + (r.input() == null ? "seeded" : r.input()) + "), at the board clock. Linear scale."
                : "Cycles of the whole firmware run, at the board clock."));
        s.append(latencyChart(rows, null, b.clockHz(), r.budgets()).render());
        configurationsTable(s, rows, null, b.clockHz(), false);
        s.append("</section>\n");

        memorySection(s, rows, b, r.budgets());
        layerMemorySection(s, r);

        LayerData layers = LayerData.of(rows);
        if (!layers.labels().isEmpty()) {
            section(s, "layers", "Where the cycles go: per-operator cycles",
                    esc("One stacked bar per configuration, one segment per operator" + (layers.grouped()
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
        kv(s, "file", esc(t.file()));
        kv(s, "size", n(t.bytes()) + " bytes");
        if (t.precision() != null) {
            kv(s, "precision", esc(t.precision()));
        }
        if (t.operators() != null) {
            kv(s, "operators", n(t.operators()));
        }
        if (t.macs() != null) {
            kv(s, "MACs per inference", n(t.macs()));
        }
        s.append("</table>\n</section>\n");

        notesSection(s, r.notes());
        provenance(s, r.tool());
        return page(title, s.toString());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // building blocks

    private static void header(StringBuilder s, String kind, String title, CompareReport.BoardInfo b, CompareReport.Timing timing,
                               CompareReport.Tool tool) {
        s.append("<header>\n<div class=\"brand\"><span class=\"logo\">tinysim</span> ").append(esc(kind)).append("</div>\n");
        s.append("<h1>").append(esc(title)).append("</h1>\n");
        s.append("<p class=\"sub\">").append(esc(b.description() == null ? b.name() : b.description()))
                .append(" · timing model <b>").append(esc(timing.model())).append("</b>")
                .append(" · tinysim ").append(esc(tool.version())).append("</p>\n</header>\n");
    }

    private static void banner(StringBuilder s, String kind, int exitCode, String message, boolean allGood) {
        String cls = switch (kind) {
            case "ok", "fits" -> allGood ? "ok" : "warn";
            case "does-not-fit", "budget-exceeded", "failed" -> "bad";
            default -> "warn";
        };
        String icon = cls.equals("ok") ? "✓" : cls.equals("warn") ? "!" : "✗";
        s.append("<div class=\"banner ").append(cls).append("\" data-result=\"").append(esc(kind)).append("\"><span class=\"icon\">")
                .append(icon).append("</span><div><b>").append(esc(message)).append("</b><div class=\"small\">result ")
                .append(esc(kind)).append(" · exit code ").append(exitCode).append("</div></div></div>\n");
    }

    private static void card(StringBuilder s, String key, String tag, String value, String detail, String color) {
        s.append("<div class=\"card\" style=\"border-top-color:").append(color).append("\"><div class=\"k\">").append(esc(key))
                .append(tag == null ? "" : " · <span class=\"tag\">" + esc(tag) + "</span>").append("</div><div class=\"v\">")
                .append(esc(value)).append("</div><div class=\"d\">").append(esc(detail)).append("</div></div>\n");
    }

    private static void section(StringBuilder s, String id, String title, String captionHtml) {
        s.append("<section id=\"").append(id).append("\">\n<h2>").append(esc(title)).append("</h2>\n");
        if (captionHtml != null) {
            s.append("<p class=\"caption\">").append(captionHtml).append("</p>\n");
        }
    }

    private static BarChart latencyChart(List<Measurement> rows, String baseline, long clockHz, List<Budgets.Check> budgets) {
        BarChart c = new BarChart("latency", "Latency of one inference per configuration, in milliseconds at " + Html.mhz(clockHz))
                .axis("milliseconds at " + Html.mhz(clockHz) + " (linear scale)", 1, Html::trim);
        for (Measurement m : rows) {
            List<BarChart.Segment> seg = new ArrayList<>();
            String strong = null;
            String note;
            boolean bad = false;
            if (m.measured()) {
                seg.add(new BarChart.Segment("latency", m.id(), m.milliseconds(), colorOf(m), m.id() + ": " + n(m.cycles()) + " cycles = "
                        + Html.fixed(m.milliseconds(), 3) + " ms" + (m.speedup() == null ? "" : ", " + Html.speedup(m.speedup()))));
                strong = Html.ms(m.milliseconds()) + " ms";
                note = n(m.cycles()) + " cycles" + (m.id().equals(baseline) ? " · baseline"
                        : m.speedup() == null ? "" : " · " + Html.speedup(m.speedup()));
            } else {
                note = "failed: " + m.result().message();
                bad = true;
            }
            c.row(new BarChart.Row(m.id(), m.id(), sublabel(m), seg, strong, note, bad));
        }
        for (Budgets.Check b : budgets) {
            if (b.unit().equals("ms")) {
                c.marker(new BarChart.Marker("budget-latency", b.limit().doubleValue(), "budget " + b.given() + " ms", false));
            }
        }
        return c;
    }

    private static String sublabel(Measurement m) {
        List<String> parts = new ArrayList<>();
        parts.add(m.runtime());
        if (m.kernels() != null && int8Row(m)) {
            parts.add(m.kernels() + " kernels");
        } else if (m.abi() != null) {
            parts.add(m.abi() + " float");
        }
        return String.join(" · ", parts);
    }

    /** An int8 model's row (its kernels matter). */
    private static boolean int8Row(Measurement m) {
        return m.id().startsWith("int8") || "int8".equals(m.model()) || (m.label() != null && m.label().contains(" kernels"));
    }

    private static void configurationsTable(StringBuilder s, List<Measurement> rows, String baseline, long clockHz, boolean speedup) {
        s.append("<table class=\"data\" id=\"configurations\">\n<thead><tr><th>configuration</th><th>runtime</th>")
                .append("<th class=\"n\">flash used</th><th class=\"n\">RAM used</th><th class=\"n\">cycles</th><th class=\"n\">ms @ ")
                .append(Html.mhz(clockHz)).append("</th>").append(speedup ? "<th class=\"n\">speed-up</th>" : "")
                .append("<th>fits</th></tr></thead>\n<tbody>\n");
        for (Measurement m : rows) {
            s.append("<tr data-configuration=\"").append(esc(m.id())).append("\"><td class=\"nw\"><span class=\"sw\" style=\"background:")
                    .append(colorOf(m)).append("\"></span><b>").append(esc(m.id())).append("</b><div class=\"small\">")
                    .append(esc(m.label())).append("</div></td>");
            s.append("<td class=\"nw\">").append(esc(m.runtime())).append("<div class=\"small\">").append(esc(m.board()))
                    .append(" · ").append(esc(m.abi())).append(" float")
                    .append(m.kernels() == null || !int8Row(m) ? "" : " · " + esc(m.kernels()) + " kernels").append("</div></td>");
            s.append("<td class=\"n\">").append(n(m.flash().used())).append("<div class=\"small\">of ").append(n(m.flash().available()))
                    .append(" (").append(Html.pct(m.flash().used(), m.flash().available())).append(")</div></td>");
            s.append("<td class=\"n\">").append(n(m.ram().used())).append("<div class=\"small\">of ").append(n(m.ram().available()))
                    .append(" (").append(Html.pct(m.ram().used(), m.ram().available())).append(")</div></td>");
            s.append("<td class=\"n\">").append(m.measured() ? n(m.cycles()) : "–").append("</td>");
            s.append("<td class=\"n\">").append(m.measured() ? Html.fixed(m.milliseconds(), 2) : "–").append("</td>");
            if (speedup) {
                s.append("<td class=\"n\">").append(m.id().equals(baseline) ? "1.00× <span class=\"small\">(base)</span>"
                        : esc(Html.speedup(m.speedup()))).append("</td>");
            }
            s.append("<td class=\"nw\">").append(fitsBadge(m)).append("</td></tr>\n");
        }
        s.append("</tbody>\n</table>\n");
        for (Measurement m : rows) {
            if (m.measuredOn() != null) {
                s.append("<p class=\"small note-line\"><b>").append(esc(m.id())).append("</b> does not fit; it was ").append(esc(m.measuredOn()))
                        .append(".</p>\n");
            }
        }
    }

    private static String fitsBadge(Measurement m) {
        int code = m.result().exitCode();
        if (!m.measured() && code != 0 && code != 67) {
            return "<span class=\"badge bad\">failed</span><div class=\"small\">" + esc(m.result().message()) + "</div>";
        }
        if (m.fits()) {
            return "<span class=\"badge ok\">fits</span>";
        }
        return "<span class=\"badge bad\">does not fit</span><div class=\"small\">" + esc(overText(m)) + "</div>";
    }

    /** "flash +68,880 B, RAM +1,024 B" */
    private static String overText(Measurement m) {
        List<String> parts = new ArrayList<>();
        if (!m.flash().fits()) {
            parts.add("flash +" + n(-m.flash().free()) + " B");
        }
        if (!m.ram().fits()) {
            parts.add(m.ram().stackOverflow() && m.ram().free() >= 0 ? "stack overflow" : "RAM +" + n(-m.ram().free()) + " B");
        }
        return parts.isEmpty() ? "fits" : String.join(", ", parts);
    }

    private static void memorySection(StringBuilder s, List<Measurement> rows, CompareReport.BoardInfo b, List<Budgets.Check> budgets) {
        section(s, "memory", "Flash and RAM against the board's limits", esc(
                "Flash = runtime image + model; RAM = static data + the runtime's arena (high-water mark) + the measured stack peak. "
                        + "The red line is what the board offers" + (b.reservedFlash() > 0 || b.reservedRam() > 0
                        ? " after the memory reserved for other software (hatched grey)" : "")
                        + "; the hatched red part of a bar is over it."));
        s.append("<h3>Flash</h3>\n");
        s.append(memoryChart("flash", rows, b.flashBytes(), b.reservedFlash(), budget(budgets, "--max-flash"), true).render());
        legend(s, List.of(Map.entry("runtime image", FLASH_RUNTIME), Map.entry("model", FLASH_MODEL)), true);
        s.append("<h3>RAM</h3>\n");
        s.append(memoryChart("ram", rows, b.ramBytes(), b.reservedRam(), budget(budgets, "--max-ram"), false).render());
        legend(s, List.of(Map.entry("static data", RAM_STATIC), Map.entry("arena", RAM_ARENA), Map.entry("stack peak", RAM_STACK)), true);
        s.append("</section>\n");
    }

    private static final String LIVE_ACTIVATIONS = "#8b5cf6";
    private static final String LIVE_SCRATCH = "#f59e0b";

    /**
     * Memory per operator of the configuration the verdict judges: the arena bytes alive while each operator runs
     * (activations, scratch), its weights (in flash), the peak and what is alive there; TFLite Micro's plan, tinysim's best
     * plan and the lower bound as markers.
     */
    private static void layerMemorySection(StringBuilder s, FitReport r) {
        dev.tinysim.plan.LayerMemory mem = r.memory();
        dev.tinysim.inference.InferenceReport.Arena a = r.arena();
        if (mem == null || mem.operators().isEmpty() || a == null) {
            return;
        }
        String plan = dev.tinysim.inference.InferenceTextReport.planLine(a);
        section(s, "layer-memory", "Memory per operator (" + r.verdictFrom() + ")", esc("Arena bytes alive while each operator runs: "
                + "the tensors it reads or writes and every tensor kept for a later operator (activations), and its scratch buffers; "
                + "its weights stay in flash. " + plan + ". No plan needs less than the peak."));
        BarChart c = new BarChart("layer-memory", "Arena bytes alive while each operator runs")
                .axis("KB (1 KB = 1,024 bytes)", 1024, v -> Html.trim(v / 1024));
        c.marker(new BarChart.Marker("plan-tflite", a.planned(), "TFLite Micro's plan " + bytes(a.planned()), false));
        if (a.bestPlanned() != null && a.bestPlanned() < a.planned()) {
            c.marker(new BarChart.Marker("plan-best", a.bestPlanned(), "tinysim's plan " + bytes(a.bestPlanned()), false));
        }
        for (dev.tinysim.plan.LayerMemory.Layer l : mem.operators()) {
            List<BarChart.Segment> seg = new ArrayList<>();
            String tip = l.index() + " " + l.operator() + ": " + n(l.activations()) + " bytes of activations + " + n(l.scratch())
                    + " of scratch alive; " + n(l.weights()) + " bytes of weights in flash";
            seg.add(new BarChart.Segment("activations", "activations", l.activations(), LIVE_ACTIVATIONS, tip));
            seg.add(new BarChart.Segment("scratch", "scratch", l.scratch(), LIVE_SCRATCH, tip)); // not drawn when 0
            boolean peak = mem.peak() != null && mem.peak().operator() == l.index();
            c.row(new BarChart.Row("op-" + l.index(), l.index() + " " + l.operator(), peak ? "peak" : null, seg, bytes(l.live()),
                    "weights " + bytes(l.weights()), false));
        }
        s.append(c.render());
        legend(s, List.of(Map.entry("activations", LIVE_ACTIVATIONS), Map.entry("scratch", LIVE_SCRATCH)), true);
        if (mem.peak() != null) {
            s.append("<p>Peak: operator ").append(mem.peak().operator()).append(" (").append(esc(mem.peak().name())).append("), ")
                    .append(n(mem.peak().bytes())).append(" bytes alive:</p>\n<table class=\"data\" data-table=\"peak\">\n"
                    + "<tr><th>buffer</th><th>name</th><th class=\"num\">bytes</th><th class=\"num\">arena bytes</th></tr>\n");
            for (dev.tinysim.plan.LayerMemory.LiveBuffer lb : mem.peak().buffers()) {
                s.append("<tr><td>").append(esc(lb.kind() + " " + lb.id())).append("</td><td>").append(esc(lb.name()))
                        .append("</td><td class=\"num\">").append(n(lb.bytes())).append("</td><td class=\"num\">").append(n(lb.size()))
                        .append("</td></tr>\n");
            }
            s.append("</table>\n");
        }
        s.append("</section>\n");
    }

    private static final String FLASH_RUNTIME = "#64748b";
    private static final String FLASH_MODEL = "#0ea5e9";
    private static final String RAM_STATIC = "#64748b";
    private static final String RAM_ARENA = "#8b5cf6";
    private static final String RAM_STACK = "#14b8a6";

    private static Budgets.Check budget(List<Budgets.Check> budgets, String option) {
        return budgets.stream().filter(c -> c.option().equals(option)).findFirst().orElse(null);
    }

    private static BarChart memoryChart(String kind, List<Measurement> rows, long capacity, long reserved, Budgets.Check budget,
                                        boolean flash) {
        long available = capacity - reserved;
        String what = flash ? "Flash" : "RAM";
        BarChart c = new BarChart(kind, what + " used per configuration against the board's " + bytes(available) + " available")
                .axis("KB (1 KB = 1,024 bytes)", 1024, v -> Html.trim(v / 1024)).hatchOverLimit();
        c.marker(new BarChart.Marker(kind + "-limit", available, reserved > 0 ? "available " + bytes(available) + " (" + bytes(reserved)
                + " reserved)" : what.toLowerCase(Locale.ROOT) + " " + bytes(available), true));
        if (reserved > 0) {
            c.reserved(available, capacity, bytes(reserved) + " of " + bytes(capacity) + " reserved for other software");
        }
        if (budget != null) {
            c.marker(new BarChart.Marker(kind + "-budget", budget.limit().doubleValue(), "budget " + budget.given(), false));
        }
        for (Measurement m : rows) {
            List<BarChart.Segment> seg = new ArrayList<>();
            long used;
            boolean fits;
            if (flash) {
                Measurement.Flash f = m.flash();
                used = f.used();
                fits = f.fits();
                long runtime = f.runtime();
                long model = Math.max(0, f.used() - f.runtime());
                seg.add(new BarChart.Segment("runtime", "runtime", runtime, FLASH_RUNTIME, m.id() + ": runtime " + m.runtime() + " " + n(runtime) + " bytes"));
                if (model > 0) {
                    seg.add(new BarChart.Segment("model", "model", model, FLASH_MODEL, m.id() + ": model " + n(f.model()) + " bytes"
                            + (model != f.model() ? " (+ " + n(model - f.model()) + " alignment)" : "")));
                }
            } else {
                Measurement.Ram r = m.ram();
                used = r.used();
                fits = r.fits();
                long stat = r.staticBytes();
                seg.add(new BarChart.Segment("static", "static", stat, RAM_STATIC, m.id() + ": static data " + n(stat) + " bytes"));
                if (r.arena() > 0) {
                    seg.add(new BarChart.Segment("arena", "arena", r.arena(), RAM_ARENA, m.id() + ": arena " + n(r.arena()) + " bytes"));
                }
                long stack = Math.max(0, r.used() - stat - r.arena());
                if (stack > 0) {
                    seg.add(new BarChart.Segment("stack", "stack", stack, RAM_STACK, m.id() + ": stack peak " + n(stack) + " bytes"));
                }
            }
            String note = Html.pct(used, available) + " of " + bytes(available);
            if (!fits) {
                note = used > available ? n(used - available) + " bytes over (" + Html.pct(used, available) + ")"
                        : "the stack overflowed its " + n(m.ram().stackReserved()) + "-byte reservation";
            }
            c.row(new BarChart.Row(m.id(), m.id(), n(used) + " bytes", seg, bytes(used), note, !fits));
        }
        return c;
    }

    private static void legend(StringBuilder s, List<Map.Entry<String, String>> items, boolean small) {
        s.append("<div class=\"legend").append(small ? " compact" : "").append("\">");
        for (Map.Entry<String, String> e : items) {
            s.append("<span><i style=\"background:").append(e.getValue()).append("\"></i>").append(esc(e.getKey())).append("</span>");
        }
        s.append("</div>\n");
    }

    /**
     * Per-layer cycles, however they were matched: a label per layer and, per configuration, each layer's cycles (null where
     * the layer is not in that configuration's model).
     */
    record LayerData(List<String> labels, List<String> operators, List<Map<String, Long>> cycles, List<Integer> colorOrder,
                     boolean grouped) {

        static LayerData of(CompareReport r) {
            List<String> labels = new ArrayList<>();
            List<String> ops = new ArrayList<>();
            List<Map<String, Long>> cycles = new ArrayList<>();
            if (r.layers() == null) {
                return group(labels, ops, cycles, r.configurations());
            }
            for (Layers.Row row : r.layers().rows()) {
                String idx = row.floatIndex() != null && row.floatIndex().equals(row.int8Index()) ? "#" + row.floatIndex()
                        : row.floatIndex() == null ? "int8 #" + row.int8Index()
                        : row.int8Index() == null ? "f32 #" + row.floatIndex()
                        : "f32 #" + row.floatIndex() + " / int8 #" + row.int8Index();
                labels.add(idx);
                ops.add(row.operator());
                cycles.add(row.cycles());
            }
            return group(labels, ops, cycles, r.configurations());
        }

        /** One model's operators by index (fit). */
        static LayerData of(List<Measurement> rows) {
            Map<Integer, String> names = new java.util.TreeMap<>();
            for (Measurement m : rows) {
                for (Measurement.OpCycles op : m.operators()) {
                    names.putIfAbsent(op.index(), op.operator());
                }
            }
            List<String> labels = new ArrayList<>();
            List<String> ops = new ArrayList<>();
            List<Map<String, Long>> cycles = new ArrayList<>();
            for (Map.Entry<Integer, String> e : names.entrySet()) {
                labels.add("#" + e.getKey());
                ops.add(e.getValue());
                Map<String, Long> c = new LinkedHashMap<>();
                for (Measurement m : rows) {
                    c.put(m.id(), m.operators().stream().filter(o -> o.index() == e.getKey()).map(Measurement.OpCycles::cycles)
                            .findFirst().orElse(null));
                }
                cycles.add(c);
            }
            return group(labels, ops, cycles, rows);
        }

        /** Which layers get a colour of their own: all when they are few, else the largest (by their share of any configuration). */
        private static LayerData group(List<String> labels, List<String> ops, List<Map<String, Long>> cycles, List<Measurement> rows) {
            int count = labels.size();
            List<Integer> order = new ArrayList<>();
            boolean grouped = count > MAX_LAYER_SEGMENTS;
            if (!grouped) {
                for (int i = 0; i < count; i++) {
                    order.add(i);
                }
            } else {
                double[] share = new double[count];
                for (int i = 0; i < count; i++) {
                    for (Measurement m : rows) {
                        Long c = cycles.get(i).get(m.id());
                        if (c != null && m.cycles() > 0) {
                            share[i] = Math.max(share[i], (double) c / m.cycles());
                        }
                    }
                }
                List<Integer> idx = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    idx.add(i);
                }
                idx.sort((a, b) -> Double.compare(share[b], share[a]));
                order.addAll(idx.subList(0, MAX_LAYER_SEGMENTS - 1));
                order.sort(Comparator.naturalOrder());
            }
            return new LayerData(labels, ops, cycles, order, grouped);
        }

        /** The colour of layer i, or null when it is part of "other". */
        String color(int i) {
            int k = colorOrder.indexOf(i);
            return k < 0 ? null : LAYER_COLORS[k % LAYER_COLORS.length];
        }

        String name(int i) {
            return labels.get(i) + " " + operators.get(i);
        }
    }

    private static void layerCharts(StringBuilder s, LayerData d, List<Measurement> rows) {
        BarChart abs = new BarChart("layers", "Cycles per layer, stacked, per configuration").axis("cycles (linear scale)", 1, Html::si);
        BarChart share = new BarChart("layer-share", "Share of each configuration's cycles per layer")
                .axis("% of the configuration's cycles", 1, v -> Html.trim(v) + "%").scaleTo(100);
        for (Measurement m : rows) {
            if (!m.measured()) {
                abs.row(new BarChart.Row(m.id(), m.id(), m.label(), List.of(), null, "failed: " + m.result().message(), true));
                share.row(new BarChart.Row(m.id(), m.id(), m.label(), List.of(), null, "failed", true));
                continue;
            }
            List<BarChart.Segment> segs = new ArrayList<>();
            long other = 0;
            int otherCount = 0;
            long ops = 0;
            for (int i = 0; i < d.labels().size(); i++) {
                Long c = d.cycles().get(i).get(m.id());
                if (c == null) {
                    continue;
                }
                ops += c;
                String color = d.color(i);
                if (color == null) {
                    other += c;
                    otherCount++;
                } else {
                    segs.add(new BarChart.Segment("L" + i, d.name(i), c, color, m.id() + ": " + d.name(i) + ": " + n(c) + " cycles ("
                            + Html.pct(c, m.cycles()) + ")"));
                }
            }
            if (otherCount > 0) {
                segs.add(new BarChart.Segment("other", "other", other, OTHER_COLOR, m.id() + ": " + otherCount + " other layers: "
                        + n(other) + " cycles (" + Html.pct(other, m.cycles()) + ")"));
            }
            long interp = m.cycles() - ops;
            if (interp > 0) {
                segs.add(new BarChart.Segment("interpreter", "interpreter", interp, INTERPRETER_COLOR, m.id()
                        + ": interpreter (outside the kernels): " + n(interp) + " cycles (" + Html.pct(interp, m.cycles()) + ")"));
            }
            abs.row(new BarChart.Row(m.id(), m.id(), m.label(), segs, n(m.cycles()) + " cycles", null, false));
            List<BarChart.Segment> pct = new ArrayList<>();
            for (BarChart.Segment g : segs) {
                pct.add(new BarChart.Segment(g.key(), g.name(), 100.0 * g.value() / m.cycles(), g.color(), g.tooltip()));
            }
            BarChart.Segment top = segs.stream().filter(g -> !g.key().equals("interpreter") && !g.key().equals("other"))
                    .max(Comparator.comparingDouble(BarChart.Segment::value)).orElse(null);
            share.row(new BarChart.Row(m.id(), m.id(), m.label(), pct, null, top == null ? null
                    : "largest: " + top.name() + " " + Html.pct(top.value(), m.cycles()), false));
        }
        s.append("<h3>Cycles per layer</h3>\n").append(abs.render());
        List<Map.Entry<String, String>> items = new ArrayList<>();
        int otherCount = 0;
        for (int i = 0; i < d.labels().size(); i++) {
            if (d.color(i) != null) {
                items.add(Map.entry(d.name(i), d.color(i)));
            } else {
                otherCount++;
            }
        }
        if (otherCount > 0) {
            items.add(Map.entry("other (" + otherCount + " smaller layers)", OTHER_COLOR));
        }
        items.add(Map.entry("interpreter (outside the kernels)", INTERPRETER_COLOR));
        legend(s, items, false);
        s.append("<h3>Share of each configuration's cycles</h3>\n").append(share.render());
    }

    private static void layerTable(StringBuilder s, LayerData d, List<Measurement> rows) {
        s.append("<h3>Per-layer table</h3>\n<p class=\"caption\">").append(d.labels().size())
                .append(" layers: cycles, and the share of the configuration's total.</p>\n");
        s.append("<table class=\"data layer-table\">\n<thead><tr><th>layer</th><th>operator</th>");
        for (Measurement m : rows) {
            s.append("<th class=\"n\"><span class=\"sw\" style=\"background:").append(colorOf(m)).append("\"></span>").append(esc(m.id())).append("</th>");
        }
        s.append("</tr></thead>\n<tbody>\n");
        for (int i = 0; i < d.labels().size(); i++) {
            String color = d.color(i);
            s.append("<tr><td><span class=\"sw\" style=\"background:").append(color == null ? OTHER_COLOR : color).append("\"></span>")
                    .append(esc(d.labels().get(i))).append("</td><td>").append(esc(d.operators().get(i))).append("</td>");
            for (Measurement m : rows) {
                Long c = d.cycles().get(i).get(m.id());
                if (c == null || !m.measured()) {
                    s.append("<td class=\"n muted\">–</td>");
                } else {
                    double p = 100.0 * c / m.cycles();
                    s.append("<td class=\"n heat\" style=\"background:rgba(37,99,235,")
                            .append(String.format(Locale.ROOT, "%.3f", Math.min(0.32, p / 100 * 0.9))).append(")\">").append(n(c))
                            .append("<div class=\"small\">").append(Html.pct(c, m.cycles())).append("</div></td>");
                }
            }
            s.append("</tr>\n");
        }
        s.append("</tbody>\n<tfoot><tr><td></td><td>interpreter</td>");
        for (Measurement m : rows) {
            long ops = m.operators().stream().mapToLong(Measurement.OpCycles::cycles).sum();
            s.append("<td class=\"n\">").append(m.measured() ? n(m.cycles() - ops) : "–").append("</td>");
        }
        s.append("</tr>\n<tr class=\"total\"><td></td><td>total</td>");
        for (Measurement m : rows) {
            s.append("<td class=\"n\">").append(m.measured() ? n(m.cycles()) : "–").append("</td>");
        }
        s.append("</tr></tfoot>\n</table>\n");
    }

    /** Below this top-1 agreement, int8 is shown in warning colour (a guess at "worth a look", not a standard). */
    static final double LOW_AGREEMENT = 0.90;
    /** Above this accuracy drop (a fraction: 1 percentage point), likewise. */
    static final double LARGE_DROP = 0.01;
    /** Below this SNR (non-classifiers), likewise. */
    static final double LOW_SNR_DB = 20;

    /** Why the int8 model's figures deserve a look (low agreement, large drop, low SNR), or null. */
    static String accuracyConcern(Accuracy a) {
        if (a.drop() != null && a.drop() > LARGE_DROP) {
            return "int8 loses " + Html.fixed(100 * a.drop(), 1) + " points of top-1 accuracy against float32 ("
                    + Html.fixed(100 * a.int8(), 1) + "% against " + Html.fixed(100 * a.float32(), 1) + "%)";
        }
        if (a.top1Agreement() != null && a.top1Agreement() < LOW_AGREEMENT) {
            return "int8 picks float32's class on only " + Html.fixed(100 * a.top1Agreement(), 1) + "% of the inputs ("
                    + a.top1Matches() + " of " + a.count() + ")";
        }
        if (!a.classifier() && a.snrDb() != null && a.snrDb() < LOW_SNR_DB) {
            return "int8's outputs are " + Html.fixed(a.snrDb(), 1) + " dB from float32's (SNR)";
        }
        return null;
    }

    /** A warning near the top: synthetic inputs (agreement only), a low agreement or a large accuracy drop. */
    private static void accuracyBanner(StringBuilder s, Accuracy a) {
        if (a == null) {
            return;
        }
        String concern = accuracyConcern(a);
        if (concern == null && !a.synthetic()) {
            return;
        }
        String head = a.synthetic() ? "Synthetic inputs: agreement only, not accuracy." : "Accuracy: " + concern + ".";
        String more = a.synthetic()
                ? (concern == null ? "" : esc(concern) + " — on random inputs, which a model calibrated on real data can saturate on. ")
                + "Give real data with <code>--dataset</code> (and labels) for the int8 model's accuracy."
                : "Over " + esc(a.inputs()) + ".";
        s.append("<div class=\"banner warn\" data-accuracy=\"").append(a.synthetic() ? "synthetic" : "concern")
                .append("\"><span class=\"icon\">!</span><div><b>").append(esc(head)).append("</b><div class=\"small\">").append(more)
                .append("</div></div></div>\n");
    }

    private static void accuracySection(StringBuilder s, Accuracy a) {
        if (a == null) {
            return;
        }
        section(s, "accuracy", a.synthetic() ? "Agreement: int8 against float32 (synthetic inputs)" : "Accuracy: int8 against float32",
                esc("Over " + a.inputs() + ". " + a.method() + ".") + (a.synthetic()
                        ? " <b>Synthetic inputs: agreement only, not accuracy.</b>" : ""));
        s.append("<table class=\"kv wide\">\n");
        for (String d : a.data()) {
            kv(s, "data", esc(d));
        }
        if (a.int8() != null) {
            kv(s, "top-1 accuracy", "float32 <b>" + Html.fixed(100 * a.float32(), 1) + "%</b>, int8 <b>" + Html.fixed(100 * a.int8(), 1)
                    + "%</b>, drop <b>" + Html.fixed(100 * a.drop(), 1) + " points</b>");
        }
        if (a.classifier()) {
            kv(s, "top-1 agreement", a.top1Agreement() == null ? "–" : "<b>" + Html.fixed(100 * a.top1Agreement(), 1) + "%</b> ("
                    + n(a.top1Matches()) + " of " + n(a.count()) + " inputs: the int8 model picks the float32 model's class)");
        }
        kv(s, "max abs error", "<b>" + num(a.maxAbsError()) + "</b> (largest |int8 − float32| over every output value, after dequantization)");
        kv(s, "mean abs error", num(a.meanAbsError()) + (a.rmse() == null ? "" : " · RMSE " + num(a.rmse())));
        kv(s, "SNR", a.snrDb() == null ? "infinite (identical outputs)" : "<b>" + Html.fixed(a.snrDb(), 2)
                + " dB</b> (float32 output power ÷ int8 error power)");
        if (a.labelled() != null) {
            Accuracy.Labelled l = a.labelled();
            kv(s, "against the true classes", "float32 <b>" + Html.fixed(100 * l.floatAccuracy(), 1) + "%</b> (" + n(l.floatCorrect())
                    + " of " + n(a.count()) + "), int8 <b>" + Html.fixed(100 * l.int8Accuracy(), 1) + "%</b> (" + n(l.int8Correct())
                    + " of " + n(a.count()) + ") — classes " + esc(String.join(", ", l.labels())));
        }
        if (!a.firmwareCheck().isEmpty()) {
            StringBuilder fc = new StringBuilder();
            for (Accuracy.FirmwareCheck c : a.firmwareCheck()) {
                fc.append("<span class=\"badge ").append(c.bitExact() ? "ok" : "bad").append("\">").append(esc(c.configuration()))
                        .append(c.bitExact() ? " ✓ bit-exact" : " ✗ differs").append("</span> ");
            }
            kv(s, "firmware vs reference", fc + " <span class=\"small\">(input 0 on every configuration"
                    + (a.deviceSamples() > 1 ? "; inputs 1.." + (a.deviceSamples() - 1) + " on int8-simd" : "") + ")</span>");
        }
        s.append("</table>\n");
        if (a.labelled() != null) {
            perClassTable(s, a.labelled());
        }
        s.append("</section>\n");
    }

    /** Per-class accuracy of both models, and the int8 model's confusion matrix (up to 20 classes). */
    private static void perClassTable(StringBuilder s, Accuracy.Labelled l) {
        s.append("<h3>Per class</h3>\n<table class=\"data\" id=\"per-class\">\n<thead><tr><th>class</th><th class=\"n\">inputs</th>"
                + "<th class=\"n\">float32</th><th class=\"n\">int8</th></tr></thead>\n<tbody>\n");
        for (Accuracy.ClassRow c : l.perClass()) {
            s.append("<tr><td>").append(esc(c.name())).append("</td><td class=\"n\">").append(n(c.samples())).append("</td><td class=\"n\">")
                    .append(Html.fixed(100 * c.float32(), 1)).append("% (").append(c.float32Correct()).append(")</td><td class=\"n\">")
                    .append(Html.fixed(100 * c.int8(), 1)).append("% (").append(c.int8Correct()).append(")</td></tr>\n");
        }
        s.append("</tbody></table>\n");
        if (l.confusion() == null || l.labels().size() > 20) {
            return;
        }
        int[][] m = l.confusion().int8();
        s.append("<h3>Confusion matrix of the int8 model</h3>\n<p class=\"caption\">Rows: true class; columns: predicted class.</p>\n")
                .append("<table class=\"data\" id=\"confusion\">\n<thead><tr><th>true \\ predicted</th>");
        for (String name : l.labels()) {
            s.append("<th class=\"n\">").append(esc(name)).append("</th>");
        }
        s.append("</tr></thead>\n<tbody>\n");
        for (int t = 0; t < m.length; t++) {
            s.append("<tr><td>").append(esc(l.labels().get(t))).append("</td>");
            for (int p = 0; p < m.length; p++) {
                s.append("<td class=\"n\"").append(t == p && m[t][p] > 0 ? " style=\"font-weight:700\"" : "").append(">")
                        .append(m[t][p] == 0 ? "·" : n(m[t][p])).append("</td>");
            }
            s.append("</tr>\n");
        }
        s.append("</tbody></table>\n");
    }

    private static void budgetsSection(StringBuilder s, List<Budgets.Check> budgets) {
        if (budgets.isEmpty()) {
            return;
        }
        section(s, "budgets", "Budgets", null);
        s.append("<table class=\"data\">\n<thead><tr><th>budget</th><th class=\"n\">limit</th><th>status</th></tr></thead>\n<tbody>\n");
        for (Budgets.Check c : budgets) {
            s.append("<tr><td><code>").append(esc(c.option())).append(' ').append(esc(c.given())).append("</code></td><td class=\"n\">")
                    .append(c.unit().equals("ms") ? esc(Html.trim(c.limit().doubleValue())) + " ms" : c.unit().equals("points")
                            ? esc(Html.trim(c.limit().doubleValue())) + " points" : n(c.limit().longValue()) + " bytes")
                    .append("</td><td>");
            if (c.exceeded().isEmpty()) {
                s.append("<span class=\"badge ok\">met</span>");
            } else {
                s.append("<span class=\"badge bad\">exceeded</span> ");
                List<String> who = new ArrayList<>();
                for (Budgets.Exceeded e : c.exceeded()) {
                    who.add(esc(e.configuration()) + " (" + (c.unit().equals("ms") ? Html.fixed(e.value().doubleValue(), 2) + " ms"
                            : c.unit().equals("points") ? "drop " + Html.fixed(e.value().doubleValue(), 2) + " points"
                            : n(e.value().longValue()) + " bytes") + ")");
                }
                s.append(String.join(", ", who));
            }
            s.append("</td></tr>\n");
        }
        s.append("</tbody>\n</table>\n</section>\n");
    }

    private static void boardTable(StringBuilder s, CompareReport.BoardInfo b) {
        s.append("<div><h3>Board profile</h3>\n<table class=\"kv\">\n");
        kv(s, "name", "<b>" + esc(b.name()) + "</b>");
        if (b.description() != null) {
            kv(s, "description", esc(b.description()));
        }
        kv(s, "core", "Cortex-M4" + (b.fpu() ? "F" : "") + " at " + Html.mhz(b.clockHz()) + " (" + n(b.clockHz()) + " Hz)");
        kv(s, "FPU", b.fpu() ? "yes (single precision); the soft-float row runs on " + esc(b.noFpuBoard()) : "no");
        kv(s, "flash", n(b.flashBytes()) + " bytes (" + bytes(b.flashBytes()) + ")");
        kv(s, "RAM", n(b.ramBytes()) + " bytes (" + bytes(b.ramBytes()) + ")");
        kv(s, "reserved flash", b.reservedFlash() == 0 ? "none" : n(b.reservedFlash()) + " bytes (" + bytes(b.reservedFlash())
                + ") for other software");
        kv(s, "reserved RAM", b.reservedRam() == 0 ? "none" : n(b.reservedRam()) + " bytes (" + bytes(b.reservedRam()) + ") for other software");
        kv(s, "available to the model", n(b.flashBytes() - b.reservedFlash()) + " bytes flash, " + n(b.ramBytes() - b.reservedRam()) + " bytes RAM");
        s.append("</table></div>\n");
    }

    private static void timingTable(StringBuilder s, CompareReport.Timing t, List<Measurement> rows) {
        s.append("<div><h3>Timing model</h3>\n<table class=\"kv\">\n");
        kv(s, "model", "<b>" + esc(t.model()) + "</b>");
        kv(s, "counts", esc(t.description()));
        Map<String, Object> params = null;
        for (Measurement m : rows) {
            InferenceReport d = m.details();
            if (d != null && d.timing() != null && d.timing().parameters() != null && m.fpu()) {
                params = d.timing().parameters();
                break;
            }
        }
        if (params == null) {
            for (Measurement m : rows) {
                if (m.details() != null && m.details().timing() != null && m.details().timing().parameters() != null) {
                    params = m.details().timing().parameters();
                    break;
                }
            }
        }
        if (params != null && !params.isEmpty()) {
            StringBuilder p = new StringBuilder("<table class=\"params\">");
            for (Map.Entry<String, Object> e : params.entrySet()) {
                p.append("<tr><td><code>").append(esc(e.getKey())).append("</code></td><td class=\"n\">").append(esc(e.getValue())).append("</td></tr>");
            }
            p.append("</table>");
            kv(s, "parameters", p.toString());
        }
        s.append("</table></div>\n");
    }

    private static void modelsTable(StringBuilder s, List<Map.Entry<String, CompareReport.ModelInfo>> models) {
        s.append("<h3>Models</h3>\n<table class=\"data\">\n<thead><tr><th></th><th>file</th><th class=\"n\">bytes</th><th>precision</th>")
                .append("<th class=\"n\">operators</th><th class=\"n\">MACs</th><th>input</th><th>output</th></tr></thead>\n<tbody>\n");
        for (Map.Entry<String, CompareReport.ModelInfo> e : models) {
            CompareReport.ModelInfo m = e.getValue();
            s.append("<tr><td><b>").append(esc(e.getKey())).append("</b></td><td>").append(esc(m.file())).append("</td><td class=\"n\">")
                    .append(n(m.bytes())).append("</td><td>").append(esc(m.precision())).append("</td><td class=\"n\">").append(n(m.operators()))
                    .append("</td><td class=\"n\">").append(n(m.macs())).append("</td><td>").append(tensor(m.input())).append("</td><td>")
                    .append(tensor(m.output())).append("</td></tr>\n");
        }
        s.append("</tbody>\n</table>\n");
    }

    private static String tensor(InferenceReport.TensorInfo t) {
        if (t == null) {
            return "–";
        }
        return "<code>" + esc(t.name()) + "</code><div class=\"small\">" + esc(t.type()) + " " + esc(t.shape()) + "</div>";
    }

    private static void notesSection(StringBuilder s, List<String> notes) {
        if (notes == null || notes.isEmpty()) {
            return;
        }
        section(s, "notes", "Notes", null);
        s.append("<ul class=\"notes\">\n");
        for (String note : notes) {
            s.append("<li>").append(esc(note)).append("</li>\n");
        }
        s.append("</ul>\n</section>\n");
    }

    private void provenance(StringBuilder s, CompareReport.Tool tool) {
        s.append("<footer id=\"provenance\">\n<h2>How this report was made</h2>\n<table class=\"kv\">\n");
        kv(s, "tool", esc(tool.name()) + " " + esc(tool.version()));
        kv(s, "engine", esc(tool.engine()));
        String cmd = commandLine == null ? null : "tinysim" + (commandLine.isEmpty() ? "" : " " + Html.shellQuote(commandLine));
        kv(s, "command line", cmd == null ? "<span class=\"muted\">not recorded (rendered outside the tinysim command line)</span>"
                : "<pre class=\"cmd\" id=\"command-line\">" + esc(cmd) + "</pre>");
        s.append("</table>\n<p class=\"small muted\">Everything in this page is computed by tinysim on an emulated Cortex-M4 "
                + "(cycles from its timing model, not from silicon). The page is self-contained: it loads nothing.</p>\n</footer>\n");
    }

    private static void kv(StringBuilder s, String key, String valueHtml) {
        s.append("<tr><th>").append(esc(key)).append("</th><td>").append(valueHtml).append("</td></tr>\n");
    }

    private static String num(double v) {
        if (v == 0) {
            return "0";
        }
        return Math.abs(v) >= 0.01 ? String.format(Locale.ROOT, "%.4f", v) : String.format(Locale.ROOT, "%.3g", v);
    }

    /** The colour of a configuration, the same in every chart and table. */
    static String colorOf(Measurement m) {
        return switch (m.id()) {
            case "int8-simd" -> "#1d4ed8";
            case "int8-reference" -> "#60a5fa";
            case "float32-fpu", "hybrid-fpu" -> "#f59e0b";
            case "float32-soft", "hybrid-soft" -> "#c2410c";
            case "int8-soft" -> "#818cf8";
            case "firmware" -> "#475569";
            default -> {
                yield int8Row(m) ? (m.fpu() ? "#1d4ed8" : "#60a5fa") : (m.fpu() ? "#f59e0b" : "#c2410c");
            }
        };
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
