package dev.tinysim.html;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

import static dev.tinysim.html.Html.esc;

/**
 * A horizontal bar chart as inline SVG (no script, no fonts, no network): one row per configuration, each bar one or
 * more stacked segments, a linear axis with gridlines, optional vertical markers (a memory limit, a budget), a shaded
 * band (memory reserved for other software), and the part of a bar beyond the limit hatched in red.
 *
 * <p>Every segment carries {@code data-bar="row[:segment]"} and every marker {@code data-limit="key"} so that a test
 * can find them in the laid-out document; every segment has a {@code <title>} (the browser's tooltip).
 */
final class BarChart {
    static final int WIDTH = 1000;
    private static final int LABEL_WIDTH = 210;
    private static final int BAR = 24;
    private static final int PITCH = 44;
    private static final int TOP = 30;
    private static final int BOTTOM = 38;

    /** One piece of a bar. */
    record Segment(String key, String name, double value, String color, String tooltip) {
    }

    /**
     * @param id       stable identifier (the configuration id)
     * @param label    the bold line left of the bar
     * @param sublabel the small line under it
     * @param strong   the first, bold part of the text after the bar's end (null: none)
     * @param note     the rest of that text, plain (null: none)
     * @param bad      the note is a warning (red)
     */
    record Row(String id, String label, String sublabel, List<Segment> segments, String strong, String note, boolean bad) {
        double total() {
            return segments.stream().mapToDouble(Segment::value).sum();
        }
    }

    /** A vertical line across the plot at {@code value}, labelled at the top. */
    record Marker(String key, double value, String label, boolean limit) {
    }

    private final String id;
    private final String title;
    private final List<Row> rows = new ArrayList<>();
    private final List<Marker> markers = new ArrayList<>();
    private double tickUnit = 1;
    private DoubleFunction<String> tickFormat = Html::si;
    private String axisTitle = "";
    private double reservedFrom = -1;
    private double reservedTo = -1;
    private String reservedLabel;
    private boolean hatchOverLimit;
    private double fixedTop = -1;

    /**
     * @param id    unique in the document (the SVG's {@code data-chart} and the prefix of its pattern ids)
     * @param title the accessible name of the figure
     */
    BarChart(String id, String title) {
        this.id = id;
        this.title = title;
    }

    BarChart row(Row r) {
        rows.add(r);
        return this;
    }

    BarChart marker(Marker m) {
        markers.add(m);
        return this;
    }

    /** Ticks are placed at round multiples of {@code unit} (1024 for KB) and labelled with {@code format}. */
    BarChart axis(String title, double unit, DoubleFunction<String> format) {
        this.axisTitle = title;
        this.tickUnit = unit;
        this.tickFormat = format;
        return this;
    }

    /** A hatched grey band from {@code from} to {@code to} (e.g. the flash a SoftDevice reserves). */
    BarChart reserved(double from, double to, String label) {
        this.reservedFrom = from;
        this.reservedTo = to;
        this.reservedLabel = label;
        return this;
    }

    /** The part of a bar beyond the first limit marker is hatched red. */
    BarChart hatchOverLimit() {
        this.hatchOverLimit = true;
        return this;
    }

    /** The axis ends at {@code top} exactly (a 100% scale). */
    BarChart scaleTo(double top) {
        this.fixedTop = top;
        return this;
    }

    int rowCount() {
        return rows.size();
    }

    /** Approximate width of text in the report's sans-serif font (SVG text cannot be measured without a script). */
    static double textWidth(String s, double size, boolean bold) {
        double w = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            double f;
            if (c == ' ' || c == '.' || c == ',' || c == ':' || c == 'i' || c == 'l' || c == '|' || c == '\'' || c == '·') {
                f = 0.30;
            } else if (c == 'm' || c == 'w' || c == 'M' || c == 'W' || c == '%') {
                f = 0.86;
            } else if (Character.isUpperCase(c)) {
                f = 0.68;
            } else if (Character.isDigit(c)) {
                f = 0.56;
            } else {
                f = 0.53;
            }
            w += f * size;
        }
        return w * (bold ? 1.07 : 1);
    }

    /** Where things go: the plot's left edge and width, the SVG's height, the bars' bottom, the axis top and step. */
    private record Layout(int plotX, int plotW, int height, int plotBottom, double top, double step) {
        /** The x coordinate of {@code v} on the axis. */
        double x(double v) {
            return plotX + plotW * (v / top);
        }
    }

    String render() {
        Layout l = layout();
        StringBuilder s = new StringBuilder();
        header(s, l);
        reservedBand(s, l);
        grid(s, l);
        Marker limit = markers.stream().filter(Marker::limit).findFirst().orElse(null);
        for (int i = 0; i < rows.size(); i++) {
            row(s, l, rows.get(i), TOP + i * PITCH, limit);
        }
        markers(s, l);
        s.append("</svg>\n");
        return s.toString();
    }

    /** The plot is as wide as the longest note after a bar allows; the axis ends at a round step after the longest bar. */
    private Layout layout() {
        double noteWidth = 0;
        for (Row r : rows) {
            noteWidth = Math.max(noteWidth, textWidth(r.strong() == null ? "" : r.strong(), 12, true)
                    + textWidth(r.note() == null ? "" : "  " + r.note(), 12, false));
        }
        int plotX = LABEL_WIDTH + 14;
        int plotW = (int) Math.max(380, WIDTH - plotX - noteWidth - 18);
        int height = TOP + rows.size() * PITCH + BOTTOM;
        int plotBottom = TOP + rows.size() * PITCH - (PITCH - BAR) / 2;

        double max = 0;
        for (Row r : rows) {
            max = Math.max(max, r.total());
        }
        for (Marker m : markers) {
            max = Math.max(max, m.value());
        }
        max = Math.max(max, reservedTo);
        double step = niceStep(Math.max(max, 1) / tickUnit / 5) * tickUnit;
        double top = Math.max(step, Math.ceil(max / step - 1e-9) * step);
        if (top < max * 1.02) {
            top += step;   // room after the longest bar
        }
        if (fixedTop > 0) {
            top = fixedTop;
            step = niceStep(fixedTop / tickUnit / 5) * tickUnit;
        }
        return new Layout(plotX, plotW, height, plotBottom, top, step);
    }

    /** The svg element, its title and the two hatch patterns (over the limit, reserved). */
    private void header(StringBuilder s, Layout l) {
        s.append("<svg class=\"chart\" data-chart=\"").append(esc(id)).append("\" data-rows=\"").append(rows.size())
                .append("\" width=\"").append(WIDTH).append("\" height=\"").append(l.height()).append("\" viewBox=\"0 0 ").append(WIDTH)
                .append(' ').append(l.height()).append("\" role=\"img\" aria-label=\"").append(esc(title)).append("\">\n");
        s.append("<title>").append(esc(title)).append("</title>\n");
        s.append("<defs>")
                .append("<pattern id=\"").append(id).append("-over\" patternUnits=\"userSpaceOnUse\" width=\"7\" height=\"7\" patternTransform=\"rotate(45)\">")
                .append("<rect width=\"7\" height=\"7\" fill=\"#fecaca\"/><rect width=\"3\" height=\"7\" fill=\"#dc2626\"/></pattern>")
                .append("<pattern id=\"").append(id).append("-reserved\" patternUnits=\"userSpaceOnUse\" width=\"8\" height=\"8\" patternTransform=\"rotate(45)\">")
                .append("<rect width=\"8\" height=\"8\" fill=\"#f1f5f9\"/><rect width=\"2\" height=\"8\" fill=\"#cbd5e1\"/></pattern>")
                .append("</defs>\n");
    }

    private void reservedBand(StringBuilder s, Layout l) {
        if (reservedTo > reservedFrom && reservedFrom >= 0) {
            double a = l.x(reservedFrom);
            double b = l.x(reservedTo);
            s.append(String.format(Locale.ROOT, "<rect class=\"reserved\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"url(#%s-reserved)\"><title>%s</title></rect>%n",
                    a, TOP - 4, b - a, l.plotBottom() - TOP + 8, id, esc(reservedLabel)));
        }
    }

    /** Gridlines with their tick labels, the axis line and the axis title. */
    private void grid(StringBuilder s, Layout l) {
        for (double v = 0; v <= l.top() + l.step() / 1000; v += l.step()) {
            double gx = l.x(v);
            s.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>", gx, TOP - 6, gx, l.plotBottom()));
            s.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                    gx, l.plotBottom() + 16, esc(tickFormat.apply(v))));
        }
        s.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>%n", l.plotX(), TOP - 6, l.plotX(), l.plotBottom()));
        s.append(String.format(Locale.ROOT, "<text class=\"axis-title\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
                l.plotX() + l.plotW(), l.height() - 4, esc(axisTitle)));
    }

    /** One row at {@code y}: its labels, its segments, the hatch beyond the limit and the note after the bar. */
    private void row(StringBuilder s, Layout l, Row r, int y, Marker limit) {
        int mid = y + BAR / 2;
        s.append("<g class=\"row\" data-row=\"").append(esc(r.id())).append("\">");
        s.append(String.format(Locale.ROOT, "<text class=\"row-label\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>",
                l.plotX() - 12, r.sublabel() == null ? mid + 4 : mid - 2, esc(shorten(r.label(), LABEL_WIDTH - 4, 13))));
        if (r.sublabel() != null) {
            s.append(String.format(Locale.ROOT, "<text class=\"row-sublabel\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>",
                    l.plotX() - 12, mid + 12, esc(shorten(r.sublabel(), LABEL_WIDTH - 4, 11))));
        }
        segments(s, l, r, y);
        double end = r.total() > 0 ? Math.max(l.x(r.total()), l.plotX() + 1.5) : l.plotX();
        if (hatchOverLimit && limit != null && r.total() > limit.value()) {
            double a = l.x(limit.value());
            s.append(String.format(Locale.ROOT, "<rect class=\"over\" data-over=\"%s\" x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"%d\" fill=\"url(#%s-over)\" stroke=\"#b91c1c\" stroke-width=\"1.5\"><title>%s</title></rect>",
                    esc(r.id()), a, y, end - a, BAR, id, esc(r.id() + ": " + (r.note() == null ? "over the limit" : r.note()))));
        }
        note(s, r, end, mid);
        s.append("</g>\n");
    }

    /** The stacked segments of a row's bar, each at least 0.75 px wide. */
    private static void segments(StringBuilder s, Layout l, Row r, int y) {
        double cursor = 0;
        for (Segment g : r.segments()) {
            if (g.value() <= 0) {
                continue;
            }
            double a = l.x(cursor);
            double w = Math.max(0.75, l.x(cursor + g.value()) - a);
            String key = r.segments().size() == 1 ? r.id() : r.id() + ":" + g.key();
            s.append(String.format(Locale.ROOT, "<rect class=\"bar\" data-bar=\"%s\" x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"%d\" fill=\"%s\"><title>%s</title></rect>",
                    esc(key), a, y, w, BAR, g.color(), esc(g.tooltip())));
            cursor += g.value();
        }
    }

    /** The text after a bar's {@code end}: its bold part and its note. */
    private static void note(StringBuilder s, Row r, double end, int mid) {
        if (r.strong() != null || r.note() != null) {
            s.append(String.format(Locale.ROOT, "<text class=\"note%s\" x=\"%.1f\" y=\"%d\">", r.bad() ? " bad" : "", end + 8, mid + 4));
            if (r.strong() != null) {
                s.append("<tspan class=\"strong\">").append(esc(r.strong())).append("</tspan>");
            }
            if (r.note() != null) {
                s.append("<tspan class=\"").append(r.bad() ? "bad" : "soft").append("\">").append(r.strong() == null ? "" : "\u2002")
                        .append(esc(r.note())).append("</tspan>");
            }
            s.append("</text>");
        }
    }

    /** The markers, drawn over the bars, with their labels kept inside the figure. */
    private void markers(StringBuilder s, Layout l) {
        for (Marker m : markers) {
            double mx = l.x(m.value());
            s.append(String.format(Locale.ROOT, "<line class=\"marker%s\" data-limit=\"%s\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>",
                    m.limit() ? " limit" : " budget", esc(m.key()), mx, TOP - 10, mx, l.plotBottom() + 2));
            double tw = textWidth(m.label(), 11, true);
            String anchor = mx + tw / 2 > WIDTH - 4 ? "end" : mx - tw / 2 < l.plotX() ? "start" : "middle";
            double tx = anchor.equals("end") ? mx + 3 : anchor.equals("start") ? mx - 3 : mx;
            s.append(String.format(Locale.ROOT, "<text class=\"marker-label%s\" x=\"%.1f\" y=\"%d\" text-anchor=\"%s\">%s</text>%n",
                    m.limit() ? " limit" : " budget", tx, TOP - 14, anchor, esc(m.label())));
        }
    }

    /** The text, cut with an ellipsis so that it fits {@code width} pixels at {@code size}. */
    static String shorten(String s, double width, double size) {
        if (s == null || textWidth(s, size, false) <= width) {
            return s;
        }
        String t = s;
        while (t.length() > 1 && textWidth(t + "…", size, false) > width) {
            t = t.substring(0, t.length() - 1);
        }
        return t.stripTrailing() + "…";
    }

    /** 1, 2, 2.5 or 5 times a power of ten, at least {@code raw}. */
    static double niceStep(double raw) {
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[]{1, 2, 2.5, 5, 10}) {
            if (m * p >= raw - 1e-12) {
                return m * p;
            }
        }
        return 10 * p;
    }
}
