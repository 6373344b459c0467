package dev.tinysim.html;

import java.util.List;
import java.util.Locale;

import static dev.tinysim.emulator.units.Units.grouped;

/** Escaping and number formats of the HTML report (Locale.ROOT throughout: the report reads the same everywhere). */
final class Html {
    private Html() {
    }

    /** Text for an element's content or a double-quoted attribute value. */
    static String esc(Object o) {
        if (o == null) {
            return "";
        }
        String s = String.valueOf(o);
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> {
                    // control characters other than tab/newline cannot appear in an HTML document
                    if (c < 0x20 && c != '\n' && c != '\t') {
                        sb.append('\uFFFD');
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    /** 11.56 */
    static String ms(double v) {
        return String.format(Locale.ROOT, v >= 100 ? "%,.1f" : "%,.2f", v);
    }

    static String fixed(double v, int digits) {
        return String.format(Locale.ROOT, "%,." + digits + "f", v);
    }

    /** 4.48× */
    static String speedup(Double s) {
        return s == null ? "–" : String.format(Locale.ROOT, "%.2f×", s);
    }

    /** 12.3% */
    static String pct(double part, double whole) {
        return whole <= 0 ? "–" : String.format(Locale.ROOT, "%.1f%%", 100.0 * part / whole);
    }

    /** Sizes for people: "1,024 KB", "1.07 MB" (K = 1024), "812 B". */
    static String bytes(long b) {
        long a = Math.abs(b);
        if (a < 1024) {
            return grouped(b) + " B";
        }
        if (a < 1024 * 1024) {
            double kb = b / 1024.0;
            return (kb == Math.rint(kb) ? grouped((long) kb) : String.format(Locale.ROOT, "%,.1f", kb)) + " KB";
        }
        double mb = b / (1024.0 * 1024.0);
        return (mb == Math.rint(mb) ? grouped((long) mb) : String.format(Locale.ROOT, "%,.2f", mb)) + " MB";
    }

    /** "64 MHz", "72 MHz", "16.5 MHz" */
    static String mhz(long hz) {
        double m = hz / 1e6;
        return (m == Math.rint(m) ? String.valueOf((long) m) : String.format(Locale.ROOT, "%.1f", m)) + " MHz";
    }

    /** Compact axis numbers: 0, 500k, 1.5M, 20M. */
    static String si(double v) {
        double a = Math.abs(v);
        if (a >= 1e9) {
            return trim(v / 1e9) + "G";
        }
        if (a >= 1e6) {
            return trim(v / 1e6) + "M";
        }
        if (a >= 1e3) {
            return trim(v / 1e3) + "k";
        }
        return trim(v);
    }

    static String trim(double v) {
        if (v == Math.rint(v)) {
            return String.valueOf((long) v);
        }
        String s = String.format(Locale.ROOT, "%.2f", v);
        while (s.endsWith("0")) {
            s = s.substring(0, s.length() - 1);
        }
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    /** The arguments as a POSIX shell would need them typed (single quotes where needed). */
    static String shellQuote(List<String> args) {
        StringBuilder sb = new StringBuilder();
        for (String a : args) {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            if (!a.isEmpty() && a.matches("[A-Za-z0-9_@%+=:,./-]+")) {
                sb.append(a);
            } else {
                sb.append('\'').append(a.replace("'", "'\\''")).append('\'');
            }
        }
        return sb.toString();
    }
}
