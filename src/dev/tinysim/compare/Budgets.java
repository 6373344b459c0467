package dev.tinysim.compare;

import dev.tinysim.failure.Failure;
import dev.tinysim.failure.FailureException;
import dev.tinysim.options.SizeOption;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Limits a CI job sets with {@code --max-latency-ms}, {@code --max-ram} and {@code --max-flash}: exceeding one
 * makes {@code fit} and {@code compare} exit 68, naming the budget, the figure and the limit (and, for compare,
 * the configurations over it). Latency is one inference in milliseconds at the board clock; RAM and flash are
 * the "used" figures of the fit (static + arena + stack peak; runtime + model).
 *
 * @param maxLatencyMs null: no latency budget
 * @param maxRam       bytes, null: none
 * @param maxFlash     bytes, null: none
 * @param ramText      --max-ram as given (for messages)
 * @param flashText    --max-flash as given
 */
public record Budgets(Double maxLatencyMs, Long maxRam, Long maxFlash, String ramText, String flashText) {
    public static final Budgets NONE = new Budgets(null, null, null, null, null);

    /** Parses the three options as given on the command line (null: not given); a bad value exits 64 naming the option. */
    public static Budgets parse(String latencyMs, String ram, String flash) {
        Double latency = null;
        if (latencyMs != null) {
            String v = latencyMs.strip().toLowerCase(Locale.ROOT);
            if (v.endsWith("ms")) {
                v = v.substring(0, v.length() - 2).strip();
            }
            try {
                latency = Double.parseDouble(v);
            } catch (NumberFormatException e) {
                latency = null;
            }
            if (latency == null || !(latency > 0) || latency.isInfinite() || v.matches(".*[a-z].*")) {
                throw new FailureException(Failure.USAGE, "--max-latency-ms: '" + latencyMs
                        + "' is not a positive number of milliseconds (e.g. 200 or 12.5)");
            }
        }
        Long r = ram == null ? null : positive("--max-ram", ram, SizeOption.parse("--max-ram", ram));
        Long f = flash == null ? null : positive("--max-flash", flash, SizeOption.parse("--max-flash", flash));
        return new Budgets(latency, r, f, ram, flash);
    }

    private static long positive(String option, String text, long v) {
        if (v <= 0) {
            throw new FailureException(Failure.USAGE, option + ": '" + text + "' must be more than zero bytes");
        }
        return v;
    }

    public boolean any() {
        return maxLatencyMs != null || maxRam != null || maxFlash != null;
    }

    /**
     * One budget and the configurations over it.
     *
     * @param option   {@code --max-latency-ms}, {@code --max-ram} or {@code --max-flash}
     * @param given    the value as given on the command line
     * @param limit    the limit in {@code unit}
     * @param unit     {@code ms}, {@code bytes} or {@code points} (--max-accuracy-drop: percentage points of top-1 accuracy)
     * @param exceeded the configurations over it, with their figure (empty: within budget)
     */
    public record Check(String option, String given, Number limit, String unit, List<Exceeded> exceeded) {
    }

    /** @param value the configuration's figure in the budget's unit (bytes: an integer) */
    public record Exceeded(String configuration, Number value) {
    }

    /** Checks every measured configuration against every budget given. */
    public List<Check> check(List<Measurement> rows) {
        List<Check> out = new ArrayList<>();
        if (maxLatencyMs != null) {
            out.add(check("--max-latency-ms", trim(maxLatencyMs), maxLatencyMs, "ms", rows, Measurement::measured,
                    m -> (Number) m.milliseconds()));
        }
        if (maxRam != null) {
            out.add(check("--max-ram", ramText, maxRam, "bytes", rows, m -> m.ram() != null, m -> (Number) m.ram().used()));
        }
        if (maxFlash != null) {
            out.add(check("--max-flash", flashText, maxFlash, "bytes", rows, m -> m.flash() != null, m -> (Number) m.flash().used()));
        }
        return out;
    }

    private static Check check(String option, String given, Number limit, String unit, List<Measurement> rows,
                               java.util.function.Predicate<Measurement> applies, Function<Measurement, Number> figure) {
        List<Exceeded> over = new ArrayList<>();
        for (Measurement m : rows) {
            if (applies.test(m) && figure.apply(m).doubleValue() > limit.doubleValue()) {
                over.add(new Exceeded(m.id(), figure.apply(m)));
            }
        }
        return new Check(option, given, limit, unit, List.copyOf(over));
    }

    /**
     * One line for the exceeded budgets, e.g. {@code --max-latency-ms 200 exceeded: float32-soft takes
     * 13,563.84 ms}; null when every budget is met.
     */
    public static String message(List<Check> checks) {
        List<String> parts = new ArrayList<>();
        for (Check c : checks) {
            if (c.exceeded().isEmpty()) {
                continue;
            }
            if (c.unit().equals("points")) {
                Exceeded e = c.exceeded().get(0);
                parts.add("budget " + c.option() + " " + c.given() + " exceeded: " + e.configuration() + " loses "
                        + AccuracyBudget.points(e.value().doubleValue()) + " points of top-1 accuracy against float32 (limit "
                        + c.given() + (c.given().endsWith("%") ? "" : " points") + ")");
                continue;
            }
            List<String> who = new ArrayList<>();
            for (Exceeded e : c.exceeded()) {
                who.add(e.configuration() + (c.unit().equals("ms")
                        ? " takes " + String.format(Locale.ROOT, "%,.2f ms", e.value().doubleValue())
                        : " uses " + String.format(Locale.ROOT, "%,d bytes", e.value().longValue())
                        + (c.option().equals("--max-ram") ? " of RAM" : " of flash")));
            }
            String limit = c.unit().equals("ms") ? c.given() + " ms"
                    : c.given() + (c.given().matches("\\d+") ? " bytes" : String.format(Locale.ROOT, " = %,d bytes", c.limit().longValue()));
            parts.add("budget " + c.option() + " " + c.given() + " exceeded: " + String.join(", ", who) + " (limit " + limit + ")");
        }
        return parts.isEmpty() ? null : String.join("; ", parts);
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : Double.toString(v);
    }
}
