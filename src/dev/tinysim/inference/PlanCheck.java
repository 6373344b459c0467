package dev.tinysim.inference;

import dev.tinysim.plan.Buffer;
import dev.tinysim.plan.Plan;

import java.util.HashMap;
import java.util.Map;

/**
 * Compares the runtime's arena plan (its {@code @ts plan} and {@code @ts buffer} lines) with a plan computed in Java:
 * the same buffers, lifetimes, sizes and offsets, and the same planned bytes.
 */
public final class PlanCheck {
    private PlanCheck() {
    }

    /** Null when they agree; else the first difference, in words. */
    public static String compare(Plan expected, RuntimeOutput lines) {
        if (lines.plan() == null) {
            return "the runtime reported no plan";
        }
        Map<String, RuntimeOutput.BufferLine> byKey = new HashMap<>();
        for (RuntimeOutput.BufferLine b : lines.buffers()) {
            byKey.put(b.kind() + " " + b.id(), b);
        }
        if (byKey.size() != expected.buffers().size()) {
            return "the runtime planned " + byKey.size() + " buffers, TFLite Micro's rules give " + expected.buffers().size();
        }
        for (int i = 0; i < expected.buffers().size(); i++) {
            Buffer b = expected.buffers().get(i);
            RuntimeOutput.BufferLine r = byKey.get(b.kind() + " " + b.id());
            if (r == null) {
                return b.kind() + " " + b.id() + " is not in the runtime's plan";
            }
            if (r.first() != b.first() || r.last() != b.last() || r.bytes() != b.bytes()) {
                return b.kind() + " " + b.id() + ": the runtime has [" + r.first() + ".." + r.last() + "] " + r.bytes()
                        + " bytes, TFLite Micro's rules [" + b.first() + ".." + b.last() + "] " + b.bytes() + " bytes";
            }
            if (r.offset() != expected.offset(i)) {
                return b.kind() + " " + b.id() + ": the runtime placed it at " + r.offset() + ", TFLite Micro's planner at "
                        + expected.offset(i);
            }
        }
        if (lines.plan().arena() != expected.size()) {
            return "the runtime planned " + lines.plan().arena() + " bytes, TFLite Micro's planner " + expected.size();
        }
        return null;
    }
}
