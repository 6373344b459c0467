package dev.tinysim.profile;

import java.util.List;
import java.util.Locale;

/**
 * A per-function profile: exclusive (self) and inclusive cycles and calls per function, and
 * collapsed stacks ("main;conv;kernel 1234") that flamegraph.pl and speedscope read.
 */
public record ProfileReport(long totalCycles, List<Function> functions, List<Stack> stacks) {
    public record Function(String name, long selfCycles, long inclusiveCycles, long calls) {
    }

    public record Stack(String stack, long cycles) {
    }

    /** The collapsed-stack text: one "frame;frame;leaf cycles" line per call path. */
    public String folded() {
        StringBuilder sb = new StringBuilder();
        for (Stack s : stacks) {
            sb.append(s.stack()).append(' ').append(s.cycles()).append('\n');
        }
        return sb.toString();
    }

    /** The flat table (by self cycles) and the inclusive table (by inclusive cycles), top {@code limit} rows. */
    public String table(int limit) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "  profile    %-32s %14s %7s %14s %7s %10s%n", "function", "self cycles", "self",
                "inclusive", "incl.", "calls"));
        functions.stream().limit(limit).forEach(f -> sb.append(row(f)));
        sb.append(String.format(Locale.ROOT, "  inclusive  %-32s %14s %7s %14s %7s %10s%n", "function", "self cycles", "self",
                "inclusive", "incl.", "calls"));
        functions.stream().sorted((a, b) -> Long.compare(b.inclusiveCycles(), a.inclusiveCycles())).limit(limit)
                .forEach(f -> sb.append(row(f)));
        return sb.toString();
    }

    private String row(Function f) {
        double self = totalCycles == 0 ? 0 : 100.0 * f.selfCycles() / totalCycles;
        double incl = totalCycles == 0 ? 0 : 100.0 * f.inclusiveCycles() / totalCycles;
        String name = f.name().length() > 32 ? f.name().substring(0, 31) + "…" : f.name();
        return String.format(Locale.ROOT, "             %-32s %,14d %6.1f%% %,14d %6.1f%% %,10d%n", name, f.selfCycles(), self,
                f.inclusiveCycles(), incl, f.calls());
    }
}
