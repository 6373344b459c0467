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
import static dev.tinysim.html.Colors.*;
import static dev.tinysim.html.LatencySection.*;
import static dev.tinysim.html.MemorySection.*;
import static dev.tinysim.html.LayerSection.*;
import static dev.tinysim.html.AccuracySection.*;
import static dev.tinysim.html.SetupSection.*;

/** The small pieces every report page is made of: header, result banner, card, section heading, legend, key/value row. */
final class Blocks {
    private Blocks() {
    }

    static void header(StringBuilder s, String kind, String title, CompareReport.BoardInfo b, CompareReport.Timing timing,
                               CompareReport.Tool tool) {
        s.append("<header>\n<div class=\"brand\"><span class=\"logo\">tinysim</span> ").append(esc(kind)).append("</div>\n");
        s.append("<h1>").append(esc(title)).append("</h1>\n");
        s.append("<p class=\"sub\">").append(esc(b.description() == null ? b.name() : b.description()))
                .append(" · timing model <b>").append(esc(timing.model())).append("</b>")
                .append(" · tinysim ").append(esc(tool.version())).append("</p>\n</header>\n");
    }

    static void banner(StringBuilder s, String kind, int exitCode, String message, boolean allGood) {
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

    static void card(StringBuilder s, String key, String tag, String value, String detail, String color) {
        s.append("<div class=\"card\" style=\"border-top-color:").append(color).append("\"><div class=\"k\">").append(esc(key))
                .append(tag == null ? "" : " · <span class=\"tag\">" + esc(tag) + "</span>").append("</div><div class=\"v\">")
                .append(esc(value)).append("</div><div class=\"d\">").append(esc(detail)).append("</div></div>\n");
    }

    /**
     * Markup that is already HTML. Everything else handed to {@link #section} or {@link #kv} is text, escaped on the
     * way out: only what is wrapped in {@link #raw} goes into the page as it is.
     */
    record Markup(String html) {
    }

    /** Trusted HTML (built from escaped parts): goes into the page as it is. */
    static Markup raw(String html) {
        return new Markup(html);
    }

    /** Text (escaped) or {@link Markup} (as it is). */
    private static String html(Object textOrMarkup) {
        return textOrMarkup instanceof Markup m ? m.html() : esc(textOrMarkup);
    }

    /** Opens a section with its heading and an optional caption: text (escaped) or {@link Markup}. */
    static void section(StringBuilder s, String id, String title, Object caption) {
        s.append("<section id=\"").append(id).append("\">\n<h2>").append(esc(title)).append("</h2>\n");
        if (caption != null) {
            s.append("<p class=\"caption\">").append(html(caption)).append("</p>\n");
        }
    }

    static void legend(StringBuilder s, List<Map.Entry<String, String>> items, boolean small) {
        s.append("<div class=\"legend").append(small ? " compact" : "").append("\">");
        for (Map.Entry<String, String> e : items) {
            s.append("<span><i style=\"background:").append(e.getValue()).append("\"></i>").append(esc(e.getKey())).append("</span>");
        }
        s.append("</div>\n");
    }

    /** A key/value row; the value is text (escaped) or {@link Markup}. */
    static void kv(StringBuilder s, String key, Object value) {
        s.append("<tr><th>").append(esc(key)).append("</th><td>").append(html(value)).append("</td></tr>\n");
    }
}
