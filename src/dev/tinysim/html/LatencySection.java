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
import static dev.tinysim.html.MemorySection.*;
import static dev.tinysim.html.LayerSection.*;
import static dev.tinysim.html.AccuracySection.*;
import static dev.tinysim.html.SetupSection.*;

/** The latency chart and the configurations table (cycles, ms, speed-up, flash, RAM, fits). */
final class LatencySection {
    private LatencySection() {
    }

    static BarChart latencyChart(List<Measurement> rows, String baseline, long clockHz, List<Budgets.Check> budgets) {
        BarChart c = new BarChart("latency", "Latency of one inference per configuration, in milliseconds at " + Html.mhz(clockHz))
                .axis("milliseconds at " + Html.mhz(clockHz) + " (linear scale)", 1, Html::trim);
        for (Measurement m : rows) {
            List<BarChart.Segment> seg = new ArrayList<>();
            String strong = null;
            String note;
            boolean bad = false;
            if (m.measured()) {
                seg.add(new BarChart.Segment("latency", m.id(), m.milliseconds(), colorOf(m), m.id() + ": " + grouped(m.cycles()) + " cycles = "
                        + Html.fixed(m.milliseconds(), 3) + " ms" + (m.speedup() == null ? "" : ", " + Html.speedup(m.speedup()))));
                strong = Html.ms(m.milliseconds()) + " ms";
                note = grouped(m.cycles()) + " cycles" + (m.id().equals(baseline) ? " · baseline"
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

    static String sublabel(Measurement m) {
        List<String> parts = new ArrayList<>();
        parts.add(m.runtime());
        if (m.kernels() != null && int8Row(m)) {
            parts.add(m.kernels() + " kernels");
        } else if (m.abi() != null) {
            parts.add(m.abi() + " float");
        }
        return String.join(" · ", parts);
    }

    static void configurationsTable(StringBuilder s, List<Measurement> rows, String baseline, long clockHz, boolean speedup) {
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
            s.append("<td class=\"n\">").append(grouped(m.flash().used())).append("<div class=\"small\">of ").append(grouped(m.flash().available()))
                    .append(" (").append(Html.pct(m.flash().used(), m.flash().available())).append(")</div></td>");
            s.append("<td class=\"n\">").append(grouped(m.ram().used())).append("<div class=\"small\">of ").append(grouped(m.ram().available()))
                    .append(" (").append(Html.pct(m.ram().used(), m.ram().available())).append(")</div></td>");
            s.append("<td class=\"n\">").append(m.measured() ? grouped(m.cycles()) : "–").append("</td>");
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

    static String fitsBadge(Measurement m) {
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
    static String overText(Measurement m) {
        List<String> parts = new ArrayList<>();
        if (!m.flash().fits()) {
            parts.add("flash +" + grouped(-m.flash().free()) + " B");
        }
        if (!m.ram().fits()) {
            parts.add(m.ram().stackOverflow() && m.ram().free() >= 0 ? "stack overflow" : "RAM +" + grouped(-m.ram().free()) + " B");
        }
        return parts.isEmpty() ? "fits" : String.join(", ", parts);
    }
}
