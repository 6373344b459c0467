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
import static dev.tinysim.html.Blocks.*;
import static dev.tinysim.html.LatencySection.*;
import static dev.tinysim.html.MemorySection.*;
import static dev.tinysim.html.LayerSection.*;
import static dev.tinysim.html.AccuracySection.*;
import static dev.tinysim.html.SetupSection.*;

/** The colour policy: one colour per configuration (the same in every chart and table), per layer, per memory part. */
final class Colors {
    private Colors() {
    }

    static final String[] LAYER_COLORS = {"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1",
            "#ff9da7", "#9c755f", "#86bcb6"};

    static final String OTHER_COLOR = "#bac2cc";

    static final String INTERPRETER_COLOR = "#e2e8f0";

    static final int MAX_LAYER_SEGMENTS = LAYER_COLORS.length;

    /** An int8 model's row (its kernels matter). */
    static boolean int8Row(Measurement m) {
        return m.id().startsWith("int8") || "int8".equals(m.model()) || (m.label() != null && m.label().contains(" kernels"));
    }

    static final String LIVE_ACTIVATIONS = "#8b5cf6";

    static final String LIVE_SCRATCH = "#f59e0b";

    static final String FLASH_RUNTIME = "#64748b";

    static final String FLASH_MODEL = "#0ea5e9";

    static final String RAM_STATIC = "#64748b";

    static final String RAM_ARENA = "#8b5cf6";

    static final String RAM_STACK = "#14b8a6";

    /** The colour of a configuration, the same in every chart and table. */
    static String colorOf(Measurement m) {
        return switch (m.id()) {
            case "int8-simd" -> "#1d4ed8";
            case "int8-reference" -> "#60a5fa";
            case "float32-fpu", "hybrid-fpu" -> "#f59e0b";
            case "float32-soft", "hybrid-soft" -> "#c2410c";
            case "int8-soft" -> "#818cf8";
            case "firmware" -> "#475569";
            default -> {
                yield int8Row(m) ? (m.fpu() ? "#1d4ed8" : "#60a5fa") : (m.fpu() ? "#f59e0b" : "#c2410c");
            }
        };
    }
}
