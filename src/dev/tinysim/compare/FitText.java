package dev.tinysim.compare;

import java.util.Locale;

import static dev.tinysim.emulator.units.Units.grouped;
import static dev.tinysim.compare.Format.pct;

/** The text report of {@code tinysim fit}. */
public final class FitText {
    private FitText() {
    }

    public static String render(FitReport r) {
        StringBuilder sb = new StringBuilder();
        CompareReport.BoardInfo b = r.board();
        FitReport.Target t = r.target();
        sb.append("tinysim fit: ").append(t.file()).append(" (").append(t.kind().equals("model") ? t.precision() + " model, " : "firmware, ")
                .append(grouped(t.bytes())).append(" bytes) on ").append(b.name()).append(" (Cortex-M4").append(b.fpu() ? "F" : "").append(", ")
                .append(Format.mhz(b.clockHz())).append("): ").append(grouped(b.flashBytes())).append(" bytes flash")
                .append(b.reservedFlash() > 0 ? " (" + grouped(b.reservedFlash()) + " reserved)" : "").append(", ").append(grouped(b.ramBytes()))
                .append(" bytes RAM").append(b.reservedRam() > 0 ? " (" + grouped(b.reservedRam()) + " reserved)" : "").append('\n');
        if (r.input() != null) {
            sb.append("  input: ").append(r.input()).append(", one inference per configuration\n");
        }
        for (Measurement m : r.configurations()) {
            boolean primary = m.id().equals(r.verdictFrom());
            sb.append("  ").append(m.id()).append(": ").append(m.label()).append(m.board().equals(b.name()) ? "" : " on " + m.board())
                    .append(primary ? "" : " (for comparison)").append('\n');
            Measurement.Flash f = m.flash();
            sb.append("    flash    ").append(grouped(f.used())).append(" of ").append(grouped(f.available())).append(" bytes (")
                    .append(pct(f.used(), f.available())).append(")")
                    .append(f.model() > 0 ? " = runtime " + grouped(f.runtime()) + " + model " + grouped(f.model()) : "")
                    .append(f.free() >= 0 ? "; margin " + grouped(f.free()) + " bytes" : "; " + grouped(-f.free()) + " bytes OVER").append('\n');
            Measurement.Ram ram = m.ram();
            sb.append("    RAM      ").append(grouped(ram.used())).append(" of ").append(grouped(ram.available())).append(" bytes (")
                    .append(pct(ram.used(), ram.available())).append(")")
                    .append(t.kind().equals("model") ? " = static " + grouped(ram.staticBytes()) + " + arena " + grouped(ram.arena()) + " + stack peak "
                            + grouped(ram.stackPeak()) : " static (stack peak " + grouped(ram.stackPeak()) + " of " + grouped(ram.stackReserved()) + ")")
                    .append(ram.free() >= 0 ? "; margin " + grouped(ram.free()) + " bytes" : "; " + grouped(-ram.free()) + " bytes OVER")
                    .append(ram.stackOverflow() ? "; the stack OVERFLOWED its reservation" : "").append('\n');
            if (m.measured()) {
                sb.append("    latency  ").append(grouped(m.cycles())).append(" cycles = ")
                        .append(String.format(Locale.ROOT, "%,.3f", m.milliseconds())).append(" ms at ").append(Format.mhz(b.clockHz()))
                        .append(t.kind().equals("model") ? " (one inference)" : " (the whole run)").append('\n');
            }
            String verdict;
            if (m.details() != null && m.result().exitCode() != 0 && m.result().exitCode() != 67) {
                verdict = "FAILED: " + m.result().message();
            } else {
                verdict = m.fits() ? "fits" : "DOES NOT FIT " + Format.fits(m).substring(3);
                if (!m.fits() && m.details() != null && m.details().fit().fitsWithBestPlan()) {
                    verdict += " with TFLite Micro's planner; fits with tinysim's plan (tinysim plan)";
                }
            }
            sb.append("    verdict  ").append(verdict).append(m.measuredOn() != null ? " (" + m.measuredOn() + ")" : "").append('\n');
        }
        if (r.arena() != null && r.arena().bestPlanned() != null) {
            sb.append("  arena   ").append(r.verdictFrom()).append(": ")
                    .append(dev.tinysim.inference.InferenceTextReport.planLine(r.arena())).append('\n');
        }
        if (r.memory() != null) {
            dev.tinysim.inference.InferenceTextReport.memory(sb, r.memory());
        }
        if (!r.budgets().isEmpty()) {
            for (Budgets.Check c : r.budgets()) {
                sb.append("  budget  ").append(c.option()).append(' ').append(c.given()).append(": ")
                        .append(c.exceeded().isEmpty() ? "met" : "EXCEEDED (" + (c.unit().equals("ms")
                                ? Format.ms(c.exceeded().get(0).value().doubleValue()) + " ms" : grouped(c.exceeded().get(0).value().longValue()) + " bytes") + ")")
                        .append('\n');
            }
        }
        for (String note : r.notes()) {
            sb.append("  note    ").append(note).append('\n');
        }
        sb.append("  result  ").append(r.result().message()).append('\n');
        return sb.toString();
    }
}
