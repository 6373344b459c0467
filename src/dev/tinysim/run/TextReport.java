package dev.tinysim.run;

import java.util.Locale;

import static dev.tinysim.emulator.units.Units.grouped;

/** The human-readable summary printed after the firmware's own output. */
public final class TextReport {
    private TextReport() {
    }

    static String pct(long part, long whole) {
        return whole == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100.0 * part / whole);
    }

    public static String mhz(long hz) {
        double m = hz / 1e6;
        return (m == Math.rint(m) ? String.format(Locale.ROOT, "%.0f", m) : String.format(Locale.ROOT, "%.3g", m)) + " MHz";
    }

    /** The "memory" lines: the flash path's summary, then each cache and each side's flash reads. */
    public static void memory(StringBuilder sb, MemoryReport m) {
        if (m == null) {
            return;
        }
        String label = "  memory     ";
        for (String line : m.lines()) {
            sb.append(label).append(line).append('\n');
            label = "             ";
        }
    }

    public static String summary(RunReport r, boolean verbose) {
        StringBuilder sb = new StringBuilder();
        sb.append("tinysim: ").append(r.firmware().file()).append(" on ").append(r.board().name())
                .append(" (Cortex-M4").append(r.board().fpu() ? "F" : "").append(", ").append(mhz(r.board().clockHz())).append(")\n");
        if (r.firmware().placement() != null) {
            sb.append("  placed     ").append(r.firmware().placement()).append('\n');
        }
        sb.append("  result     ").append(r.result().message()).append('\n');
        RunReport.Execution e = r.execution();
        sb.append("  executed   ").append(grouped(e.instructions())).append(" instructions, ").append(grouped(e.cycles()))
                .append(" cycles = ").append(String.format(Locale.ROOT, "%.3f", e.milliseconds())).append(" ms at ")
                .append(mhz(r.board().clockHz())).append(" (timing model: ").append(r.timing().model()).append(")\n");
        RunReport.Fit f = r.fit();
        RunReport.Region fl = f.flash();
        sb.append("  flash      ").append(grouped(fl.used())).append(" of ").append(grouped(fl.capacity() - fl.reserved()))
                .append(" bytes used (").append(pct(fl.used(), fl.capacity() - fl.reserved())).append("), ")
                .append(fl.free() >= 0 ? grouped(fl.free()) + " free" : grouped(-fl.free()) + " bytes OVER")
                .append(fl.reserved() > 0 ? " (" + grouped(fl.reserved()) + " reserved)" : "").append('\n');
        RunReport.Ram ram = f.ram();
        long ramCap = ram.capacity() - ram.reserved();
        sb.append("  RAM        ").append(grouped(ram.staticBytes())).append(" of ").append(grouped(ramCap)).append(" bytes static (")
                .append(pct(ram.staticBytes(), ramCap)).append("), ")
                .append(ram.free() >= 0 ? grouped(ram.free()) + " free" : grouped(-ram.free()) + " bytes OVER")
                .append("; stack peak ").append(grouped(ram.stackPeak())).append(" of ").append(grouped(ram.stackReserved()))
                .append(" bytes").append(ram.stackOverflow() ? " (OVERFLOWED its reservation)" : "").append('\n');
        memory(sb, r.timing().memory());
        if (r.unmodelled().registers() > 0) {
            sb.append("  unmodelled ").append(r.unmodelled().registers()).append(" peripheral register")
                    .append(r.unmodelled().registers() == 1 ? "" : "s").append(", ").append(grouped(r.unmodelled().accesses()))
                    .append(" access").append(r.unmodelled().accesses() == 1 ? "" : "es")
                    .append(verbose ? "" : " (--verbose lists them)").append('\n');
            if (verbose) {
                for (RunReport.Unmodelled.Entry u : r.unmodelled().entries()) {
                    sb.append("             ").append(u.peripheral()).append('.').append(u.register()).append(" (")
                            .append(u.address()).append("): ").append(u.reads()).append(" reads, ").append(u.writes())
                            .append(" writes\n");
                }
            }
        }
        if (r.trace() != null) {
            sb.append("  trace      first ").append(r.trace().size()).append(" instructions (cycles before, cost):\n");
            for (dev.tinysim.profile.TraceLine t : r.trace()) {
                sb.append(String.format(Locale.ROOT, "             %10d %3s  %s %-24s %s%n", t.at(),
                        t.cycles() < 0 ? "?" : Long.toString(t.cycles()), t.address(),
                        t.symbol().isEmpty() ? "" : "<" + t.symbol() + ">", t.instruction()));
            }
        }
        if (r.profile() != null) {
            sb.append(r.profile().table(15));
        }
        if (verbose && r.result().fault() != null) {
            RunReport.Fault fault = r.result().fault();
            sb.append("  registers ");
            int i = 0;
            for (var reg : fault.registers().entrySet()) {
                sb.append(i % 6 == 0 && i > 0 ? "\n             " : " ").append(String.format("%-4s", reg.getKey())).append(' ').append(reg.getValue());
                i++;
            }
            sb.append('\n');
            sb.append("  backtrace\n");
            for (String frame : fault.backtrace()) {
                sb.append("             ").append(frame).append('\n');
            }
        }
        return sb.toString();
    }
}
