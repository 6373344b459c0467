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

/** Budgets, board profile, timing model, models and notes. */
final class SetupSection {
    private SetupSection() {
    }

    static void budgetsSection(StringBuilder s, List<Budgets.Check> budgets) {
        if (budgets.isEmpty()) {
            return;
        }
        section(s, "budgets", "Budgets", null);
        s.append("<table class=\"data\">\n<thead><tr><th>budget</th><th class=\"n\">limit</th><th>status</th></tr></thead>\n<tbody>\n");
        for (Budgets.Check c : budgets) {
            s.append("<tr><td><code>").append(esc(c.option())).append(' ').append(esc(c.given())).append("</code></td><td class=\"n\">")
                    .append(c.unit().equals("ms") ? esc(Html.trim(c.limit().doubleValue())) + " ms" : c.unit().equals("points")
                            ? esc(Html.trim(c.limit().doubleValue())) + " points" : grouped(c.limit().longValue()) + " bytes")
                    .append("</td><td>");
            if (c.exceeded().isEmpty()) {
                s.append("<span class=\"badge ok\">met</span>");
            } else {
                s.append("<span class=\"badge bad\">exceeded</span> ");
                List<String> who = new ArrayList<>();
                for (Budgets.Exceeded e : c.exceeded()) {
                    who.add(esc(e.configuration()) + " (" + (c.unit().equals("ms") ? Html.fixed(e.value().doubleValue(), 2) + " ms"
                            : c.unit().equals("points") ? "drop " + Html.fixed(e.value().doubleValue(), 2) + " points"
                            : grouped(e.value().longValue()) + " bytes") + ")");
                }
                s.append(String.join(", ", who));
            }
            s.append("</td></tr>\n");
        }
        s.append("</tbody>\n</table>\n</section>\n");
    }

    static void boardTable(StringBuilder s, CompareReport.BoardInfo b) {
        s.append("<div><h3>Board profile</h3>\n<table class=\"kv\">\n");
        kv(s, "name", raw("<b>" + esc(b.name()) + "</b>"));
        if (b.description() != null) {
            kv(s, "description", b.description());
        }
        kv(s, "core", "Cortex-M4" + (b.fpu() ? "F" : "") + " at " + Html.mhz(b.clockHz()) + " (" + grouped(b.clockHz()) + " Hz)");
        kv(s, "FPU", b.fpu() ? "yes (single precision); the soft-float row runs on " + Objects.toString(b.noFpuBoard(), "") : "no");
        kv(s, "flash", grouped(b.flashBytes()) + " bytes (" + bytes(b.flashBytes()) + ")");
        kv(s, "RAM", grouped(b.ramBytes()) + " bytes (" + bytes(b.ramBytes()) + ")");
        kv(s, "reserved flash", b.reservedFlash() == 0 ? "none" : grouped(b.reservedFlash()) + " bytes (" + bytes(b.reservedFlash())
                + ") for other software");
        kv(s, "reserved RAM", b.reservedRam() == 0 ? "none" : grouped(b.reservedRam()) + " bytes (" + bytes(b.reservedRam()) + ") for other software");
        kv(s, "available to the model", grouped(b.flashBytes() - b.reservedFlash()) + " bytes flash, " + grouped(b.ramBytes() - b.reservedRam()) + " bytes RAM");
        s.append("</table></div>\n");
    }

    static void timingTable(StringBuilder s, CompareReport.Timing t, List<Measurement> rows) {
        s.append("<div><h3>Timing model</h3>\n<table class=\"kv\">\n");
        kv(s, "model", raw("<b>" + esc(t.model()) + "</b>"));
        kv(s, "counts", t.description());
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
            kv(s, "parameters", raw(p.toString()));
        }
        s.append("</table></div>\n");
    }

    static void modelsTable(StringBuilder s, List<Map.Entry<String, CompareReport.ModelInfo>> models) {
        s.append("<h3>Models</h3>\n<table class=\"data\">\n<thead><tr><th></th><th>file</th><th class=\"n\">bytes</th><th>precision</th>")
                .append("<th class=\"n\">operators</th><th class=\"n\">MACs</th><th>input</th><th>output</th></tr></thead>\n<tbody>\n");
        for (Map.Entry<String, CompareReport.ModelInfo> e : models) {
            CompareReport.ModelInfo m = e.getValue();
            s.append("<tr><td><b>").append(esc(e.getKey())).append("</b></td><td>").append(esc(m.file())).append("</td><td class=\"n\">")
                    .append(grouped(m.bytes())).append("</td><td>").append(esc(m.precision())).append("</td><td class=\"n\">").append(grouped(m.operators()))
                    .append("</td><td class=\"n\">").append(grouped(m.macs())).append("</td><td>").append(tensor(m.input())).append("</td><td>")
                    .append(tensor(m.output())).append("</td></tr>\n");
        }
        s.append("</tbody>\n</table>\n");
    }

    static String tensor(InferenceReport.TensorInfo t) {
        if (t == null) {
            return "–";
        }
        return "<code>" + esc(t.name()) + "</code><div class=\"small\">" + esc(t.type()) + " " + esc(t.shape()) + "</div>";
    }

    static void notesSection(StringBuilder s, List<String> notes) {
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
}
