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
import static dev.tinysim.emulator.units.Units.grouped;
import static dev.tinysim.html.Blocks.*;
import static dev.tinysim.html.Colors.*;
import static dev.tinysim.html.LatencySection.*;
import static dev.tinysim.html.LayerSection.*;
import static dev.tinysim.html.AccuracySection.*;
import static dev.tinysim.html.SetupSection.*;

/** Flash and RAM against the board's limits, and (fit) the arena bytes alive per operator. */
final class MemorySection {
    private MemorySection() {
    }

    static void memorySection(StringBuilder s, List<Measurement> rows, CompareReport.BoardInfo b, List<Budgets.Check> budgets) {
        section(s, "memory", "Flash and RAM against the board's limits", (
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

    /**
     * Memory per operator of the configuration the verdict judges: the arena bytes alive while each operator runs
     * (activations, scratch), its weights (in flash), the peak and what is alive there; TFLite Micro's plan, tinysim's best
     * plan and the lower bound as markers.
     */
    static void layerMemorySection(StringBuilder s, FitReport r) {
        dev.tinysim.plan.LayerMemory mem = r.memory();
        dev.tinysim.inference.InferenceReport.Arena a = r.arena();
        if (mem == null || mem.operators().isEmpty() || a == null) {
            return;
        }
        String plan = dev.tinysim.inference.InferenceTextReport.planLine(a);
        section(s, "layer-memory", "Memory per operator (" + r.verdictFrom() + ")", ("Arena bytes alive while each operator runs: "
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
            String tip = l.index() + " " + l.operator() + ": " + grouped(l.activations()) + " bytes of activations + " + grouped(l.scratch())
                    + " of scratch alive; " + grouped(l.weights()) + " bytes of weights in flash";
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
                    .append(grouped(mem.peak().bytes())).append(" bytes alive:</p>\n<table class=\"data\" data-table=\"peak\">\n"
                    + "<tr><th>buffer</th><th>name</th><th class=\"num\">bytes</th><th class=\"num\">arena bytes</th></tr>\n");
            for (dev.tinysim.plan.LayerMemory.LiveBuffer lb : mem.peak().buffers()) {
                s.append("<tr><td>").append(esc(lb.kind() + " " + lb.id())).append("</td><td>").append(esc(lb.name()))
                        .append("</td><td class=\"num\">").append(grouped(lb.bytes())).append("</td><td class=\"num\">").append(grouped(lb.size()))
                        .append("</td></tr>\n");
            }
            s.append("</table>\n");
        }
        s.append("</section>\n");
    }

    static Budgets.Check budget(List<Budgets.Check> budgets, String option) {
        return budgets.stream().filter(c -> c.option().equals(option)).findFirst().orElse(null);
    }

    static BarChart memoryChart(String kind, List<Measurement> rows, long capacity, long reserved, Budgets.Check budget,
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
                seg.add(new BarChart.Segment("runtime", "runtime", runtime, FLASH_RUNTIME, m.id() + ": runtime " + m.runtime() + " " + grouped(runtime) + " bytes"));
                if (model > 0) {
                    seg.add(new BarChart.Segment("model", "model", model, FLASH_MODEL, m.id() + ": model " + grouped(f.model()) + " bytes"
                            + (model != f.model() ? " (+ " + grouped(model - f.model()) + " alignment)" : "")));
                }
            } else {
                Measurement.Ram r = m.ram();
                used = r.used();
                fits = r.fits();
                long stat = r.staticBytes();
                seg.add(new BarChart.Segment("static", "static", stat, RAM_STATIC, m.id() + ": static data " + grouped(stat) + " bytes"));
                if (r.arena() > 0) {
                    seg.add(new BarChart.Segment("arena", "arena", r.arena(), RAM_ARENA, m.id() + ": arena " + grouped(r.arena()) + " bytes"));
                }
                long stack = Math.max(0, r.used() - stat - r.arena());
                if (stack > 0) {
                    seg.add(new BarChart.Segment("stack", "stack", stack, RAM_STACK, m.id() + ": stack peak " + grouped(stack) + " bytes"));
                }
            }
            String note = Html.pct(used, available) + " of " + bytes(available);
            if (!fits) {
                note = used > available ? grouped(used - available) + " bytes over (" + Html.pct(used, available) + ")"
                        : "the stack overflowed its " + grouped(m.ram().stackReserved()) + "-byte reservation";
            }
            c.row(new BarChart.Row(m.id(), m.id(), grouped(used) + " bytes", seg, bytes(used), note, !fits));
        }
        return c;
    }
}
