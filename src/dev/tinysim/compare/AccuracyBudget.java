package dev.tinysim.compare;

import dev.tinysim.failure.Failure;
import dev.tinysim.failure.FailureException;

import java.util.List;
import java.util.Locale;

/**
 * {@code --max-accuracy-drop PCT}: the int8 model may lose at most PCT percentage points of top-1 accuracy against
 * the float32 model on a labelled dataset (exceeded: exit 68, like the other budgets).
 *
 * @param maxDropPoints the limit in percentage points
 * @param given         the option's value as typed
 */
public record AccuracyBudget(double maxDropPoints, String given) {
    public static final String OPTION = "--max-accuracy-drop";

    /** Parses the option (null: none); a bad value exits 64. */
    public static AccuracyBudget parse(String text) {
        if (text == null) {
            return null;
        }
        String v = text.strip();
        if (v.endsWith("%")) {
            v = v.substring(0, v.length() - 1).strip();
        }
        double d;
        try {
            d = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            d = Double.NaN;
        }
        if (!(d >= 0) || Double.isInfinite(d) || v.matches(".*[a-zA-Z].*")) {
            throw new FailureException(Failure.USAGE, OPTION + ": '" + text + "' is not a number of percentage points (e.g. 1 or 0.5)");
        }
        return new AccuracyBudget(d, text.strip());
    }

    /** The check: the model ("int8", or the validated model's name) over the limit, with its drop in points. */
    public Budgets.Check check(String model, Double drop) {
        double points = drop == null ? 0 : Math.round(drop * 100 * 1e4) / 1e4;
        List<Budgets.Exceeded> over = drop != null && points > maxDropPoints + 1e-9
                ? List.of(new Budgets.Exceeded(model, points)) : List.of();
        return new Budgets.Check(OPTION, given, maxDropPoints, "points", over);
    }

    static String points(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
