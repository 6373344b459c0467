package dev.tinysim.compare;

import dev.tinysim.run.TextReport;

import java.util.Locale;

import static dev.tinysim.emulator.units.Units.grouped;

/** Number formats shared by the text reports of fit and compare. */
final class Format {
    private Format() {
    }

    static String ms(double v) {
        return String.format(Locale.ROOT, "%,.2f", v);
    }

    static String pct(long part, long whole) {
        return whole <= 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100.0 * part / whole);
    }

    static String mhz(long hz) {
        return TextReport.mhz(hz);
    }

    /** "yes", or "NO (flash +1,234, RAM +56)" */
    static String fits(Measurement m) {
        if (m.fits()) {
            return "yes";
        }
        StringBuilder sb = new StringBuilder("NO (");
        if (!m.flash().fits()) {
            sb.append("flash +").append(grouped(-m.flash().free()));
        }
        if (!m.ram().fits()) {
            sb.append(m.flash().fits() ? "" : ", ").append(m.ram().stackOverflow() && m.ram().free() >= 0 ? "stack overflow"
                    : "RAM +" + grouped(-m.ram().free()));
        }
        return sb.append(')').toString();
    }

    /** "10.68x" */
    static String speedup(Double s) {
        return s == null ? "-" : String.format(Locale.ROOT, "%.2fx", s);
    }
}
